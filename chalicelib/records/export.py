"""'Download my record': the patient's whole record as a FHIR R4 Bundle, following US Core where it can.

Built as plain JSON from our own models (no FHIR library at run time: the export stays fast and the
import cost stays off every cold start); tests validate every bundle with fhir.resources' R4B models,
whose resources used here are the R4 ones. Known gaps against US Core are listed in `US_CORE_GAPS`.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from chalicelib.core import audit, config, dynamo
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.documents import service as document_service
from chalicelib.documents.models import Document
from chalicelib.patients import profiles as patient_profiles
from chalicelib.patients.models import PatientProfile
from chalicelib.records import service as record_service
from chalicelib.records.models import (
    CODE_SYSTEM_URIS,
    Allergy,
    Code,
    Diagnosis,
    Immunization,
    Medication,
    Problem,
    Record,
    Visit,
)
from chalicelib.results import service as result_service
from chalicelib.results.models import FLAG_TEXT, Component, Result

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
UCUM = "http://unitsofmeasure.org"

# Where the export cannot meet US Core yet, and why (shown in the README, kept honest here).
US_CORE_GAPS = (
    "Patient.gender is 'unknown': the portal does not record administrative sex yet",
    "codes are included only where a clinician entered one (free text otherwise)",
)

_INTERPRETATION = {
    "normal": "N",
    "low": "L",
    "high": "H",
    "critical_low": "LL",
    "critical_high": "HH",
    "abnormal": "A",
}
_ENCOUNTER_CLASS = {
    "office": ("AMB", "ambulatory"),
    "urgent_care": ("AMB", "ambulatory"),
    "telehealth": ("VR", "virtual"),
    "hospital": ("IMP", "inpatient encounter"),
}
_OBSERVATION_CATEGORY = {"imaging": "imaging"}  # everything else a clinic enters is "laboratory"


def export_record(caller: Caller, patient_id: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything the patient may see, in one bundle; logged as one export of the record."""
    now = now or dynamo.utcnow()
    profile = patient_profiles.profile_of(patient_id)
    # What this caller may see: a teenager's parent or guardian gets no confidential item.
    records = record_service.visible_to(caller, patient_id, record_service.records_of(patient_id))
    results = result_service.visible_to(
        caller, patient_id, result_service.results_of(patient_id, visible_at=None if caller.is_staff else now)
    )
    documents = document_service.visible_to(caller, patient_id, document_service.documents_of(patient_id))
    audit.record(caller, patient_id=patient_id, action="record.export", target="fhir-bundle")
    bundle = build_bundle(profile, records, results, documents, now=now)
    logger.info("record exported", extra={"patient_id": patient_id, "entries": len(bundle["entry"])})
    return bundle


# --- the bundle ----------------------------------------------------------------------------------


def _urn(kind: str, local_id: str) -> str:
    """Stable ids inside the bundle: the same record exports with the same fullUrl every time."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'clinic-portal/{kind}/{local_id}')}"


def _fhir_id(local_id: str) -> str:
    return local_id if len(local_id) <= 64 else local_id[:64]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _instant(moment: datetime) -> str:
    return moment.isoformat()


def _concept(text: str, code: Code | None = None, *, display: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if code is not None:
        concept["coding"] = [
            {"system": CODE_SYSTEM_URIS[code.system], "code": code.code, "display": display or text}
        ]
    return concept


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def build_bundle(
    profile: PatientProfile,
    records: Iterable[Record],
    results: Iterable[Result],
    documents: Iterable[Document] = (),
    *,
    now: datetime,
) -> dict[str, Any]:
    patient_ref = _urn("Patient", profile.id)
    entries: list[dict[str, Any]] = [{"fullUrl": patient_ref, "resource": _patient(profile)}]
    for record in records:
        entries += _record_entries(record, patient_ref)
    for result in results:
        entries += _result_entries(result, patient_ref)
    for document in documents:
        entries.append(_document_entry(document, patient_ref, profile.id))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _instant(now)},
        "type": "collection",
        "timestamp": _instant(now),
        "entry": entries,
    }


def _patient(profile: PatientProfile) -> dict[str, Any]:
    clinic = config.clinic()
    names: list[dict[str, Any]] = [
        {"use": "official", "family": profile.legal_name.family, "given": [profile.legal_name.given]}
    ]
    if profile.preferred_name:
        names.append({"use": "usual", "given": [profile.preferred_name]})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": _fhir_id(profile.id),
        "meta": {"profile": [US_CORE + "us-core-patient"]},
        "identifier": [{"system": f"urn:clinic-portal:{clinic.id}:patient", "value": profile.id}],
        "name": names,
        "gender": "unknown",
        "birthDate": profile.birth_date.isoformat(),
        "communication": [
            {
                "language": _coding("urn:ietf:bcp:47", profile.preferred_language),
                "preferred": True,
            }
        ],
    }
    telecom = []
    if profile.phone:
        telecom.append({"system": "phone", "value": profile.phone})
    if profile.email:
        telecom.append({"system": "email", "value": profile.email})
    if telecom:
        resource["telecom"] = telecom
    if profile.address:
        address = profile.address
        resource["address"] = [
            {
                "line": [line for line in (address.line1, address.line2) if line],
                "city": address.city,
                "state": address.state,
                "postalCode": address.postal_code,
                "country": address.country,
            }
        ]
    if profile.emergency_contact:
        contact = profile.emergency_contact
        resource["contact"] = [
            {
                "relationship": [{"text": contact.relationship}],
                "name": {"text": contact.name},
                "telecom": [{"system": "phone", "value": contact.phone}],
            }
        ]
    return resource


def _record_entries(record: Record, patient_ref: str) -> list[dict[str, Any]]:
    subject = {"reference": patient_ref}
    if isinstance(record, Problem):
        return [
            _entry("Condition", record.id, _condition(record.id, record.name, record.code, subject, record))
        ]
    if isinstance(record, Medication):
        resource: dict[str, Any] = {
            "resourceType": "MedicationRequest",
            "id": _fhir_id(record.id),
            "meta": {"profile": [US_CORE + "us-core-medicationrequest"]},
            "status": "active" if record.status == "active" else "stopped",
            "intent": "order",
            "medicationCodeableConcept": _concept(record.name, record.code),
            "subject": subject,
            "authoredOn": record.start_date.isoformat(),
            "requester": {"display": record.prescriber},
            "dosageInstruction": [{"text": f"{record.dose}. {record.instructions}"}],
        }
        if record.end_date:
            resource["dispenseRequest"] = {
                "validityPeriod": {"start": record.start_date.isoformat(), "end": record.end_date.isoformat()}
            }
        return [_entry("MedicationRequest", record.id, resource)]
    if isinstance(record, Allergy):
        resource = {
            "resourceType": "AllergyIntolerance",
            "id": _fhir_id(record.id),
            "meta": {"profile": [US_CORE + "us-core-allergyintolerance"]},
            "clinicalStatus": _coding(TERMINOLOGY + "allergyintolerance-clinical", record.status),
            "verificationStatus": _coding(TERMINOLOGY + "allergyintolerance-verification", "confirmed"),
            "code": _concept(record.substance, record.code),
            "patient": subject,
        }
        if record.noted_date:
            resource["recordedDate"] = record.noted_date.isoformat()
        if record.reaction or record.severity:
            reaction: dict[str, Any] = {
                "manifestation": [{"text": record.reaction or "Reaction not recorded"}]
            }
            if record.severity:
                reaction["severity"] = record.severity
            resource["reaction"] = [reaction]
        return [_entry("AllergyIntolerance", record.id, resource)]
    if isinstance(record, Immunization):
        resource = {
            "resourceType": "Immunization",
            "id": _fhir_id(record.id),
            "meta": {"profile": [US_CORE + "us-core-immunization"]},
            "status": "completed",
            "vaccineCode": _concept(record.vaccine, record.code),
            "patient": subject,
            "occurrenceDateTime": record.date.isoformat(),
            "primarySource": True,
        }
        if record.dose_number:
            resource["protocolApplied"] = [{"doseNumberPositiveInt": record.dose_number}]
        return [_entry("Immunization", record.id, resource)]
    if isinstance(record, Visit):
        return _visit_entries(record, subject)
    return []


def _entry(kind: str, local_id: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": _urn(kind, local_id), "resource": resource}


def _condition(
    local_id: str,
    name: str,
    code: Code | None,
    subject: dict[str, str],
    problem: Problem | None = None,
    *,
    encounter_ref: str | None = None,
    recorded: date | None = None,
) -> dict[str, Any]:
    category = "problem-list-item" if problem is not None else "encounter-diagnosis"
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": _fhir_id(local_id),
        "meta": {
            "profile": [
                US_CORE
                + (
                    "us-core-condition-problems-health-concerns"
                    if problem is not None
                    else "us-core-condition-encounter-diagnosis"
                )
            ]
        },
        "verificationStatus": _coding(TERMINOLOGY + "condition-ver-status", "confirmed"),
        "category": [_coding(TERMINOLOGY + "condition-category", category)],
        "code": _concept(name, code),
        "subject": subject,
    }
    if problem is not None:
        resource["clinicalStatus"] = _coding(TERMINOLOGY + "condition-clinical", problem.status)
        resource["recordedDate"] = problem.created_at.date().isoformat()
        if problem.onset_date:
            resource["onsetDateTime"] = problem.onset_date.isoformat()
        if problem.note:
            resource["note"] = [{"text": problem.note}]
    if encounter_ref is not None:
        resource["encounter"] = {"reference": encounter_ref}
    if recorded is not None:
        resource["recordedDate"] = recorded.isoformat()
    return resource


def _visit_entries(visit: Visit, subject: dict[str, str]) -> list[dict[str, Any]]:
    encounter_ref = _urn("Encounter", visit.id)
    diagnoses: list[tuple[str, Diagnosis]] = [
        (f"{visit.id}-dx{n}", dx) for n, dx in enumerate(visit.diagnoses, 1)
    ]
    class_code, class_display = _ENCOUNTER_CLASS[visit.visit_type]
    encounter: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": _fhir_id(visit.id),
        "meta": {"profile": [US_CORE + "us-core-encounter"]},
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": class_code,
            "display": class_display,
        },
        "type": [{"text": visit.visit_type.replace("_", " ").capitalize() + " visit"}],
        "subject": subject,
        "participant": [{"individual": {"display": visit.provider}}],
        "period": {"start": _instant(visit.start)},
        "reasonCode": [{"text": visit.reason}],
    }
    if visit.location:
        encounter["location"] = [{"location": {"display": visit.location}}]
    if diagnoses:
        encounter["diagnosis"] = [
            {"condition": {"reference": _urn("Condition", local_id)}, "rank": rank}
            for rank, (local_id, _dx) in enumerate(diagnoses, 1)
        ]
    entries = [{"fullUrl": encounter_ref, "resource": encounter}]
    for local_id, dx in diagnoses:
        condition = _condition(
            local_id, dx.name, dx.code, subject, encounter_ref=encounter_ref, recorded=visit.start.date()
        )
        entries.append(_entry("Condition", local_id, condition))
    summary = _after_visit_text(visit)
    if summary:
        note: dict[str, Any] = {
            "resourceType": "DocumentReference",
            "id": _fhir_id(f"{visit.id}-avs"),
            "meta": {"profile": [US_CORE + "us-core-documentreference"]},
            "status": "current",
            "type": {
                "coding": [{"system": "http://loinc.org", "code": "69730-0", "display": "Instructions"}],
                "text": "After-visit summary",
            },
            "category": [
                _coding(
                    "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                    "clinical-note",
                )
            ],
            "subject": subject,
            "date": _instant(visit.updated_at),
            "author": [{"display": visit.provider}],
            "content": [
                {
                    "attachment": {
                        "contentType": "text/plain; charset=utf-8",
                        "data": base64.b64encode(summary.encode()).decode(),
                        "title": "After-visit summary",
                    }
                }
            ],
            "context": {
                "encounter": [{"reference": encounter_ref}],
                "period": {"start": _instant(visit.start)},
            },
        }
        entries.append(_entry("DocumentReference", f"{visit.id}-avs", note))
    return entries


def _after_visit_text(visit: Visit) -> str:
    parts = [f"Reason for visit: {visit.reason}", f"Seen by: {visit.provider}"]
    if visit.diagnoses:
        parts.append("Diagnoses: " + "; ".join(dx.name for dx in visit.diagnoses))
    if visit.instructions:
        parts.append(f"Instructions: {visit.instructions}")
    if visit.follow_up:
        parts.append(f"Follow-up: {visit.follow_up}")
    return "\n".join(parts)


def _result_entries(result: Result, patient_ref: str) -> list[dict[str, Any]]:
    subject = {"reference": patient_ref}
    category = _OBSERVATION_CATEGORY.get(result.category, "laboratory")
    status = "final" if result.status == "final" else result.status
    observations = []
    for n, component in enumerate(result.components, 1):
        local_id = f"{result.id}-{n}"
        observations.append(
            _entry(
                "Observation", local_id, _observation(local_id, component, result, subject, category, status)
            )
        )
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": _fhir_id(result.id),
        "meta": {"profile": [US_CORE + "us-core-diagnosticreport-lab"]},
        "status": status,
        "category": [_coding(TERMINOLOGY + "v2-0074", "RAD" if category == "imaging" else "LAB")],
        "code": _loinc(result.name, result.code),
        "subject": subject,
        "effectiveDateTime": _instant(result.collected_at),
        "issued": _instant(result.entered_at),
        "result": [{"reference": entry["fullUrl"]} for entry in observations],
    }
    if result.performer:
        report["performer"] = [{"display": result.performer}]
    if result.comment:
        report["conclusion"] = result.comment
    return [_entry("DiagnosticReport", result.id, report), *observations]


def _loinc(name: str, code: str | None) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": name}
    if code:
        concept["coding"] = [{"system": "http://loinc.org", "code": code, "display": name}]
    return concept


def _quantity(value: Decimal, unit: str | None) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": _number(value)}
    if unit:
        quantity.update(unit=unit, system=UCUM, code=unit)
    return quantity


def _observation(
    local_id: str,
    component: Component,
    result: Result,
    subject: dict[str, str],
    category: str,
    status: str,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _fhir_id(local_id),
        "meta": {"profile": [US_CORE + "us-core-observation-lab"]},
        "status": status,
        "category": [_coding(TERMINOLOGY + "observation-category", category)],
        "code": _loinc(component.name, component.code),
        "subject": subject,
        "effectiveDateTime": _instant(result.collected_at),
        "issued": _instant(result.entered_at),
    }
    if component.value is not None:
        resource["valueQuantity"] = _quantity(component.value, component.unit)
    else:
        resource["valueString"] = component.value_text
    flag = component.resolved_flag()
    if flag:
        resource["interpretation"] = [
            {
                "coding": [
                    {
                        "system": TERMINOLOGY + "v3-ObservationInterpretation",
                        "code": _INTERPRETATION[flag],
                    }
                ],
                "text": FLAG_TEXT[flag],
            }
        ]
    if component.ref_low is not None or component.ref_high is not None or component.ref_text:
        reference: dict[str, Any] = {}
        if component.ref_low is not None:
            reference["low"] = _quantity(component.ref_low, component.unit)
        if component.ref_high is not None:
            reference["high"] = _quantity(component.ref_high, component.unit)
        if component.ref_text:
            reference["text"] = component.ref_text
        resource["referenceRange"] = [reference]
    return resource


def _document_entry(document: Document, patient_ref: str, patient_id: str) -> dict[str, Any]:
    uploaded = document.uploaded_at or document.created_at
    resource = {
        "resourceType": "DocumentReference",
        "id": _fhir_id(document.id),
        "meta": {"profile": [US_CORE + "us-core-documentreference"]},
        "status": "current",
        "type": {"text": document.category_label},
        "category": [
            _coding(
                "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "clinical-note"
            )
        ],
        "subject": {"reference": patient_ref},
        "date": _instant(uploaded),
        "description": document.filename,
        "content": [
            {
                "attachment": {
                    "contentType": document.content_type,
                    "size": document.size,
                    "title": document.filename,
                    # Files are not inlined: the portal hands out a short-lived link at this address.
                    "url": f"/api/patients/{patient_id}/documents/{document.id}",
                    "creation": _instant(uploaded),
                }
            }
        ],
    }
    return _entry("DocumentReference", document.id, resource)
