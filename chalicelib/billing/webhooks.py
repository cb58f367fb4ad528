"""The processor's webhooks: verified, handled once per event id, each a trigger to read the truth back.

A webhook is verified against the clinic's signing secret on the raw body (a re-serialized body would
not match), with Stripe's five-minute tolerance on its signed timestamp. An event that does not verify
changes nothing and answers 400. A verified event names an object; we read that object back by id and
record it through the same functions the browser's refresh and the reconcile job use, so events that
arrive late, twice, or out of order settle a payment once, to the provider's current state.
"""

from __future__ import annotations

from chalicelib.billing import payments as payment_service
from chalicelib.billing import refunds as refund_service
from chalicelib.billing.models import OPEN_PAYMENT_STATUSES
from chalicelib.billing.providers.provider import InvalidEvent, PaymentProvider, ProviderEvent, provider
from chalicelib.billing.store import events as event_store
from chalicelib.billing.store import payments as payment_store
from chalicelib.core import dynamo, errors
from chalicelib.core.observability import logger

HANDLED = frozenset(
    {
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "payment_intent.processing",
        "payment_intent.requires_action",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.updated",
        "charge.dispute.closed",
    }
)


FINAL = frozenset({"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"})


class InvalidWebhook(errors.BadRequest):
    CODE = "invalid_webhook"


def receive(payload: bytes, signature: str | None) -> dict[str, str]:
    """The webhook route: verify, then handle once. Anything unverifiable is a 400 and changes nothing."""
    gateway = provider()
    try:
        event = gateway.parse_event(payload, signature)
    except InvalidEvent as exc:
        logger.warning("webhook refused", extra={"reason": str(exc)})
        raise InvalidWebhook("the webhook signature could not be verified") from None
    return {"received": handle(event, gateway)}


def handle(event: ProviderEvent, gateway: PaymentProvider | None = None) -> str:
    """Handle one verified event; "duplicate" when it was handled before, "ignored" for other types."""
    gateway = gateway or provider()
    if event_store.seen(gateway.name, event.id):
        logger.info("webhook replayed", extra={"event_id": event.id, "type": event.type})
        return "duplicate"
    if event.type not in HANDLED:
        return "ignored"
    logger.info("webhook", extra={"event_id": event.id, "type": event.type})
    if event.intent_id:
        payment = payment_store.find_by_intent(event.intent_id)
        if payment is None:
            # Not ours (another integration on the same account), or written a moment from now: Stripe
            # retries a 5xx, and our own refresh and reconcile settle it anyway.
            logger.info("webhook for an unknown intent", extra={"event_id": event.id})
        elif event.type.startswith("payment_intent."):
            settled = payment_service.settle(payment)
            if event.type in FINAL and settled.status in OPEN_PAYMENT_STATUSES:
                # Not recorded (the processor or the table did not answer): not remembered either, and
                # a 503 makes Stripe deliver it again; the reconcile job is the last resort.
                raise errors.ServiceUnavailable("the payment could not be settled yet; deliver it again")
        elif event.type == "charge.refunded":
            refund_service.record_from_provider(payment, gateway)
        elif event.dispute is not None:
            refund_service.record_dispute(payment, event.dispute)
    event_store.remember(gateway.name, event.id, kind=event.type, at=dynamo.utcnow())
    return "handled"


def deliver_simulated(*, late: bool = False) -> int:
    """Demo clinics and tests: hand the simulated processor's queued events to `handle`, as Stripe's
    webhooks would reach the route. Returns how many were delivered."""
    from chalicelib.billing.providers.simulated import SimulatedProvider

    gateway = provider()
    if not isinstance(gateway, SimulatedProvider):
        return 0
    events = gateway.drain_events(late=late)
    for event in events:
        handle(event, gateway)
    return len(events)
