"""Clinic Portal API: the composition root. Creates the app, wires middleware, registers blueprints.

Routes are defined without the /api prefix: deployed, the API Gateway stage "api" supplies it; locally
the dev server strips it (see chalicelib/local/server.py).
"""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.logging import correlation_paths
from chalice import Chalice, ConvertToMiddleware, Response
from chalice.app import Request

from chalicelib.accounts import routes as account
from chalicelib.appointments import jobs as appointment_jobs  # appointments (issue 7)
from chalicelib.appointments import routes as appointment_routes  # appointments (issue 7)
from chalicelib.appointments import staff_routes as appointment_staff_routes  # appointments (issue 7)
from chalicelib.billing import idempotency as payment_idempotency  # billing (issue 4)
from chalicelib.billing import (
    insurance_routes,  # billing (issue 4)
    payment_routes,  # billing (issue 4)
)
from chalicelib.billing import routes as billing_routes  # billing (issue 4)
from chalicelib.core import access
from chalicelib.core.aws import logger
from chalicelib.documents import routes as documents_routes  # records (issue 6)
from chalicelib.messaging import routes as message_routes  # messaging (issue 8)
from chalicelib.patients import routes as patients
from chalicelib.patients import search_routes as staff_patient_routes  # staff patient search
from chalicelib.proxies import routes as proxy_routes  # proxy access
from chalicelib.records import export_routes  # records (issue 6)
from chalicelib.records import routes as records_routes  # records (issue 6)
from chalicelib.refills import pharmacy_routes  # messaging (issue 8)
from chalicelib.refills import routes as refill_routes  # messaging (issue 8)
from chalicelib.results import routes as results_routes  # records (issue 6)
from chalicelib.system import routes as system

app = Chalice(app_name="clinic-portal")  # app.debug stays False: no stack traces to browsers

# Structured logs with the API Gateway request id as correlation id; state cleared between invocations
# so ids of one caller never leak into the next one's log lines.
app.register_middleware(
    ConvertToMiddleware(
        logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
    )
)

_CHALICE_ERROR_CODES = {
    400: "bad_request",
    403: "not_found",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    500: "internal",
}


@app.middleware("http")
def _protect_responses(request: Request, get_response: Callable[[Request], Response]) -> Response:
    response = get_response(request)
    body = response.body
    # Chalice answers some requests itself (unknown method, wrong content type) as {"Code", "Message"};
    # reshape those into our one error shape.
    if isinstance(body, dict) and set(body) == {"Code", "Message"}:
        code = _CHALICE_ERROR_CODES.get(response.status_code, "internal")
        response.body = {"error": {"code": code, "message": str(body["Message"])}}
    response.headers.setdefault("Cache-Control", "no-store")  # PHI must not sit in shared caches
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


@app.middleware("http")
def _register_lambda_context(request: Request, get_response: Callable[[Request], Response]) -> Response:
    # billing (issue 4): Powertools Idempotency expires an in-progress payment record when this invocation
    # would time out. Cheap (no Powertools import); chalice.test.Client supplies a local context too.
    payment_idempotency.register_lambda_context(request.lambda_context)
    return get_response(request)


app.register_blueprint(system.bp)
app.register_blueprint(account.bp)
app.register_blueprint(patients.bp)
app.register_blueprint(records_routes.bp)  # records (issue 6)
app.register_blueprint(results_routes.bp)  # records (issue 6)
app.register_blueprint(export_routes.bp)  # records (issue 6)
app.register_blueprint(documents_routes.bp)  # records (issue 6)
app.register_blueprint(appointment_routes.bp)  # appointments (issue 7)
app.register_blueprint(appointment_staff_routes.bp)  # appointments (issue 7)
app.register_blueprint(appointment_jobs.bp)  # appointments (issue 7): scheduled jobs
app.register_blueprint(billing_routes.bp)  # billing (issue 4): statements, ledger, work list, jobs
app.register_blueprint(payment_routes.bp)  # billing (issue 4): payments, receipts, payment plans
app.register_blueprint(insurance_routes.bp)  # billing (issue 4): insurance on file
app.register_blueprint(message_routes.bp)  # messaging (issue 8): threads, inboxes, daily digest
app.register_blueprint(refill_routes.bp)  # messaging (issue 8): refill requests
app.register_blueprint(pharmacy_routes.bp)  # messaging (issue 8): saved pharmacies
app.register_blueprint(proxy_routes.bp)  # proxy access: caregivers' grants, listed, granted, revoked
app.register_blueprint(staff_patient_routes.bp)  # staff patient search

# Deny by default: a route without a declared policy stops the app from loading at all.
for _path, _methods in app.routes.items():
    for _method, _entry in _methods.items():
        if access.contract_of(_entry.view_function) is None:
            raise RuntimeError(f"route {_method} {_path} has no access policy")
