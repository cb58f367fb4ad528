"""Paying statements by card: reserve the amount, ask the provider, then settle or release.

Never charging twice rests on three locks, from the outside in:
1. Powertools Idempotency on (caller, patient, Idempotency-Key): a retried request gets the first answer,
   a duplicate that arrives mid-flight waits for it, a reused key with another body is refused.
2. The payment id is derived from the same triple, so even a retry after a crash (idempotency record
   gone) finds the payment it started and resumes it instead of starting another.
3. The provider is asked with our payment id as its idempotency key, so it never charges one payment
   twice however often we ask (retries, resumes, the reconcile job).
The reservation transaction (balance >= amount, status open) makes paying more than the balance
impossible under any concurrency. After the reservation nothing raises: every outcome is recorded,
and one we cannot learn (timeout, crash) stays "pending" for the reconcile job.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from chalicelib.billing import notices as billing_notices
from chalicelib.billing.models import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_KEY_RULE,
    OPEN_PAYMENT_STATUSES,
    LedgerEntry,
    Payment,
    PaymentHeaders,
    PaymentIn,
    PaymentList,
    PaymentOut,
    Receipt,
    Statement,
)
from chalicelib.billing.providers.provider import ChargeResult, PaymentProvider, provider
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit, dynamo, errors, idempotency
from chalicelib.core.access import Caller
from chalicelib.core.observability import isolated, logger
from chalicelib.patients import profiles as patient_profiles

RECONCILE_AFTER = timedelta(minutes=15)  # longer than any invocation: the first attempt is surely over
CONFIRM_WITHIN = timedelta(hours=24)  # an unconfirmed 3-D Secure payment is released after this
NOT_REACHED = "The payment did not reach the card processor. You were not charged; please try again."


class AmountExceedsBalance(errors.PortalError):
    STATUS_CODE = 409
    CODE = "amount_exceeds_balance"


class PaymentDeclined(errors.PortalError):
    """A declined card: nothing changed on the balance. The body names the recorded attempt."""

    STATUS_CODE = 402
    CODE = "card_declined"

    def __init__(self, message: str, *, payment_id: str, decline_code: str | None) -> None:
        super().__init__(message)
        self.payment_id = payment_id
        self.decline_code = decline_code

    def to_body(self, request_id: str | None = None) -> dict[str, object]:
        body = super().to_body(request_id)
        error = body["error"]
        assert isinstance(error, dict)
        error.update(payment_id=self.payment_id, decline_code=self.decline_code)
        return body


def check_idempotency_key(value: str | None) -> str:
    """The header as the API document describes it (PaymentHeaders), or a 400 naming it."""
    if not value:
        raise errors.BadRequest(
            "every payment needs an Idempotency-Key header (a new random value per payment attempt)",
            fields={IDEMPOTENCY_HEADER: "required"},
        )
    try:
        return PaymentHeaders.model_validate({IDEMPOTENCY_HEADER: value}).idempotency_key
    except ValidationError:
        raise errors.BadRequest(
            "the Idempotency-Key header is not valid", fields={IDEMPOTENCY_HEADER: IDEMPOTENCY_KEY_RULE}
        ) from None


def payment_id_for(*parts: str) -> str:
    return "pay-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


# --- the patient pays ---------------------------------------------------------------------------


def pay(caller: Caller, patient_id: str, body: PaymentIn, *, idempotency_key: str | None) -> PaymentOut:
    """Pay (part of) one statement by card, once per Idempotency-Key."""
    key = check_idempotency_key(idempotency_key)
    answer = idempotency.run_once(
        _pay_once,
        who=caller.sub,
        patient_id=patient_id,
        key=key,
        body=body.model_dump(mode="json"),
        key_prefix="payments.pay",
        caller=caller,
    )
    out = PaymentOut.model_validate(answer)
    if out.status in ("declined", "failed"):
        raise PaymentDeclined(out.message, payment_id=out.id, decline_code=out.failure_code)
    return out


def _pay_once(caller: Caller, *, command: dict[str, Any]) -> dict[str, Any]:
    body = PaymentIn.model_validate(command["body"])
    patient_id = str(command["patient_id"])
    payment = charge(
        caller,
        patient_id=patient_id,
        payment_id=payment_id_for(caller.sub, patient_id, str(command["key"])),
        statement_id=body.statement_id,
        amount_cents=body.amount_cents,
        currency=body.currency,
        card_token=body.card_token,
    )
    return PaymentOut.from_payment(payment).model_dump(mode="json")


def charge(
    caller: Caller,
    *,
    patient_id: str,
    payment_id: str,
    statement_id: str,
    amount_cents: int,
    currency: str,
    card_token: str,
    plan_id: str | None = None,
    installment: int | None = None,
    now: datetime | None = None,
) -> Payment:
    """Reserve, charge, record. Calling it again with the same payment id resumes, never repeats."""
    now = now or dynamo.utcnow()
    gateway = provider()
    existing = payment_store.find(patient_id, payment_id)
    if existing is not None:
        return _resume(existing, gateway, statement_id, amount_cents, currency, card_token)
    statement = statement_store.get(patient_id, statement_id)
    check_payable(statement, amount_cents, currency)
    payment = Payment(
        id=payment_id,
        patient_id=patient_id,
        statement_id=statement_id,
        amount_cents=amount_cents,
        currency=currency,
        status="pending",
        created_at=now,
        updated_at=now,
        created_by_sub=caller.sub,
        created_by_name=caller.display_name,
        provider=gateway.name,
        card_token=card_token,
        plan_id=plan_id,
        installment=installment,
    )
    event = audit.event(caller, patient_id=patient_id, action="payment.create", target=payment.id)
    try:
        payment_store.reserve(payment, audit=event, now=now)
    except dynamo.TransactionRefused as refused:
        if payment_store.RESERVE_PAYMENT in refused.failed:  # the same payment, started concurrently
            return _resume(
                payment_store.get(patient_id, payment_id),
                gateway,
                statement_id,
                amount_cents,
                currency,
                card_token,
            )
        check_payable(statement_store.get(patient_id, statement_id), amount_cents, currency)
        raise errors.Conflict("the balance changed while you were paying; reload it and try again") from None
    logger.info("payment reserved", extra={"patient_id": patient_id, "payment_id": payment.id})
    return _ask_provider(payment, gateway, caller=caller)


def check_payable(statement: Statement, amount_cents: int, currency: str) -> None:
    if statement.status == "void":
        raise errors.Conflict("this statement was voided; there is nothing to pay")
    if statement.status == "paid":
        raise errors.Conflict("this statement is already paid")
    if currency != statement.currency:
        raise errors.BadRequest(
            "some fields are not valid", fields={"currency": "not the statement's currency"}
        )
    if amount_cents > statement.balance_cents:
        raise AmountExceedsBalance(
            "the amount is more than the balance due",
            fields={"amount_cents": f"at most {statement.balance_cents} (the balance due)"},
        )


def _resume(
    payment: Payment,
    gateway: PaymentProvider,
    statement_id: str,
    amount_cents: int,
    currency: str,
    token: str,
) -> Payment:
    if (payment.statement_id, payment.amount_cents, payment.currency, payment.card_token) != (
        statement_id,
        amount_cents,
        currency,
        token,
    ):
        raise idempotency.IdempotencyKeyReused(
            "this Idempotency-Key was already used for a different request; use a new key"
        )
    if payment.status not in OPEN_PAYMENT_STATUSES:
        return payment
    if payment.status == "requires_action":
        return _ask_provider(payment, gateway, lookup=True)
    return _ask_provider(payment, gateway)


def _ask_provider(
    payment: Payment, gateway: PaymentProvider, *, caller: Caller | None = None, lookup: bool = False
) -> Payment:
    """Ask for the outcome (charging with our id as the provider's idempotency key) and record it.

    Any failure here leaves the payment pending: the reservation holds, the reconcile job finishes it.
    """
    from chalicelib.core import config

    try:
        if lookup:
            result = gateway.lookup(idempotency_key=payment.id)
            if result is None:
                return payment
        else:
            result = gateway.charge(
                idempotency_key=payment.id,
                amount_cents=payment.amount_cents,
                currency=payment.currency,
                card_token=payment.card_token,
                description=config.clinic().name,  # no PHI at the processor
            )
    except Exception as exc:  # outcome unknown: the only safe answer is "pending", never a retry
        logger.warning(
            "payment outcome unknown; left pending",
            extra={"payment_id": payment.id, "error_type": type(exc).__name__},
        )
        return payment
    return apply_result(payment, result, caller=caller)


def apply_result(payment: Payment, result: ChargeResult, *, caller: Caller | None = None) -> Payment:
    """Record the provider's outcome once. A payment someone else already closed is left as it is."""
    from chalicelib.billing.statements import SYSTEM

    actor = caller or SYSTEM
    now = dynamo.utcnow()
    pid = payment.patient_id
    try:
        if result.status == "succeeded":
            _succeed(payment, result, actor=actor, now=now)
        elif result.status == "requires_action":
            if payment.status == "pending":
                payment_store.await_action(payment, result, now=now)
        else:
            status = "declined" if result.status == "declined" else "failed"
            event = audit.event(actor, patient_id=pid, action=f"payment.{status}", target=payment.id)
            payment_store.release(payment, result, status=status, audit=event, now=now)
            logger.info("payment not taken", extra={"payment_id": payment.id, "code": result.failure_code})
    except dynamo.TransactionRefused:
        logger.info("payment already closed", extra={"payment_id": payment.id})
    except Exception as exc:  # recording failed after the provider answered: reconcile will redo it
        logger.warning(
            "payment outcome not recorded; left pending",
            extra={"payment_id": payment.id, "error_type": type(exc).__name__},
        )
        return payment
    return payment_store.get(pid, payment.id)


def _succeed(payment: Payment, result: ChargeResult, *, actor: Caller, now: datetime) -> None:
    pid = payment.patient_id
    ledger = LedgerEntry(
        id=dynamo.new_id(),
        patient_id=pid,
        at=now,
        kind="payment",
        amount_cents=-payment.amount_cents,
        currency=payment.currency,
        statement_id=payment.statement_id,
        payment_id=payment.id,
        description=_card_words(result.card_brand, result.card_last4),
    )
    event = audit.event(actor, patient_id=pid, action="payment.succeed", target=payment.id)
    receipt_number = f"R-{now:%Y%m%d}-{payment.id[-8:].upper()}"
    payment_store.succeed(payment, result, receipt_number=receipt_number, ledger=ledger, audit=event, now=now)
    logger.info("payment succeeded", extra={"payment_id": payment.id})
    # Whoever finishes last sees nothing owed and nothing pending (a read after one's own commit), so a
    # statement paid off by racing payments is always closed; a partial payment costs one GetItem here.
    after = statement_store.get(pid, payment.statement_id)
    if after.status == "open" and after.balance_cents == 0 and after.pending_cents == 0:
        paid_event = audit.event(actor, patient_id=pid, action="statement.paid", target=payment.statement_id)
        statement_store.settle_if_paid(pid, payment.statement_id, at=now, audit=paid_event)
    patient_profiles.notify_patient(pid, billing_notices.receipt())


def _card_words(brand: str | None, last4: str | None) -> str:
    if brand and last4:
        return f"Card payment ({brand.title()} ending {last4})"
    return "Card payment"


# --- after the fact: refresh, reconcile --------------------------------------------------------


def refresh(caller: Caller, patient_id: str, payment_id: str) -> PaymentOut:
    """The browser finished a confirmation (or waited on a pending payment): ask the provider now."""
    payment = payment_store.get(patient_id, payment_id)
    audit.record(caller, patient_id=patient_id, action="payment.read", target=payment.id)
    if payment.status in OPEN_PAYMENT_STATUSES:
        payment = _ask_provider(payment, provider(), caller=caller, lookup=True)
    return PaymentOut.from_payment(payment)


def confirm_simulated(caller: Caller, patient_id: str, payment_id: str, *, approve: bool) -> PaymentOut:
    """Demo clinics: stand in for the card issuer's 3-D Secure page, then record the outcome.

    A real provider shows its own confirmation page in the browser; with the simulated provider the
    portal plays that page. Any other provider answers "not found", as if the route did not exist.
    """
    from chalicelib.billing.providers.simulated import SimulatedProvider

    gateway = provider()
    if not isinstance(gateway, SimulatedProvider):
        raise errors.NotFound("not found")
    payment = payment_store.get(patient_id, payment_id)
    if payment.status != "requires_action" or not payment.client_secret:
        raise errors.Conflict(f"this payment is not waiting for a confirmation; it is {payment.status}")
    audit.record(caller, patient_id=patient_id, action="payment.confirm", target=payment.id)
    # KeyError: the provider already closed it (confirmed in another tab, or released); record that below.
    with contextlib.suppress(KeyError):
        gateway.complete_action(client_secret=payment.client_secret, approve=approve)
    return PaymentOut.from_payment(_ask_provider(payment, gateway, caller=caller, lookup=True))


def reconcile(*, now: datetime | None = None) -> int:
    """The scheduled job: settle payments whose outcome we never learned. Safe to run concurrently."""
    now = now or dynamo.utcnow()
    gateway = provider()
    settled = 0
    for payment in payment_store.list_open(created_before=now - RECONCILE_AFTER):
        try:
            result = gateway.lookup(idempotency_key=payment.id)
            if result is not None and result.status == "requires_action":
                if now - payment.created_at <= CONFIRM_WITHIN:
                    continue  # the patient may still confirm
                # Cancel at the provider first, so a late confirmation can never charge a released payment.
                result = gateway.cancel(idempotency_key=payment.id)
        except Exception as exc:  # the provider is down: try again next run
            logger.warning(
                "reconcile lookup failed", extra={"payment_id": payment.id, "error_type": type(exc).__name__}
            )
            continue
        if result is None and payment.status == "pending":
            # The first attempt is long over and the provider never saw it: nothing was charged.
            result = ChargeResult("failed", failure_code="not_reached", failure_message=NOT_REACHED)
        elif result is None or result.status == "requires_action":
            continue  # nothing final to record yet
        with isolated("reconcile", payment_id=payment.id):
            updated = apply_result(payment, result)
            settled += updated.status not in OPEN_PAYMENT_STATUSES
    if settled:
        logger.info("payments reconciled", extra={"count": settled})
    return settled


# --- reading ------------------------------------------------------------------------------------


def list_payments(caller: Caller, patient_id: str) -> PaymentList:
    payments = payment_store.list_for_patient(patient_id)
    audit.record(caller, patient_id=patient_id, action="payment.list", target="payments")
    return PaymentList(items=[PaymentOut.from_payment(p) for p in payments])


def receipt(caller: Caller, patient_id: str, payment_id: str) -> Receipt:
    from chalicelib.core import config

    payment = payment_store.get(patient_id, payment_id)
    if payment.status != "succeeded" or not payment.receipt_number:
        raise errors.NotFound("receipt not found")
    statement = statement_store.get(patient_id, payment.statement_id)
    profile = patient_profiles.profile_of(patient_id)
    audit.record(caller, patient_id=patient_id, action="payment.read", target=payment.id)
    clinic = config.clinic()
    return Receipt(
        receipt_number=payment.receipt_number,
        clinic_name=clinic.name,
        clinic_address=clinic.address,
        clinic_phone=clinic.phone_display,
        patient_name=profile.display_name,
        payment=PaymentOut.from_payment(payment),
        statement_number=statement.number,
        statement_balance_cents=statement.balance_cents,
    )
