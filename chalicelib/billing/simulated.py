"""Demo clinics and tests: the browser's side of the simulated processor.

With Stripe the browser talks to Stripe itself (Stripe.js confirms intents and runs the bank's check);
with the simulated processor these routes stand in for those calls, then the processor's queued events
are delivered to the webhook handler, so a demo payment settles through the code a real one does.
With any other provider they answer "not found", as if they did not exist.
"""

from __future__ import annotations

from chalicelib.billing import cards as card_service
from chalicelib.billing import webhooks
from chalicelib.billing.models import (
    CardSetupIn,
    PaymentOut,
    SavedCardState,
    SimulatedConfirmationIn,
    SimulatedSetupIn,
)
from chalicelib.billing.providers.provider import ProviderError, ProviderTimeout, provider
from chalicelib.billing.store import payments as payment_store
from chalicelib.core import audit, errors
from chalicelib.core.access import Caller


def _simulated():  # type: ignore[no-untyped-def]
    from chalicelib.billing.providers.simulated import SimulatedProvider

    gateway = provider()
    if not isinstance(gateway, SimulatedProvider):
        raise errors.NotFound("not found")
    return gateway


def confirm_payment(
    caller: Caller, patient_id: str, payment_id: str, body: SimulatedConfirmationIn
) -> PaymentOut:
    gateway = _simulated()
    payment = payment_store.get(patient_id, payment_id)
    if payment.client_secret != body.client_secret:
        raise errors.Conflict(
            "this payment is not waiting for a card; it is {status}", params={"status": payment.status}
        )
    audit.record(caller, patient_id=patient_id, action="payment.confirm", target=payment.id)
    try:
        if body.card_token is not None:
            gateway.confirm(body.client_secret, card_token=body.card_token)
        else:
            gateway.authenticate(body.client_secret, approve=bool(body.approve))
    except ProviderTimeout:
        raise errors.ServiceUnavailable(
            "the card processor did not answer; nothing was charged, please try again"
        ) from None
    except ProviderError:
        raise errors.Conflict(
            "this payment is not waiting for a card; it is {status}", params={"status": payment.status}
        ) from None
    webhooks.deliver_simulated()
    return PaymentOut.from_payment(payment_store.get(patient_id, payment_id), with_secret=True)


def confirm_setup(caller: Caller, patient_id: str, body: SimulatedSetupIn) -> SavedCardState:
    gateway = _simulated()
    try:
        setup = gateway.confirm_setup(body.client_secret, card_token=body.card_token)
    except ProviderError:
        raise errors.NotFound("card setup not found") from None
    return card_service.complete_setup(caller, patient_id, CardSetupIn(setup_id=setup.id))
