"""Bills (issue 4): statements, the ledger, the billing work list and the billing jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.billing import jobs as billing_jobs
    from chalicelib.billing import models as billing_models
    from chalicelib.billing import statements as statement_service
    from chalicelib.billing.models import (
        BillingSettingsOut,
        JobsRun,
        LedgerPage,
        OpenBalancePage,
        PageQuery,
        PrintableStatement,
        StatementIn,
        StatementList,
        StatementListQuery,
        StatementOut,
        VoidIn,
        WorkListQuery,
    )
else:
    billing_models = lazy_module("chalicelib.billing.models")
    billing_jobs = lazy_module("chalicelib.billing.jobs")
    statement_service = lazy_module("chalicelib.billing.statements")

bp = Blueprint(__name__)
requires = access.guard(bp)

BASE = "/patients/{patient_id}/statements"


@bp.route("/billing/settings", methods=["GET"])
@requires(
    "billing_settings:read",
    returns=lambda: billing_models.BillingSettingsOut,
    summary="How this clinic takes cards (provider, public key, test cards locally) and its plan limits",
)
def billing_settings(*, caller: Caller) -> BillingSettingsOut:
    return statement_service.settings_out()


@bp.route(BASE, methods=["GET"])
@requires(
    "statement:read",
    query=lambda: billing_models.StatementListQuery,
    returns=lambda: billing_models.StatementList,
    summary="Statements (overdue first, then due, then settled) with the balance summary",
)
def list_statements(patient_id: str, *, caller: Caller, query: StatementListQuery) -> StatementList:
    return statement_service.list_statements(caller, patient_id, status=query.status)


@bp.route(BASE, methods=["POST"])
@requires(
    "statement:write",
    body=lambda: billing_models.StatementIn,
    returns=lambda: billing_models.StatementOut,
    summary="Post a statement for a visit: lines, insurance paid, adjustments, due date (cents)",
)
def post_statement(patient_id: str, *, caller: Caller, body: StatementIn) -> Response:
    statement = statement_service.post(caller, patient_id, body)
    return Response(body=statement.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(BASE + "/{statement_id}", methods=["GET"])
@requires("statement:read", returns=lambda: billing_models.StatementOut, summary="One statement")
def get_statement(patient_id: str, statement_id: str, *, caller: Caller) -> StatementOut:
    return statement_service.get_statement(caller, patient_id, statement_id)


@bp.route(BASE + "/{statement_id}/printable", methods=["GET"])
@requires(
    "statement:read",
    returns=lambda: billing_models.PrintableStatement,
    summary="Everything a printed statement shows: clinic, patient, lines, payments applied",
)
def printable_statement(patient_id: str, statement_id: str, *, caller: Caller) -> PrintableStatement:
    return statement_service.printable(caller, patient_id, statement_id)


@bp.route(BASE + "/{statement_id}/void", methods=["POST"])
@requires(
    "statement:write",
    body=lambda: billing_models.VoidIn,
    returns=lambda: billing_models.StatementOut,
    summary="Void an unpaid statement with a reason (it is kept, marked void)",
)
def void_statement(patient_id: str, statement_id: str, *, caller: Caller, body: VoidIn) -> StatementOut:
    return statement_service.void(caller, patient_id, statement_id, body)


@bp.route("/patients/{patient_id}/ledger", methods=["GET"])
@requires(
    "ledger:read",
    query=lambda: billing_models.PageQuery,
    returns=lambda: billing_models.LedgerPage,
    summary="Every charge, payment and void on the account, newest first, with the balance summary",
)
def ledger(patient_id: str, *, caller: Caller, query: PageQuery) -> LedgerPage:
    return statement_service.ledger(caller, patient_id, limit=query.limit, cursor=query.cursor)


@bp.route("/staff/billing/open-balances", methods=["GET"])
@requires(
    "billing:worklist",
    query=lambda: billing_models.WorkListQuery,
    returns=lambda: billing_models.OpenBalancePage,
    summary="The work list: open statements of all patients, oldest due date first",
)
def open_balances(*, caller: Caller, query: WorkListQuery) -> OpenBalancePage:
    return statement_service.work_list(
        caller, overdue_only=query.overdue_only, limit=query.limit, cursor=query.cursor
    )


@bp.route("/staff/billing/run-jobs", methods=["POST"])
@requires(
    "billing:jobs",
    returns=lambda: billing_models.JobsRun,
    summary="Run the billing jobs now: charge due plan installments, reconcile pending payments",
)
def run_jobs(*, caller: Caller) -> JobsRun:
    return billing_jobs.run_all()


@bp.schedule(Rate(15, unit=Rate.MINUTES))
def billing_jobs_on_schedule(event: Any) -> None:
    """Charge due installments (retrying failed ones) and reconcile payments left pending."""
    from chalicelib.billing import idempotency

    idempotency.register_lambda_context(getattr(event, "context", None))
    billing_jobs.run_all()
