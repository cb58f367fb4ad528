"""Payment plans: a statement's balance split into monthly installments, charged by the scheduled job.

The patient saves a card first (`cards.py`: a SetupIntent confirmed in their browser, usage
off_session); agreeing to the plan charges the first installment at once if it is due today, and the
job charges the rest off-session against the saved card. Each attempt is a payment with an id derived
from (plan, installment, attempt), used as the processor's idempotency key for its intent and (with the
card) for its confirmation, so a job that runs twice, overlaps itself or dies halfway resumes the same
payment and never charges twice. A declined attempt is retried after the clinic's `retry_after_days`,
up to `retry_attempts`, and the patient is emailed each time (no amounts, no PHI); then the installment
is missed and the plan is past due (billing staff see the balance on the work list).
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
from datetime import date, datetime, timedelta

from chalicelib.billing import notices as billing_notices
from chalicelib.billing import payments as payment_service
from chalicelib.billing.models import (
    OPEN_INSTALLMENT_STATUSES,
    OPEN_PAYMENT_STATUSES,
    Installment,
    Payment,
    Plan,
    PlanIn,
    PlanList,
    PlanOut,
)
from chalicelib.billing.providers.provider import ProviderError, provider
from chalicelib.billing.statements import SYSTEM, clinic_today
from chalicelib.billing.store import cards as card_store
from chalicelib.billing.store import keys as billing_store
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit, config, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import isolated, logger
from chalicelib.patients import profiles as patient_profiles

# A plan's end, one sentence each, so each can be said in the patient's language (core/i18n.py).
_ENDED: dict[str, str] = {
    "completed": "this plan is already completed",
    "cancelled": "this plan is already cancelled",
}


def add_months(start: date, months: int) -> date:
    """Same day of the month, clamped to the month's end (Jan 31 -> Feb 28)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def split(total_cents: int, months: int) -> list[int]:
    """Equal installments to the cent; the leftover cents go to the first ones. Sums to total exactly."""
    base, leftover = divmod(total_cents, months)
    return [base + (1 if i < leftover else 0) for i in range(months)]


def create_plan(caller: Caller, patient_id: str, body: PlanIn, *, now: datetime | None = None) -> PlanOut:
    now = now or dynamo.utcnow()
    today = clinic_today(now)
    limits = config.clinic().billing.plans
    statement = statement_store.get(patient_id, body.statement_id)
    if statement.status != "open":
        raise errors.Conflict(
            "only open statements can go on a payment plan; this one is {status}",
            params={"status": statement.status},
        )
    if statement.plan_id:
        raise errors.Conflict("this statement already has a payment plan")
    card = card_store.get(patient_id)
    if not card.payment_method:
        raise errors.Conflict("save a card for the plan's payments first")
    if statement.pending_cents:
        raise errors.Conflict("a payment of this statement is still processing; try again shortly")
    balance = statement.balance_cents
    if balance < limits.min_balance_cents:
        raise errors.BadRequest(
            "this balance is too small for a payment plan",
            fields={"statement_id": f"plans start at a balance of {limits.min_balance_cents} cents"},
        )
    most_months = min(limits.max_months, balance // limits.min_installment_cents)
    if not limits.min_months <= body.months <= most_months:
        raise errors.BadRequest(
            "this number of months is not offered for this balance",
            fields={"months": f"between {limits.min_months} and {most_months}"},
        )
    first = body.first_due_date or today
    if not today <= first <= today + timedelta(days=limits.first_due_within_days):
        raise errors.BadRequest(
            "the first payment date is not offered",
            fields={"first_due_date": f"from today to {limits.first_due_within_days} days ahead"},
        )
    plan = Plan(
        id=dynamo.new_id("plan-"),
        patient_id=patient_id,
        statement_id=statement.id,
        currency=statement.currency,
        total_cents=balance,
        months=body.months,
        status="active",
        card_brand=card.card_brand,
        card_last4=card.card_last4,
        created_at=now,
        created_by_name=caller.display_name,
    )
    installments = [
        Installment(
            plan_id=plan.id,
            patient_id=patient_id,
            statement_id=statement.id,
            number=n,
            due_date=add_months(first, n - 1),
            next_attempt_on=add_months(first, n - 1),
            amount_cents=amount,
            currency=statement.currency,
            status="scheduled",
        )
        for n, amount in enumerate(split(balance, body.months), start=1)
    ]
    event = audit.event(caller, patient_id=patient_id, action="payment_plan.create", target=plan.id)
    try:
        payment_store.create_plan(plan, installments, expected_balance=balance, audit=event)
    except dynamo.TransactionRefused:
        raise errors.Conflict("this statement changed meanwhile; reload it and try again") from None
    logger.info("payment plan created", extra={"patient_id": patient_id, "plan_id": plan.id})
    if first <= today:  # the first installment is due now: charge it so the patient sees the outcome
        _charge_installment(installments[0], now=now)
    plan, installments = payment_store.get_plan(patient_id, plan.id)
    return PlanOut.from_plan(plan, installments)


def cancel_plan(caller: Caller, patient_id: str, plan_id: str, *, now: datetime | None = None) -> PlanOut:
    now = now or dynamo.utcnow()
    plan, installments = payment_store.get_plan(patient_id, plan_id)
    if plan.status not in ("active", "past_due"):
        raise errors.Conflict(_ENDED[plan.status])
    if any(i.status == "processing" for i in installments):
        raise errors.Conflict("a scheduled payment of this plan is processing; try again shortly")
    entries = [
        payment_store.plan_status_entry(plan, "cancelled", now=now, from_status=plan.status),
        payment_store.detach_plan_entry(plan),
        *(
            payment_store.cancel_installment_entry(i)
            for i in installments
            if i.status in ("scheduled", "retrying")
        ),
        billing_store.audit_entry(
            audit.event(caller, patient_id=patient_id, action="payment_plan.cancel", target=plan.id)
        ),
    ]
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        raise errors.Conflict("this plan changed meanwhile; reload it and try again") from None
    plan, installments = payment_store.get_plan(patient_id, plan_id)
    return PlanOut.from_plan(plan, installments)


def list_plans(caller: Caller, patient_id: str) -> PlanList:
    plans = payment_store.list_plans(patient_id)
    audit.record(caller, patient_id=patient_id, action="payment_plan.list", target="payment-plans")
    return PlanList(items=[PlanOut.from_plan(plan, installments) for plan, installments in plans])


def get_plan(caller: Caller, patient_id: str, plan_id: str) -> PlanOut:
    plan, installments = payment_store.get_plan(patient_id, plan_id)
    audit.record(caller, patient_id=patient_id, action="payment_plan.read", target=plan.id)
    return PlanOut.from_plan(plan, installments)


# --- the scheduled job ----------------------------------------------------------------------------


def charge_due_installments(*, now: datetime | None = None) -> tuple[int, int]:
    """Charge every installment whose attempt is due today or earlier. Returns (charged, failed)."""
    now = now or dynamo.utcnow()
    charged = failed = 0
    for installment in payment_store.list_due_installments(on=clinic_today(now)):
        with isolated("installments", plan_id=installment.plan_id, installment=str(installment.number)):
            outcome = _charge_installment(installment, now=now)
            charged += outcome == "paid"
            failed += outcome in ("retrying", "missed")
    if charged or failed:
        logger.info("installments charged", extra={"charged": charged, "failed": failed})
    return charged, failed


def _charge_installment(installment: Installment, *, now: datetime) -> str:
    pid = installment.patient_id
    plan, _ = payment_store.get_plan(pid, installment.plan_id)
    statement = statement_store.get(pid, installment.statement_id)
    payment_id = payment_service.payment_id_for(
        "installment", plan.id, str(installment.number), str(installment.attempts)
    )
    existing = payment_store.find(pid, payment_id)
    if existing is None:
        if plan.status not in ("active", "past_due") or statement.status != "open":
            return _close(installment, "skipped", plan=plan)
        amount = min(installment.amount_cents, statement.balance_cents)
        if amount == 0:
            if statement.pending_cents:
                return "waiting"  # another payment is processing: look again next run
            return _close(installment, "skipped", plan=plan)
    else:
        amount = existing.amount_cents
    try:
        payment_store.update_installment(
            installment,
            fields={"status": "processing", "payment_id": payment_id},
            attempts=installment.attempts,
            keep_due=True,
        )
    except dynamo.TransactionRefused:
        return "taken"  # another run moved it on
    card = card_store.get(pid)
    try:
        payment = payment_service.start(
            SYSTEM,
            patient_id=pid,
            payment_id=payment_id,
            statement_id=statement.id,
            amount_cents=amount,
            currency=statement.currency,
            plan_id=plan.id,
            installment=installment.number,
            customer=card.customer_id,
            now=now,
        )
    except errors.PortalError as exc:  # the balance moved under us, or the processor is down: next run
        logger.info("installment not charged yet", extra={"plan_id": plan.id, "code": exc.CODE})
        return "waiting"
    payment = _confirm_off_session(payment, card.payment_method)
    current = installment.model_copy(update={"status": "processing", "payment_id": payment_id})
    return _record_outcome(current, payment, plan=plan, now=now)


def _confirm_off_session(payment: Payment, payment_method: str | None) -> Payment:
    """Charge the saved card, with the patient absent. No card saved: the attempt is canceled (and so
    retried, and the patient told) rather than left waiting."""
    if payment.status != "requires_payment_method" or not payment.provider_ref:
        return payment  # already confirmed (a resumed run), or closed
    gateway = provider()
    try:
        if payment_method is None:
            intent = gateway.cancel_intent(payment.provider_ref)
        else:
            key = payment.id + ":confirm:" + hashlib.sha256(payment_method.encode()).hexdigest()[:12]
            intent = gateway.confirm_off_session(
                payment.provider_ref, idempotency_key=key, payment_method=payment_method
            )
    except ProviderError as exc:  # unknown: the reconcile job reads the intent back later
        logger.warning(
            "installment charge unanswered",
            extra={"payment_id": payment.id, "error_type": type(exc).__name__},
        )
        return payment
    return payment_service.apply_intent(payment, intent, gateway=gateway)


def _record_outcome(installment: Installment, payment: Payment, *, plan: Plan, now: datetime) -> str:
    if payment.status in OPEN_PAYMENT_STATUSES:
        return "processing"  # the reconcile job settles the payment; the next run records it here
    limits = config.clinic().billing.plans
    try:
        if payment.status == "succeeded":
            payment_store.update_installment(
                installment,
                fields={"status": "paid", "paid_cents": payment.amount_cents},
                attempts=installment.attempts,
                keep_due=False,
            )
            _complete_if_done(plan)
            return "paid"
        attempts = installment.attempts + 1
        if attempts >= limits.retry_attempts:
            payment_store.update_installment(
                installment,
                fields={"status": "missed", "attempts": attempts, "last_failure": payment.failure_code},
                attempts=installment.attempts,
                keep_due=False,
                extra=[payment_store.plan_status_entry(plan, "past_due", now=now)]
                if plan.status == "active"
                else [],
            )
            outcome = "missed"
        else:
            payment_store.update_installment(
                installment,
                fields={
                    "status": "retrying",
                    "attempts": attempts,
                    "last_failure": payment.failure_code,
                    "next_attempt_on": clinic_today(now) + timedelta(days=limits.retry_after_days),
                },
                attempts=installment.attempts,
                keep_due=True,
            )
            outcome = "retrying"
    except dynamo.TransactionRefused:
        return "taken"
    patient_profiles.notify_patient(installment.patient_id, billing_notices.installment_problem)
    return outcome


def _close(installment: Installment, status: str, *, plan: Plan) -> str:
    try:
        payment_store.update_installment(
            installment, fields={"status": status}, attempts=installment.attempts, keep_due=False
        )
    except dynamo.TransactionRefused:
        return "taken"
    _complete_if_done(plan)
    return status


def _complete_if_done(plan: Plan) -> None:
    fresh, installments = payment_store.get_plan(plan.patient_id, plan.id)
    if fresh.status == "active" and not any(i.status in OPEN_INSTALLMENT_STATUSES for i in installments):
        with contextlib.suppress(dynamo.TransactionRefused):  # another run completed it
            dynamo.transact_all(
                [
                    payment_store.plan_status_entry(fresh, "completed", now=dynamo.utcnow()),
                    payment_store.detach_plan_entry(fresh),
                ]
            )
