"""Refill requests and saved pharmacies through the API: the whole flow and every refusal."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory
from tests.api.messages_samples import PHARMACY

MEDICATION = {
    "name": "Atorvastatin 20 mg tablet",
    "dose": "20 mg",
    "instructions": "One tablet at bedtime",
    "prescriber": "Dr. Who",
    "start_date": "2024-02-01",
}


def _send(api: Client, method: str, url: str, user: User, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    return api.http.request(method, url, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


def _medication(api: Client, doctor: User, pid: str | None, **overrides: Any) -> str:
    created = _send(api, "POST", f"/patients/{pid}/medications", doctor, {**MEDICATION, **overrides})
    assert created.status_code == 201, created.body
    return str(created.json_body["id"])


def _pharmacy(api: Client, user: User, pid: str | None) -> str:
    created = _send(api, "POST", f"/patients/{pid}/pharmacies", user, PHARMACY)
    assert created.status_code == 201, created.body
    return str(created.json_body["id"])


def test_request_refuse_a_duplicate_then_approve(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    url = f"/patients/{pid}/profile"
    version = api.http.get(url, headers=patient.auth).json_body["version"]
    _send(api, "PATCH", url, patient, {"version": version, "email": "alice.refill@example.com"})

    pharmacy = _pharmacy(api, patient, pid)
    assert [
        p["id"] for p in api.http.get(f"/patients/{pid}/pharmacies", headers=patient.auth).json_body["items"]
    ] == [pharmacy]
    med = _medication(api, doctor, pid)

    body = {"medication_id": med, "pharmacy_id": pharmacy, "note": "Two pills left"}
    asked = _send(api, "POST", f"/patients/{pid}/refill-requests", patient, body)
    assert asked.status_code == 201, asked.body
    assert asked.json_body["status"] == "open"
    again = _send(api, "POST", f"/patients/{pid}/refill-requests", patient, body)
    assert again.status_code == 409
    assert "already an open refill request" in again.json_body["error"]["message"]

    waiting = api.http.get("/staff/refill-requests?limit=100", headers=doctor.auth).json_body["items"]
    assert asked.json_body["id"] in [w["id"] for w in waiting]

    decision = f"/patients/{pid}/refill-requests/{asked.json_body['id']}/decision"
    no_reason = _send(api, "POST", decision, doctor, {"decision": "deny"})
    assert no_reason.status_code == 400
    unnamed = _send(api, "POST", decision, doctor, {"decision": "approve"})
    assert unnamed.status_code == 400  # an approval names the prescription
    approval = {
        "decision": "approve",
        "note": "Sent to Main Street.",
        "prescription": {
            "drug": "Atorvastatin 20 mg tablet",
            "dose": "20 mg",
            "quantity": 90,
            "refills": 3,
            "pharmacy_id": pharmacy,
        },
    }
    not_yet = api.http.get(f"{decision.removesuffix('/decision')}/prescription", headers=doctor.auth)
    assert not_yet.status_code == 409
    approved = _send(api, "POST", decision, doctor, approval)
    assert approved.status_code == 200, approved.body
    printed = api.http.get(f"{decision.removesuffix('/decision')}/prescription", headers=doctor.auth)
    assert printed.status_code == 200, printed.body
    assert (printed.json_body["quantity"], printed.json_body["refills"]) == (90, 3)
    assert printed.json_body["patient_birth_date"] == "1980-05-17"
    assert "note" not in printed.json_body  # the pharmacy gets what it needs to fill, not the conversation
    assert (
        api.http.get(f"{decision.removesuffix('/decision')}/prescription", headers=patient.auth).status_code
        == 403
    )
    assert _send(api, "POST", decision, doctor, {"decision": "deny", "note": "no"}).status_code == 409

    mine = api.http.get(f"/patients/{pid}/refill-requests", headers=patient.auth).json_body["items"]
    assert [(r["status"], r["decision_note"]) for r in mine] == [("approved", "Sent to Main Street.")]
    assert (mine[0]["prescription"]["quantity"], mine[0]["prescription"]["refills"]) == (90, 3)
    [mail] = _emails_to("alice.refill@example.com")
    assert "Atorvastatin" not in mail.subject + mail.body
    assert "Main Street" not in mail.subject + mail.body

    log = [
        e["action"]
        for e in api.http.get(
            f"/patients/{pid}/access-log?limit=100&include_own=true", headers=patient.auth
        ).json_body["items"]
    ]
    for action in (
        "pharmacy.create",
        "pharmacy.list",
        "refill.create",
        "refill.worklist",
        "refill.approve",
        "refill.print",
        "refill.list",
    ):
        assert action in log, action


def test_bad_refills_are_clear_400s_and_write_nothing(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    bob = make_user(Role.PATIENT, name="Bob Beta")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = alice.patient_id
    pharmacy = _pharmacy(api, alice, pid)
    stopped = _medication(api, doctor, pid, status="stopped", end_date="2025-01-01")
    bobs_med = _medication(api, doctor, bob.patient_id)
    bobs_pharmacy = _pharmacy(api, bob, bob.patient_id)
    active = _medication(api, doctor, pid)

    cases: list[tuple[dict[str, Any], str]] = [
        ({"medication_id": stopped, "pharmacy_id": pharmacy}, "medication_id"),
        ({"medication_id": bobs_med, "pharmacy_id": pharmacy}, "medication_id"),
        ({"medication_id": active, "pharmacy_id": bobs_pharmacy}, "pharmacy_id"),
        ({"medication_id": active}, "pharmacy_id"),
        ({"medication_id": active, "pharmacy_id": pharmacy, "note": "x" * 501}, "note"),
        ({"medication_id": active, "pharmacy_id": pharmacy, "status": "approved"}, "status"),
    ]
    for body, field in cases:
        response = _send(api, "POST", f"/patients/{pid}/refill-requests", alice, body)
        assert response.status_code == 400, (field, response.body)
        assert field in response.json_body["error"]["fields"], (field, response.body)
    stopped_answer = _send(api, "POST", f"/patients/{pid}/refill-requests", alice, cases[0][0])
    assert "stopped" in stopped_answer.json_body["error"]["fields"]["medication_id"]
    assert api.http.get(f"/patients/{pid}/refill-requests", headers=alice.auth).json_body["items"] == []


def test_other_patients_and_roles_are_kept_out(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    bob = make_user(Role.PATIENT, name="Bob Beta")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    desk = make_user(Role.FRONT_DESK, name="Desk")
    pid = alice.patient_id
    pharmacy = _pharmacy(api, desk, pid)  # the front desk may save one for the patient
    asked = _send(
        api,
        "POST",
        f"/patients/{pid}/refill-requests",
        alice,
        {"medication_id": _medication(api, doctor, pid), "pharmacy_id": pharmacy},
    ).json_body

    assert api.http.get(f"/patients/{pid}/refill-requests", headers=bob.auth).status_code == 404
    assert api.http.get(f"/patients/{pid}/pharmacies", headers=bob.auth).status_code == 404
    assert _send(api, "DELETE", f"/patients/{pid}/pharmacies/{pharmacy}", bob).status_code == 404
    decision = f"/patients/{pid}/refill-requests/{asked['id']}/decision"
    assert _send(api, "POST", decision, alice, {"decision": "approve"}).status_code == 403
    assert _send(api, "POST", decision, desk, {"decision": "approve"}).status_code == 403
    assert api.http.get("/staff/refill-requests", headers=desk.auth).status_code == 403
    other = f"/patients/{bob.patient_id}/refill-requests/{asked['id']}/decision"
    rx = {"drug": "Atorvastatin", "dose": "20 mg", "quantity": 30, "refills": 0, "pharmacy_id": pharmacy}
    assert _send(api, "POST", other, doctor, {"decision": "approve", "prescription": rx}).status_code == 404
    printed = f"/patients/{bob.patient_id}/refill-requests/{asked['id']}/prescription"
    assert api.http.get(printed, headers=doctor.auth).status_code == 404

    assert _send(api, "DELETE", f"/patients/{pid}/pharmacies/{pharmacy}", alice).status_code == 204
    assert _send(api, "DELETE", f"/patients/{pid}/pharmacies/{pharmacy}", alice).status_code == 404
    # The request keeps its own copy of the pharmacy.
    mine = api.http.get(f"/patients/{pid}/refill-requests", headers=alice.auth).json_body["items"]
    assert mine[0]["pharmacy"]["name"] == "Main Street Pharmacy"
