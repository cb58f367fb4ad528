"""The PaymentProvider interface: what the payment service needs from a card processor, and nothing more.

Every charge carries our payment id as the provider's idempotency key, so asking twice (a retry, a
reconcile run, a resumed request) never charges twice: the provider answers with the first outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

from chalicelib.core import config

ChargeStatus = Literal["succeeded", "declined", "requires_action", "failed"]


@dataclass(frozen=True)
class ChargeResult:
    status: ChargeStatus
    provider_ref: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None  # shown to the patient word for word: generic, no PHI
    client_secret: str | None = None  # requires_action: the browser finishes the confirmation with it


class ProviderError(Exception):
    """The provider could not be asked or did not answer: the outcome of the charge is unknown."""


class ProviderTimeout(ProviderError):
    pass


class PaymentProvider(Protocol):
    name: str

    def charge(
        self, *, idempotency_key: str, amount_cents: int, currency: str, card_token: str, description: str
    ) -> ChargeResult:
        """Charge the card once per idempotency key; raise ProviderError when the outcome is unknown."""
        ...

    def lookup(self, *, idempotency_key: str) -> ChargeResult | None:
        """The outcome of an earlier charge with this key, or None if the provider never received it."""
        ...

    def cancel(self, *, idempotency_key: str) -> ChargeResult | None:
        """Give up on a charge still waiting for confirmation, so it can never complete later; returns
        the final outcome (which may be "succeeded" if the patient confirmed just before)."""
        ...


@cache
def provider() -> PaymentProvider:
    """The clinic's configured provider, built once per container."""
    billing = config.clinic().billing
    if billing.provider == "stripe":
        from chalicelib.billing.providers.stripe import StripeProvider

        assert billing.stripe is not None  # the clinic model refuses stripe without settings
        return StripeProvider(billing.stripe)
    if config.settings().stage == "prod":
        # A production clinic must take real cards: a simulated provider would mark bills paid for free.
        raise RuntimeError("the simulated payment provider is not allowed in prod")
    from chalicelib.billing.providers.simulated import SimulatedProvider

    return SimulatedProvider.shared()
