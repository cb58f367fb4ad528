"""A card processor that charges nothing, for local runs and tests: Stripe's state machine, in memory.

Intents, customers, setup intents and refunds move through Stripe's states (requires_payment_method ->
requires_action -> succeeded / canceled, declines back to requires_payment_method with an error), keyed
by idempotency key as Stripe keys them, and every change queues an event the way Stripe sends webhooks:
the portal settles simulated payments through the same code that settles Stripe's. A test card's token
decides what happens; the number never reaches our server (the browser plays Stripe's Payment Element).
State lives in this process (local runs and tests are one process).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, replace
from typing import ClassVar

from chalicelib.billing.providers.provider import (
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


@dataclass(frozen=True)
class TestCard:
    number: str
    token: str
    brand: str
    kind: str  # succeed | decline | insufficient | confirm | timeout | unreachable | decline_later
    outcome: str  # what the card does, for the developer's eyes


TEST_CARDS: tuple[TestCard, ...] = (
    TestCard("4242 4242 4242 4242", "sim_tok_4242", "visa", "succeed", "succeeds"),
    TestCard("4000 0000 0000 0002", "sim_tok_0002", "visa", "decline", "is declined"),
    TestCard(
        "4000 0000 0000 9995", "sim_tok_9995", "visa", "insufficient", "is declined: insufficient funds"
    ),
    TestCard("4000 0027 6000 3184", "sim_tok_3184", "visa", "confirm", "asks for 3-D Secure confirmation"),
    TestCard("5555 5555 5555 4444", "sim_tok_4444", "mastercard", "succeed", "succeeds"),
    # Charged, but the processor's webhook is late: the payment waits for the reconcile job.
    TestCard(
        "4000 0000 0000 0259", "sim_tok_timeout", "visa", "timeout", "succeeds, its webhook arrives late"
    ),
    # The confirmation never reaches the processor: nothing is charged.
    TestCard(
        "4000 0000 0000 0119", "sim_tok_unreachable", "visa", "unreachable", "times out before charging"
    ),
    # Saves for a payment plan, then every later charge is declined (Stripe's 4000 0000 0000 0341).
    TestCard(
        "4000 0000 0000 0341", "sim_tok_0341", "visa", "decline_later", "saves, then later charges decline"
    ),
)
_BY_TOKEN = {card.token: card for card in TEST_CARDS}

DECLINED = "Your card was declined. No charge was made; please try another card."
INSUFFICIENT = "Your card has insufficient funds. No charge was made; please try another card."
NOT_CONFIRMED = "The payment was not confirmed with your card issuer. No charge was made."
NEEDS_PATIENT = "Your card issuer asks you to confirm this payment. No charge was made; please pay online."
UNKNOWN_CARD = "This card could not be used. No charge was made; please try another card."
# Locally signed webhooks use Stripe's scheme with this secret (tests post them to the real route).
WEBHOOK_SECRET = "whsec_simulated_local_only"  # noqa: S105  not a secret: the simulated processor's


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class _Created:
    key: str
    params: tuple[object, ...]
    object_id: str


class SimulatedProvider:
    name = "simulated"
    _shared: ClassVar[SimulatedProvider | None] = None

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    @classmethod
    def shared(cls) -> SimulatedProvider:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def reset(self) -> None:
        with self._lock:
            self._keys: dict[str, _Created] = {}
            self._intents: dict[str, Intent] = {}
            self._tokens: dict[str, str] = {}  # intent or payment method -> the test card token behind it
            self._customers: set[str] = set()
            self._setups: dict[str, SetupIntent] = {}
            self._refunds: dict[str, Refund] = {}
            self._events: list[ProviderEvent] = []
            self._held: list[ProviderEvent] = []  # late webhooks (the "timeout" card)
            self._serial = 0

    # --- idempotency, as Stripe keeps it ---

    def _once(self, key: str, params: tuple[object, ...], make: str) -> str | None:
        earlier = self._keys.get(key)
        if earlier is None:
            self._keys[key] = _Created(key, params, make)
            return None
        if earlier.params != params:  # Stripe refuses a reused key with other parameters; so do we
            raise ProviderError("idempotency key reused with different parameters")
        return earlier.object_id

    def _event(
        self, kind: str, *, intent: Intent | None = None, intent_id: str | None = None, **extra: object
    ) -> ProviderEvent:
        self._serial += 1
        event = ProviderEvent(
            id=f"sim_evt_{self._serial:06d}_{_digest(kind, str(time.time_ns()))[:8]}",
            type=kind,
            intent=intent,
            intent_id=intent_id or (intent.id if intent else None),
            **extra,  # type: ignore[arg-type]
        )
        self._events.append(event)
        return event

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
        intent_id = "sim_pi_" + _digest(idempotency_key)
        with self._lock:
            earlier = self._once(idempotency_key, (amount_cents, currency, customer), intent_id)
            if earlier is not None:
                return self._intents[earlier]
            intent = Intent(
                id=intent_id,
                status="requires_payment_method",
                amount_cents=amount_cents,
                currency=currency.upper(),
                client_secret=f"{intent_id}_secret_{_digest('secret', intent_id)}",
            )
            self._intents[intent_id] = intent
            return intent

    def confirm(self, client_secret: str, *, card_token: str) -> Intent:
        """The browser's stand-in for Stripe.js `confirmPayment`: the card goes to the processor only."""
        card = _BY_TOKEN.get(card_token)
        if card is not None and card.kind == "unreachable":
            raise ProviderTimeout("simulated: the confirmation never reached the processor")
        with self._lock:
            intent = self._by_secret(client_secret)
            if intent.status not in ("requires_payment_method", "requires_confirmation"):
                raise ProviderError(f"this payment intent is {intent.status}")
            self._tokens[intent.id] = card_token
            return self._attempt(intent, card, on_session=True)

    def authenticate(self, client_secret: str, *, approve: bool) -> Intent:
        """The card issuer's 3-D Secure page, answered by the patient."""
        with self._lock:
            intent = self._by_secret(client_secret)
            if intent.status != "requires_action":
                raise ProviderError(f"this payment intent is {intent.status}")
            if approve:
                return self._set(intent, status="succeeded", event="payment_intent.succeeded")
            return self._set(
                intent,
                status="requires_payment_method",
                failure_code="payment_intent_authentication_failure",
                failure_message=NOT_CONFIRMED,
                event="payment_intent.payment_failed",
            )

    def confirm_off_session(self, intent_id: str, *, idempotency_key: str, payment_method: str) -> Intent:
        with self._lock:
            intent = self._intents[intent_id]
            earlier = self._once(idempotency_key, (intent_id, payment_method), intent_id)
            if earlier is not None or intent.status not in (
                "requires_payment_method",
                "requires_confirmation",
            ):
                return intent
            token = self._tokens.get(payment_method)
            self._tokens[intent.id] = token or ""
            card = _BY_TOKEN.get(token or "")
            result = self._attempt(intent, card, on_session=False)
        if card is not None and card.kind == "timeout":
            raise ProviderTimeout("simulated: charged, but the answer was lost")
        return result

    def retrieve_intent(self, intent_id: str) -> Intent:
        with self._lock:
            if intent_id not in self._intents:
                raise ProviderNotFound("no such payment intent")
            return self._intents[intent_id]

    def cancel_intent(self, intent_id: str) -> Intent:
        with self._lock:
            intent = self._intents[intent_id]
            if intent.status in ("succeeded", "canceled", "processing"):
                return intent
            return self._set(intent, status="canceled", client_secret=None, event="payment_intent.canceled")

    def _by_secret(self, client_secret: str) -> Intent:
        for intent in self._intents.values():
            if intent.client_secret == client_secret:
                return intent
        raise ProviderError("no such payment intent")

    def _attempt(self, intent: Intent, card: TestCard | None, *, on_session: bool) -> Intent:
        details = {"card_brand": card.brand, "card_last4": card.number[-4:]} if card else {}
        intent = replace(intent, failure_code=None, failure_message=None, **details)  # type: ignore[arg-type]
        if card is None:
            return self._decline(intent, "invalid_card", UNKNOWN_CARD)
        if card.kind == "decline" or (card.kind == "decline_later" and not on_session):
            return self._decline(intent, "card_declined", DECLINED)
        if card.kind == "insufficient":
            return self._decline(intent, "insufficient_funds", INSUFFICIENT)
        if card.kind == "confirm":
            if not on_session:  # nobody is there to confirm: Stripe declines with authentication_required
                return self._decline(intent, "authentication_required", NEEDS_PATIENT)
            return self._set(intent, status="requires_action", event="payment_intent.requires_action")
        succeeded = self._set(intent, status="succeeded", event="payment_intent.succeeded")
        if card.kind == "timeout":
            self._held.append(self._events.pop())
        return succeeded

    def _decline(self, intent: Intent, code: str, message: str) -> Intent:
        return self._set(
            intent,
            status="requires_payment_method",
            failure_code=code,
            failure_message=message,
            event="payment_intent.payment_failed",
        )

    def _set(self, intent: Intent, *, event: str | None = None, **changes: object) -> Intent:
        updated = replace(intent, **changes)  # type: ignore[arg-type]
        self._intents[intent.id] = updated
        if event:
            self._event(event, intent=updated)
        return updated

    # --- customers and saved cards ---

    def create_customer(self, *, idempotency_key: str) -> str:
        customer = "sim_cus_" + _digest(idempotency_key)
        with self._lock:
            self._once(idempotency_key, ("customer",), customer)
            self._customers.add(customer)
        return customer

    def create_setup_intent(self, *, idempotency_key: str, customer: str) -> SetupIntent:
        setup_id = "sim_seti_" + _digest(idempotency_key)
        with self._lock:
            earlier = self._once(idempotency_key, ("setup", customer), setup_id)
            if earlier is not None:
                return self._setups[earlier]
            setup = SetupIntent(
                id=setup_id,
                status="requires_payment_method",
                customer=customer,
                client_secret=f"{setup_id}_secret_{_digest('secret', setup_id)}",
            )
            self._setups[setup_id] = setup
            return setup

    def confirm_setup(self, client_secret: str, *, card_token: str) -> SetupIntent:
        """The browser's stand-in for Stripe.js `confirmSetup`."""
        card = _BY_TOKEN.get(card_token)
        with self._lock:
            setup = next((s for s in self._setups.values() if s.client_secret == client_secret), None)
            if setup is None:
                raise ProviderError("no such setup intent")
            if card is None or card.kind in ("decline", "insufficient"):
                message = (
                    UNKNOWN_CARD if card is None else (DECLINED if card.kind == "decline" else INSUFFICIENT)
                )
                setup = replace(setup, status="requires_payment_method", failure_message=message)
            else:
                payment_method = "sim_pm_" + _digest(setup.id, card_token)
                self._tokens[payment_method] = card_token
                setup = replace(
                    setup,
                    status="succeeded",
                    payment_method=payment_method,
                    card_brand=card.brand,
                    card_last4=card.number[-4:],
                    failure_message=None,
                )
            self._setups[setup.id] = setup
            return setup

    def retrieve_setup_intent(self, setup_id: str) -> SetupIntent:
        with self._lock:
            if setup_id not in self._setups:
                raise ProviderNotFound("no such setup intent")
            return self._setups[setup_id]

    def detach_payment_method(self, payment_method: str) -> None:
        with self._lock:
            self._tokens.pop(payment_method, None)

    # --- refunds and disputes ---

    def refund(
        self, *, idempotency_key: str, intent_id: str, amount_cents: int, reason: RefundReason | None
    ) -> Refund:
        refund_id = "sim_re_" + _digest(idempotency_key)
        with self._lock:
            earlier = self._once(idempotency_key, (intent_id, amount_cents, reason), refund_id)
            if earlier is not None:
                return self._refunds[earlier]
            intent = self._intents.get(intent_id)
            if intent is None or intent.status != "succeeded":
                raise ProviderError("only a succeeded payment can be refunded")
            already = sum(r.amount_cents for r in self._refunds.values() if r.intent_id == intent_id)
            if already + amount_cents > intent.amount_cents:
                raise ProviderError("the refund is more than what is left of the charge")
            refund = Refund(id=refund_id, status="succeeded", amount_cents=amount_cents, intent_id=intent_id)
            self._refunds[refund_id] = refund
            self._event("charge.refunded", intent_id=intent_id, refunds=self._refunds_of(intent_id))
            return refund

    def list_refunds(self, intent_id: str) -> list[Refund]:
        with self._lock:
            return self._refunds_of(intent_id)

    def _refunds_of(self, intent_id: str) -> list[Refund]:
        return [r for r in self._refunds.values() if r.intent_id == intent_id]

    def open_dispute(self, intent_id: str, *, reason: str = "fraudulent") -> ProviderEvent:
        """The card holder disputes a charge with their bank (tests and the developer's eyes)."""
        from chalicelib.billing.providers.provider import Dispute

        with self._lock:
            intent = self._intents[intent_id]
            dispute = Dispute(
                id="sim_dp_" + _digest(intent_id),
                amount_cents=intent.amount_cents,
                reason=reason,
                status="needs_response",
                intent_id=intent_id,
            )
            return self._event("charge.dispute.created", intent_id=intent_id, dispute=dispute)

    # --- webhooks ---

    def drain_events(self, *, late: bool = False) -> list[ProviderEvent]:
        """The events a webhook would have delivered by now; `late` also releases the held-back ones."""
        with self._lock:
            events, self._events = self._events, []
            if late:
                events, self._held = [*self._held, *events], []
            return events

    def parse_event(self, payload: bytes, signature: str | None) -> ProviderEvent:
        """Stripe's signature scheme (t=..., v1=HMAC-SHA256 of "t.payload"), with the local secret."""
        parts = dict(p.split("=", 1) for p in (signature or "").split(",") if "=" in p)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise InvalidEvent("no timestamp") from None
        expected = sign(payload, timestamp)
        if not hmac.compare_digest(expected, signature or "") or abs(time.time() - timestamp) > 300:
            raise InvalidEvent("signature")
        try:
            body = json.loads(payload)
            kind, obj = str(body["type"]), body["data"]["object"]
            event_id = str(body["id"])
        except (ValueError, KeyError, TypeError):
            raise InvalidEvent("body") from None
        intent_id = obj.get("id") if kind.startswith("payment_intent.") else obj.get("payment_intent")
        with self._lock:
            intent = self._intents.get(intent_id) if kind.startswith("payment_intent.") else None
            refunds = self._refunds_of(intent_id) if kind.startswith("charge.refund") else []
        return ProviderEvent(id=event_id, type=kind, intent=intent, intent_id=intent_id, refunds=refunds)

    # --- for tests and the developer's eyes ---

    def intents(self) -> list[Intent]:
        with self._lock:
            return list(self._intents.values())

    def captured_cents(self, intent_ids: set[str] | None = None) -> int:
        """Money actually taken, less refunds: succeeded intents, optionally only those given."""
        with self._lock:
            taken = sum(
                i.amount_cents
                for i in self._intents.values()
                if i.status == "succeeded" and (intent_ids is None or i.id in intent_ids)
            )
            refunded = sum(
                r.amount_cents
                for r in self._refunds.values()
                if intent_ids is None or r.intent_id in intent_ids
            )
        return taken - refunded


def sign(payload: bytes, timestamp: int, secret: str = WEBHOOK_SECRET) -> str:
    """A Stripe-Signature header value for this payload, as Stripe computes it."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"
