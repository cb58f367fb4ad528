"""Billing routes through chalice.test.Client with real Cognito tokens: statements, the
ledger, the work list, payments with Idempotency-Key, receipts, plans and the jobs route."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.billing.providers.simulated import SimulatedProvider
from chalicelib.core.identity import Role
from tests.api.billing_samples import statement_body
from tests.api.conftest import User, UserFactory


@pytest.fixture
def patient(make_user: UserFactory) -> User:
    return make_user(Role.PATIENT, name="Paula Payer")


@pytest.fixture
def billing(make_user: UserFactory) -> User:
    return make_user(Role.BILLING, name="Bill Ing")


@pytest.fixture
def simulated() -> SimulatedProvider:
    return SimulatedProvider.shared()


def _post(api: Client, path: str, who: User, body: Any = None, **headers: str) -> Any:
    payload = json.dumps(body).encode() if body is not None else b""
    return api.http.post(
        path, headers={**who.auth, "Content-Type": "application/json", **headers}, body=payload
    )


def _statement(api: Client, billing: User, patient: User, cents: int = 15_000) -> dict[str, Any]:
    response = _post(api, f"/patients/{patient.patient_id}/statements", billing, statement_body(cents))
    assert response.status_code == 201, response.body
    return dict(response.json_body)


def _pay(api: Client, patient: User, body: dict[str, Any], key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return _post(api, f"/patients/{patient.patient_id}/payments", patient, body, **headers)


def test_statement_lifecycle(api: Client, billing: User, patient: User) -> None:
    statement = _statement(api, billing, patient, 12_345)
    assert (statement["balance_cents"], statement["state"]) == (12_345, "due")
    base = f"/patients/{patient.patient_id}"
    listing = api.http.get(f"{base}/statements", headers=patient.auth).json_body
    assert listing["summary"]["balance_cents"] == 12_345
    assert [s["id"] for s in listing["items"]] == [statement["id"]]
    detail = api.http.get(f"{base}/statements/{statement['id']}", headers=patient.auth)
    assert detail.status_code == 200
    printable = api.http.get(f"{base}/statements/{statement['id']}/printable", headers=patient.auth)
    assert printable.json_body["patient_name"] == "Paula Payer"
    work = api.http.get("/staff/billing/open-balances?limit=100", headers=billing.auth).json_body
    assert statement["id"] in {i["statement_id"] for i in work["items"]}
    voided = _post(api, f"{base}/statements/{statement['id']}/void", billing, {"reason": "Wrong visit"})
    assert (voided.status_code, voided.json_body["status"]) == (200, "void")
    ledger = api.http.get(f"{base}/ledger", headers=billing.auth).json_body
    assert sorted(e["amount_cents"] for e in ledger["items"]) == [-12_345, 12_345]


def test_patients_cannot_post_statements_and_bad_money_is_400(
    api: Client, billing: User, patient: User
) -> None:
    path = f"/patients/{patient.patient_id}/statements"
    assert _post(api, path, patient, statement_body()).status_code == 403
    bad = statement_body()
    bad["lines"][0]["charge_cents"] = 10.5
    response = _post(api, path, billing, bad)
    assert response.status_code == 400
    assert "lines.0.charge_cents" in response.json_body["error"]["fields"]


def _confirm(api: Client, patient: User, payment: dict[str, Any], **answer: Any) -> Any:
    """What the processor's script does in the browser (simulated processor: a route of ours)."""
    path = f"/patients/{patient.patient_id}/payments/{payment['id']}/simulated-confirmation"
    return _post(api, path, patient, {"client_secret": payment["next_action"]["client_secret"], **answer})


def test_pay_with_an_idempotency_key(api: Client, billing: User, patient: User) -> None:
    statement = _statement(api, billing, patient)
    body = {"statement_id": statement["id"], "amount_cents": 5_000, "currency": "USD"}
    key = f"api-{uuid.uuid4().hex}"
    first = _pay(api, patient, body, key)
    assert first.status_code == 201, first.body
    assert (first.json_body["status"], first.json_body["next_action"]["type"]) == (
        "requires_payment_method",
        "confirm_card",
    )
    again = _pay(api, patient, body, key)
    assert (again.status_code, again.json_body) == (201, first.json_body)
    paid = _confirm(api, patient, first.json_body, card_token="sim_tok_4242")
    assert (paid.status_code, paid.json_body["status"], paid.json_body["card_last4"]) == (
        200,
        "succeeded",
        "4242",
    )
    receipt = api.http.get(
        f"/patients/{patient.patient_id}/payments/{first.json_body['id']}/receipt", headers=patient.auth
    )
    assert receipt.json_body["receipt_number"] == paid.json_body["receipt_number"]
    history = api.http.get(f"/patients/{patient.patient_id}/payments", headers=patient.auth).json_body
    assert [p["id"] for p in history["items"]] == [first.json_body["id"]]
    assert history["items"][0]["next_action"] is None  # lists never carry a client secret


def test_an_attempt_a_newer_tab_replaced_while_it_started_is_a_409_and_the_newer_one_pays(
    api: Client, billing: User, patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.billing.store import payments as payment_store

    statement = _statement(api, billing, patient)
    body = {"statement_id": statement["id"], "amount_cents": 5_000, "currency": "USD"}
    attach = payment_store.attach_intent
    newer: list[Any] = []
    started_again = False

    def attach_then_another_tab_pays(*args: Any, **kwargs: Any) -> None:
        nonlocal started_again
        attach(*args, **kwargs)
        if not started_again:  # the same person starts again in another tab before this answer is sent
            started_again = True
            newer.append(_pay(api, patient, body, f"api-{uuid.uuid4().hex}"))

    monkeypatch.setattr(payment_store, "attach_intent", attach_then_another_tab_pays)
    older = _pay(api, patient, body, f"api-{uuid.uuid4().hex}")

    assert older.status_code == 409, older.body
    assert "newer payment" in older.json_body["error"]["message"]
    [replacing] = newer
    assert replacing.status_code == 201, replacing.body
    assert (
        _confirm(api, patient, replacing.json_body, card_token="sim_tok_4242").json_body["status"]
        == "succeeded"
    )
    history = api.http.get(f"/patients/{patient.patient_id}/payments", headers=patient.auth).json_body
    assert sorted(p["status"] for p in history["items"]) == ["canceled", "succeeded"]


def test_payment_refusals_are_clear_and_change_nothing(api: Client, billing: User, patient: User) -> None:
    statement = _statement(api, billing, patient, 10_000)
    body = {"statement_id": statement["id"], "amount_cents": 1_000, "currency": "USD"}

    missing = _pay(api, patient, body, None)
    assert (missing.status_code, missing.json_body["error"]["fields"]) == (
        400,
        {"Idempotency-Key": "required"},
    )
    zero = _pay(api, patient, {**body, "amount_cents": 0}, f"api-{uuid.uuid4().hex}")
    assert (zero.status_code, list(zero.json_body["error"]["fields"])) == (400, ["amount_cents"])
    over = _pay(api, patient, {**body, "amount_cents": 10_001}, f"api-{uuid.uuid4().hex}")
    assert (over.status_code, over.json_body["error"]["code"]) == (409, "amount_exceeds_balance")
    a_card = _pay(api, patient, {**body, "card_number": "4242424242424242"}, f"api-{uuid.uuid4().hex}")
    assert a_card.status_code == 400  # no card detail is ever accepted by the API

    started = _pay(api, patient, body, f"api-{uuid.uuid4().hex}")
    declined = _confirm(api, patient, started.json_body, card_token="sim_tok_0002")
    assert (declined.status_code, declined.json_body["status"]) == (200, "declined")
    assert "declined" in declined.json_body["message"]

    key = f"api-{uuid.uuid4().hex}"
    made = _pay(api, patient, body, key)
    assert (
        _confirm(api, patient, made.json_body, card_token="sim_tok_4242").json_body["status"] == "succeeded"
    )
    reused = _pay(api, patient, {**body, "amount_cents": 2_000}, key)
    assert (reused.status_code, reused.json_body["error"]["code"]) == (422, "idempotency_key_reused")

    after = api.http.get(f"/patients/{patient.patient_id}/statements/{statement['id']}", headers=patient.auth)
    assert (after.json_body["balance_cents"], after.json_body["paid_cents"]) == (9_000, 1_000)


def test_three_d_secure_and_refresh(
    api: Client, billing: User, patient: User, make_user: UserFactory
) -> None:
    statement = _statement(api, billing, patient)
    body = {"statement_id": statement["id"], "amount_cents": 900, "currency": "USD"}
    started = _pay(api, patient, body, f"api-{uuid.uuid4().hex}")
    asked = _confirm(api, patient, started.json_body, card_token="sim_tok_3184")
    assert (asked.json_body["status"], asked.json_body["next_action"]["type"]) == (
        "requires_action",
        "authenticate",
    )

    other = make_user(Role.PATIENT, name="Other Person")
    elsewhere = f"/patients/{other.patient_id}/payments/{started.json_body['id']}/simulated-confirmation"
    answer = {"client_secret": asked.json_body["next_action"]["client_secret"], "approve": True}
    assert _post(api, elsewhere, other, answer).status_code == 404
    assert _confirm(api, patient, asked.json_body, approve="yes please").status_code == 400

    done = _confirm(api, patient, asked.json_body, approve=True)
    assert (done.status_code, done.json_body["status"]) == (200, "succeeded")
    refreshed = _post(
        api, f"/patients/{patient.patient_id}/payments/{started.json_body['id']}/refresh", patient
    )
    assert (refreshed.status_code, refreshed.json_body["status"]) == (200, "succeeded")
    assert _confirm(api, patient, asked.json_body, approve=False).status_code == 409  # answered already


def test_the_webhook_route_verifies_raw_bytes_and_handles_each_event_once(
    api: Client, billing: User, patient: User, simulated: SimulatedProvider
) -> None:
    import time

    from chalicelib.billing.providers.simulated import sign

    statement = _statement(api, billing, patient)
    started = _pay(
        api, patient, {"statement_id": statement["id"], "currency": "USD"}, f"api-{uuid.uuid4().hex}"
    ).json_body
    intent_id = next(
        i.id for i in simulated.intents() if i.client_secret == started["next_action"]["client_secret"]
    )
    simulated.confirm(
        started["next_action"]["client_secret"], card_token="sim_tok_timeout"
    )  # webhook is late
    payload = json.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "type": "payment_intent.succeeded",
            "data": {"object": {"id": intent_id}},
        },
        indent=1,  # bytes exactly as sent: a re-serialized body would not match the signature
    ).encode()

    def deliver(signature: str, body: bytes = payload) -> Any:
        headers = {"Stripe-Signature": signature, "Content-Type": "application/json; charset=utf-8"}
        return api.http.post("/webhooks/stripe", headers=headers, body=body)

    now = int(time.time())
    refused = [
        deliver(sign(payload, now, secret="whsec_not_ours")),
        deliver(sign(payload, now - 600)),  # a replay outside the tolerance
        deliver(sign(payload, now), payload.replace(b"succeeded", b"canceled")),
        deliver(""),
    ]
    assert {(r.status_code, r.json_body["error"]["code"]) for r in refused} == {(400, "invalid_webhook")}
    after = api.http.get(f"/patients/{patient.patient_id}/statements/{statement['id']}", headers=patient.auth)
    assert after.json_body["paid_cents"] == 0

    answers = [deliver(sign(payload, now)) for _ in range(3)]
    assert [(a.status_code, a.json_body) for a in answers] == [
        (200, {"received": "handled"}),
        (200, {"received": "duplicate"}),
        (200, {"received": "duplicate"}),
    ]
    paid = api.http.get(f"/patients/{patient.patient_id}/statements/{statement['id']}", headers=patient.auth)
    assert (paid.json_body["status"], paid.json_body["paid_cents"]) == ("paid", 15_000)


def test_saved_card_plans_refunds_disputes_and_jobs(
    api: Client, make_user: UserFactory, billing: User, patient: User, simulated: SimulatedProvider
) -> None:
    from datetime import UTC, datetime, timedelta

    base = f"/patients/{patient.patient_id}"
    statement = _statement(api, billing, patient, 30_000)
    first = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    body = {"statement_id": statement["id"], "months": 3, "first_due_date": first}
    no_card = _post(api, f"{base}/payment-plans", patient, body)
    assert (no_card.status_code, no_card.json_body["error"]["message"]) == (
        409,
        "save a card for the plan's payments first",
    )

    setup = _post(api, f"{base}/saved-card/setup", patient)
    assert setup.status_code == 201
    saved = _post(
        api,
        f"{base}/saved-card/simulated-setup",
        patient,
        {"client_secret": setup.json_body["client_secret"], "card_token": "sim_tok_4444"},
    )
    assert saved.json_body["card"]["card_last4"] == "4444"
    assert (
        api.http.get(f"{base}/saved-card", headers=billing.auth).json_body["card"]["card_brand"]
        == "mastercard"
    )

    created = _post(api, f"{base}/payment-plans", patient, body)
    assert created.status_code == 201, created.body
    assert (
        created.json_body["card_last4"],
        [i["amount_cents"] for i in created.json_body["installments"]],
    ) == (
        "4444",
        [10_000, 10_000, 10_000],
    )
    cancelled = _post(api, f"{base}/payment-plans/{created.json_body['id']}/cancel", billing)
    assert cancelled.json_body["status"] == "cancelled"
    assert _post(api, f"{base}/saved-card/remove", patient).json_body == {"card": None}

    # Billing staff refund part of a payment; the patient cannot
    started = _pay(
        api, patient, {"statement_id": statement["id"], "currency": "USD"}, f"api-{uuid.uuid4().hex}"
    )
    _confirm(api, patient, started.json_body, card_token="sim_tok_4242")
    refund = {"amount_cents": 1_234, "reason": "billing_error", "note": "Posted twice"}
    refunds = f"{base}/payments/{started.json_body['id']}/refunds"
    key = {"Idempotency-Key": f"api-{uuid.uuid4().hex}"}
    assert _post(api, refunds, patient, refund, **key).status_code == 403
    made = _post(api, refunds, billing, refund, **key)
    assert (made.status_code, made.json_body["amount_cents"]) == (201, 1_234)
    receipt = api.http.get(
        f"{base}/payments/{started.json_body['id']}/receipt", headers=patient.auth
    ).json_body
    assert (receipt["payment"]["refunded_cents"], receipt["statement_balance_cents"]) == (1_234, 1_234)

    # A dispute reaches the billing work list
    secret = started.json_body["next_action"]["client_secret"]
    intent = next(i.id for i in simulated.intents() if i.id in secret)
    simulated.open_dispute(intent)
    jobs = _post(api, "/staff/billing/run-jobs", make_user(Role.ADMIN, name="Ad Min"))
    assert jobs.status_code == 200
    assert jobs.json_body["events_delivered"] >= 1
    disputes = api.http.get("/staff/billing/disputes", headers=billing.auth).json_body["items"]
    assert [(d["payment_id"], d["status"]) for d in disputes] == [(started.json_body["id"], "needs_response")]


def test_settings_for_the_browser(api: Client, patient: User) -> None:
    settings = api.http.get("/billing/settings", headers=patient.auth).json_body
    assert settings["provider"] == "simulated"
    assert {"number": "4242 4242 4242 4242", "token": "sim_tok_4242", "outcome": "succeeds"} in settings[
        "test_cards"
    ]
