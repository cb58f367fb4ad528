"""Bills (issue 4): the clinic's billing settings, statements, the ledger and the open-balance work list.

Money is integer cents (StrictInt: a float or a numeric string is refused, never rounded) in the
statement's currency. A statement's patient responsibility is computed here, never trusted from input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictInt, StringConstraints, model_validator

from chalicelib.core.models import InputModel, Model, OpaqueId

MAX_CENTS = 10_000_000_00  # ten million: far above any visit, small enough to stay exact everywhere
Cents = Annotated[StrictInt, Field(ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[StrictInt, Field(ge=1, le=MAX_CENTS)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

StatementStatus = Literal["open", "paid", "void"]
# What a patient reads: open statements are "due" or, once the due date has passed, "overdue".
StatementState = Literal["due", "overdue", "paid", "void"]


# --- clinic settings (clinics/<id>.json "billing") ----------------------------------------------


class PlanLimits(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_months: Annotated[int, Field(ge=2, le=60)] = 2
    max_months: Annotated[int, Field(ge=2, le=60)] = 12
    min_balance_cents: Annotated[int, Field(ge=0)] = 5_000
    min_installment_cents: Annotated[int, Field(ge=100)] = 2_500
    first_due_within_days: Annotated[int, Field(ge=0, le=60)] = 30
    retry_attempts: Annotated[int, Field(ge=1, le=5)] = 3  # charges of one installment before it is missed
    retry_after_days: Annotated[int, Field(ge=1, le=14)] = 3

    @model_validator(mode="after")
    def _ordered(self) -> PlanLimits:
        if self.min_months > self.max_months:
            raise ValueError("plans.min_months must not exceed plans.max_months")
        return self


class StripeSettings(Model):
    """The clinic's own Stripe account. The secret key stays in Secrets Manager; only its ARN is here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publishable_key: Annotated[str, Field(pattern=r"^pk_(test|live)_[A-Za-z0-9]+$")]
    secret_key_arn: Annotated[str, Field(pattern=r"^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$")]


class BillingSettings(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: Currency = "USD"
    # "simulated" charges nothing and is refused when STAGE=prod; "stripe" needs the stripe block.
    provider: Literal["simulated", "stripe"] = "simulated"
    stripe: StripeSettings | None = None
    plans: PlanLimits = Field(default_factory=PlanLimits)
    billing_phone: Annotated[str, Field(pattern=r"^\+[1-9]\d{6,14}$")] | None = None

    @model_validator(mode="after")
    def _stripe_configured(self) -> BillingSettings:
        if self.provider == "stripe" and self.stripe is None:
            raise ValueError("billing.provider 'stripe' needs billing.stripe")
        return self


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
    service_date: date
    charge_cents: Cents


class StatementIn(InputModel):
    """A statement for one visit, posted by billing staff."""

    lines: Annotated[list[StatementLineIn], Field(min_length=1, max_length=50)]
    insurance_paid_cents: Cents = 0
    adjustments_cents: Cents = 0
    due_date: date
    currency: Currency | None = None  # the clinic's currency when left out
    visit_id: OpaqueId | None = None
    provider_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None

    @property
    def total_charges_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)

    @model_validator(mode="after")
    def _responsibility_not_negative(self) -> StatementIn:
        if self.insurance_paid_cents + self.adjustments_cents > self.total_charges_cents:
            raise ValueError("insurance paid plus adjustments exceed the charges")
        return self


class VoidIn(InputModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


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

LedgerKind = Literal["statement", "payment", "void"]


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
