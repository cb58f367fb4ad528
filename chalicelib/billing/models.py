"""Bills: the clinic's billing settings, statements, the ledger and the open-balance work list.

Money is integer cents (StrictInt: a float or a numeric string is refused, never rounded) in the
statement's currency. A statement's patient responsibility is computed here, never trusted from input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final, Literal

from pydantic import ConfigDict, Field, StrictInt, StringConstraints, model_validator

from chalicelib.core.clinic_settings import Currency, PlanLimits
from chalicelib.core.models import (
    BirthDate,
    ClinicalDate,
    EntrySource,
    InputModel,
    Model,
    MultiLine,
    OpaqueId,
    PersonName,
    ScheduleDate,
    SingleLine,
)

MAX_CENTS = 10_000_000_00  # ten million: far above any visit, small enough to stay exact everywhere
Cents = Annotated[StrictInt, Field(ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[StrictInt, Field(ge=1, le=MAX_CENTS)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]

StatementStatus = Literal["open", "paid", "void"]
# What a patient reads: open statements are "due" or, once the due date has passed, "overdue".
StatementState = Literal["due", "overdue", "paid", "void"]


class SimulatedCard(Model):
    number: str
    token: str
    outcome: str


class BillingSettingsOut(Model):
    """What the browser needs to take a card: which provider, its public key, plan limits."""

    currency: str
    provider: Literal["simulated", "stripe"]
    stripe_publishable_key: str | None = None
    test_cards: list[SimulatedCard] = []
    plans: PlanLimits


# --- statements -----------------------------------------------------------------------------------


class StatementLineIn(InputModel):
    description: Text
    code: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,7}(-[A-Z0-9]{2})?$")]  # CPT/HCPCS, optional modifier
    service_date: ClinicalDate
    charge_cents: Cents


class StatementIn(InputModel):
    """A statement for one visit, posted by billing staff."""

    lines: Annotated[list[StatementLineIn], Field(min_length=1, max_length=50)]
    insurance_paid_cents: Cents = 0
    adjustments_cents: Cents = 0
    due_date: ScheduleDate
    currency: Currency | None = None  # the clinic's currency when left out
    visit_id: OpaqueId | None = None
    provider_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), SingleLine] | None
    ) = None

    @property
    def total_charges_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)

    @model_validator(mode="after")
    def _responsibility_not_negative(self) -> StatementIn:
        if self.insurance_paid_cents + self.adjustments_cents > self.total_charges_cents:
            raise ValueError("insurance paid plus adjustments exceed the charges")
        return self


class VoidIn(InputModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300), MultiLine]


class StatementLine(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    description: str
    code: str
    service_date: date
    charge_cents: int


class Statement(Model):
    """The stored statement. balance + pending + paid = patient responsibility while it is not void."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    number: str
    patient_id: str
    patient_name: str = ""  # the staff work list shows who owes; written when posted
    currency: str
    lines: list[StatementLine]
    total_charges_cents: int
    insurance_paid_cents: int
    adjustments_cents: int
    patient_responsibility_cents: int
    balance_cents: int  # still owed and not being paid right now
    pending_cents: int = 0  # reserved by payments whose outcome is not known yet
    paid_cents: int = 0
    due_date: date
    status: StatementStatus
    posted_at: datetime
    posted_by_name: str
    visit_id: str | None = None
    provider_name: str | None = None
    paid_at: datetime | None = None
    void_reason: str | None = None
    voided_at: datetime | None = None
    voided_by_name: str | None = None
    plan_id: str | None = None  # an active payment plan pays this statement
    version: int = 1

    def state(self, today: date) -> StatementState:
        if self.status == "open":
            return "overdue" if self.due_date < today else "due"
        return self.status


class StatementOut(Model):
    id: str
    number: str
    patient_id: str
    currency: str
    lines: list[StatementLine]
    total_charges_cents: int
    insurance_paid_cents: int
    adjustments_cents: int
    patient_responsibility_cents: int
    balance_cents: int
    pending_cents: int
    paid_cents: int
    due_date: date
    status: StatementStatus
    state: StatementState
    posted_at: datetime
    posted_by_name: str
    visit_id: str | None = None
    provider_name: str | None = None
    paid_at: datetime | None = None
    void_reason: str | None = None
    voided_at: datetime | None = None
    voided_by_name: str | None = None
    plan_id: str | None = None

    @classmethod
    def from_statement(cls, statement: Statement, *, today: date) -> StatementOut:
        data = statement.model_dump(exclude={"patient_name", "version"})
        return cls.model_validate({**data, "state": statement.state(today)})


class BalanceSummary(Model):
    currency: str
    balance_cents: int  # owed now (not counting payments still processing)
    pending_cents: int
    overdue_cents: int
    open_statements: int


class StatementList(Model):
    summary: BalanceSummary
    items: list[StatementOut]


class StatementListQuery(InputModel):
    status: Literal["open", "paid", "void", "all"] = "all"


class PrintedPayment(Model):
    id: str
    at: datetime
    amount_cents: int
    card_brand: str | None = None
    card_last4: str | None = None
    receipt_number: str | None = None


class PrintableStatement(Model):
    """Everything a printed statement shows: the clinic, the patient, the lines and what was paid."""

    clinic_name: str
    clinic_address: str | None
    clinic_phone: str
    billing_phone: str | None
    portal_url: str
    patient_name: str
    statement: StatementOut
    payments: list[PrintedPayment]


# --- ledger -------------------------------------------------------------------------------------

LedgerKind = Literal["statement", "payment", "void", "refund"]


class LedgerEntry(Model):
    """One movement of money on a patient's account: charges are positive, payments negative."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    at: datetime
    kind: LedgerKind
    amount_cents: int
    currency: str
    statement_id: str
    payment_id: str | None = None
    description: str


class LedgerEntryOut(Model):
    id: str
    at: datetime
    kind: LedgerKind
    amount_cents: int
    currency: str
    statement_id: str
    payment_id: str | None = None
    description: str


class LedgerPage(Model):
    summary: BalanceSummary
    items: list[LedgerEntryOut]
    next_cursor: str | None = None


class PageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048)] | None = None


# --- the billing work list -------------------------------------------------------------------------


class WorkListQuery(InputModel):
    overdue_only: bool = False
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class OpenBalanceItem(Model):
    statement_id: str
    number: str
    patient_id: str
    patient_name: str
    due_date: date
    state: StatementState
    currency: str
    balance_cents: int
    pending_cents: int
    patient_responsibility_cents: int
    on_payment_plan: bool


class OpenBalancePage(Model):
    items: list[OpenBalanceItem]
    next_cursor: str | None = None


class JobsRun(Model):
    installments_charged: int
    installments_failed: int
    payments_reconciled: int
    events_delivered: int = 0


# Payments and payment plans.
# A payment follows its provider intent: created ("requires_payment_method": the browser confirms it with
# the card), "requires_action" (3-D Secure), "pending" (outcome not known yet), then final.
PaymentStatus = Literal[
    "requires_payment_method", "requires_action", "pending", "succeeded", "declined", "failed", "canceled"
]
OPEN_PAYMENT_STATUSES: frozenset[str] = frozenset({"requires_payment_method", "requires_action", "pending"})
CardToken = Annotated[str, Field(pattern=r"^sim_tok_[a-z0-9_]{2,40}$")]
# The one definition of the payment header: the API document's schema and the service's check read it.
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
IDEMPOTENCY_KEY_RULE: Final = "8 to 128 letters, digits or - _ . :"
IdempotencyKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{8,128}$")]
ClientSecret = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{10,200}$")]


class PaymentIn(InputModel):
    """Start paying a statement. The amount is checked against the balance on the server (the full
    balance when left out); the card is given to the processor in the browser afterwards."""

    statement_id: OpaqueId
    amount_cents: PositiveCents | None = None
    currency: Currency


class PaymentHeaders(InputModel):
    """The headers a payment needs, for the API document; payments.py reads and checks them."""

    idempotency_key: IdempotencyKey = Field(
        alias=IDEMPOTENCY_HEADER,
        description=f"A new random value per payment; a retry sends the same one ({IDEMPOTENCY_KEY_RULE})",
    )


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
    card_token: str | None = None  # payments made before intents: the provider's token, never a number
    provider_ref: str | None = None  # the provider's PaymentIntent id, stored before any card is charged
    card_brand: str | None = None
    card_last4: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    client_secret: str | None = None  # while open: the browser confirms the intent with it
    receipt_number: str | None = None
    succeeded_at: datetime | None = None
    plan_id: str | None = None
    installment: int | None = None
    refunded_cents: int = 0
    dispute_id: str | None = None
    dispute_status: str | None = None
    dispute_reason: str | None = None
    dispute_amount_cents: int | None = None
    disputed_at: datetime | None = None


class NextAction(Model):
    """What the browser does next: give the card to the processor, or pass the issuer's check."""

    type: Literal["confirm_card", "authenticate"]
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
    refunded_cents: int = 0
    dispute_status: str | None = None

    @classmethod
    def from_payment(cls, payment: Payment, *, with_secret: bool = False) -> PaymentOut:
        """`with_secret`: the patient's own payment flow only; lists and staff never see the secret."""
        next_action = None
        if (
            with_secret
            and payment.client_secret
            and payment.status in ("requires_payment_method", "requires_action")
        ):
            kind: Literal["confirm_card", "authenticate"] = (
                "confirm_card" if payment.status == "requires_payment_method" else "authenticate"
            )
            next_action = NextAction(type=kind, client_secret=payment.client_secret)
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
                    "refunded_cents",
                    "dispute_status",
                }
            ),
            message=payment_message(payment),
            next_action=next_action,
        )


def payment_message(payment: Payment) -> str:
    if payment.status == "succeeded":
        return "Thank you. Your payment was received."
    if payment.status == "requires_payment_method":
        return "Enter your card to pay."
    if payment.status == "requires_action":
        return "Your card issuer asks you to confirm this payment."
    if payment.status == "pending":
        return (
            "We are confirming this payment with the card processor. Please do not pay again; "
            "the result will appear here shortly."
        )
    if payment.status == "canceled":
        return payment.failure_message or "This payment was not completed. You were not charged."
    return payment.failure_message or "This payment did not go through. You were not charged."


class WebhookOut(Model):
    received: Literal["handled", "duplicate", "ignored"]


class PaymentList(Model):
    items: list[PaymentOut]


class SimulatedConfirmationIn(InputModel):
    """Demo clinics only: what Stripe.js would send the processor (a test card's token), or the
    patient's answer on the simulated card issuer's confirmation page."""

    client_secret: ClientSecret
    card_token: CardToken | None = None
    approve: bool | None = None

    @model_validator(mode="after")
    def _one_step(self) -> SimulatedConfirmationIn:
        if (self.card_token is None) == (self.approve is None):
            raise ValueError("send either card_token (confirm) or approve (the issuer's check)")
        return self


class Receipt(Model):
    receipt_number: str
    clinic_name: str
    clinic_address: str | None
    clinic_phone: str
    patient_name: str
    payment: PaymentOut
    statement_number: str
    statement_balance_cents: int
    refunds: list[RefundOut] = []


# --- refunds and disputes -------------------------------------------------------------------------

RefundKind = Literal["requested_by_patient", "duplicate", "billing_error", "other"]


class RefundIn(InputModel):
    """Billing staff give (part of) a payment back. The note stays in the portal, never at the processor."""

    amount_cents: PositiveCents
    reason: RefundKind
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300), MultiLine]


class RefundRecord(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str  # the provider's refund id
    patient_id: str
    payment_id: str
    statement_id: str
    amount_cents: int
    currency: str
    reason: RefundKind | Literal["at_processor"]
    note: str | None = None
    created_at: datetime
    created_by_name: str


class RefundOut(Model):
    id: str
    payment_id: str
    amount_cents: int
    currency: str
    reason: str
    note: str | None = None
    created_at: datetime
    created_by_name: str


class DisputeItem(Model):
    payment_id: str
    patient_id: str
    statement_id: str
    amount_cents: int
    currency: str
    reason: str
    status: str
    disputed_at: datetime


class DisputePage(Model):
    items: list[DisputeItem]
    next_cursor: str | None = None


# --- the saved card (payment plans) -------------------------------------------------------------


class BillingProfile(Model):
    """The patient's processor customer and saved card: ids and card words only, never a number."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    patient_id: str
    customer_id: str | None = None
    payment_method: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    saved_at: datetime | None = None


class SavedCardOut(Model):
    card_brand: str | None = None
    card_last4: str | None = None
    saved_at: datetime | None = None


class SavedCardState(Model):
    card: SavedCardOut | None = None


class CardSetupOut(Model):
    """A SetupIntent for the browser to save a card with (Stripe's Payment Element in setup mode)."""

    setup_id: str
    client_secret: str


class CardSetupIn(InputModel):
    setup_id: Annotated[str, Field(pattern=r"^(seti|sim_seti)_[A-Za-z0-9_]{4,100}$")]


class SimulatedSetupIn(InputModel):
    """Demo clinics only: what Stripe.js `confirmSetup` would send the processor."""

    client_secret: ClientSecret
    card_token: CardToken


# --- payment plans ------------------------------------------------------------------------------

PlanStatus = Literal["active", "completed", "cancelled", "past_due"]
InstallmentStatus = Literal["scheduled", "retrying", "processing", "paid", "missed", "skipped", "cancelled"]
OPEN_INSTALLMENT_STATUSES: frozenset[str] = frozenset({"scheduled", "retrying", "processing"})


class PlanIn(InputModel):
    """Agree to a plan: installments are charged off-session to the card saved beforehand."""

    statement_id: OpaqueId
    months: Annotated[int, Field(ge=2, le=60)]
    first_due_date: ScheduleDate | None = None  # today when left out


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
    card_token: str | None = None  # plans made before saved cards
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


# Insurance on file: payer, plan, member and group numbers, subscriber, card images.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine]
MemberNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]{0,29}$")
]
Priority = Literal["primary", "secondary", "tertiary"]
Relationship = Literal["self", "spouse", "parent", "child", "other"]
Verification = Literal["unverified", "verified", "rejected"]


class Subscriber(InputModel):
    name: PersonName
    relationship: Relationship = "self"
    birth_date: BirthDate | None = None


class InsuranceIn(InputModel):
    payer_name: Name
    plan_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), SingleLine] | None = (
        None
    )
    member_id: MemberNumber
    group_number: MemberNumber | None = None
    priority: Priority = "primary"
    subscriber: Subscriber
    card_front_document_id: OpaqueId | None = None
    card_back_document_id: OpaqueId | None = None


class InsuranceUpdate(InsuranceIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class VerifyIn(InputModel):
    result: Literal["verified", "rejected"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), MultiLine] | None = None
    version: Annotated[int, Field(ge=1)]


class Insurance(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    payer_name: str
    plan_name: str | None = None
    member_id: str
    group_number: str | None = None
    priority: Priority
    subscriber: Subscriber
    card_front_document_id: str | None = None
    card_back_document_id: str | None = None
    status: Literal["active", "removed"] = "active"
    verification: Verification = "unverified"
    verified_by_name: str | None = None
    verified_at: datetime | None = None
    verification_note: str | None = None
    created_at: datetime
    updated_at: datetime
    source: EntrySource | None = None  # accepted from a visit's eCheck-in
    updated_by_name: str
    version: int = 1


class InsuranceOut(Model):
    id: str
    payer_name: str
    plan_name: str | None = None
    member_id: str
    group_number: str | None = None
    priority: Priority
    subscriber: Subscriber
    card_front_document_id: str | None = None
    card_back_document_id: str | None = None
    status: Literal["active", "removed"]
    verification: Verification
    verified_by_name: str | None = None
    verified_at: datetime | None = None
    verification_note: str | None = None
    updated_at: datetime
    source: EntrySource | None = None  # accepted from a visit's eCheck-in
    updated_by_name: str
    version: int

    @classmethod
    def from_insurance(cls, insurance: Insurance) -> InsuranceOut:
        return cls.model_validate(insurance.model_dump(exclude={"patient_id", "created_at"}))


class InsuranceList(Model):
    items: list[InsuranceOut]
