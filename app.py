"""Clinic Portal API: the composition root. Creates the app, wires middleware, registers blueprints.

Routes are defined without the /api prefix: deployed, the API Gateway stage "api" supplies it; locally
the dev server strips it (see chalicelib/local/server.py).
"""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, ConvertToMiddleware, Response
from chalice.app import Request

from chalicelib.accounts import routes as accounts_routes
from chalicelib.appointments import routes as appointments_routes
from chalicelib.billing import routes as billing_routes
from chalicelib.core import access, idempotency, origin
from chalicelib.core.errors import Forbidden
from chalicelib.core.observability import logger
from chalicelib.documents import routes as documents_routes
from chalicelib.enrolment import routes as enrolment_routes
from chalicelib.home import routes as home_routes
from chalicelib.messaging import routes as messaging_routes
from chalicelib.patients import routes as patients_routes
from chalicelib.pharmacies import routes as pharmacies_routes
from chalicelib.proxies import routes as proxies_routes
from chalicelib.records import routes as records_routes
from chalicelib.refills import routes as refills_routes
from chalicelib.results import routes as results_routes
from chalicelib.staff_admin import routes as staff_admin_routes
from chalicelib.system import routes as system_routes
from chalicelib.workqueue import routes as workqueue_routes

app = Chalice(app_name="clinic-portal")  # app.debug stays False: no stack traces to browsers

# Structured logs with the function's context; state cleared between invocations.
app.register_middleware(ConvertToMiddleware(logger.inject_lambda_context(clear_state=True)))


@app.middleware("http")
def _serve_one_request(request: Request, get_response: Callable[[Request], Response]) -> Response:
    # The request and its log keys belong to this request alone, also where one process serves many
    # requests at once (the local server's threads): never read the app-wide `current_request`.
    logger.thread_safe_clear_keys()
    logger.thread_safe_append_keys(correlation_id=access.request_id_of(request))
    with access.serving(request):
        return get_response(request)


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
        response.headers["Content-Type"] = "application/json"  # Chalice leaves it to the gateway
    response.headers.setdefault("Cache-Control", "no-store")  # PHI must not sit in shared caches
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


@app.middleware("http")
def _only_through_cloudfront(request: Request, get_response: Callable[[Request], Response]) -> Response:
    # The API Gateway URL itself is public: CloudFront's origin secret proves the request passed its WAF.
    if not origin.came_through_cloudfront(request.headers):
        logger.warning("request without the origin secret refused")
        refusal = Forbidden("This address answers only through the portal's own web address.")
        return Response(body=refusal.to_body(), status_code=403, headers={"Content-Type": "application/json"})
    return get_response(request)


@app.middleware("http")
def _register_lambda_context(request: Request, get_response: Callable[[Request], Response]) -> Response:
    # Powertools Idempotency expires an in-progress payment record when this invocation
    # would time out. Cheap (no Powertools import); chalice.test.Client supplies a local context too.
    idempotency.register_lambda_context(request.lambda_context)
    return get_response(request)


# One blueprint per feature (chalicelib/<feature>/routes.py).
app.register_blueprint(system_routes.bp)
app.register_blueprint(accounts_routes.bp)
app.register_blueprint(patients_routes.bp)
app.register_blueprint(proxies_routes.bp)
app.register_blueprint(enrolment_routes.bp)
app.register_blueprint(records_routes.bp)
app.register_blueprint(results_routes.bp)
app.register_blueprint(documents_routes.bp)
app.register_blueprint(appointments_routes.bp)
app.register_blueprint(billing_routes.bp)
app.register_blueprint(messaging_routes.bp)
app.register_blueprint(refills_routes.bp)
app.register_blueprint(pharmacies_routes.bp)
app.register_blueprint(staff_admin_routes.bp)
app.register_blueprint(workqueue_routes.bp)
app.register_blueprint(home_routes.bp)

# Deny by default: a route without a declared policy stops the app from loading at all.
for _path, _methods in app.routes.items():
    for _method, _entry in _methods.items():
        if access.contract_of(_entry.view_function) is None:
            raise RuntimeError(f"route {_method} {_path} has no access policy")
