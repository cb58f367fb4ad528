"""'Download my record' through the API: a file download of a bundle that validates as FHIR."""

from __future__ import annotations

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import UserFactory
from tests.api.records_samples import make_result, upload_document


def test_the_patient_downloads_a_valid_fhir_bundle(api: Client, make_user: UserFactory) -> None:
    from fhir.resources.R4B.bundle import Bundle

    patient = make_user(Role.PATIENT, name="Alice Alpha")
    pid = patient.patient_id
    assert pid
    make_result(pid)
    make_result(pid, held=True)
    upload_document(pid, finalize=True)

    response = api.http.get(f"/patients/{pid}/export", headers=patient.auth)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/fhir+json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="health-record-')
    bundle = Bundle.model_validate_json(response.body)
    kinds = sorted(entry.resource.get_resource_type() for entry in bundle.entry or [] if entry.resource)
    assert kinds == ["DiagnosticReport", "DocumentReference", "Observation", "Patient"]
    log = api.http.get(f"/patients/{pid}/access-log?include_own=true", headers=patient.auth).json_body[
        "items"
    ]
    assert "Downloaded the health record" in [e["action_label"] for e in log]


def test_staff_cannot_use_download_my_record(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    assert api.http.get(f"/patients/{patient.patient_id}/export", headers=doctor.auth).status_code == 403
