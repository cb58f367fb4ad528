"""The clinician's work queue through the API: what it lists, in what order, and who may read it."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


def _send(api: Client, method: str, url: str, user: User, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    return api.http.request(method, url, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _result(api: Client, doctor: User, pid: str | None, name: str, value: float) -> str:
    body = {
        "category": "lab",
        "name": name,
        "collected_at": "2026-01-05T09:00:00Z",
        "components": [
            {"name": "Potassium", "value": value, "unit": "mmol/L", "ref_low": 3.5, "ref_high": 5.1}
        ],
    }
    created = _send(api, "POST", f"/patients/{pid}/results", doctor, body)
    assert created.status_code == 201, created.body
    return str(created.json_body["id"])


def _queued_results(api: Client, doctor: User) -> list[dict[str, Any]]:
    """Every page of the queue's results (other tests share the table)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        url = "/staff/queue?limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = api.http.get(url, headers=doctor.auth)
        assert page.status_code == 200, page.body
        items += page.json_body["results"]
        cursor = page.json_body["results_next_cursor"]
        if not cursor:
            return items


def test_unreviewed_results_abnormal_first_then_reviewed_off_the_queue(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Quinn Queue")
    doctor = make_user(Role.CLINICIAN, name="Dr. Queue")
    pid = patient.patient_id
    normal = _result(api, doctor, pid, "Potassium (normal)", 4.2)
    high = _result(api, doctor, pid, "Potassium (high)", 5.8)

    mine = [r for r in _queued_results(api, doctor) if r["patient_id"] == pid]
    assert [r["result_id"] for r in mine] == [high, normal]
    assert mine[0]["priority"] == "abnormal"
    assert mine[0]["patient_name"] == "Quinn Queue"
    assert mine[0]["flag_text"] == "Above the normal range"

    reviewed = _send(
        api, "POST", f"/patients/{pid}/results/{high}/review", doctor, {"comment": "Recheck in a week."}
    )
    assert reviewed.status_code == 200, reviewed.body
    assert [r["result_id"] for r in _queued_results(api, doctor) if r["patient_id"] == pid] == [normal]

    seen = api.http.get(f"/patients/{pid}/results/{high}", headers=patient.auth).json_body
    assert (seen["reviewed"], seen["comment"], seen["reviewed_by"]) == (
        True,
        "Recheck in a week.",
        "Dr. Queue",
    )

    again = _send(
        api, "POST", f"/patients/{pid}/results/{high}/review", doctor, {"comment": "Recheck in a week."}
    )
    assert again.status_code == 200
    assert again.json_body["comment"] == "Recheck in a week."


def test_counts_and_sections(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Cora Count")
    doctor = make_user(Role.CLINICIAN, name="Dr. Count")
    before = api.http.get("/staff/queue/counts", headers=doctor.auth)
    assert before.status_code == 200, before.body
    _result(api, doctor, patient.patient_id, "Potassium (high)", 5.9)

    after = api.http.get("/staff/queue/counts", headers=doctor.auth).json_body
    assert after["cap"] == 100
    if before.json_body["results"] < 100:
        assert after["results"] == before.json_body["results"] + 1
    if before.json_body["results_abnormal"] < 100:
        assert after["results_abnormal"] == before.json_body["results_abnormal"] + 1
    queue = api.http.get("/staff/queue", headers=doctor.auth).json_body
    assert set(queue) >= {"results", "refills", "threads", "counts", "refills_more", "threads_more"}


def test_only_clinicians_read_the_queue(api: Client, make_user: UserFactory) -> None:
    for role in (Role.PATIENT, Role.FRONT_DESK, Role.BILLING, Role.ADMIN):
        user = make_user(role)
        for url in ("/staff/queue", "/staff/queue/counts"):
            assert api.http.get(url, headers=user.auth).status_code == 403, (role, url)
    assert api.http.get("/staff/queue").status_code == 401


def test_a_cursor_from_elsewhere_is_refused(api: Client, make_user: UserFactory) -> None:
    doctor = make_user(Role.CLINICIAN)
    bad = api.http.get("/staff/queue?cursor=bm90LWEtY3Vyc29y", headers=doctor.auth)
    assert bad.status_code == 400
    assert bad.json_body["error"]["code"]
    assert api.http.get("/staff/queue?limit=0", headers=doctor.auth).status_code == 400
