"""A card processor that charges nothing, for local runs and tests: deterministic by token.

The browser's simulated "hosted fields" (web, later) turn a test card number into a token; the number
never reaches our server, exactly as with a real provider. Like a real provider it remembers every
charge by idempotency key, so a retried or reconciled charge returns the first outcome and is never
counted twice. State lives in this process (local runs and tests are one process).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from typing import ClassVar

from chalicelib.billing.providers.provider import ChargeResult, ProviderTimeout


@dataclass(frozen=True)
class TestCard:
    number: str
    token: str
    brand: str
    kind: str  # succeed | decline | insufficient | confirm | timeout | unreachable
    outcome: str  # what the card does, for the developer's eyes


TEST_CARDS: tuple[TestCard, ...] = (
    TestCard("4242 4242 4242 4242", "sim_tok_4242", "visa", "succeed", "succeeds"),
    TestCard("4000 0000 0000 0002", "sim_tok_0002", "visa", "decline", "is declined"),
    TestCard(
        "4000 0000 0000 9995", "sim_tok_9995", "visa", "insufficient", "is declined: insufficient funds"
    ),
    TestCard("4000 0027 6000 3184", "sim_tok_3184", "visa", "confirm", "asks for 3-D Secure confirmation"),
    TestCard("5555 5555 5555 4444", "sim_tok_4444", "mastercard", "succeed", "succeeds"),
    # The processor charges the card but its answer never arrives: the payment waits for reconcile.
    TestCard("4000 0000 0000 0259", "sim_tok_timeout", "visa", "timeout", "times out after charging"),
    # The request never reaches the processor: nothing is charged; reconcile releases the payment.
    TestCard(
        "4000 0000 0000 0119", "sim_tok_unreachable", "visa", "unreachable", "times out before charging"
    ),
)
_BY_TOKEN = {card.token: card for card in TEST_CARDS}

DECLINED = "Your card was declined. No charge was made; please try another card."
INSUFFICIENT = "Your card has insufficient funds. No charge was made; please try another card."
NOT_CONFIRMED = "The card issuer could not confirm this payment. No charge was made."
UNKNOWN_CARD = "This card could not be used. No charge was made; please try another card."


@dataclass(frozen=True)
class SimulatedCharge:
    idempotency_key: str
    amount_cents: int
    currency: str
    card_token: str
    result: ChargeResult


class SimulatedProvider:
    name = "simulated"
    _shared: ClassVar[SimulatedProvider | None] = None

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._charges: dict[str, SimulatedCharge] = {}

    @classmethod
    def shared(cls) -> SimulatedProvider:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def charge(
        self, *, idempotency_key: str, amount_cents: int, currency: str, card_token: str, description: str
    ) -> ChargeResult:
        card = _BY_TOKEN.get(card_token)
        if card is not None and card.kind == "unreachable":
            raise ProviderTimeout("simulated: the request never reached the processor")
        with self._lock:
            earlier = self._charges.get(idempotency_key)
            if earlier is None:
                earlier = SimulatedCharge(
                    idempotency_key, amount_cents, currency, card_token, _outcome(idempotency_key, card)
                )
                self._charges[idempotency_key] = earlier
            elif (earlier.amount_cents, earlier.currency, earlier.card_token) != (
                amount_cents,
                currency,
                card_token,
            ):
                # Real processors refuse a reused key with other parameters; so do we.
                raise ValueError("idempotency key reused with different parameters")
        if card is not None and card.kind == "timeout":
            raise ProviderTimeout("simulated: the processor's answer was lost")
        return earlier.result

    def lookup(self, *, idempotency_key: str) -> ChargeResult | None:
        with self._lock:
            charge = self._charges.get(idempotency_key)
        return charge.result if charge else None

    def cancel(self, *, idempotency_key: str) -> ChargeResult | None:
        with self._lock:
            charge = self._charges.get(idempotency_key)
            if charge is None:
                return None
            if charge.result.status == "requires_action":
                result = replace(
                    charge.result,
                    status="declined",
                    client_secret=None,
                    failure_code="not_confirmed",
                    failure_message=NOT_CONFIRMED,
                )
                self._charges[idempotency_key] = charge = replace(charge, result=result)
            return charge.result

    def complete_action(self, *, client_secret: str, approve: bool) -> None:
        """The patient finishing (or failing) the 3-D Secure step at the processor, as the browser would."""
        with self._lock:
            for key, charge in self._charges.items():
                if charge.result.client_secret == client_secret and charge.result.status == "requires_action":
                    if approve:
                        result = replace(charge.result, status="succeeded", client_secret=None)
                    else:
                        result = replace(
                            charge.result,
                            status="declined",
                            client_secret=None,
                            failure_code="authentication_failed",
                            failure_message=NOT_CONFIRMED,
                        )
                    self._charges[key] = replace(charge, result=result)
                    return
        raise KeyError("no payment waits for this confirmation")

    # --- for tests and the developer's eyes ---

    def charges(self) -> list[SimulatedCharge]:
        with self._lock:
            return list(self._charges.values())

    def captured_cents(self, keys: set[str] | None = None) -> int:
        """Money actually taken: succeeded charges, optionally only those with the given keys."""
        return sum(
            c.amount_cents
            for c in self.charges()
            if c.result.status == "succeeded" and (keys is None or c.idempotency_key in keys)
        )

    def reset(self) -> None:
        with self._lock:
            self._charges.clear()


def _outcome(idempotency_key: str, card: TestCard | None) -> ChargeResult:
    ref = "sim_ch_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
    if card is None:
        return ChargeResult("declined", ref, failure_code="invalid_card", failure_message=UNKNOWN_CARD)
    last4 = card.number.replace(" ", "")[-4:]
    common = {"provider_ref": ref, "card_brand": card.brand, "card_last4": last4}
    if card.kind == "decline":
        return ChargeResult("declined", **common, failure_code="card_declined", failure_message=DECLINED)
    if card.kind == "insufficient":
        return ChargeResult(
            "declined", **common, failure_code="insufficient_funds", failure_message=INSUFFICIENT
        )
    if card.kind == "confirm":
        return ChargeResult("requires_action", **common, client_secret=f"sim_cs_{ref}")
    return ChargeResult("succeeded", **common)
