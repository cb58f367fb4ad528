"""Stripe's API at the HTTP layer, offline: the `stripe` library talks to this instead of the network.

Every answer is one of the recorded objects in tests/fixtures/stripe (shaped as Stripe documents them),
with the fields a request sets filled in (id, amount, metadata, status), and a small state machine
behind them as Stripe keeps it: idempotency keys, intents moving requires_payment_method -> succeeded /
canceled, declines back to requires_payment_method with last_payment_error, refunds, saved cards. The
test plays the browser's side (Stripe.js confirming an intent) with `browser_confirms`, and Stripe's
webhooks with `event`, signed as Stripe signs them. The Search API always answers "nothing found":
eventually consistent search is exactly what the portal must never rely on.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

FIXTURES = Path(__file__).parent / "fixtures" / "stripe"
WEBHOOK_SECRET = "whsec_test_5c1f0b2f8a3e4d7c9b6a"
API_KEY = "sk_test_51QeZyxLkdIwHu7ixFake"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakeside/stripe-secret-key-Ab12Cd"
WEBHOOK_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakeside/stripe-webhook-secret-Ef34Gh"
SECRETS = {SECRET_ARN: API_KEY, WEBHOOK_ARN: WEBHOOK_SECRET}

# Saved test cards (Stripe's test payment methods) and what an off-session charge does with them.
OFF_SESSION = {"pm_card_visa": "succeed", "pm_card_chargeCustomerFail": "decline"}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (a[b]=1&c[0]=x) back into objects."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def _token(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


class FakeStripe(stripe.HTTPClient):
    name = "fake-stripe"

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, str, dict[str, Any], str | None]] = []  # method, path, params, key
        self.intents: dict[str, dict[str, Any]] = {}
        self.setups: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.detached: list[str] = []
        self._keys: dict[str, tuple[str, str]] = {}  # idempotency key -> (request fingerprint, answer)
        self.failures: list[tuple[str, str, str]] = []  # (method, path regex, "connection" | "api_error")
        self.lagging: dict[str, int] = {}  # intent -> how many more reads still show "processing"

    # --- what the test does ---

    def fail_next(self, method: str, path: str, kind: str = "connection") -> None:
        self.failures.append((method, path, kind))

    def browser_confirms(self, intent_id: str, outcome: str = "succeed", *, card: str = "visa") -> None:
        """Stripe.js in the patient's browser confirming the intent (card data never reaches us)."""
        intent = self.intents[intent_id]
        assert intent["status"] in ("requires_payment_method", "requires_confirmation", "requires_action")
        intent["payment_method"] = "pm_1QfA2cLkdIwHu7ixkE5o3w8H"
        if outcome == "succeed":
            self._succeed(intent, card=card)
        elif outcome == "requires_action":
            intent["status"] = "requires_action"
            intent["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {}}
        else:
            self._decline(intent, outcome)

    def lag(self, intent_id: str, reads: int) -> None:
        """Stripe has the charge, but the next `reads` reads still show the intent processing."""
        self.lagging[intent_id] = reads

    def searched(self) -> int:
        return sum(1 for method, path, *_ in self.requests if path.endswith("/search"))

    def event(
        self, kind: str, obj: dict[str, Any], *, at: int | None = None, secret: str = WEBHOOK_SECRET
    ) -> tuple[bytes, str]:
        """A webhook as Stripe sends it: the event envelope and its Stripe-Signature header."""
        envelope = fixture("event")
        envelope["id"] = "evt_" + _token(kind, json.dumps(obj, sort_keys=True), str(time.time_ns()))
        envelope["type"] = kind
        envelope["data"] = {"object": copy.deepcopy(obj)}
        payload = json.dumps(envelope).encode()
        timestamp = int(time.time()) if at is None else at
        signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload.decode()}", secret)
        return payload, f"t={timestamp},v1={signature}"

    # --- the HTTP client stripe calls ---

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        params = _nest(parse_qsl(parts.query) + parse_qsl(body))
        key = (headers or {}).get("Idempotency-Key")
        path = parts.path
        self.requests.append((method.upper(), path, params, key))
        lost = False
        for i, (fail_method, pattern, kind) in enumerate(self.failures):
            if fail_method == method.upper() and re.fullmatch(pattern, path):
                del self.failures[i]
                if kind == "connection":
                    raise stripe.APIConnectionError("Could not connect to Stripe (fake)")
                if kind == "api_error":
                    return json.dumps(fixture("api_error")), 500, {"Request-Id": "req_fake"}
                lost = True  # "lost": Stripe does it, but its answer never arrives
                break
        answer = self._answer(method.upper(), path, params, key)
        if lost:
            raise stripe.APIConnectionError("Stripe's answer was lost (fake)")
        return answer

    def _answer(
        self, method: str, path: str, params: dict[str, Any], key: str | None
    ) -> tuple[str, int, Mapping[str, str]]:
        if key and method == "POST":
            fingerprint = json.dumps([path, params], sort_keys=True)
            if key in self._keys:
                earlier, answer = self._keys[key]
                if earlier != fingerprint:
                    error = {
                        "error": {
                            "type": "idempotency_error",
                            "message": "Keys for idempotent requests can only be used with the same "
                            "parameters they were first used with.",
                        }
                    }
                    return json.dumps(error), 400, {}
                return answer, 200, {"Idempotent-Replayed": "true"}
        status, answer_obj = self._route(method, path, params)
        text = json.dumps(answer_obj)
        if key and method == "POST" and status == 200:
            self._keys[key] = (json.dumps([path, params], sort_keys=True), text)
        return text, status, {"Request-Id": "req_" + _token(path, str(len(self.requests)))}

    def request_stream(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # --- Stripe's behaviour ---

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        m = re.fullmatch(r"/v1/payment_intents/([^/]+)(/confirm|/cancel)?", path)
        if path == "/v1/payment_intents" and method == "POST":
            return 200, self._create_intent(params)
        if path == "/v1/payment_intents/search":
            return 200, {
                "object": "search_result",
                "data": [],
                "has_more": False,
                "next_page": None,
                "url": path,
            }
        if m and m.group(1) in self.intents:
            intent = self.intents[m.group(1)]
            if m.group(2) == "/cancel":
                if intent["status"] in ("succeeded", "canceled"):
                    return 400, fixture("invalid_request_error")
                intent.update(
                    status="canceled",
                    cancellation_reason="requested_by_customer",
                    canceled_at=int(time.time()),
                )
            elif m.group(2) == "/confirm":
                return self._confirm_off_session(intent, params)
            return 200, self._view(intent, params)
        if path == "/v1/customers" and method == "POST":
            customer = fixture("customer")
            customer["id"] = "cus_" + _token("customer", str(len(self.customers)))[:14]
            customer["metadata"] = params.get("metadata", {})
            self.customers[customer["id"]] = customer
            return 200, customer
        if path == "/v1/setup_intents" and method == "POST":
            setup = fixture("setup_intent")
            setup["id"] = "seti_" + _token("setup", str(len(self.setups)))
            setup["client_secret"] = setup["id"] + "_secret_" + _token("secret", setup["id"])
            setup["customer"] = params["customer"]
            self.setups[setup["id"]] = setup
            return 200, setup
        m = re.fullmatch(r"/v1/setup_intents/([^/]+)", path)
        if m and m.group(1) in self.setups:
            setup = copy.deepcopy(self.setups[m.group(1)])
            if setup["payment_method"] and "payment_method" in str(params.get("expand", "")):
                method_obj = fixture("payment_method")
                method_obj["id"] = setup["payment_method"]
                setup["payment_method"] = method_obj
            return 200, setup
        m = re.fullmatch(r"/v1/payment_methods/([^/]+)/detach", path)
        if m:
            self.detached.append(m.group(1))
            method_obj = fixture("payment_method")
            method_obj.update(id=m.group(1), customer=None)
            return 200, method_obj
        if path == "/v1/refunds" and method == "POST":
            return self._refund(params)
        if path == "/v1/refunds" and method == "GET":
            found = [r for r in self.refunds.values() if r["payment_intent"] == params.get("payment_intent")]
            return 200, {"object": "list", "data": found, "has_more": False, "url": "/v1/refunds"}
        return 404, {
            "error": {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "message": f"No such object: {path}",
            }
        }

    def _create_intent(self, params: dict[str, Any]) -> dict[str, Any]:
        intent = fixture("payment_intent")
        intent["id"] = "pi_" + _token("intent", str(len(self.intents)))
        intent["client_secret"] = intent["id"] + "_secret_" + _token("secret", intent["id"])
        intent["amount"] = int(params["amount"])
        intent["currency"] = params["currency"]
        intent["metadata"] = params.get("metadata", {})
        intent["description"] = params.get("description")
        intent["customer"] = params.get("customer")
        self.intents[intent["id"]] = intent
        return copy.deepcopy(intent)

    def _view(self, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        view = copy.deepcopy(intent)
        if self.lagging.get(intent["id"]):
            self.lagging[intent["id"]] -= 1
            view.update(status="processing", latest_charge=None)
        if view["latest_charge"] and "latest_charge" in str(params.get("expand", "")):
            charge = fixture("charge")
            charge.update(id=view["latest_charge"], amount=view["amount"], payment_intent=view["id"])
            charge["payment_method_details"]["card"]["brand"] = intent.get("_brand", "visa")
            charge["payment_method_details"]["card"]["last4"] = intent.get("_last4", "4242")
            view["latest_charge"] = charge
        return {k: v for k, v in view.items() if not k.startswith("_")}

    def _succeed(self, intent: dict[str, Any], *, card: str = "visa") -> None:
        intent.update(
            status="succeeded", amount_received=intent["amount"], last_payment_error=None, next_action=None
        )
        intent["latest_charge"] = "ch_" + _token("charge", intent["id"])
        intent["_brand"], intent["_last4"] = (card, "4242") if card == "visa" else (card, "4444")

    def _decline(self, intent: dict[str, Any], code: str) -> dict[str, Any]:
        error = fixture("card_error")["error"]
        error["decline_code"] = code if code != "decline" else "generic_decline"
        error["payment_intent"] = None
        intent.update(status="requires_payment_method", last_payment_error=error, next_action=None)
        intent["latest_charge"] = "ch_" + _token("declined", intent["id"], str(time.time_ns()))
        return error

    def _confirm_off_session(
        self, intent: dict[str, Any], params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            return 400, fixture("invalid_request_error")
        behaviour = OFF_SESSION.get(params.get("payment_method", ""), "decline")
        intent["payment_method"] = params.get("payment_method")
        if behaviour == "succeed":
            self._succeed(intent)
            return 200, self._view(intent, params)
        error = self._decline(intent, "insufficient_funds")
        error["payment_intent"] = self._view(intent, {})
        return 402, {"error": error}

    def _refund(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return 400, fixture("invalid_request_error")
        already = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"])
        amount = int(params.get("amount", intent["amount"] - already))
        if already + amount > intent["amount"]:
            error = {
                "error": {
                    "type": "invalid_request_error",
                    "code": "charge_already_refunded",
                    "message": "Refund amount is greater than unrefunded amount on charge.",
                }
            }
            return 400, error
        refund = fixture("refund")
        refund.update(
            id="re_" + _token("refund", str(len(self.refunds))),
            amount=amount,
            payment_intent=intent["id"],
            charge=intent["latest_charge"],
            reason=params.get("reason"),
        )
        self.refunds[refund["id"]] = refund
        return 200, refund

    # --- what Stripe would send as webhook objects ---

    def intent_object(self, intent_id: str) -> dict[str, Any]:
        return self._view(self.intents[intent_id], {})

    def charge_object(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents[intent_id]
        charge = fixture("charge")
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent_id)
        charge.update(
            id=intent["latest_charge"],
            amount=intent["amount"],
            amount_refunded=refunded,
            refunded=refunded == intent["amount"],
            payment_intent=intent_id,
        )
        return charge

    def dispute_object(self, intent_id: str) -> dict[str, Any]:
        dispute = fixture("dispute")
        dispute.update(
            payment_intent=intent_id,
            charge=self.intents[intent_id]["latest_charge"],
            amount=self.intents[intent_id]["amount"],
        )
        return dispute
