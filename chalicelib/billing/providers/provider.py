"""The PaymentProvider interface: Stripe's objects, reduced to what the payment service needs.

The shape is Stripe's (PaymentIntent, SetupIntent, Customer, Refund, signed events) because that is the
state machine a real card payment goes through; the simulated provider plays the same machine locally,
so tests and demo runs exercise the code path a clinic on Stripe runs.

Every create carries our own id as the provider's idempotency key, so asking twice (a retry, a resumed
request, the reconcile job) returns the first object and never charges twice. Money is taken only when an
intent is confirmed: in the patient's browser (the provider's own script, card data never reaching us)
or, for a saved card, by `confirm_off_session` after the intent's id is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal, Protocol

from chalicelib.core import config
from chalicelib.core.clinic_settings import StripeSettings

IntentStatus = Literal[
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "requires_capture",
    "succeeded",
    "canceled",
]
SetupStatus = Literal[
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "succeeded",
    "canceled",
]
RefundStatus = Literal["pending", "requires_action", "succeeded", "failed", "canceled"]
RefundReason = Literal["duplicate", "fraudulent", "requested_by_customer"]


@dataclass(frozen=True)
class Intent:
    """A PaymentIntent: one amount to collect, confirmed at most once to success."""

    id: str
    status: IntentStatus
    amount_cents: int
    currency: str  # upper case, as we store it
    client_secret: str | None = None
    payment_method: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    # The last attempt's failure: with status requires_payment_method, the card was declined.
    failure_code: str | None = None
    failure_message: str | None = None  # shown to the patient word for word: generic, no PHI

    @property
    def declined(self) -> bool:
        return self.status == "requires_payment_method" and self.failure_code is not None


@dataclass(frozen=True)
class SetupIntent:
    """A SetupIntent: a card saved to a Customer for later off-session charges."""

    id: str
    status: SetupStatus
    customer: str | None
    client_secret: str | None = None
    payment_method: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True)
class Refund:
    id: str
    status: RefundStatus
    amount_cents: int
    intent_id: str | None = None


@dataclass(frozen=True)
class Dispute:
    id: str
    amount_cents: int
    reason: str
    status: str
    intent_id: str | None


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook event, reduced to the object it is about."""

    id: str
    type: str
    intent: Intent | None = None  # payment_intent.*
    intent_id: str | None = None  # the payment intent the event concerns (charge.* events too)
    dispute: Dispute | None = None  # charge.dispute.*
    refunds: list[Refund] = field(default_factory=list)


class ProviderError(Exception):
    """The provider could not be asked or did not answer: the outcome is unknown."""


class ProviderTimeout(ProviderError):
    pass


class ProviderNotFound(ProviderError):
    """The provider has no such object (an id made up, or of another account)."""


class InvalidEvent(Exception):
    """A webhook whose signature, timestamp or body does not check out: it changes nothing."""


class PaymentProvider(Protocol):
    name: str

    def create_intent(
        self,
        *,
        idempotency_key: str,
        amount_cents: int,
        currency: str,
        description: str,
        payment_id: str,
        customer: str | None = None,
        off_session: bool = False,
    ) -> Intent:
        """A new, unconfirmed intent (nothing is charged); the same one again for the same key."""
        ...

    def confirm_off_session(self, intent_id: str, *, idempotency_key: str, payment_method: str) -> Intent:
        """Charge a saved card without the patient present. A decline comes back as `declined`."""
        ...

    def retrieve_intent(self, intent_id: str) -> Intent:
        """The intent as the provider holds it now (authoritative, never an eventually consistent search)."""
        ...

    def cancel_intent(self, intent_id: str) -> Intent:
        """Make the intent final without charging; if it moved on meanwhile, its current state."""
        ...

    def create_customer(self, *, idempotency_key: str) -> str:
        """A customer to save cards to (no name, email or other PHI at the provider)."""
        ...

    def create_setup_intent(self, *, idempotency_key: str, customer: str) -> SetupIntent: ...

    def retrieve_setup_intent(self, setup_id: str) -> SetupIntent: ...

    def detach_payment_method(self, payment_method: str) -> None: ...

    def refund(
        self, *, idempotency_key: str, intent_id: str, amount_cents: int, reason: RefundReason | None
    ) -> Refund: ...

    def list_refunds(self, intent_id: str) -> list[Refund]: ...

    def parse_event(self, payload: bytes, signature: str | None) -> ProviderEvent:
        """Verify and read a webhook; raise InvalidEvent for anything that does not check out."""
        ...


_chosen: list[PaymentProvider] = []  # a provider set by `use` (tests, the local server's Stripe fake)


@cache
def _configured() -> PaymentProvider:
    billing = config.clinic().billing
    if billing.provider == "stripe":
        from chalicelib.billing.providers.stripe import StripeProvider

        assert billing.stripe is not None  # the clinic model refuses stripe without settings
        if config.settings().stage == "local":
            return _local_stripe(billing.stripe)
        return StripeProvider(billing.stripe)
    if config.settings().stage == "prod":
        # A production clinic must take real cards: a simulated provider would mark bills paid for free.
        raise RuntimeError("the simulated payment provider is not allowed in prod")
    from chalicelib.billing.providers.simulated import SimulatedProvider

    return SimulatedProvider.shared()


def _local_stripe(settings: StripeSettings) -> PaymentProvider:
    """`make run` with a clinic on Stripe: its test-mode keys from the environment (moto holds no such
    secrets), and optionally another API base (a Stripe mock)."""
    import os

    from chalicelib.billing.providers.stripe import StripeProvider

    names = {
        settings.secret_key_arn: "STRIPE_SECRET_KEY",
        settings.webhook_secret_arn: "STRIPE_WEBHOOK_SECRET",
    }

    def secret(arn: str) -> str:
        value = os.environ.get(names[arn], "")
        if not value:
            raise RuntimeError(f"set {names[arn]} to run a clinic on Stripe locally (test-mode keys only)")
        return value

    return StripeProvider(settings, secret=secret, api_base=os.environ.get("STRIPE_API_BASE") or None)


def provider() -> PaymentProvider:
    """The clinic's configured provider, built once per container."""
    return _chosen[-1] if _chosen else _configured()


def use(chosen: PaymentProvider | None) -> None:
    """Put a provider in place of the configured one (None: back to the configured one). Tests hand in
    Stripe's adapter over recorded HTTP answers; nothing in a deployed stack calls this."""
    _chosen.clear()
    if chosen is not None:
        _chosen.append(chosen)
