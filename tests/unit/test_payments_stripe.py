"""The Stripe adapter's translation of PaymentIntents into our outcomes, with a fake client: Stripe itself
is never called in tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import stripe

from chalicelib.billing.providers.provider import ProviderTimeout
from chalicelib.billing.providers.stripe import StripeProvider
from chalicelib.core.clinic_settings import StripeSettings

SETTINGS = StripeSettings(
    publishable_key="pk_test_abc123",
    secret_key_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:clinic-stripe-AbCdEf",
)


def _intent(status: str, **extra: Any) -> SimpleNamespace:
    card = SimpleNamespace(brand="visa", last4="4242")
    charge = SimpleNamespace(payment_method_details=SimpleNamespace(card=card))
    return SimpleNamespace(
        id="pi_123", status=status, client_secret="pi_123_secret", latest_charge=charge, **extra
    )


class FakeIntents:
    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls: list[dict[str, Any]] = []

    def create(self, params: dict[str, Any], options: dict[str, Any]) -> Any:
        self.calls.append({"params": params, "options": options})
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def search(self, params: dict[str, Any]) -> Any:
        self.calls.append({"search": params})
        return SimpleNamespace(data=[self.answer] if self.answer else [])


def _provider(answer: Any) -> tuple[StripeProvider, FakeIntents]:
    provider = StripeProvider(SETTINGS)
    intents = FakeIntents(answer)
    provider.__dict__["_client"] = SimpleNamespace(v1=SimpleNamespace(payment_intents=intents))
    return provider, intents


def _charge(provider: StripeProvider) -> Any:
    return provider.charge(
        idempotency_key="pay-abc",
        amount_cents=1234,
        currency="USD",
        card_token="pm_card_visa",
        description="Clinic",
    )


def test_a_succeeded_intent_with_our_id_as_idempotency_key() -> None:
    provider, intents = _provider(_intent("succeeded"))
    result = _charge(provider)
    assert (result.status, result.card_brand, result.card_last4, result.provider_ref) == (
        "succeeded",
        "visa",
        "4242",
        "pi_123",
    )
    call = intents.calls[0]
    assert call["options"] == {"idempotency_key": "pay-abc"}
    assert (call["params"]["amount"], call["params"]["currency"]) == (1234, "usd")
    assert call["params"]["metadata"] == {"portal_payment_id": "pay-abc"}


def test_requires_action_hands_the_client_secret_to_the_browser() -> None:
    provider, _ = _provider(_intent("requires_action"))
    result = _charge(provider)
    assert (result.status, result.client_secret) == ("requires_action", "pi_123_secret")


def test_a_card_error_is_a_decline_with_a_friendly_message() -> None:
    provider, _ = _provider(stripe.CardError("Your card has insufficient funds.", None, "insufficient_funds"))
    result = _charge(provider)
    assert (result.status, result.failure_code) == ("declined", "insufficient_funds")
    assert result.failure_message is not None
    assert "insufficient funds" in result.failure_message


def test_no_answer_is_a_timeout_so_the_payment_stays_pending() -> None:
    provider, _ = _provider(stripe.APIConnectionError("timed out"))
    with pytest.raises(ProviderTimeout):
        _charge(provider)


def test_lookup_finds_the_intent_by_our_payment_id() -> None:
    provider, intents = _provider(_intent("succeeded"))
    assert provider.lookup(idempotency_key="pay-abc") is not None
    assert "pay-abc" in intents.calls[0]["search"]["query"]
    empty, _ = _provider(None)
    assert empty.lookup(idempotency_key="pay-zzz") is None
