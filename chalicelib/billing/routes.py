"""Bills: statements, the ledger, the billing work list and the billing jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate, Response

from chalicelib.core import access, idempotency
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.billing import cards as card_service
    from chalicelib.billing import insurance as insurance_service
    from chalicelib.billing import jobs as billing_jobs
    from chalicelib.billing import models as billing_models
    from chalicelib.billing import payments as payment_service
    from chalicelib.billing import plans as plan_service
    from chalicelib.billing import refunds as refund_service
    from chalicelib.billing import simulated as simulated_service
    from chalicelib.billing import statements as statement_service
    from chalicelib.billing import webhooks as webhook_service
    from chalicelib.billing.models import (
        BillingSettingsOut,
        CardSetupIn,
        DisputePage,
        InsuranceIn,
        InsuranceList,
        InsuranceOut,
        InsuranceUpdate,
        JobsRun,
        LedgerPage,
        OpenBalancePage,
        PageQuery,
        PaymentIn,
        PaymentList,
        PaymentOut,
        PlanIn,
        PlanList,
        PlanOut,
        PrintableStatement,
        Receipt,
        RefundIn,
        SavedCardState,
        SimulatedConfirmationIn,
        SimulatedSetupIn,
        StatementIn,
        StatementList,
        StatementListQuery,
        StatementOut,
        VerifyIn,
        VoidIn,
        WorkListQuery,
    )
else:
    billing_models = lazy_module("chalicelib.billing.models")
    billing_jobs = lazy_module("chalicelib.billing.jobs")
    statement_service = lazy_module("chalicelib.billing.statements")
    payment_service = lazy_module("chalicelib.billing.payments")
    plan_service = lazy_module("chalicelib.billing.plans")
    insurance_service = lazy_module("chalicelib.billing.insurance")
    card_service = lazy_module("chalicelib.billing.cards")
    refund_service = lazy_module("chalicelib.billing.refunds")
    simulated_service = lazy_module("chalicelib.billing.simulated")
    webhook_service = lazy_module("chalicelib.billing.webhooks")

bp = Blueprint(__name__)
requires = access.requires

STATEMENTS = "/patients/{patient_id}/statements"


@bp.route("/billing/settings", methods=["GET"])
@requires(
    "billing_settings:read",
    returns=lambda: billing_models.BillingSettingsOut,
    summary="How this clinic takes cards (provider, public key, test cards locally) and its plan limits",
)
def billing_settings(*, caller: Caller) -> BillingSettingsOut:
    return statement_service.settings_out()


@bp.route(STATEMENTS, methods=["GET"])
@requires(
    "statement:read",
    query=lambda: billing_models.StatementListQuery,
    returns=lambda: billing_models.StatementList,
    summary="Statements (overdue first, then due, then settled) with the balance summary",
)
def list_statements(patient_id: str, *, caller: Caller, query: StatementListQuery) -> StatementList:
    return statement_service.list_statements(caller, patient_id, status=query.status)


@bp.route(STATEMENTS, methods=["POST"])
@requires(
    "statement:write",
    body=lambda: billing_models.StatementIn,
    returns=lambda: billing_models.StatementOut,
    summary="Post a statement for a visit: lines, insurance paid, adjustments, due date (cents)",
    status=201,
)
def post_statement(patient_id: str, *, caller: Caller, body: StatementIn) -> Response:
    statement = statement_service.post(caller, patient_id, body)
    return Response(body=statement.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(STATEMENTS + "/{statement_id}", methods=["GET"])
@requires("statement:read", returns=lambda: billing_models.StatementOut, summary="One statement")
def get_statement(patient_id: str, statement_id: str, *, caller: Caller) -> StatementOut:
    return statement_service.get_statement(caller, patient_id, statement_id)


@bp.route(STATEMENTS + "/{statement_id}/printable", methods=["GET"])
@requires(
    "statement:read",
    returns=lambda: billing_models.PrintableStatement,
    summary="Everything a printed statement shows: clinic, patient, lines, payments applied",
)
def printable_statement(patient_id: str, statement_id: str, *, caller: Caller) -> PrintableStatement:
    return statement_service.printable(caller, patient_id, statement_id)


@bp.route(STATEMENTS + "/{statement_id}/void", methods=["POST"])
@requires(
    "statement:write",
    body=lambda: billing_models.VoidIn,
    returns=lambda: billing_models.StatementOut,
    summary="Void an unpaid statement with a reason (it is kept, marked void)",
    errors=(409,),
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
    idempotency.register_lambda_context(getattr(event, "context", None))
    billing_jobs.run_all()


# Paying bills: card payments with an Idempotency-Key, receipts, and payment plans.
PAYMENTS = "/patients/{patient_id}/payments"
PLANS = "/patients/{patient_id}/payment-plans"


@bp.route(PAYMENTS, methods=["GET"])
@requires("payment:read", returns=lambda: billing_models.PaymentList, summary="Payment history, newest first")
def list_payments(patient_id: str, *, caller: Caller) -> PaymentList:
    return payment_service.list_payments(caller, patient_id)


@bp.route(PAYMENTS, methods=["POST"])
@requires(
    "payment:create",
    body=lambda: billing_models.PaymentIn,
    returns=lambda: billing_models.PaymentOut,
    summary=(
        "Start paying a statement: the amount (the full balance when left out) is reserved and the card "
        "processor's payment intent created; the answer's next_action.client_secret is for the processor's "
        "own script in the browser, which takes the card. Needs an Idempotency-Key header: a retry with the "
        "same key and body returns the first answer; another body with that key is 422"
    ),
    headers=lambda: billing_models.PaymentHeaders,
    status=201,
    errors=(409, 422, 503),
)
def pay(patient_id: str, *, caller: Caller, body: PaymentIn, idempotency_key: str | None) -> Response:
    payment = payment_service.pay(caller, patient_id, body, idempotency_key=idempotency_key)
    return Response(body=payment.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(PAYMENTS + "/{payment_id}/receipt", methods=["GET"])
@requires(
    "payment:read", returns=lambda: billing_models.Receipt, summary="The receipt of a successful payment"
)
def receipt(patient_id: str, payment_id: str, *, caller: Caller) -> Receipt:
    return payment_service.receipt(caller, patient_id, payment_id)


@bp.route(PAYMENTS + "/{payment_id}/refresh", methods=["POST"])
@requires(
    "payment:create",
    returns=lambda: billing_models.PaymentOut,
    summary="Read this payment's outcome back from the card processor now (after the browser confirmed it)",
)
def refresh(patient_id: str, payment_id: str, *, caller: Caller) -> PaymentOut:
    return payment_service.refresh(caller, patient_id, payment_id)


@bp.route(PAYMENTS + "/{payment_id}/simulated-confirmation", methods=["POST"])
@requires(
    "payment:create",
    body=lambda: billing_models.SimulatedConfirmationIn,
    returns=lambda: billing_models.PaymentOut,
    summary="Demo clinics only: what the processor's script would do in the browser (confirm with a test "
    "card's token, or answer the simulated 3-D Secure check)",
    errors=(409, 503),
)
def confirm_simulated(
    patient_id: str, payment_id: str, *, caller: Caller, body: SimulatedConfirmationIn
) -> PaymentOut:
    return simulated_service.confirm_payment(caller, patient_id, payment_id, body)


@bp.route(PAYMENTS + "/{payment_id}/refunds", methods=["POST"])
@requires(
    "payment:refund",
    body=lambda: billing_models.RefundIn,
    returns=lambda: billing_models.RefundOut,
    summary="Billing staff: give (part of) a payment back to the card, with a reason; the amount is owed "
    "again. Needs an Idempotency-Key header",
    headers=lambda: billing_models.PaymentHeaders,
    status=201,
    errors=(409, 422, 503),
)
def refund_payment(
    patient_id: str, payment_id: str, *, caller: Caller, body: RefundIn, idempotency_key: str | None
) -> Response:
    made = refund_service.refund(caller, patient_id, payment_id, body, idempotency_key=idempotency_key)
    return Response(body=made.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/staff/billing/disputes", methods=["GET"])
@requires(
    "billing:disputes",
    query=lambda: billing_models.PageQuery,
    returns=lambda: billing_models.DisputePage,
    summary="Card payments disputed with the card holder's bank, still open, oldest first",
)
def disputes(*, caller: Caller, query: PageQuery) -> DisputePage:
    return refund_service.disputes(caller, limit=query.limit, cursor=query.cursor)


@bp.route("/webhooks/stripe", methods=["POST"])
@access.public(
    "webhook:stripe",
    returns=lambda: billing_models.WebhookOut,
    summary="Stripe's signed events (payment intents, refunds, disputes): verified against the clinic's "
    "signing secret, handled once per event id; an unverifiable one is 400 and changes nothing, one not "
    "settled yet 503 (Stripe delivers it again)",
    errors=(400, 503),
    raw_body=True,
)
def stripe_webhook(*, raw_body: bytes, headers: Any) -> dict[str, str]:
    return webhook_service.receive(raw_body, headers.get("stripe-signature"))


# The saved card for payment plans.
SAVED_CARD = "/patients/{patient_id}/saved-card"


@bp.route(SAVED_CARD, methods=["GET"])
@requires("card:read", returns=lambda: billing_models.SavedCardState, summary="The card saved for plans")
def saved_card(patient_id: str, *, caller: Caller) -> SavedCardState:
    return card_service.saved_card(caller, patient_id)


@bp.route(SAVED_CARD + "/setup", methods=["POST"])
@requires(
    "card:write",
    returns=lambda: billing_models.CardSetupOut,
    summary="Start saving a card: a setup intent whose client secret the processor's script confirms",
    status=201,
    errors=(503,),
)
def start_card_setup(patient_id: str, *, caller: Caller) -> Response:
    setup = card_service.start_setup(caller, patient_id)
    return Response(body=setup.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(SAVED_CARD, methods=["POST"])
@requires(
    "card:write",
    body=lambda: billing_models.CardSetupIn,
    returns=lambda: billing_models.SavedCardState,
    summary="Keep the card of a confirmed setup intent as the saved card (replacing the one before)",
    errors=(409, 503),
)
def save_card(patient_id: str, *, caller: Caller, body: CardSetupIn) -> SavedCardState:
    return card_service.complete_setup(caller, patient_id, body)


@bp.route(SAVED_CARD + "/remove", methods=["POST"])
@requires("card:write", returns=lambda: billing_models.SavedCardState, summary="Forget the saved card")
def remove_card(patient_id: str, *, caller: Caller) -> SavedCardState:
    return card_service.remove_card(caller, patient_id)


@bp.route(SAVED_CARD + "/simulated-setup", methods=["POST"])
@requires(
    "card:write",
    body=lambda: billing_models.SimulatedSetupIn,
    returns=lambda: billing_models.SavedCardState,
    summary="Demo clinics only: confirm a setup intent with a test card's token and keep the card",
    errors=(409,),
)
def simulated_card_setup(patient_id: str, *, caller: Caller, body: SimulatedSetupIn) -> SavedCardState:
    return simulated_service.confirm_setup(caller, patient_id, body)


@bp.route(PLANS, methods=["GET"])
@requires(
    "payment_plan:read",
    returns=lambda: billing_models.PlanList,
    summary="Payment plans with their installments",
)
def list_plans(patient_id: str, *, caller: Caller) -> PlanList:
    return plan_service.list_plans(caller, patient_id)


@bp.route(PLANS, methods=["POST"])
@requires(
    "payment_plan:create",
    body=lambda: billing_models.PlanIn,
    returns=lambda: billing_models.PlanOut,
    summary="Split a statement's balance into monthly installments within the clinic's limits",
    status=201,
    errors=(409,),
)
def create_plan(patient_id: str, *, caller: Caller, body: PlanIn) -> Response:
    plan = plan_service.create_plan(caller, patient_id, body)
    return Response(body=plan.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(PLANS + "/{plan_id}", methods=["GET"])
@requires("payment_plan:read", returns=lambda: billing_models.PlanOut, summary="One payment plan")
def get_plan(patient_id: str, plan_id: str, *, caller: Caller) -> PlanOut:
    return plan_service.get_plan(caller, patient_id, plan_id)


@bp.route(PLANS + "/{plan_id}/cancel", methods=["POST"])
@requires(
    "payment_plan:cancel",
    returns=lambda: billing_models.PlanOut,
    summary="Stop a plan: no further installments are charged",
    errors=(409,),
)
def cancel_plan(patient_id: str, plan_id: str, *, caller: Caller) -> PlanOut:
    return plan_service.cancel_plan(caller, patient_id, plan_id)


# Insurance on file: payer, plan, member id, subscriber, card images; staff verify it.
INSURANCE = "/patients/{patient_id}/insurance"


@bp.route(INSURANCE, methods=["GET"])
@requires(
    "insurance:read",
    returns=lambda: billing_models.InsuranceList,
    summary="Insurance on file, primary first",
)
def list_insurance(patient_id: str, *, caller: Caller) -> InsuranceList:
    return insurance_service.list_insurance(caller, patient_id)


@bp.route(INSURANCE, methods=["POST"])
@requires(
    "insurance:write",
    body=lambda: billing_models.InsuranceIn,
    returns=lambda: billing_models.InsuranceOut,
    summary="Add coverage; card images are ids of uploaded insurance-card documents",
    status=201,
)
def add_insurance(patient_id: str, *, caller: Caller, body: InsuranceIn) -> Response:
    insurance = insurance_service.add(caller, patient_id, body)
    return Response(body=insurance.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(INSURANCE + "/{insurance_id}", methods=["PUT"])
@requires(
    "insurance:write",
    body=lambda: billing_models.InsuranceUpdate,
    returns=lambda: billing_models.InsuranceOut,
    summary="Replace the coverage details (send the version you edited); it needs verifying again",
    errors=(409,),
)
def update_insurance(
    patient_id: str, insurance_id: str, *, caller: Caller, body: InsuranceUpdate
) -> InsuranceOut:

    return insurance_service.update(caller, patient_id, insurance_id, body)


@bp.route(INSURANCE + "/{insurance_id}/verify", methods=["POST"])
@requires(
    "insurance:verify",
    body=lambda: billing_models.VerifyIn,
    returns=lambda: billing_models.InsuranceOut,
    summary="Record that coverage was checked",
    errors=(409,),
)
def verify_insurance(patient_id: str, insurance_id: str, *, caller: Caller, body: VerifyIn) -> InsuranceOut:
    return insurance_service.verify(caller, patient_id, insurance_id, body)


@bp.route(INSURANCE + "/{insurance_id}/remove", methods=["POST"])
@requires(
    "insurance:write",
    returns=lambda: billing_models.InsuranceOut,
    summary="Coverage ended: kept on record, off the list",
    errors=(409,),
)
def remove_insurance(patient_id: str, insurance_id: str, *, caller: Caller) -> InsuranceOut:
    return insurance_service.remove(caller, patient_id, insurance_id)
