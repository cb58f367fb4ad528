"""The health record routes as the web app uses them: a clinician writes, the patient reads."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory
from tests.api.records_samples import PLURAL, RECORD_BODIES


def _send(api: Client, method: str, url: str, user: User, body: Any) -> Any:
    return api.http.request(
        method, url, headers={**user.auth, "Content-Type": "application/json"}, body=json.dumps(body).encode()
    )


def test_clinician_adds_every_kind_and_the_patient_sees_the_summary(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    for kind, plural in PLURAL.items():
        created = _send(api, "POST", f"/patients/{pid}/{plural}", doctor, RECORD_BODIES[kind])
        assert created.status_code == 201, (kind, created.body)
        assert created.json_body["kind"] == kind
        assert created.json_body["updated_by"] == "Dr. Who"

    summary = api.http.get(f"/patients/{pid}/summary", headers=patient.auth)

    assert summary.status_code == 200
    body = summary.json_body
    assert [
        len(body[key]) for key in ("problems", "medications", "allergies", "immunizations", "visits")
    ] == [
        1,
        1,
        1,
        1,
        1,
    ]
    assert body["visits"][0]["follow_up"] == "One year"
    log = api.http.get(f"/patients/{pid}/access-log?include_own=true", headers=patient.auth).json_body[
        "items"
    ]
    labels = [entry["action_label"] for entry in log]
    assert "Viewed health summary" in labels
    assert "Added a medication" in labels


def test_update_needs_the_current_version(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    created = _send(
        api, "POST", f"/patients/{pid}/medications", doctor, RECORD_BODIES["medication"]
    ).json_body
    url = f"/patients/{pid}/medications/{created['id']}"

    stopped = _send(
        api, "PUT", url, doctor, {**RECORD_BODIES["medication"], "status": "stopped", "version": 1}
    )
    stale = _send(api, "PUT", url, doctor, {**RECORD_BODIES["medication"], "version": 1})

    assert (stopped.status_code, stopped.json_body["version"], stopped.json_body["status"]) == (
        200,
        2,
        "stopped",
    )
    assert stale.status_code == 409
    assert stale.json_body["error"]["code"] == "conflict"
    missing = _send(
        api, "PUT", f"/patients/{pid}/medications/nope", doctor, {**RECORD_BODIES["medication"], "version": 1}
    )
    assert missing.status_code == 404


def test_bad_entries_name_their_fields_and_write_nothing(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    response = _send(
        api,
        "POST",
        f"/patients/{pid}/medications",
        doctor,
        {**RECORD_BODIES["medication"], "start_date": "2999-01-01", "dose": "", "PK": "PATIENT#x"},
    )
    assert response.status_code == 400
    assert {"start_date", "dose", "PK"} <= set(response.json_body["error"]["fields"])
    assert api.http.get(f"/patients/{pid}/summary", headers=patient.auth).json_body["medications"] == []


def test_unknown_patient_is_404_for_clinicians(api: Client, make_user: UserFactory) -> None:
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    response = _send(api, "POST", "/patients/p-nobody/problems", doctor, RECORD_BODIES["problem"])
    assert response.status_code == 404
    assert api.http.get("/patients/p-nobody/summary", headers=doctor.auth).status_code == 404
