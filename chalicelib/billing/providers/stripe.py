"""Stripe as the PaymentProvider: the clinic's own account, its keys in Secrets Manager.

The browser collects the card with Stripe's Payment Element and confirms the PaymentIntent with Stripe
directly: card data never reaches our servers or logs. Here we create intents (our payment id as the
idempotency key and in metadata), read them back by id, cancel, save cards to Customers, refund, and
verify webhooks. Nothing is ever decided from the Search API: it is eventually consistent, so "not found
there" says nothing about whether a card was charged.

`stripe` is imported lazily: only clinics on Stripe pay for it, and only on a request that needs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.billing.providers.provider import (
    Dispute,
    Intent,
    InvalidEvent,
    ProviderError,
    ProviderEvent,
    ProviderNotFound,
    ProviderTimeout,
    Refund,
    RefundReason,
    SetupIntent,
)
from chalicelib.core.clinic_settings import StripeSettings

if TYPE_CHECKING:
    from stripe import HTTPClient, StripeClient

GENERIC_DECLINE = "Your card was declined. No charge was made; please try another card."
_MESSAGES = {
    "insufficient_funds": "Your card has insufficient funds. No charge was made; please try another card.",
    "expired_card": "Your card has expired. No charge was made; please try another card.",
    "incorrect_cvc": "The card's security code was not accepted. No charge was made.",
    "authentication_required": (
        "Your card issuer asks you to confirm this payment. No charge was made; please pay online."
    ),
    "payment_intent_authentication_failure": (
        "The payment was not confirmed with your card issuer. No charge was made."
    ),
}
# Card brand and last four come from the charge; webhook bodies hold it unexpanded, so we read it back.
_EXPAND = ["latest_charge"]
SIGNATURE_TOLERANCE_SECONDS = 300  # Stripe's own default: an older signed timestamp is a replay


class StripeProvider:
    name = "stripe"

    def __init__(
        self,
        settings: StripeSettings,
        *,
        secret: Callable[[str], str] | None = None,
        http_client: HTTPClient | None = None,
        retries: int = 2,
        api_base: str | None = None,
    ) -> None:
        self._settings = settings
        self._secret = secret or _secret_value
        self._http_client = http_client  # tests: recorded Stripe answers, never the network
        self._retries = retries  # Stripe's client retries lost answers with the same idempotency key
        self._api_base = api_base  # local runs only: a Stripe mock instead of api.stripe.com

    @cached_property
    def _client(self) -> StripeClient:
        import stripe  # lazy: only clinics on Stripe pay its import cost

        key = self._secret(self._settings.secret_key_arn)
        return stripe.StripeClient(
            key,
            max_network_retries=self._retries,
            http_client=self._http_client,
            base_addresses={"api": self._api_base} if self._api_base else None,
        )

    # --- payment intents ---

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
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "description": description,  # the clinic's name only: no PHI goes to the processor
            "metadata": {"portal_payment_id": payment_id},
            # Cards, and Apple Pay / Google Pay where the clinic turned them on. A saved card is
            # charged without the patient, so it must never need a redirect.
            "automatic_payment_methods": {
                "enabled": True,
                **({"allow_redirects": "never"} if off_session else {}),
            },
        }
        if customer:
            params["customer"] = customer
        return self._call(
            lambda c: c.v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key})
        )

    def confirm_off_session(self, intent_id: str, *, idempotency_key: str, payment_method: str) -> Intent:
        import stripe

        params = {"payment_method": payment_method, "off_session": True, "expand": _EXPAND}
        try:
            return self._call(
                lambda c: c.v1.payment_intents.confirm(
                    intent_id, params=params, options={"idempotency_key": idempotency_key}
                ),
                reraise=(stripe.CardError,),
            )
        except stripe.CardError as exc:  # declined, or the bank wants the patient present
            raw = getattr(getattr(exc, "error", None), "payment_intent", None)
            code = _decline_code(getattr(exc, "error", None)) or str(exc.code or "card_declined")
            if raw is None:
                return self.retrieve_intent(intent_id)
            return _intent(raw, failure_code=code)

    def retrieve_intent(self, intent_id: str) -> Intent:
        return self._call(lambda c: c.v1.payment_intents.retrieve(intent_id, params={"expand": _EXPAND}))

    def cancel_intent(self, intent_id: str) -> Intent:
        import stripe

        try:
            return self._call(
                lambda c: c.v1.payment_intents.cancel(intent_id, params={"expand": _EXPAND}),
                reraise=(stripe.InvalidRequestError,),
            )
        except stripe.InvalidRequestError:  # it moved on (succeeded, processing, canceled): ask again
            return self.retrieve_intent(intent_id)

    # --- customers and saved cards ---

    def create_customer(self, *, idempotency_key: str) -> str:
        # No name or email: the clinic's patient list is not copied to the processor.
        customer = self._raw(
            lambda c: c.v1.customers.create(
                params={"metadata": {"portal_customer": idempotency_key}},
                options={"idempotency_key": idempotency_key},
            )
        )
        return str(customer.id)

    def create_setup_intent(self, *, idempotency_key: str, customer: str) -> SetupIntent:
        params = {
            "customer": customer,
            "usage": "off_session",
            "automatic_payment_methods": {"enabled": True},
        }
        return _setup(
            self._raw(
                lambda c: c.v1.setup_intents.create(
                    params=params, options={"idempotency_key": idempotency_key}
                )
            )
        )

    def retrieve_setup_intent(self, setup_id: str) -> SetupIntent:
        return _setup(
            self._raw(lambda c: c.v1.setup_intents.retrieve(setup_id, params={"expand": ["payment_method"]}))
        )

    def detach_payment_method(self, payment_method: str) -> None:
        import stripe

        with contextlib.suppress(stripe.InvalidRequestError):  # already detached: gone either way
            self._raw(
                lambda c: c.v1.payment_methods.detach(payment_method), reraise=(stripe.InvalidRequestError,)
            )

    # --- refunds ---

    def refund(
        self, *, idempotency_key: str, intent_id: str, amount_cents: int, reason: RefundReason | None
    ) -> Refund:
        params: dict[str, Any] = {"payment_intent": intent_id, "amount": amount_cents}
        if reason:
            params["reason"] = reason  # Stripe's own codes only; the staff member's note stays with us
        return _refund(
            self._raw(
                lambda c: c.v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})
            )
        )

    def list_refunds(self, intent_id: str) -> list[Refund]:
        page = self._raw(lambda c: c.v1.refunds.list(params={"payment_intent": intent_id, "limit": 100}))
        return [_refund(r) for r in page.data]

    # --- webhooks ---

    def parse_event(self, payload: bytes, signature: str | None) -> ProviderEvent:
        import stripe

        if not signature or not self._settings.webhook_secret_arn:
            raise InvalidEvent("no signature")
        secret = self._secret(self._settings.webhook_secret_arn)
        try:
            event = stripe.Webhook.construct_event(
                payload, signature, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
            )
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise InvalidEvent(type(exc).__name__) from None
        return _event(event)

    # --- the calls, with Stripe's errors as ours ---

    def _raw(self, call: Callable[[Any], Any], *, reraise: tuple[type[Exception], ...] = ()) -> Any:
        import stripe

        try:
            return call(self._client)
        except reraise:
            raise
        except stripe.APIConnectionError as exc:
            raise ProviderTimeout("stripe did not answer") from exc
        except stripe.InvalidRequestError as exc:
            if exc.code == "resource_missing":
                raise ProviderNotFound("no such object at stripe") from exc
            raise ProviderError(type(exc).__name__) from exc
        except stripe.StripeError as exc:
            raise ProviderError(type(exc).__name__) from exc

    def _call(self, call: Callable[[Any], Any], *, reraise: tuple[type[Exception], ...] = ()) -> Intent:
        return _intent(self._raw(call, reraise=reraise))


def _get(obj: Any, name: str) -> Any:
    """A field of a Stripe object or of a plain dict (webhook bodies, error payloads)."""
    if obj is None or isinstance(obj, str):
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    try:
        return obj[name]
    except (KeyError, TypeError):
        return getattr(obj, name, None)


def _decline_code(error: Any) -> str | None:
    code = _get(error, "decline_code") or _get(error, "code")
    return str(code) if code else None


def _card(obj: Any) -> tuple[str | None, str | None]:
    """Brand and last four of a charge (payment_method_details.card) or a PaymentMethod (card)."""
    card = _get(_get(obj, "payment_method_details"), "card") or _get(obj, "card")
    return _get(card, "brand"), _get(card, "last4")


def _intent(raw: Any, *, failure_code: str | None = None) -> Intent:
    error = _get(raw, "last_payment_error")
    code = failure_code or (_decline_code(error) or "card_declined" if error else None)
    status = str(_get(raw, "status"))
    brand, last4 = _card(_get(raw, "latest_charge"))
    payment_method = _get(raw, "payment_method")
    if brand is None and not isinstance(payment_method, str):
        brand, last4 = _card(payment_method)
    if code is not None and status != "requires_payment_method":
        code = None  # an earlier attempt failed but this one went on: no decline to report
    return Intent(
        id=str(_get(raw, "id")),
        status=status,  # type: ignore[arg-type]  # Stripe's own status names
        amount_cents=int(_get(raw, "amount") or 0),
        currency=str(_get(raw, "currency") or "").upper(),
        client_secret=_get(raw, "client_secret"),
        payment_method=payment_method if isinstance(payment_method, str) else _get(payment_method, "id"),
        card_brand=brand,
        card_last4=last4,
        failure_code=code,
        failure_message=_MESSAGES.get(code, GENERIC_DECLINE) if code else None,
    )


def _setup(raw: Any) -> SetupIntent:
    payment_method = _get(raw, "payment_method")
    brand, last4 = _card(payment_method)
    error = _get(raw, "last_setup_error")
    code = _decline_code(error)
    return SetupIntent(
        id=str(_get(raw, "id")),
        status=str(_get(raw, "status")),  # type: ignore[arg-type]
        customer=_get(raw, "customer"),
        client_secret=_get(raw, "client_secret"),
        payment_method=payment_method if isinstance(payment_method, str) else _get(payment_method, "id"),
        card_brand=brand,
        card_last4=last4,
        failure_message=_MESSAGES.get(code, GENERIC_DECLINE) if code else None,
    )


def _refund(raw: Any) -> Refund:
    intent = _get(raw, "payment_intent")
    return Refund(
        id=str(_get(raw, "id")),
        status=str(_get(raw, "status")),  # type: ignore[arg-type]
        amount_cents=int(_get(raw, "amount") or 0),
        intent_id=intent if isinstance(intent, str) else _get(intent, "id"),
    )


def _event(event: Any) -> ProviderEvent:
    kind = str(_get(event, "type"))
    obj = _get(_get(event, "data"), "object")
    event_id = str(_get(event, "id"))
    if kind.startswith("payment_intent."):
        intent = _intent(obj)
        return ProviderEvent(id=event_id, type=kind, intent=intent, intent_id=intent.id)
    if kind.startswith("charge.dispute."):
        intent_id = _get(obj, "payment_intent")
        dispute = Dispute(
            id=str(_get(obj, "id")),
            amount_cents=int(_get(obj, "amount") or 0),
            reason=str(_get(obj, "reason") or "general"),
            status=str(_get(obj, "status") or "needs_response"),
            intent_id=intent_id if isinstance(intent_id, str) else None,
        )
        return ProviderEvent(id=event_id, type=kind, intent_id=dispute.intent_id, dispute=dispute)
    if kind.startswith("charge."):
        intent_id = _get(obj, "payment_intent")
        refunds = _get(_get(obj, "refunds"), "data") or []
        return ProviderEvent(
            id=event_id,
            type=kind,
            intent_id=intent_id if isinstance(intent_id, str) else None,
            refunds=[_refund(r) for r in refunds],
        )
    return ProviderEvent(id=event_id, type=kind)


@cache
def _secret_value(arn: str) -> str:
    """A secret's value, read once per container (the API key, the webhook signing secret)."""
    import boto3

    from chalicelib.core import config

    client = boto3.client("secretsmanager", region_name=config.settings().region)
    return str(client.get_secret_value(SecretId=arn)["SecretString"]).strip()
