"""The printable health summary through the API: what it shows, who may open it, and its audit."""

from __future__ import annotations

from chalice.test import Client

from chalicelib.core.identity import Role, Scope
from chalicelib.records import service as records
from chalicelib.records.models import ProblemIn
from tests.api.appointments_samples import booked_appointment
from tests.api.conftest import UserFactory
from tests.api.records_samples import RECORD_BODIES, SAMPLE_CLINICIAN, make_result
from tests.api.test_access_matrix import _set_scope


def test_the_patient_gets_record_results_with_ranges_and_upcoming_visits(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    pid = patient.patient_id
    assert pid
    records.create_record(
        SAMPLE_CLINICIAN, pid, "problem", ProblemIn.model_validate(RECORD_BODIES["problem"])
    )
    make_result(pid)
    make_result(pid, held=True)  # not released yet: left out, as in the export
    appointment = booked_appointment(pid)

    response = api.http.get(f"/patients/{pid}/health-summary", headers=patient.auth)

    assert response.status_code == 200
    body = response.json_body
    assert body["patient_name"] == "Alice Alpha"
    assert body["birth_date"]
    assert [p["name"] for p in body["problems"]] == ["Hypertension"]
    assert body["results_total"] == 1
    glucose = body["results"][0]["components"][0]
    assert (glucose["value"], glucose["ref_low"], glucose["ref_high"], glucose["flag"]) == (
        131,
        70,
        99,
        "high",
    )
    assert [a["id"] for a in body["upcoming"]] == [appointment.id]
    log = api.http.get(f"/patients/{pid}/access-log?include_own=true", headers=patient.auth).json_body[
        "items"
    ]
    assert "Opened the printable health summary" in [e["action_label"] for e in log]


def test_a_caregiver_sees_only_what_their_grant_covers(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Pat Scoped")
    carer = make_user(Role.PATIENT, name="Casey Carer")
    pid = patient.patient_id
    assert pid
    booked_appointment(pid)
    url = f"/patients/{pid}/health-summary"

    _set_scope(carer, pid, Scope(areas=frozenset({"health_record"}), access="read"))
    record_only = api.http.get(url, headers=carer.auth)
    assert record_only.status_code == 200
    assert record_only.json_body["upcoming"] is None  # appointments are outside this grant

    _set_scope(carer, pid, Scope(areas=frozenset({"health_record", "appointments"}), access="read"))
    assert len(api.http.get(url, headers=carer.auth).json_body["upcoming"]) == 1

    _set_scope(carer, pid, Scope(areas=frozenset({"appointments", "billing"})))
    assert api.http.get(url, headers=carer.auth).status_code == 404  # as the export: no record, no page


def test_staff_and_other_patients_cannot_open_it(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    other = make_user(Role.PATIENT, name="Bob Beta")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    url = f"/patients/{patient.patient_id}/health-summary"
    assert api.http.get(url, headers=doctor.auth).status_code == 403
    assert api.http.get(url, headers=other.auth).status_code == 404
