"""Stripe as the PaymentProvider (a clinic's own account; never called in tests).

The browser collects the card with Stripe's Payment Element and sends us a PaymentMethod id (`pm_...`):
card numbers never touch our servers or logs. We create and confirm a PaymentIntent with our payment id
as Stripe's idempotency key and in its metadata, so a retry returns the first PaymentIntent and the
reconcile job can find it again.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from chalicelib.billing.providers.provider import ChargeResult, ProviderError, ProviderTimeout
from chalicelib.core.clinic_settings import StripeSettings

_GENERIC_DECLINE = "Your card was declined. No charge was made; please try another card."
_NOT_CONFIRMED = "The payment was not confirmed with your card issuer in time. You were not charged."
_MESSAGES = {
    "insufficient_funds": "Your card has insufficient funds. No charge was made; please try another card.",
    "expired_card": "Your card has expired. No charge was made; please try another card.",
    "incorrect_cvc": "The card's security code was not accepted. No charge was made.",
}


class StripeProvider:
    name = "stripe"

    def __init__(self, settings: StripeSettings) -> None:
        self._settings = settings

    @cached_property
    def _client(self) -> Any:
        import stripe  # lazy: only clinics on Stripe pay its import cost

        return stripe.StripeClient(_secret_key(self._settings.secret_key_arn), max_network_retries=2)

    def charge(
        self, *, idempotency_key: str, amount_cents: int, currency: str, card_token: str, description: str
    ) -> ChargeResult:
        import stripe

        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "payment_method": card_token,
            "confirm": True,
            "description": description,  # the clinic's name only: no PHI goes to the processor
            "metadata": {"portal_payment_id": idempotency_key},
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "expand": ["latest_charge"],  # brand and last four come from the charge
        }
        try:
            intent = self._client.v1.payment_intents.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        except stripe.CardError as exc:
            code = str(getattr(exc, "code", None) or "card_declined")
            ref = getattr(getattr(exc, "error", None), "payment_intent", None)
            return ChargeResult(
                "declined",
                provider_ref=getattr(ref, "id", None),
                failure_code=code,
                failure_message=_MESSAGES.get(code, _GENERIC_DECLINE),
            )
        except stripe.APIConnectionError as exc:
            raise ProviderTimeout("stripe did not answer") from exc
        except stripe.StripeError as exc:
            raise ProviderError(type(exc).__name__) from exc
        return _result(intent)

    def lookup(self, *, idempotency_key: str) -> ChargeResult | None:
        import stripe

        try:
            found = self._client.v1.payment_intents.search(
                params={
                    "query": f"metadata['portal_payment_id']:'{idempotency_key}'",
                    "limit": 1,
                    "expand": ["data.latest_charge"],
                }
            )
        except stripe.APIConnectionError as exc:
            raise ProviderTimeout("stripe did not answer") from exc
        except stripe.StripeError as exc:
            raise ProviderError(type(exc).__name__) from exc
        intents = list(found.data)
        return _result(intents[0]) if intents else None

    def cancel(self, *, idempotency_key: str) -> ChargeResult | None:
        import stripe

        found = self.lookup(idempotency_key=idempotency_key)
        if found is None or found.status != "requires_action" or not found.provider_ref:
            return found
        try:
            intent = self._client.v1.payment_intents.cancel(
                found.provider_ref, params={"expand": ["latest_charge"]}
            )
        except stripe.InvalidRequestError:  # it moved on meanwhile (confirmed or failed): ask again
            return self.lookup(idempotency_key=idempotency_key)
        except stripe.APIConnectionError as exc:
            raise ProviderTimeout("stripe did not answer") from exc
        except stripe.StripeError as exc:
            raise ProviderError(type(exc).__name__) from exc
        return _result(intent)


def _result(intent: Any) -> ChargeResult:
    card = _card_of(intent)
    common: dict[str, Any] = {"provider_ref": intent.id, **card}
    if intent.status == "succeeded":
        return ChargeResult("succeeded", **common)
    if intent.status == "requires_action":
        return ChargeResult("requires_action", client_secret=intent.client_secret, **common)
    if intent.status == "canceled":
        return ChargeResult(
            "declined", failure_code="not_confirmed", failure_message=_NOT_CONFIRMED, **common
        )
    if intent.status in ("processing", "requires_capture", "requires_confirmation"):
        raise ProviderError(f"payment intent still {intent.status}")  # not final yet: reconcile later
    error = getattr(intent, "last_payment_error", None)
    code = str(getattr(error, "code", None) or "card_declined")
    return ChargeResult(
        "declined", failure_code=code, failure_message=_MESSAGES.get(code, _GENERIC_DECLINE), **common
    )


def _card_of(intent: Any) -> dict[str, str | None]:
    charge = getattr(intent, "latest_charge", None)
    details = getattr(getattr(charge, "payment_method_details", None), "card", None)
    return {"card_brand": getattr(details, "brand", None), "card_last4": getattr(details, "last4", None)}


def _secret_key(arn: str) -> str:
    import boto3

    from chalicelib.core import config

    client = boto3.client("secretsmanager", region_name=config.settings().region)
    return str(client.get_secret_value(SecretId=arn)["SecretString"])
