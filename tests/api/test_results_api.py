"""The result routes as the web app uses them: release rules, holds, the work list, trends, bad input."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory
from tests.api.records_samples import hold_body, result_body


def _send(api: Client, method: str, url: str, user: User, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    return api.http.request(method, url, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


def _patient_with_email(api: Client, make_user: UserFactory, email: str) -> User:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    pid = patient.patient_id
    version = api.http.get(f"/patients/{pid}/profile", headers=patient.auth).json_body["version"]
    saved = _send(api, "PATCH", f"/patients/{pid}/profile", patient, {"version": version, "email": email})
    assert saved.status_code == 200, saved.body
    return patient


def test_review_first_holds_back_only_that_category_until_a_clinician_releases_it(
    api: Client, make_user: UserFactory
) -> None:
    patient = _patient_with_email(api, make_user, "alice.results@example.com")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id

    prefs = _send(
        api,
        "PUT",
        f"/patients/{pid}/result-preferences",
        patient,
        {"version": 0, "categories": {"pathology": {"review_first": True, "max_wait_days": 7}}},
    )
    assert prefs.status_code == 200, prefs.body
    assert [c["id"] for c in prefs.json_body["categories"] if c["review_first"]] == ["pathology"]

    biopsy = _send(
        api, "POST", f"/patients/{pid}/results", doctor, result_body("pathology", name="Skin biopsy")
    )
    lab = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body())
    assert (biopsy.status_code, lab.status_code) == (201, 201)
    assert biopsy.json_body["release"]["state"] == "awaiting_review"
    assert lab.json_body["release"]["state"] == "released"

    listed = api.http.get(f"/patients/{pid}/results", headers=patient.auth).json_body
    assert [r["id"] for r in listed["items"]] == [lab.json_body["id"]]
    assert listed["items"][0]["is_new"] is True
    hidden = api.http.get(f"/patients/{pid}/results/{biopsy.json_body['id']}", headers=patient.auth)
    assert hidden.status_code == 404
    waiting = api.http.get("/staff/results/waiting?limit=100", headers=doctor.auth).json_body["items"]
    assert biopsy.json_body["id"] in [w["result_id"] for w in waiting]
    assert len(_emails_to("alice.results@example.com")) == 1

    released = _send(
        api,
        "POST",
        f"/patients/{pid}/results/{biopsy.json_body['id']}/review",
        doctor,
        {"comment": "Benign, nothing to do.", "release": True},
    )
    assert released.status_code == 200, released.body

    opened = api.http.get(f"/patients/{pid}/results/{biopsy.json_body['id']}", headers=patient.auth)
    assert opened.status_code == 200
    assert opened.json_body["comment"] == "Benign, nothing to do."
    assert opened.json_body["reviewed"] is True
    assert "release" not in opened.json_body or opened.json_body["release"] is None
    [_first, second] = _emails_to("alice.results@example.com")
    assert "Benign" not in second.body
    assert "biopsy" not in second.body.lower()
    log = api.http.get(
        f"/patients/{pid}/access-log?limit=100&include_own=true", headers=patient.auth
    ).json_body["items"]
    assert {"Viewed a test result", "Viewed the list of test results", "Released a test result"} <= {
        e["action_label"] for e in log
    }


def test_a_hold_needs_a_reason_and_appears_on_the_work_list(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id

    no_reason = _send(
        api, "POST", f"/patients/{pid}/results", doctor, result_body(hold={"until": hold_body()["until"]})
    )
    assert no_reason.status_code == 400
    assert "hold.reason" in no_reason.json_body["error"]["fields"]

    held = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(hold=hold_body()))
    assert held.status_code == 201
    result_id = held.json_body["id"]
    waiting = api.http.get("/staff/results/waiting?limit=100", headers=doctor.auth).json_body["items"]
    [mine] = [w for w in waiting if w["result_id"] == result_id]
    assert (mine["state"], mine["hold_reason"], mine["held_by"]) == (
        "held",
        hold_body()["reason"],
        "Dr. Who",
    )
    assert mine["patient_name"] == "Alice Alpha"
    assert api.http.get(f"/patients/{pid}/results", headers=patient.auth).json_body["items"] == []

    blank = _send(
        api, "POST", f"/patients/{pid}/results/{result_id}/hold", doctor, {"reason": " ", "until": "x"}
    )
    assert blank.status_code == 400
    assert {"reason", "until"} <= set(blank.json_body["error"]["fields"])

    released = _send(api, "POST", f"/patients/{pid}/results/{result_id}/release", doctor)
    assert released.status_code == 200
    again = _send(api, "POST", f"/patients/{pid}/results/{result_id}/release", doctor)
    assert again.status_code == 409
    assert [
        r["id"] for r in api.http.get(f"/patients/{pid}/results", headers=patient.auth).json_body["items"]
    ] == [result_id]


def test_bad_results_are_refused_and_nothing_is_written(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    not_a_number = result_body(components=[{"name": "Glucose", "value": "high", "unit": "mg/dL"}])

    for body, field in (
        (not_a_number, "components.0.value"),
        (result_body(category="astrology"), "category"),
        (result_body(collected_at="2999-01-01T00:00:00Z"), "collected_at"),
        (result_body(components=[]), "components"),
    ):
        response = _send(api, "POST", f"/patients/{pid}/results", doctor, body)
        assert response.status_code == 400, body
        assert field in response.json_body["error"]["fields"]
        assert "high" not in json.dumps(response.json_body["error"]["fields"])  # values are not echoed

    assert api.http.get(f"/patients/{pid}/results", headers=doctor.auth).json_body["items"] == []
    assert _send(api, "POST", "/patients/p-nobody/results", doctor, result_body()).status_code == 404
    assert api.http.get("/patients/p-nobody/results", headers=doctor.auth).status_code == 404
    assert api.http.get(f"/patients/{pid}/results/nope", headers=doctor.auth).status_code == 404


def test_trend_and_pagination(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    for month, glucose in ((1, 95), (2, 104), (3, 118)):
        body = result_body(
            collected_at=f"2025-0{month}-01T09:00:00Z",
            components=[
                {"code": "2345-7", "name": "Glucose", "value": glucose, "unit": "mg/dL", "ref_high": 99}
            ],
        )
        assert _send(api, "POST", f"/patients/{pid}/results", doctor, body).status_code == 201

    trend = api.http.get(f"/patients/{pid}/results/trend?code=2345-7", headers=patient.auth).json_body
    assert [p["value"] for p in trend["points"]] == [95.0, 104.0, 118.0]
    assert [p["flag"] for p in trend["points"]] == ["normal", "high", "high"]
    available = api.http.get(f"/patients/{pid}/results/trend", headers=patient.auth).json_body["available"]
    assert available == [{"code": "2345-7", "name": "Glucose", "unit": "mg/dL", "count": 3}]
    assert api.http.get(f"/patients/{pid}/results/trend?code=DROP", headers=patient.auth).status_code == 400

    first = api.http.get(f"/patients/{pid}/results?limit=2", headers=patient.auth).json_body
    second = api.http.get(
        f"/patients/{pid}/results?limit=2&cursor={first['next_cursor']}", headers=patient.auth
    ).json_body
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    bad = api.http.get(f"/patients/{pid}/results?cursor=abc", headers=patient.auth)
    assert bad.status_code == 400


def test_import_a_csv_file_all_or_nothing(api: Client, make_user: UserFactory) -> None:
    from tests.api.records_samples import CSV

    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = patient.patient_id
    url = f"/patients/{pid}/results/import"

    bad = _send(api, "POST", url, doctor, {"format": "csv", "content": CSV.replace(",140,", ",lots,")})
    assert bad.status_code == 400
    assert "row 3.value" in bad.json_body["error"]["fields"]
    assert api.http.get(f"/patients/{pid}/results", headers=doctor.auth).json_body["items"] == []

    good = _send(api, "POST", url, doctor, {"format": "csv", "content": CSV})
    assert good.status_code == 201, good.body
    assert good.json_body["imported"] == 1
    [listed] = api.http.get(f"/patients/{pid}/results", headers=patient.auth).json_body["items"]
    assert (listed["name"], listed["abnormal_count"]) == ("Basic panel", 1)
    assert _send(api, "POST", url, patient, {"format": "csv", "content": CSV}).status_code == 403


def test_a_csv_import_the_reader_cannot_take_is_a_400_naming_the_row(
    api: Client, make_user: UserFactory
) -> None:
    from tests.api.records_samples import CSV

    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = make_user(Role.PATIENT, name="Alice Alpha").patient_id
    url = f"/patients/{pid}/results/import"
    huge_cell = CSV + "2025-06-01T08:00:00Z,Basic panel,24323-8,2823-3,Potassium," + "4" * 200_000 + "\n"
    long_row = CSV + "2025-06-01T08:00:00Z,Basic panel,24323-8,2823-3,Potassium,4.1,mmol/L,3.5,5.1,extra\n"

    for content in (huge_cell, long_row):
        refused = _send(api, "POST", url, doctor, {"format": "csv", "content": content})
        assert refused.status_code == 400, refused.body[:200]
        assert list(refused.json_body["error"]["fields"]) == ["row 4"]
    assert api.http.get(f"/patients/{pid}/results", headers=doctor.auth).json_body["items"] == []
