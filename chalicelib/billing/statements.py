"""Statements: billing staff post and void them; patients (and staff) read them, the ledger and balances."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from chalicelib.billing import notices as billing_notices
from chalicelib.billing.models import (
    BalanceSummary,
    BillingSettingsOut,
    LedgerEntry,
    LedgerEntryOut,
    LedgerPage,
    OpenBalanceItem,
    OpenBalancePage,
    PrintableStatement,
    PrintedPayment,
    SimulatedCard,
    Statement,
    StatementIn,
    StatementLine,
    StatementList,
    StatementOut,
    VoidIn,
)
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit, config, dynamo, errors, notify
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.patients import profiles as patient_profiles

SYSTEM = Caller(
    sub="system",
    username="system",
    role=Role.BILLING,
    display_name="Clinic portal (automatic)",
    request_id="scheduled",
)


def clinic_today(now: datetime | None = None) -> date:
    """Due and overdue are decided on the clinic's calendar, not UTC's."""
    return (now or dynamo.utcnow()).astimezone(ZoneInfo(config.clinic().time_zone)).date()


def settings_out() -> BillingSettingsOut:
    from chalicelib.billing.providers.simulated import TEST_CARDS

    billing = config.clinic().billing
    return BillingSettingsOut(
        currency=billing.currency,
        provider=billing.provider,
        stripe_publishable_key=billing.stripe.publishable_key if billing.stripe else None,
        test_cards=(
            [SimulatedCard(number=c.number, token=c.token, outcome=c.outcome) for c in TEST_CARDS]
            if billing.provider == "simulated"
            else []
        ),
        plans=billing.plans,
    )


# --- posting and voiding ----------------------------------------------------------------------


def post(caller: Caller, patient_id: str, body: StatementIn, *, now: datetime | None = None) -> StatementOut:
    now = now or dynamo.utcnow()
    currency = body.currency or config.clinic().billing.currency
    if currency != config.clinic().billing.currency:
        raise errors.BadRequest(
            "some fields are not valid", fields={"currency": "not this clinic's currency"}
        )
    profile = patient_profiles.profile_of(patient_id)
    responsibility = body.total_charges_cents - body.insurance_paid_cents - body.adjustments_cents
    statement_id = dynamo.new_id("st-")
    statement = Statement(
        id=statement_id,
        number=f"S-{now:%Y%m}-{statement_id[3:9].upper()}",
        patient_id=patient_id,
        patient_name=profile.display_name,
        currency=currency,
        lines=[StatementLine.model_validate(line.model_dump()) for line in body.lines],
        total_charges_cents=body.total_charges_cents,
        insurance_paid_cents=body.insurance_paid_cents,
        adjustments_cents=body.adjustments_cents,
        patient_responsibility_cents=responsibility,
        balance_cents=responsibility,
        due_date=body.due_date,
        status="open" if responsibility > 0 else "paid",  # nothing owed: never on the work list
        posted_at=now,
        posted_by_name=caller.display_name,
        visit_id=body.visit_id,
        provider_name=body.provider_name,
        paid_at=None if responsibility > 0 else now,
    )
    ledger = LedgerEntry(
        id=dynamo.new_id(),
        patient_id=patient_id,
        at=now,
        kind="statement",
        amount_cents=responsibility,
        currency=currency,
        statement_id=statement.id,
        description=f"Statement {statement.number}",
    )
    event = audit.event(caller, patient_id=patient_id, action="statement.post", target=statement.id)
    statement_store.create(statement, ledger=ledger, audit=event)
    logger.info("statement posted", extra={"patient_id": patient_id, "statement_id": statement.id})
    if statement.status == "open":
        patient_profiles.notify_patient(patient_id, billing_notices.new_statement)
    return StatementOut.from_statement(statement, today=clinic_today(now))


def void(
    caller: Caller, patient_id: str, statement_id: str, body: VoidIn, *, now: datetime | None = None
) -> StatementOut:
    now = now or dynamo.utcnow()
    statement = statement_store.get(patient_id, statement_id)
    _check_voidable(statement)
    ledger = LedgerEntry(
        id=dynamo.new_id(),
        patient_id=patient_id,
        at=now,
        kind="void",
        amount_cents=-statement.balance_cents,
        currency=statement.currency,
        statement_id=statement.id,
        description=f"Statement {statement.number} voided",
    )
    event = audit.event(caller, patient_id=patient_id, action="statement.void", target=statement.id)
    try:
        statement_store.void(
            statement, reason=body.reason, by_name=caller.display_name, at=now, ledger=ledger, audit=event
        )
    except dynamo.TransactionRefused:
        _check_voidable(statement_store.get(patient_id, statement_id))
        raise errors.Conflict("this statement changed meanwhile; reload it and try again") from None
    logger.info("statement voided", extra={"patient_id": patient_id, "statement_id": statement.id})
    return StatementOut.from_statement(statement_store.get(patient_id, statement_id), today=clinic_today(now))


def _check_voidable(statement: Statement) -> None:
    if statement.status != "open":
        raise errors.Conflict(
            "only open statements can be voided; this one is {status}", params={"status": statement.status}
        )
    if statement.paid_cents or statement.pending_cents:
        raise errors.Conflict("this statement has payments; refund them before voiding it")
    if statement.plan_id:
        raise errors.Conflict("this statement is on a payment plan; cancel the plan before voiding it")


# --- reading ------------------------------------------------------------------------------------


def summarize(statements: list[Statement], *, today: date) -> BalanceSummary:
    open_ones = [s for s in statements if s.status == "open"]
    return BalanceSummary(
        currency=config.clinic().billing.currency,
        balance_cents=sum(s.balance_cents for s in open_ones),
        pending_cents=sum(s.pending_cents for s in open_ones),
        overdue_cents=sum(s.balance_cents for s in open_ones if s.due_date < today),
        open_statements=len(open_ones),
    )


def balance_of(patient_id: str, *, now: datetime | None = None) -> BalanceSummary:
    """What the patient owes now and how much of it is overdue (for another feature's audited read)."""
    return summarize(statement_store.list_for_patient(patient_id), today=clinic_today(now))


def list_statements(
    caller: Caller, patient_id: str, *, status: str = "all", now: datetime | None = None
) -> StatementList:
    today = clinic_today(now)
    statements = statement_store.list_for_patient(patient_id)
    audit.record(caller, patient_id=patient_id, action="statement.list", target="statements")
    shown = [s for s in statements if status == "all" or s.status == status]
    # Overdue first, then due soonest, then the settled ones newest first.
    order = {"overdue": 0, "due": 1, "paid": 2, "void": 3}
    shown.sort(key=lambda s: (order[s.state(today)], s.due_date if s.status == "open" else date.max))
    return StatementList(
        summary=summarize(statements, today=today),
        items=[StatementOut.from_statement(s, today=today) for s in shown],
    )


def get_statement(
    caller: Caller, patient_id: str, statement_id: str, *, now: datetime | None = None
) -> StatementOut:
    statement = statement_store.get(patient_id, statement_id)
    audit.record(caller, patient_id=patient_id, action="statement.read", target=statement.id)
    return StatementOut.from_statement(statement, today=clinic_today(now))


def printable(
    caller: Caller, patient_id: str, statement_id: str, *, now: datetime | None = None
) -> PrintableStatement:
    statement = statement_store.get(patient_id, statement_id)
    profile = patient_profiles.profile_of(patient_id)
    payments = [
        p
        for p in payment_store.list_for_patient(patient_id)
        if p.statement_id == statement.id and p.status == "succeeded"
    ]
    audit.record(caller, patient_id=patient_id, action="statement.print", target=statement.id)
    clinic = config.clinic()
    return PrintableStatement(
        clinic_name=clinic.name,
        clinic_address=clinic.address,
        clinic_phone=clinic.phone_display,
        billing_phone=clinic.billing.billing_phone,
        portal_url=notify.portal_url(),
        patient_name=profile.display_name,
        statement=StatementOut.from_statement(statement, today=clinic_today(now)),
        payments=[
            PrintedPayment(
                id=p.id,
                at=p.succeeded_at or p.updated_at,
                amount_cents=p.amount_cents,
                card_brand=p.card_brand,
                card_last4=p.card_last4,
                receipt_number=p.receipt_number,
            )
            for p in payments
        ],
    )


def ledger(
    caller: Caller, patient_id: str, *, limit: int, cursor: str | None, now: datetime | None = None
) -> LedgerPage:
    entries, next_cursor = statement_store.list_ledger(patient_id, limit=limit, cursor=cursor)
    summary = summarize(statement_store.list_for_patient(patient_id), today=clinic_today(now))
    audit.record(caller, patient_id=patient_id, action="ledger.read", target="ledger")
    return LedgerPage(
        summary=summary,
        items=[LedgerEntryOut.model_validate(e.model_dump(exclude={"patient_id"})) for e in entries],
        next_cursor=next_cursor,
    )


def work_list(
    caller: Caller, *, overdue_only: bool, limit: int, cursor: str | None, now: datetime | None = None
) -> OpenBalancePage:
    """Open balances, oldest due date first: one GSI1 Query. Each patient on the page gets an audit event."""
    today = clinic_today(now)
    statements, next_cursor = statement_store.list_open(
        overdue_before=today if overdue_only else None, limit=limit, cursor=cursor
    )
    audit.record_many(
        caller,
        patient_ids=(s.patient_id for s in statements),
        action="billing.worklist",
        target="work-list",
    )
    return OpenBalancePage(
        items=[
            OpenBalanceItem(
                statement_id=s.id,
                number=s.number,
                patient_id=s.patient_id,
                patient_name=s.patient_name,
                due_date=s.due_date,
                state=s.state(today),
                currency=s.currency,
                balance_cents=s.balance_cents,
                pending_cents=s.pending_cents,
                patient_responsibility_cents=s.patient_responsibility_cents,
                on_payment_plan=s.plan_id is not None,
            )
            for s in statements
        ],
        next_cursor=next_cursor,
    )
