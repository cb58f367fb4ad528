"""Paying statements by card: reserve the amount, create the provider's intent, settle from its events.

1. `pay` reserves the amount on the statement (balance -> pending) and creates the provider's
   PaymentIntent with our payment id as its idempotency key, and stores the intent's id at once. The
   amount is the server's: checked against the balance here, never taken from the browser's processor
   call. The browser gets the intent's client secret and confirms it with the processor itself
   (Stripe.js and its Payment Element, which also runs any 3-D Secure check): no card reaches us.
2. The outcome arrives as a signed webhook (`webhooks.py`), or as the browser's `refresh`, or as the
   reconcile job: each reads the intent back by its stored id and records it through `apply_intent`,
   the one place that maps an intent's state onto ours. Each transition is conditional, so however
   often and in whatever order they arrive, a payment closes once.
3. A payment is released (the amount owed again) only when the provider says the intent is canceled,
   which is final there. A declined card is canceled at the provider first, so a later retry on that
   intent can never charge a released payment. Nothing is ever decided from a search: "not found" is
   not "not charged".

Never charging twice also rests on Powertools Idempotency on (caller, patient, Idempotency-Key), and on
the payment id derived from the same triple: a retry after a crash resumes the payment it started.
"""

from __future__ import annotations

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
    RefundOut,
    Statement,
)
from chalicelib.billing.providers.provider import Intent, PaymentProvider, ProviderError, provider
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit, dynamo, errors, idempotency
from chalicelib.core.access import Caller
from chalicelib.core.observability import isolated, logger
from chalicelib.patients import profiles as patient_profiles

RECONCILE_AFTER = timedelta(minutes=15)  # longer than any invocation: the first attempt is surely over
CONFIRM_WITHIN = timedelta(hours=24)  # a payment the patient never confirmed is canceled after this
CANCELED = "This payment was not completed. You were not charged."
PROCESSOR_DOWN = "The card processor did not answer. Nothing was charged; please try again in a moment."


class ProcessorUnavailable(errors.ServiceUnavailable):
    CODE = "processor_unavailable"


class AmountExceedsBalance(errors.PortalError):
    STATUS_CODE = 409
    CODE = "amount_exceeds_balance"


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


SUPERSEDED = "you started a newer payment of this statement, so this one was stopped; reload the page to pay"


def payment_id_for(*parts: str) -> str:
    return "pay-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


# --- the patient pays ---------------------------------------------------------------------------


def pay(caller: Caller, patient_id: str, body: PaymentIn, *, idempotency_key: str | None) -> PaymentOut:
    """Start paying (part of) one statement, once per Idempotency-Key: the answer holds what the
    browser needs to give the card to the processor (`next_action.client_secret`)."""
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
    return PaymentOut.model_validate(answer)


def _pay_once(caller: Caller, *, command: dict[str, Any]) -> dict[str, Any]:
    body = PaymentIn.model_validate(command["body"])
    patient_id = str(command["patient_id"])
    payment = start(
        caller,
        patient_id=patient_id,
        payment_id=payment_id_for(caller.sub, patient_id, str(command["key"])),
        statement_id=body.statement_id,
        amount_cents=body.amount_cents,
        currency=body.currency,
    )
    if payment.status == "canceled":  # a newer attempt of this person's (another tab) replaced it meanwhile
        raise errors.Conflict(SUPERSEDED)
    return PaymentOut.from_payment(payment, with_secret=True).model_dump(mode="json")


def start(
    caller: Caller,
    *,
    patient_id: str,
    payment_id: str,
    statement_id: str,
    amount_cents: int | None,
    currency: str,
    plan_id: str | None = None,
    installment: int | None = None,
    customer: str | None = None,
    now: datetime | None = None,
) -> Payment:
    """Reserve the amount (None: the whole balance) and create the provider's intent. Calling it again
    with the same payment id resumes (the same reservation, the same intent), never repeats."""
    now = now or dynamo.utcnow()
    gateway = provider()
    existing = payment_store.find(patient_id, payment_id)
    if existing is not None:
        _check_same(existing, statement_id, amount_cents or existing.amount_cents, currency)
        return _ensure_intent(existing, gateway, customer=customer)
    if plan_id is None:
        _supersede(caller, patient_id, statement_id, gateway)
    statement = statement_store.get(patient_id, statement_id)
    if amount_cents is None:
        amount_cents = statement.balance_cents
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
        plan_id=plan_id,
        installment=installment,
    )
    event = audit.event(caller, patient_id=patient_id, action="payment.create", target=payment.id)
    try:
        payment_store.reserve(payment, audit=event, now=now)
    except dynamo.TransactionRefused as refused:
        if payment_store.RESERVE_PAYMENT in refused.failed:  # the same payment, started concurrently
            again = payment_store.get(patient_id, payment_id)
            _check_same(again, statement_id, amount_cents, currency)
            return _ensure_intent(again, gateway, customer=customer)
        check_payable(statement_store.get(patient_id, statement_id), amount_cents, currency)
        raise errors.Conflict("the balance changed while you were paying; reload it and try again") from None
    logger.info("payment reserved", extra={"patient_id": patient_id, "payment_id": payment.id})
    return _ensure_intent(payment, gateway, customer=customer)


def _check_same(payment: Payment, statement_id: str, amount_cents: int, currency: str) -> None:
    if (payment.statement_id, payment.amount_cents, payment.currency) != (
        statement_id,
        amount_cents,
        currency,
    ):
        raise idempotency.IdempotencyKeyReused(
            "this Idempotency-Key was already used for a different request; use a new key"
        )


def _ensure_intent(payment: Payment, gateway: PaymentProvider, *, customer: str | None = None) -> Payment:
    """The payment's intent, created (with our id as the provider's idempotency key) if not stored yet.

    Nothing can be charged before its id is stored: the browser gets the client secret only after, and
    saved cards are confirmed only by id. A create that fails leaves the payment reserved and pending;
    the caller may retry (the same intent comes back) and the reconcile job finishes it otherwise.
    """
    from chalicelib.core import config

    if payment.provider_ref or payment.status not in OPEN_PAYMENT_STATUSES:
        return payment
    try:
        intent = gateway.create_intent(
            idempotency_key=payment.id,
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            description=config.clinic().name,  # no PHI at the processor
            payment_id=payment.id,
            customer=customer,
            off_session=payment.plan_id is not None,
        )
        payment_store.attach_intent(payment, intent, status=_open_status(intent), now=dynamo.utcnow())
    except ProviderError as exc:
        logger.warning(
            "payment intent not created; left pending",
            extra={"payment_id": payment.id, "error_type": type(exc).__name__},
        )
        raise ProcessorUnavailable(PROCESSOR_DOWN) from None
    except dynamo.TransactionRefused:
        logger.info("payment moved on meanwhile", extra={"payment_id": payment.id})
    return payment_store.get(payment.patient_id, payment.id)


def _open_status(intent: Intent) -> str:
    if intent.status in ("requires_payment_method", "requires_action"):
        return intent.status
    return "pending"


def _supersede(caller: Caller, patient_id: str, statement_id: str, gateway: PaymentProvider) -> None:
    """A new attempt replaces this person's earlier ones that never got a card (a closed tab, a reload):
    their intents are canceled at the provider first, so their reservations can be given back."""
    for earlier in payment_store.list_open_for_patient(patient_id, statement_id):
        if earlier.plan_id or earlier.created_by_sub != caller.sub or not earlier.provider_ref:
            continue
        if earlier.status != "requires_payment_method":
            continue
        try:
            apply_intent(earlier, gateway.cancel_intent(earlier.provider_ref), gateway=gateway)
        except ProviderError as exc:
            logger.info(
                "earlier payment not canceled",
                extra={"payment_id": earlier.id, "error_type": type(exc).__name__},
            )


def check_payable(statement: Statement, amount_cents: int, currency: str) -> None:
    if statement.status == "void":
        raise errors.Conflict("this statement was voided; there is nothing to pay")
    if statement.status == "paid":
        raise errors.Conflict("this statement is already paid")
    if currency != statement.currency:
        raise errors.BadRequest(
            "some fields are not valid", fields={"currency": "not the statement's currency"}
        )
    if amount_cents == 0 and statement.pending_cents:
        raise errors.Conflict("a payment of this statement is still processing; please don't pay again")
    if amount_cents > statement.balance_cents or amount_cents == 0:
        raise AmountExceedsBalance(
            "the amount is more than the balance due",
            fields={"amount_cents": f"at most {statement.balance_cents} (the balance due)"},
        )


# --- the outcome: one mapping of the provider's state onto ours ---------------------------------


def apply_intent(
    payment: Payment,
    intent: Intent,
    *,
    caller: Caller | None = None,
    gateway: PaymentProvider | None = None,
) -> Payment:
    """Record what the provider says about this payment's intent. Conditional throughout: a payment
    someone else already closed is left as it is. Any failure leaves it open for the next try."""
    from chalicelib.billing.statements import SYSTEM

    actor = caller or SYSTEM
    now = dynamo.utcnow()
    pid = payment.patient_id
    try:
        if intent.status == "succeeded":
            _succeed(payment, intent, actor=actor, now=now)
        elif intent.status == "canceled":
            failure = (
                payment.failure_code or intent.failure_code,
                payment.failure_message or intent.failure_message,
            )
            _release(payment, intent, failure=failure, actor=actor, now=now)
        elif intent.declined:
            # Final for this payment: cancel the intent, so that retrying it can never charge a payment
            # we gave back. If it moved on meanwhile (succeeded, processing), record that instead.
            canceled = (gateway or provider()).cancel_intent(intent.id)
            if canceled.status != "canceled":
                return apply_intent(payment, canceled, caller=caller, gateway=gateway)
            failure = (intent.failure_code, intent.failure_message)
            _release(payment, canceled, failure=failure, actor=actor, now=now)
        elif _open_status(intent) != payment.status and payment.status in OPEN_PAYMENT_STATUSES:
            payment_store.mark_open(payment, intent, status=_open_status(intent), now=now)
    except dynamo.TransactionRefused:
        logger.info("payment already closed", extra={"payment_id": payment.id})
    except Exception as exc:  # the provider or the table failed: the next event, refresh or job redoes it
        logger.warning(
            "payment outcome not recorded; left open",
            extra={"payment_id": payment.id, "error_type": type(exc).__name__},
        )
        return payment
    return payment_store.get(pid, payment.id)


def _release(
    payment: Payment, intent: Intent, *, failure: tuple[str | None, str | None], actor: Caller, now: datetime
) -> None:
    status = "declined" if failure[0] else "canceled"
    if not failure[0]:
        failure = ("canceled", CANCELED)
    if payment.plan_id and failure[0] == "canceled":
        status = "failed"  # a saved-card charge that never went through: the installment is retried
    event = audit.event(actor, patient_id=payment.patient_id, action=f"payment.{status}", target=payment.id)
    payment_store.release(payment, intent, status=status, failure=failure, audit=event, now=now)
    logger.info("payment not taken", extra={"payment_id": payment.id, "code": failure[0]})


def _succeed(payment: Payment, result: Intent, *, actor: Caller, now: datetime) -> None:
    pid = payment.patient_id
    if result.amount_cents and result.amount_cents != payment.amount_cents:
        # Never expected (the amount is ours, set on create); a mismatch is for a person to look at.
        logger.error("payment intent amount differs", extra={"payment_id": payment.id})
    ledger = LedgerEntry(
        id=dynamo.new_id(),
        patient_id=pid,
        at=now,
        kind="payment",
        amount_cents=-payment.amount_cents,
        currency=payment.currency,
        statement_id=payment.statement_id,
        payment_id=payment.id,
        description=card_words(result.card_brand, result.card_last4, "Card payment"),
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
    patient_profiles.notify_patient(pid, billing_notices.receipt)


def card_words(brand: str | None, last4: str | None, what: str) -> str:
    if brand and last4:
        return f"{what} ({brand.title()} ending {last4})"
    return what


def settle(payment: Payment, *, caller: Caller | None = None) -> Payment:
    """Read the payment's intent back by its stored id and record it (never a search)."""
    gateway = provider()
    if payment.status not in OPEN_PAYMENT_STATUSES:
        return payment
    if not payment.provider_ref:
        try:
            return _ensure_intent(payment, gateway)
        except ProcessorUnavailable:
            return payment
    try:
        intent = gateway.retrieve_intent(payment.provider_ref)
    except ProviderError as exc:  # the provider is down: the payment stays as it is
        logger.warning("intent not read", extra={"payment_id": payment.id, "error_type": type(exc).__name__})
        return payment
    return apply_intent(payment, intent, caller=caller, gateway=gateway)


# --- after the fact: refresh, reconcile --------------------------------------------------------


def refresh(caller: Caller, patient_id: str, payment_id: str) -> PaymentOut:
    """The browser finished with the processor (or waits on a pending payment): ask the provider now."""
    payment = payment_store.get(patient_id, payment_id)
    audit.record(caller, patient_id=patient_id, action="payment.read", target=payment.id)
    return PaymentOut.from_payment(settle(payment, caller=caller), with_secret=True)


def reconcile(*, now: datetime | None = None) -> int:
    """The scheduled job: settle payments whose outcome we have not heard. Safe to run concurrently.

    Each is read back by its intent's id. Still waiting for the patient after CONFIRM_WITHIN (or a
    saved-card charge that never reached the processor): canceled at the provider, then released on
    its answer. Anything the provider cannot tell us now stays open for the next run.
    """
    now = now or dynamo.utcnow()
    gateway = provider()
    settled = 0
    for payment in payment_store.list_open(created_before=now - RECONCILE_AFTER):
        with isolated("reconcile", payment_id=payment.id):
            current = payment
            if not current.provider_ref:
                try:  # the same key: the intent the first attempt created, or a new one never confirmed
                    current = _ensure_intent(current, gateway)
                except ProcessorUnavailable:
                    continue
            assert current.provider_ref is not None
            try:
                intent = gateway.retrieve_intent(current.provider_ref)
                waiting = intent.status in (
                    "requires_payment_method",
                    "requires_action",
                    "requires_confirmation",
                )
                abandoned = now - current.created_at > CONFIRM_WITHIN or (
                    current.plan_id is not None and intent.status != "requires_action"
                )
                if waiting and not intent.declined and abandoned:
                    intent = gateway.cancel_intent(current.provider_ref)
            except ProviderError as exc:  # the provider is down: try again next run
                logger.warning(
                    "reconcile read failed",
                    extra={"payment_id": payment.id, "error_type": type(exc).__name__},
                )
                continue
            updated = apply_intent(current, intent, gateway=gateway)
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
        refunds=[
            RefundOut.model_validate(r.model_dump(include=set(RefundOut.model_fields)))
            for r in payment_store.list_refunds(patient_id, payment.id)
        ],
    )
