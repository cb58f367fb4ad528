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


def test_pay_with_an_idempotency_key(api: Client, billing: User, patient: User) -> None:
    statement = _statement(api, billing, patient)
    body = {
        "statement_id": statement["id"],
        "amount_cents": 5_000,
        "currency": "USD",
        "card_token": "sim_tok_4242",
    }
    key = f"api-{uuid.uuid4().hex}"
    first = _pay(api, patient, body, key)
    assert first.status_code == 201, first.body
    assert (first.json_body["status"], first.json_body["card_last4"]) == ("succeeded", "4242")
    again = _pay(api, patient, body, key)
    assert (again.status_code, again.json_body) == (201, first.json_body)
    receipt = api.http.get(
        f"/patients/{patient.patient_id}/payments/{first.json_body['id']}/receipt", headers=patient.auth
    )
    assert receipt.json_body["receipt_number"] == first.json_body["receipt_number"]
    history = api.http.get(f"/patients/{patient.patient_id}/payments", headers=patient.auth).json_body
    assert [p["id"] for p in history["items"]] == [first.json_body["id"]]


def test_payment_refusals_are_clear_and_change_nothing(api: Client, billing: User, patient: User) -> None:
    statement = _statement(api, billing, patient, 10_000)
    body = {
        "statement_id": statement["id"],
        "amount_cents": 1_000,
        "currency": "USD",
        "card_token": "sim_tok_4242",
    }

    missing = _pay(api, patient, body, None)
    assert (missing.status_code, missing.json_body["error"]["fields"]) == (
        400,
        {"Idempotency-Key": "required"},
    )

    zero = _pay(api, patient, {**body, "amount_cents": 0}, f"api-{uuid.uuid4().hex}")
    assert (zero.status_code, list(zero.json_body["error"]["fields"])) == (400, ["amount_cents"])

    over = _pay(api, patient, {**body, "amount_cents": 10_001}, f"api-{uuid.uuid4().hex}")
    assert (over.status_code, over.json_body["error"]["code"]) == (409, "amount_exceeds_balance")

    declined = _pay(api, patient, {**body, "card_token": "sim_tok_0002"}, f"api-{uuid.uuid4().hex}")
    assert declined.status_code == 402
    assert declined.json_body["error"]["code"] == "card_declined"
    assert "declined" in declined.json_body["error"]["message"]

    key = f"api-{uuid.uuid4().hex}"
    assert _pay(api, patient, body, key).status_code == 201
    reused = _pay(api, patient, {**body, "amount_cents": 2_000}, key)
    assert (reused.status_code, reused.json_body["error"]["code"]) == (422, "idempotency_key_reused")

    after = api.http.get(f"/patients/{patient.patient_id}/statements/{statement['id']}", headers=patient.auth)
    assert (after.json_body["balance_cents"], after.json_body["paid_cents"]) == (9_000, 1_000)


def test_confirmation_pending_and_refresh(
    api: Client, billing: User, patient: User, simulated: SimulatedProvider
) -> None:
    statement = _statement(api, billing, patient)
    body = {
        "statement_id": statement["id"],
        "amount_cents": 700,
        "currency": "USD",
        "card_token": "sim_tok_3184",
    }
    started = _pay(api, patient, body, f"api-{uuid.uuid4().hex}")
    assert (started.status_code, started.json_body["status"]) == (202, "requires_action")
    simulated.complete_action(client_secret=started.json_body["next_action"]["client_secret"], approve=True)
    done = _post(api, f"/patients/{patient.patient_id}/payments/{started.json_body['id']}/refresh", patient)
    assert (done.status_code, done.json_body["status"]) == (200, "succeeded")

    lost = _pay(api, patient, {**body, "card_token": "sim_tok_timeout"}, f"api-{uuid.uuid4().hex}")
    assert (lost.status_code, lost.json_body["status"]) == (202, "pending")


def test_simulated_confirmation_step_in_the_demo_clinic(
    api: Client, billing: User, patient: User, make_user: UserFactory
) -> None:
    # Given a payment waiting for the card issuer's confirmation
    statement = _statement(api, billing, patient)
    body = {
        "statement_id": statement["id"],
        "amount_cents": 900,
        "currency": "USD",
        "card_token": "sim_tok_3184",
    }
    started = _pay(api, patient, body, f"api-{uuid.uuid4().hex}")
    assert started.json_body["status"] == "requires_action"
    path = f"/patients/{patient.patient_id}/payments/{started.json_body['id']}/simulated-confirmation"

    # Another patient cannot answer it, and a non-boolean answer is refused
    other = make_user(Role.PATIENT, name="Other Person")
    elsewhere = f"/patients/{other.patient_id}/payments/{started.json_body['id']}/simulated-confirmation"
    assert _post(api, elsewhere, other, {"approve": True}).status_code == 404
    assert _post(api, path, patient, {"approve": "yes please"}).status_code == 400

    # When the patient confirms it, the payment goes through and lowers the balance
    done = _post(api, path, patient, {"approve": True})
    assert (done.status_code, done.json_body["status"]) == (200, "succeeded")
    after = api.http.get(f"/patients/{patient.patient_id}/statements/{statement['id']}", headers=patient.auth)
    assert after.json_body["balance_cents"] == statement["balance_cents"] - 900

    # And answering again is a clear conflict that changes nothing
    again = _post(api, path, patient, {"approve": False})
    assert again.status_code == 409

    # A refused confirmation declines the payment and releases the amount
    refused = _pay(api, patient, body, f"api-{uuid.uuid4().hex}")
    path = f"/patients/{patient.patient_id}/payments/{refused.json_body['id']}/simulated-confirmation"
    declined = _post(api, path, patient, {"approve": False})
    assert (declined.status_code, declined.json_body["status"]) == (200, "declined")
    final = api.http.get(f"/patients/{patient.patient_id}/statements/{statement['id']}", headers=patient.auth)
    assert (final.json_body["balance_cents"], final.json_body["pending_cents"]) == (
        statement["balance_cents"] - 900,
        0,
    )


def test_payment_plans_and_jobs(api: Client, make_user: UserFactory, billing: User, patient: User) -> None:
    from datetime import UTC, datetime, timedelta

    statement = _statement(api, billing, patient, 30_000)
    first = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    body = {
        "statement_id": statement["id"],
        "months": 3,
        "card_token": "sim_tok_4242",
        "first_due_date": first,
    }
    created = _post(api, f"/patients/{patient.patient_id}/payment-plans", patient, body)
    assert created.status_code == 201, created.body
    assert [i["amount_cents"] for i in created.json_body["installments"]] == [10_000, 10_000, 10_000]
    too_long = _post(api, f"/patients/{patient.patient_id}/payment-plans", patient, {**body, "months": 40})
    assert too_long.status_code in (400, 409)
    cancelled = _post(
        api, f"/patients/{patient.patient_id}/payment-plans/{created.json_body['id']}/cancel", billing
    )
    assert cancelled.json_body["status"] == "cancelled"
    jobs = _post(api, "/staff/billing/run-jobs", make_user(Role.ADMIN, name="Ad Min"))
    assert jobs.status_code == 200
    assert set(jobs.json_body) == {"installments_charged", "installments_failed", "payments_reconciled"}


def test_settings_for_the_browser(api: Client, patient: User) -> None:
    settings = api.http.get("/billing/settings", headers=patient.auth).json_body
    assert settings["provider"] == "simulated"
    assert {"number": "4242 4242 4242 4242", "token": "sim_tok_4242", "outcome": "succeeds"} in settings[
        "test_cards"
    ]
