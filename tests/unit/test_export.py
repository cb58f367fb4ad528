"""'Download my record': a FHIR R4 Bundle that validates, holds everything the patient may see, no more."""

from __future__ import annotations

import base64
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.patients.models import PatientProfile
from chalicelib.records import export
from chalicelib.records import service as records
from chalicelib.records.models import AllergyIn, ImmunizationIn, MedicationIn, ProblemIn, VisitIn
from chalicelib.results import service as results
from chalicelib.results.models import ResultIn
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DOCTOR = Caller(sub="sub-doc", username="doc", role=Role.CLINICIAN, display_name="Dr. Rivera", request_id="r")


def validate(bundle: dict[str, Any]) -> Any:
    """The acceptance check of the issue: fhir.resources' R4B models (R4 resources) accept the bundle."""
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle)


def _result(category: str = "lab", **overrides: Any) -> ResultIn:
    return ResultIn.model_validate(
        {
            "category": category,
            "name": "Lipid panel",
            "code": "57698-3",
            "collected_at": (NOW - timedelta(days=3)).isoformat(),
            "performer": "Riverside Lab",
            "components": [
                {"code": "2093-3", "name": "Cholesterol", "value": "212.5", "unit": "mg/dL", "ref_high": 200},
                {"code": "2085-9", "name": "HDL", "value": 48, "unit": "mg/dL", "ref_low": 40},
                {"name": "Comment", "value_text": "Fasting sample"},
            ],
            **overrides,
        }
    )


@pytest.fixture
def patient(make_patient: PatientFactory) -> PatientProfile:
    return make_patient(
        preferred_name="Sam",
        email="sam@example.com",
        phone="+12175550142",
        address={"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"},
        emergency_contact={"name": "Alex Doe", "relationship": "Sibling", "phone": "+12175550143"},
    )


def fill_record(patient_id: str) -> None:
    records.create_record(
        DOCTOR,
        patient_id,
        "problem",
        ProblemIn.model_validate(
            {
                "name": "Type 2 diabetes",
                "code": {"system": "icd10", "code": "E11.9"},
                "onset_date": "2022-05-01",
                "note": "Diet first",
            }
        ),
    )
    records.create_record(DOCTOR, patient_id, "problem", ProblemIn(name="Sprained ankle", status="resolved"))
    records.create_record(
        DOCTOR,
        patient_id,
        "medication",
        MedicationIn.model_validate(
            {
                "name": "Metformin 500 mg tablet",
                "code": {"system": "rxnorm", "code": "861007"},
                "dose": "500 mg",
                "instructions": "Twice a day with meals",
                "prescriber": "Dr. Rivera",
                "start_date": "2022-05-01",
            }
        ),
    )
    records.create_record(
        DOCTOR,
        patient_id,
        "medication",
        MedicationIn.model_validate(
            {
                "name": "Amoxicillin",
                "dose": "500 mg",
                "instructions": "Three times a day",
                "prescriber": "Dr. Rivera",
                "start_date": "2023-01-01",
                "end_date": "2023-01-10",
                "status": "stopped",
            }
        ),
    )
    records.create_record(DOCTOR, patient_id, "allergy", AllergyIn(substance="Penicillin", severity="severe"))
    records.create_record(DOCTOR, patient_id, "allergy", AllergyIn(substance="Latex", reaction="Rash"))
    records.create_record(
        DOCTOR,
        patient_id,
        "immunization",
        ImmunizationIn.model_validate(
            {
                "vaccine": "COVID-19 mRNA",
                "code": {"system": "cvx", "code": "208"},
                "date": "2021-04-01",
                "dose_number": 2,
            }
        ),
    )
    records.create_record(
        DOCTOR,
        patient_id,
        "visit",
        VisitIn.model_validate(
            {
                "start": "2025-11-03T15:30:00Z",
                "visit_type": "telehealth",
                "reason": "Diabetes follow-up",
                "provider": "Dr. Rivera",
                "location": "Riverside Family Clinic",
                "diagnoses": [
                    {"name": "Type 2 diabetes", "code": {"system": "icd10", "code": "E11.9"}},
                    {"name": "Obesity"},
                ],
                "instructions": "Walk 30 minutes a day.",
                "follow_up": "Labs in 3 months",
            }
        ),
    )


def test_the_export_validates_and_holds_the_whole_visible_record(
    patient: PatientProfile, caller_for: CallerFactory
) -> None:
    fill_record(patient.id)
    released = results.create_result(DOCTOR, patient.id, _result(comment="A little high; see me."), now=NOW)
    hold = {"reason": "Discuss in person before release", "until": (NOW + timedelta(days=2)).isoformat()}
    held = results.create_result(DOCTOR, patient.id, _result("pathology", name="Biopsy", hold=hold), now=NOW)
    me = caller_for(acts_for={patient.id: "self"})

    bundle = export.export_record(me, patient.id, now=NOW)
    parsed = validate(bundle)

    assert parsed.type == "collection"
    kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
    assert kinds == {
        "Patient": 1,
        "Condition": 4,  # two problems and two visit diagnoses
        "MedicationRequest": 2,
        "AllergyIntolerance": 2,
        "Immunization": 1,
        "Encounter": 1,
        "DocumentReference": 1,  # the after-visit summary
        "DiagnosticReport": 1,  # the released result only
        "Observation": 3,
    }
    ids = {entry["resource"]["id"] for entry in bundle["entry"]}
    assert released.id in ids
    assert held.id not in ids
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(urls) == len(set(urls))
    references = {ref for entry in bundle["entry"] for ref in _references(entry["resource"])}
    assert references <= set(urls)  # every reference resolves inside the bundle

    by_type = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    patient_resource = by_type["Patient"]
    assert patient_resource["name"][0]["family"] == patient.legal_name.family
    assert patient_resource["birthDate"] == patient.birth_date.isoformat()
    cholesterol = next(
        e["resource"] for e in bundle["entry"] if e["resource"].get("code", {}).get("text") == "Cholesterol"
    )
    assert cholesterol["valueQuantity"] == {
        "value": 212.5,
        "unit": "mg/dL",
        "system": "http://unitsofmeasure.org",
        "code": "mg/dL",
    }
    assert cholesterol["interpretation"][0]["coding"][0]["code"] == "H"
    assert by_type["DiagnosticReport"]["conclusion"] == "A little high; see me."
    summary = base64.b64decode(by_type["DocumentReference"]["content"][0]["attachment"]["data"]).decode()
    assert "Walk 30 minutes a day." in summary
    assert by_type["Encounter"]["class"]["code"] == "VR"

    events, _ = audit_log.list_for_patient(patient.id, limit=50, cursor=None)
    assert "record.export" in {e.action for e in events}


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_an_empty_record_still_exports_a_valid_bundle(
    patient: PatientProfile, caller_for: CallerFactory
) -> None:
    bundle = export.export_record(caller_for(acts_for={patient.id: "self"}), patient.id, now=NOW)
    validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


def test_nobody_exports_someone_elses_record(
    patient: PatientProfile, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = caller_for(acts_for={make_patient().id: "self"})
    for pid in (patient.id, "p-nobody"):
        with pytest.raises(errors.NotFound):
            routed(export.export_record, me, pid, now=NOW)
