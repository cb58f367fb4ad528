"""Security-matrix samples for the records domain: valid bodies and the entries they address.

Kept here so the matrix file only gains one line; each maker gets the owning patient's id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.records.models import RecordKind

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample

SAMPLE_CLINICIAN = Caller(
    sub="sub-sample-clinician",
    username="sample-clinician",
    role=Role.CLINICIAN,
    display_name="Dr. Sample",
    request_id="req-sample",
)

RECORD_BODIES: dict[RecordKind, dict[str, Any]] = {
    "problem": {"name": "Hypertension", "code": {"system": "icd10", "code": "I10"}},
    "medication": {
        "name": "Lisinopril 10 mg tablet",
        "dose": "10 mg",
        "instructions": "One tablet every morning",
        "prescriber": "Dr. Sample",
        "start_date": "2024-01-15",
    },
    "allergy": {"substance": "Penicillin", "reaction": "Hives", "severity": "moderate"},
    "immunization": {"vaccine": "Influenza", "date": "2025-10-01", "dose_number": 1},
    "visit": {
        "start": "2025-06-01T15:00:00Z",
        "reason": "Annual physical",
        "provider": "Dr. Sample",
        "diagnoses": [{"name": "Routine exam"}],
        "instructions": "Keep up the walking.",
        "follow_up": "One year",
    },
}

PLURAL: dict[RecordKind, str] = {
    "problem": "problems",
    "medication": "medications",
    "allergy": "allergies",
    "immunization": "immunizations",
    "visit": "visits",
}


def _sample(**kwargs: Any) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)


def _existing_record(kind: RecordKind) -> Callable[[str], Sample]:
    def make(patient_id: str) -> Sample:
        from chalicelib.records import service as records

        entry = _input_model(kind).model_validate(RECORD_BODIES[kind])
        created = records.create_record(SAMPLE_CLINICIAN, patient_id, kind, entry)
        return _sample(params={"record_id": created.id}, body={**RECORD_BODIES[kind], "version": 1})

    return make


def _input_model(kind: RecordKind) -> Any:
    from chalicelib.records import models

    return {
        "problem": models.ProblemIn,
        "medication": models.MedicationIn,
        "allergy": models.AllergyIn,
        "immunization": models.ImmunizationIn,
        "visit": models.VisitIn,
    }[kind]


def _new_record(kind: RecordKind) -> Callable[[str], Sample]:
    return lambda _patient_id: _sample(body=RECORD_BODIES[kind])


def result_body(category: str = "lab", **overrides: Any) -> dict[str, Any]:
    return {
        "category": category,
        "name": "Basic metabolic panel",
        "code": "51990-0",
        "collected_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        "components": [
            {
                "code": "2345-7",
                "name": "Glucose",
                "value": 131,
                "unit": "mg/dL",
                "ref_low": 70,
                "ref_high": 99,
            }
        ],
        **overrides,
    }


def hold_body(days: int = 3) -> dict[str, Any]:
    return {
        "reason": "Discuss the diagnosis in person first",
        "until": (datetime.now(UTC) + timedelta(days=days)).isoformat(),
    }


def make_result(patient_id: str, *, held: bool = False) -> str:
    from chalicelib.results import service as results
    from chalicelib.results.models import ResultIn

    body = result_body(hold=hold_body()) if held else result_body()
    return results.create_result(SAMPLE_CLINICIAN, patient_id, ResultIn.model_validate(body)).id


def _preferences(patient_id: str) -> Sample:
    from chalicelib.results import store as result_store

    version = result_store.get_preferences(patient_id).version
    return _sample(
        body={"version": version, "categories": {"pathology": {"review_first": True, "max_wait_days": 7}}}
    )


PDF = b"%PDF-1.7\n%sample\n1 0 obj\n<<>>\nendobj\n"


def upload_document(patient_id: str, *, finalize: bool) -> str:
    """A document as the browser leaves it: granted, uploaded to S3, and (optionally) finalized."""
    from chalicelib.core import aws
    from chalicelib.core.config import settings
    from chalicelib.documents import service as documents
    from chalicelib.documents.models import UploadIn

    body = UploadIn(filename="card.pdf", content_type="application/pdf", size=len(PDF), category="form")
    ticket = documents.start_upload(SAMPLE_CLINICIAN, patient_id, body)
    aws.s3_client().put_object(
        Bucket=settings().documents_bucket,
        Key=ticket.upload.fields["key"],
        Body=PDF,
        ContentType="application/pdf",
    )
    if finalize:
        documents.finalize(SAMPLE_CLINICIAN, patient_id, ticket.document.id)
    return ticket.document.id


RESULTS_PATH = "/patients/{patient_id}/results/{result_id}"
CSV = (
    "collected_at,test_name,test_code,component_code,component_name,value,unit,ref_low,ref_high\n"
    "2025-06-01T08:00:00Z,Basic panel,24323-8,2345-7,Glucose,104,mg/dL,70,99\n"
    "2025-06-01T08:00:00Z,Basic panel,24323-8,2951-2,Sodium,140,mmol/L,135,145\n"
)

SAMPLES: dict[str, Callable[[str], Sample]] = {
    "POST /staff/patients/{patient_id}/confidential": lambda pid: _sample(
        body={"kind": "result", "item_id": make_result(pid), "confidential": True}
    ),
    "POST /patients/{patient_id}/results": lambda _pid: _sample(body=result_body()),
    f"GET {RESULTS_PATH}": lambda pid: _sample(params={"result_id": make_result(pid)}),
    f"POST {RESULTS_PATH}/review": lambda pid: _sample(
        params={"result_id": make_result(pid)}, body={"comment": "Looks fine."}
    ),
    f"POST {RESULTS_PATH}/hold": lambda pid: _sample(
        params={"result_id": make_result(pid, held=True)}, body=hold_body(5)
    ),
    f"POST {RESULTS_PATH}/release": lambda pid: _sample(params={"result_id": make_result(pid, held=True)}),
    "PUT /patients/{patient_id}/result-preferences": _preferences,
    "POST /patients/{patient_id}/results/import": lambda _pid: _sample(
        body={"format": "csv", "content": CSV}
    ),
    "POST /patients/{patient_id}/documents": lambda _pid: _sample(
        body={"filename": "card.pdf", "content_type": "application/pdf", "size": 1000}
    ),
    "POST /patients/{patient_id}/documents/{document_id}/finalize": lambda pid: _sample(
        params={"document_id": upload_document(pid, finalize=False)}
    ),
    "GET /patients/{patient_id}/documents/{document_id}": lambda pid: _sample(
        params={"document_id": upload_document(pid, finalize=True)}
    ),
    **{f"POST /patients/{{patient_id}}/{PLURAL[kind]}": _new_record(kind) for kind in PLURAL},
    **{
        f"PUT /patients/{{patient_id}}/{PLURAL[kind]}/{{record_id}}": _existing_record(kind)
        for kind in PLURAL
    },
}
