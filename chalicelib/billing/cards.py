"""The patient's saved card, for payment plans: a processor Customer and a card saved with a SetupIntent.

The Customer is created the first time a patient saves a card (no name, email or other PHI at the
processor) and its id kept on the patient's billing profile. The browser confirms a SetupIntent
(usage off_session) with the processor itself, so the bank's check (3-D Secure) happens while the
patient is there and later installments can be charged without them. We then read the SetupIntent
back and keep only the payment method's id, brand and last four. Replacing the card detaches the old
one at the processor; removing it detaches it and forgets it (a plan's next installment then fails and
the patient is told to save a card again).
"""

from __future__ import annotations

import hashlib

from chalicelib.billing.models import CardSetupIn, CardSetupOut, SavedCardOut, SavedCardState
from chalicelib.billing.providers.provider import ProviderError, ProviderNotFound, provider
from chalicelib.billing.store import cards as card_store
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger


def _unavailable() -> errors.ServiceUnavailable:
    return errors.ServiceUnavailable("the card processor did not answer; please try again in a moment")


def ensure_customer(patient_id: str) -> str:
    """The patient's processor customer, created once (the same one for a retried or racing request)."""
    profile = card_store.get(patient_id)
    if profile.customer_id:
        return profile.customer_id
    key = "customer-" + hashlib.sha256(patient_id.encode()).hexdigest()[:32]
    try:
        customer = provider().create_customer(idempotency_key=key)
    except ProviderError:
        raise _unavailable() from None
    return card_store.set_customer(patient_id, customer)


def start_setup(caller: Caller, patient_id: str) -> CardSetupOut:
    customer = ensure_customer(patient_id)
    try:
        setup = provider().create_setup_intent(idempotency_key=dynamo.new_id("setup-"), customer=customer)
    except ProviderError:
        raise _unavailable() from None
    audit.record(caller, patient_id=patient_id, action="card.setup", target=setup.id)
    assert setup.client_secret is not None
    return CardSetupOut(setup_id=setup.id, client_secret=setup.client_secret)


def complete_setup(caller: Caller, patient_id: str, body: CardSetupIn) -> SavedCardState:
    """The browser confirmed the SetupIntent: read it back and keep its card as the saved one."""
    profile = card_store.get(patient_id)
    try:
        setup = provider().retrieve_setup_intent(body.setup_id)
    except ProviderNotFound:
        raise errors.NotFound("card setup not found") from None
    except ProviderError:
        raise _unavailable() from None
    if not profile.customer_id or setup.customer != profile.customer_id:
        raise errors.NotFound("card setup not found")  # another patient's setup answers as unknown
    if setup.status != "succeeded" or not setup.payment_method:
        raise errors.Conflict(setup.failure_message or "the card was not saved; please try again")
    old = profile.payment_method
    if old != setup.payment_method:
        event = audit.event(caller, patient_id=patient_id, action="card.save", target=setup.id)
        card_store.save_card(
            patient_id,
            payment_method=setup.payment_method,
            brand=setup.card_brand,
            last4=setup.card_last4,
            at=dynamo.utcnow(),
            audit=event,
        )
        if old:
            _detach(old)
    return _state(patient_id)


def saved_card(caller: Caller, patient_id: str) -> SavedCardState:
    audit.record(caller, patient_id=patient_id, action="card.read", target="saved-card")
    return _state(patient_id)


def remove_card(caller: Caller, patient_id: str) -> SavedCardState:
    profile = card_store.get(patient_id)
    if profile.payment_method:
        _detach(profile.payment_method)
        event = audit.event(caller, patient_id=patient_id, action="card.remove", target="saved-card")
        card_store.remove_card(patient_id, audit=event)
    return _state(patient_id)


def _detach(payment_method: str) -> None:
    try:
        provider().detach_payment_method(payment_method)
    except ProviderError as exc:  # forgotten here either way; the processor keeps an unused card
        logger.warning("card not detached", extra={"error_type": type(exc).__name__})


def _state(patient_id: str) -> SavedCardState:
    profile = card_store.get(patient_id)
    if not profile.payment_method:
        return SavedCardState(card=None)
    return SavedCardState(
        card=SavedCardOut(
            card_brand=profile.card_brand, card_last4=profile.card_last4, saved_at=profile.saved_at
        )
    )
