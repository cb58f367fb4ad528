"""Payments and payment plans (issue 4).

A card never reaches our servers: the browser hands the card to the provider's hosted fields and sends
us the provider's token (`pm_...` for Stripe, `sim_tok_...` for the simulated provider). We keep the
provider's ids, the card brand and its last four digits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from chalicelib.billing.models import Currency, PositiveCents
from chalicelib.core.models import InputModel, Model, OpaqueId

PaymentStatus = Literal["pending", "requires_action", "succeeded", "declined", "failed"]
OPEN_PAYMENT_STATUSES: frozenset[str] = frozenset({"pending", "requires_action"})
CardToken = Annotated[str, Field(pattern=r"^(sim_tok_[a-z0-9_]{2,40}|pm_[A-Za-z0-9_]{6,100})$")]
IdempotencyKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{8,128}$")]


class PaymentIn(InputModel):
    statement_id: OpaqueId
    amount_cents: PositiveCents
    currency: Currency
    card_token: CardToken


class Payment(Model):
    """The stored payment. Its id is derived from who asked and their Idempotency-Key (see services)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    statement_id: str
    amount_cents: int
    currency: str
    status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    created_by_sub: str
    created_by_name: str
    provider: str
    card_token: str  # the provider's reusable token, never a card number
    provider_ref: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    client_secret: str | None = None  # for the browser to finish a 3-D Secure style confirmation
    receipt_number: str | None = None
    succeeded_at: datetime | None = None
    plan_id: str | None = None
    installment: int | None = None


class NextAction(Model):
    type: Literal["confirm_card"]
    client_secret: str


class PaymentOut(Model):
    id: str
    statement_id: str
    amount_cents: int
    currency: str
    status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    card_brand: str | None = None
    card_last4: str | None = None
    receipt_number: str | None = None
    succeeded_at: datetime | None = None
    failure_code: str | None = None
    message: str
    next_action: NextAction | None = None
    plan_id: str | None = None
    installment: int | None = None

    @classmethod
    def from_payment(cls, payment: Payment) -> PaymentOut:
        next_action = None
        if payment.status == "requires_action" and payment.client_secret:
            next_action = NextAction(type="confirm_card", client_secret=payment.client_secret)
        return cls(
            **payment.model_dump(
                include={
                    "id",
                    "statement_id",
                    "amount_cents",
                    "currency",
                    "status",
                    "created_at",
                    "updated_at",
                    "card_brand",
                    "card_last4",
                    "receipt_number",
                    "succeeded_at",
                    "failure_code",
                    "plan_id",
                    "installment",
                }
            ),
            message=payment_message(payment),
            next_action=next_action,
        )


def payment_message(payment: Payment) -> str:
    if payment.status == "succeeded":
        return "Thank you. Your payment was received."
    if payment.status == "requires_action":
        return "Your card issuer asks you to confirm this payment."
    if payment.status == "pending":
        return (
            "We are confirming this payment with the card processor. Please do not pay again; "
            "the result will appear here shortly."
        )
    return payment.failure_message or "This payment did not go through. You were not charged."


class PaymentList(Model):
    items: list[PaymentOut]


class SimulatedConfirmationIn(InputModel):
    """Demo clinics only: the patient's answer on the simulated card issuer's confirmation page."""

    approve: bool


class Receipt(Model):
    receipt_number: str
    clinic_name: str
    clinic_address: str | None
    clinic_phone: str
    patient_name: str
    payment: PaymentOut
    statement_number: str
    statement_balance_cents: int


# --- payment plans ------------------------------------------------------------------------------

PlanStatus = Literal["active", "completed", "cancelled", "past_due"]
InstallmentStatus = Literal["scheduled", "retrying", "processing", "paid", "missed", "skipped", "cancelled"]
OPEN_INSTALLMENT_STATUSES: frozenset[str] = frozenset({"scheduled", "retrying", "processing"})


class PlanIn(InputModel):
    statement_id: OpaqueId
    months: Annotated[int, Field(ge=2, le=60)]
    card_token: CardToken
    first_due_date: date | None = None  # today when left out


class Installment(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    plan_id: str
    patient_id: str
    statement_id: str
    number: int
    due_date: date
    next_attempt_on: date
    amount_cents: int
    currency: str
    status: InstallmentStatus
    attempts: int = 0
    payment_id: str | None = None
    paid_cents: int = 0
    last_failure: str | None = None


class Plan(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    statement_id: str
    currency: str
    total_cents: int
    months: int
    status: PlanStatus
    card_token: str
    card_brand: str | None = None
    card_last4: str | None = None
    created_at: datetime
    created_by_name: str
    cancelled_at: datetime | None = None


class InstallmentOut(Model):
    number: int
    due_date: date
    next_attempt_on: date
    amount_cents: int
    status: InstallmentStatus
    attempts: int
    payment_id: str | None = None
    paid_cents: int


class PlanOut(Model):
    id: str
    statement_id: str
    currency: str
    total_cents: int
    months: int
    status: PlanStatus
    card_brand: str | None = None
    card_last4: str | None = None
    created_at: datetime
    cancelled_at: datetime | None = None
    installments: list[InstallmentOut]

    @classmethod
    def from_plan(cls, plan: Plan, installments: list[Installment]) -> PlanOut:
        data = plan.model_dump(exclude={"patient_id", "card_token", "created_by_name"})
        return cls(
            **data,
            installments=[
                InstallmentOut.model_validate(i.model_dump(include=set(InstallmentOut.model_fields)))
                for i in sorted(installments, key=lambda i: i.number)
            ],
        )


class PlanList(Model):
    items: list[PlanOut]
