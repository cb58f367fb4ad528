"""Paying bills (issue 4): card payments with an Idempotency-Key, receipts, and payment plans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.billing import payment_models
    from chalicelib.billing import payments as payment_service
    from chalicelib.billing import plans as plan_service
    from chalicelib.billing.payment_models import (
        PaymentIn,
        PaymentList,
        PaymentOut,
        PlanIn,
        PlanList,
        PlanOut,
        Receipt,
        SimulatedConfirmationIn,
    )
else:
    payment_models = lazy_module("chalicelib.billing.payment_models")
    payment_service = lazy_module("chalicelib.billing.payments")
    plan_service = lazy_module("chalicelib.billing.plans")

bp = Blueprint(__name__)
requires = access.guard(bp)

BASE = "/patients/{patient_id}/payments"
PLANS = "/patients/{patient_id}/payment-plans"


@bp.route(BASE, methods=["GET"])
@requires("payment:read", returns=lambda: payment_models.PaymentList, summary="Payment history, newest first")
def list_payments(patient_id: str, *, caller: Caller) -> PaymentList:
    return payment_service.list_payments(caller, patient_id)


@bp.route(BASE, methods=["POST"])
@requires(
    "payment:create",
    body=lambda: payment_models.PaymentIn,
    returns=lambda: payment_models.PaymentOut,
    summary=(
        "Pay a statement by card token. Needs an Idempotency-Key header: a retry with the same key and "
        "body returns the first result (201 paid, 202 pending or needing confirmation); another body "
        "with that key is 422; a declined card is 402 and changes nothing"
    ),
)
def pay(patient_id: str, *, caller: Caller, body: PaymentIn) -> Response:
    key = bp.current_request.headers.get(payment_service.IDEMPOTENCY_HEADER.lower())
    payment = payment_service.pay(caller, patient_id, body, idempotency_key=key)
    status = 201 if payment.status == "succeeded" else 202
    return Response(body=payment.model_dump(mode="json"), status_code=status, headers=dict(JSON_HEADERS))


@bp.route(BASE + "/{payment_id}/receipt", methods=["GET"])
@requires(
    "payment:read", returns=lambda: payment_models.Receipt, summary="The receipt of a successful payment"
)
def receipt(patient_id: str, payment_id: str, *, caller: Caller) -> Receipt:
    return payment_service.receipt(caller, patient_id, payment_id)


@bp.route(BASE + "/{payment_id}/refresh", methods=["POST"])
@requires(
    "payment:create",
    returns=lambda: payment_models.PaymentOut,
    summary="Ask the card processor for this payment's outcome now (after a card confirmation step)",
)
def refresh(patient_id: str, payment_id: str, *, caller: Caller) -> PaymentOut:
    return payment_service.refresh(caller, patient_id, payment_id)


@bp.route(BASE + "/{payment_id}/simulated-confirmation", methods=["POST"])
@requires(
    "payment:create",
    body=lambda: payment_models.SimulatedConfirmationIn,
    returns=lambda: payment_models.PaymentOut,
    summary="Demo clinics only: answer the simulated card issuer's confirmation (3-D Secure) step",
)
def confirm_simulated(
    patient_id: str, payment_id: str, *, caller: Caller, body: SimulatedConfirmationIn
) -> PaymentOut:
    return payment_service.confirm_simulated(caller, patient_id, payment_id, approve=body.approve)


@bp.route(PLANS, methods=["GET"])
@requires(
    "payment_plan:read",
    returns=lambda: payment_models.PlanList,
    summary="Payment plans with their installments",
)
def list_plans(patient_id: str, *, caller: Caller) -> PlanList:
    return plan_service.list_plans(caller, patient_id)


@bp.route(PLANS, methods=["POST"])
@requires(
    "payment_plan:create",
    body=lambda: payment_models.PlanIn,
    returns=lambda: payment_models.PlanOut,
    summary="Split a statement's balance into monthly installments within the clinic's limits",
)
def create_plan(patient_id: str, *, caller: Caller, body: PlanIn) -> Response:
    plan = plan_service.create_plan(caller, patient_id, body)
    return Response(body=plan.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(PLANS + "/{plan_id}", methods=["GET"])
@requires("payment_plan:read", returns=lambda: payment_models.PlanOut, summary="One payment plan")
def get_plan(patient_id: str, plan_id: str, *, caller: Caller) -> PlanOut:
    return plan_service.get_plan(caller, patient_id, plan_id)


@bp.route(PLANS + "/{plan_id}/cancel", methods=["POST"])
@requires(
    "payment_plan:cancel",
    returns=lambda: payment_models.PlanOut,
    summary="Stop a plan: no further installments are charged",
)
def cancel_plan(patient_id: str, plan_id: str, *, caller: Caller) -> PlanOut:
    return plan_service.cancel_plan(caller, patient_id, plan_id)
