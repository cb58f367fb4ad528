"""Refunds by billing staff, refunds made at the processor, and card disputes.

A refund gives (part of) a succeeded payment back to the card: the amount is owed again, so the
statement's paid total falls, its balance rises by the same cents and a paid statement reopens; the
ledger gets a refund line and the receipt lists it. Each refund is recorded once under the provider's
refund id, whoever sees it first: the staff member's request, or the `charge.refunded` webhook (which
also brings in refunds made in the processor's dashboard). The staff member's note stays with us.

A dispute (the card holder's bank pulled the money back pending a decision) changes no balance here: it
is noted on the payment and listed for billing staff until the processor closes it.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.billing.models import (
    DisputeItem,
    DisputePage,
    LedgerEntry,
    Payment,
    PaymentOut,
    RefundIn,
    RefundKind,
    RefundOut,
    RefundRecord,
)
from chalicelib.billing.providers.provider import (
    Dispute,
    PaymentProvider,
    ProviderError,
    Refund,
    RefundReason,
    provider,
)
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit, dynamo, errors, idempotency
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger

_PROVIDER_REASON: dict[str, RefundReason | None] = {
    "requested_by_patient": "requested_by_customer",
    "duplicate": "duplicate",
    "billing_error": None,
    "other": None,
}


def refund(
    caller: Caller, patient_id: str, payment_id: str, body: RefundIn, *, idempotency_key: str | None
) -> RefundOut:
    """Give (part of) a payment back, once per Idempotency-Key."""
    from chalicelib.billing.payments import check_idempotency_key

    key = check_idempotency_key(idempotency_key)
    answer = idempotency.run_once(
        _refund_once,
        who=caller.sub,
        patient_id=patient_id,
        key=key,
        body={"payment_id": payment_id, **body.model_dump(mode="json")},
        key_prefix="payments.refund",
        caller=caller,
    )
    return RefundOut.model_validate(answer)


def _refund_once(caller: Caller, *, command: dict[str, object]) -> dict[str, object]:
    import hashlib

    body = command["body"]
    assert isinstance(body, dict)
    patient_id = str(command["patient_id"])
    payment = payment_store.get(patient_id, str(body["payment_id"]))
    data = RefundIn.model_validate({k: v for k, v in body.items() if k != "payment_id"})
    if payment.status != "succeeded" or not payment.provider_ref:
        raise errors.Conflict("only a completed card payment can be refunded")
    left = payment.amount_cents - payment.refunded_cents
    if data.amount_cents > left:
        raise errors.BadRequest(
            "the refund is more than what is left of this payment",
            fields={"amount_cents": f"at most {left} (paid less what was refunded already)"},
        )
    key = "refund-" + hashlib.sha256(f"{caller.sub}|{patient_id}|{command['key']}".encode()).hexdigest()[:32]
    try:
        made = provider().refund(
            idempotency_key=key,
            intent_id=payment.provider_ref,
            amount_cents=data.amount_cents,
            reason=_PROVIDER_REASON[data.reason],
        )
    except ProviderError as exc:
        logger.warning("refund not made", extra={"payment_id": payment.id, "error_type": type(exc).__name__})
        raise errors.ServiceUnavailable(
            "the card processor did not take the refund; nothing was refunded, try again"
        ) from None
    if made.status in ("failed", "canceled"):
        raise errors.Conflict("the card processor refused this refund; nothing was refunded")
    record = _record(payment, made, caller=caller, reason=data.reason, note=data.note)
    return RefundOut.model_validate(record.model_dump(include=set(RefundOut.model_fields))).model_dump(
        mode="json"
    )


def record_from_provider(payment: Payment, gateway: PaymentProvider | None = None) -> int:
    """Record every refund the processor holds for this payment that we do not have yet."""
    from chalicelib.billing.statements import SYSTEM

    if not payment.provider_ref:
        return 0
    known = {r.id for r in payment_store.list_refunds(payment.patient_id, payment.id)}
    recorded = 0
    for made in (gateway or provider()).list_refunds(payment.provider_ref):
        if made.id in known or made.status in ("failed", "canceled"):
            continue
        _record(
            payment_store.get(payment.patient_id, payment.id),
            made,
            caller=SYSTEM,
            reason="at_processor",
            note=None,
        )
        recorded += 1
    return recorded


def _record(
    payment: Payment, made: Refund, *, caller: Caller, reason: RefundKind | str, note: str | None
) -> RefundRecord:
    """Write the refund once (by the provider's id); retried on a concurrent change, never doubled."""
    pid = payment.patient_id
    for _ in range(5):
        existing = {r.id: r for r in payment_store.list_refunds(pid, payment.id)}
        if made.id in existing:
            return existing[made.id]
        now = dynamo.utcnow()
        statement = statement_store.get(pid, payment.statement_id)
        record = RefundRecord(
            id=made.id,
            patient_id=pid,
            payment_id=payment.id,
            statement_id=payment.statement_id,
            amount_cents=made.amount_cents,
            currency=payment.currency,
            reason=reason,
            note=note,
            created_at=now,
            created_by_name=caller.display_name,
        )
        from chalicelib.billing.payments import card_words

        ledger = LedgerEntry(
            id=dynamo.new_id(),
            patient_id=pid,
            at=now,
            kind="refund",
            amount_cents=made.amount_cents,
            currency=payment.currency,
            statement_id=payment.statement_id,
            payment_id=payment.id,
            description=card_words(payment.card_brand, payment.card_last4, "Refund"),
        )
        event = audit.event(caller, patient_id=pid, action="payment.refund", target=payment.id)
        try:
            payment_store.record_refund(payment, statement, record, ledger=ledger, audit=event, now=now)
            logger.info("refund recorded", extra={"payment_id": payment.id, "refund_id": made.id})
            return record
        except dynamo.TransactionRefused:
            payment = payment_store.get(pid, payment.id)  # moved meanwhile: read again
    raise errors.Conflict("this payment changed meanwhile; reload it and try again")


def list_refunds(caller: Caller, patient_id: str) -> list[RefundOut]:
    refunds = payment_store.list_refunds(patient_id)
    audit.record(caller, patient_id=patient_id, action="payment.refund.list", target="refunds")
    return [RefundOut.model_validate(r.model_dump(include=set(RefundOut.model_fields))) for r in refunds]


# --- disputes -------------------------------------------------------------------------------------


def record_dispute(payment: Payment, dispute: Dispute, *, now: datetime | None = None) -> None:
    from chalicelib.billing.statements import SYSTEM

    event = audit.event(SYSTEM, patient_id=payment.patient_id, action="payment.dispute", target=payment.id)
    try:
        payment_store.record_dispute(payment, dispute, now=now or dynamo.utcnow(), audit=event)
    except dynamo.TransactionRefused:
        logger.info("dispute for a payment that did not succeed", extra={"payment_id": payment.id})
        return
    logger.info("dispute recorded", extra={"payment_id": payment.id, "status": dispute.status})


def disputes(caller: Caller, *, limit: int, cursor: str | None) -> DisputePage:
    payments, next_cursor = payment_store.list_disputes(limit=limit, cursor=cursor)
    audit.record_many(
        caller, patient_ids=[p.patient_id for p in payments], action="payment.dispute.list", target="disputes"
    )
    return DisputePage(
        items=[
            DisputeItem(
                payment_id=p.id,
                patient_id=p.patient_id,
                statement_id=p.statement_id,
                amount_cents=p.dispute_amount_cents or p.amount_cents,
                currency=p.currency,
                reason=p.dispute_reason or "general",
                status=p.dispute_status or "needs_response",
                disputed_at=p.disputed_at or p.updated_at,
            )
            for p in payments
        ],
        next_cursor=next_cursor,
    )


def payment_for_staff(caller: Caller, patient_id: str, payment_id: str) -> PaymentOut:
    payment = payment_store.get(patient_id, payment_id)
    audit.record(caller, patient_id=patient_id, action="payment.read", target=payment.id)
    return PaymentOut.from_payment(payment)
