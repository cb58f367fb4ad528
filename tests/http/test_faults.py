"""When AWS fails under the portal: 503 with Retry-After in our shape, and nothing half-written.

A botocore hook in the in-process portal makes AWS calls fail the way AWS documents it: throttling, a 5xx,
an endpoint that does not answer. Each case checks the data afterwards through the API, fault cleared.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.http.conftest import ALEX, Answer, Faults, Portal, aws_error
from tests.local_portal import free_port


def assert_unavailable(answer: Answer) -> None:
    assert answer.status == 503, answer.text
    assert answer.error_code == "unavailable"
    assert int(answer.headers["Retry-After"]) > 0
    assert "Traceback" not in answer.text


def test_a_throttled_read_answers_503_and_retrying_works(portal_with_faults: tuple[Portal, Faults]) -> None:
    portal, faults = portal_with_faults
    faults.failing["dynamodb.Query"] = aws_error("ProvisionedThroughputExceededException", 400)
    assert_unavailable(portal.call("GET", f"/api/patients/{ALEX}/appointments", as_user="alex"))
    assert "dynamodb.Query" in faults.seen
    faults.clear()
    assert portal.call("GET", f"/api/patients/{ALEX}/appointments", as_user="alex").status == 200


@pytest.mark.parametrize(
    "fault",
    [aws_error("InternalServerError", 500), aws_error("ThrottlingException", 400)],
    ids=["5xx", "throttled"],
)
def test_a_failed_booking_leaves_the_slot_open_and_no_appointment(
    portal_with_faults: tuple[Portal, Faults], fault: Any
) -> None:
    portal, faults = portal_with_faults
    slots = portal.call("GET", f"/api/patients/{ALEX}/slots?visit_type=follow-up&days=14", as_user="alex")
    slot = slots.body["items"][-1]
    before = portal.call("GET", f"/api/patients/{ALEX}/appointments?limit=100", as_user="alex").body["items"]

    faults.failing["dynamodb.TransactWriteItems"] = fault
    answer = portal.call(
        "POST", f"/api/patients/{ALEX}/appointments", as_user="alex", json_body={"slot_id": slot["id"]}
    )
    assert_unavailable(answer)
    faults.clear()

    after = portal.call("GET", f"/api/patients/{ALEX}/appointments?limit=100", as_user="alex").body["items"]
    assert [item["id"] for item in after] == [item["id"] for item in before]
    again = portal.call("GET", f"/api/patients/{ALEX}/slots?visit_type=follow-up&days=14", as_user="alex")
    assert slot["id"] in {item["id"] for item in again.body["items"]}


def test_a_failed_payment_charges_nothing_and_moves_no_balance(
    portal_with_faults: tuple[Portal, Faults],
) -> None:
    portal, faults = portal_with_faults
    statement_path = f"/api/patients/{ALEX}/statements/st-demo-alex-due"
    balance = portal.call("GET", statement_path, as_user="alex").body["balance_cents"]
    payments_before = portal.call("GET", f"/api/patients/{ALEX}/payments", as_user="alex").body["items"]

    faults.failing["dynamodb.TransactWriteItems"] = aws_error("ProvisionedThroughputExceededException", 400)
    answer = portal.call(
        "POST",
        f"/api/patients/{ALEX}/payments",
        as_user="alex",
        json_body={
            "statement_id": "st-demo-alex-due",
            "amount_cents": 500,
            "currency": "USD",
        },
        headers={"Idempotency-Key": f"fault-{uuid.uuid4()}"},
    )
    assert_unavailable(answer)
    faults.clear()

    assert portal.call("GET", statement_path, as_user="alex").body["balance_cents"] == balance
    payments_after = portal.call("GET", f"/api/patients/{ALEX}/payments", as_user="alex").body["items"]
    succeeded = [p["id"] for p in payments_after if p["status"] == "succeeded"]
    assert succeeded == [p["id"] for p in payments_before if p["status"] == "succeeded"]


def test_an_unreachable_s3_answers_503_and_the_document_stays_pending(
    portal_with_faults: tuple[Portal, Faults],
) -> None:
    from botocore.exceptions import EndpointConnectionError

    portal, faults = portal_with_faults
    started = portal.call(
        "POST",
        f"/api/patients/{ALEX}/documents",
        as_user="alex",
        json_body={"filename": "card.pdf", "content_type": "application/pdf", "size": 1024},
    )
    assert started.status == 201, started.text
    document_id = started.body["document"]["id"] if "document" in started.body else started.body["id"]

    faults.failing["s3.HeadObject"] = EndpointConnectionError(endpoint_url="https://s3.example")
    answer = portal.call("POST", f"/api/patients/{ALEX}/documents/{document_id}/finalize", as_user="alex")
    assert_unavailable(answer)
    faults.clear()

    found = portal.call("GET", f"/api/patients/{ALEX}/documents/{document_id}", as_user="alex")
    assert found.status in (404, 409) or found.body.get("status") != "available", found.text


def test_a_failing_email_does_not_undo_the_decision_it_announces(
    portal_with_faults: tuple[Portal, Faults],
) -> None:
    portal, faults = portal_with_faults
    pharmacy = portal.call("GET", f"/api/patients/{ALEX}/pharmacies", as_user="alex").body["items"][0]["id"]
    requested = portal.call(
        "POST",
        f"/api/patients/{ALEX}/refill-requests",
        as_user="alex",
        json_body={"medication_id": "seed-p-4f1c2a9e-medication-3", "pharmacy_id": pharmacy},
    )
    assert requested.status == 201, requested.text

    faults.failing["ses.SendEmail"] = aws_error("Throttling", 400)
    decided = portal.call(
        "POST",
        f"/api/patients/{ALEX}/refill-requests/{requested.body['id']}/decision",
        as_user="drrivera",
        json_body={
            "decision": "approve",
            "prescription": {
                "drug": "Atorvastatin 20 mg tablet",
                "dose": "20 mg",
                "quantity": 30,
                "refills": 1,
                "pharmacy_id": pharmacy,
            },
        },
    )
    assert decided.status == 200, decided.text
    assert "ses.SendEmail" in faults.seen
    faults.clear()
    listed = portal.call("GET", f"/api/patients/{ALEX}/refill-requests", as_user="alex").body["items"]
    assert {r["id"]: r["status"] for r in listed}[requested.body["id"]] == "approved"


def test_signing_keys_down_cached_keys_keep_working_and_new_ones_answer_503(
    portal_with_faults: tuple[Portal, Faults], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.core import auth, config

    portal, _ = portal_with_faults
    assert portal.call("GET", "/api/me", as_user="alex").status == 200  # the key set is cached now

    monkeypatch.setenv("JWKS_URL", f"http://127.0.0.1:{free_port()}/.well-known/jwks.json")  # nobody there
    config.settings.cache_clear()
    try:
        assert portal.call("GET", "/api/me", as_user="alex").status == 200  # a cached key needs no fetch
        auth.reset_key_cache()  # as a new Lambda container starts, with no keys
        assert_unavailable(portal.call("GET", "/api/me", as_user="alex"))
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
        auth.reset_key_cache()
    assert portal.call("GET", "/api/me", as_user="alex").status == 200
