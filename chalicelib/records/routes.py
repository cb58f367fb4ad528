"""The health record: the patient's summary, and clinicians adding and correcting entries.

One create (POST) and one update (PUT, whole entry plus the version it was based on) per kind, so each
route has one exact body model in the API contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.records import confidential as confidential_service
    from chalicelib.records import export as export_service
    from chalicelib.records import models as record_models
    from chalicelib.records import printable as printable_service
    from chalicelib.records import service as record_service
    from chalicelib.records.models import (
        AllergyIn,
        AllergyUpdate,
        ConfidentialIn,
        ConfidentialOut,
        HealthSummary,
        ImmunizationIn,
        ImmunizationUpdate,
        MedicationIn,
        MedicationUpdate,
        PrintableHealthSummary,
        ProblemIn,
        ProblemUpdate,
        Record,
        VisitIn,
        VisitUpdate,
    )
else:
    record_models = lazy_module("chalicelib.records.models")
    record_service = lazy_module("chalicelib.records.service")
    export_service = lazy_module("chalicelib.records.export")
    printable_service = lazy_module("chalicelib.records.printable")
    confidential_service = lazy_module("chalicelib.records.confidential")

bp = Blueprint(__name__)
requires = access.requires


def _created(record: Record) -> Response:
    return Response(body=record.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/summary", methods=["GET"])
@requires(
    "record:read",
    returns=lambda: record_models.HealthSummary,
    summary="Problems, medications, allergies, immunizations and visits with after-visit summaries",
)
def get_summary(patient_id: str, *, caller: Caller) -> HealthSummary:
    return record_service.get_summary(caller, patient_id)


# --- problems ------------------------------------------------------------------------------------


@bp.route("/patients/{patient_id}/problems", methods=["POST"])
@requires(
    "record:write",
    body=lambda: record_models.ProblemIn,
    returns=lambda: record_models.Problem,
    summary="Add a problem to the problem list",
    status=201,
)
def create_problem(patient_id: str, *, caller: Caller, body: ProblemIn) -> Response:
    return _created(record_service.create_record(caller, patient_id, "problem", body))


@bp.route("/patients/{patient_id}/problems/{record_id}", methods=["PUT"])
@requires(
    "record:write",
    body=lambda: record_models.ProblemUpdate,
    returns=lambda: record_models.Problem,
    summary="Correct or resolve a problem",
    errors=(409,),
)
def update_problem(patient_id: str, record_id: str, *, caller: Caller, body: ProblemUpdate) -> Record:
    return record_service.update_record(caller, patient_id, "problem", record_id, body, version=body.version)


# --- medications ---------------------------------------------------------------------------------


@bp.route("/patients/{patient_id}/medications", methods=["POST"])
@requires(
    "record:write",
    body=lambda: record_models.MedicationIn,
    returns=lambda: record_models.Medication,
    summary="Add a medication",
    status=201,
)
def create_medication(patient_id: str, *, caller: Caller, body: MedicationIn) -> Response:
    return _created(record_service.create_record(caller, patient_id, "medication", body))


@bp.route("/patients/{patient_id}/medications/{record_id}", methods=["PUT"])
@requires(
    "record:write",
    body=lambda: record_models.MedicationUpdate,
    returns=lambda: record_models.Medication,
    summary="Change or stop a medication",
    errors=(409,),
)
def update_medication(patient_id: str, record_id: str, *, caller: Caller, body: MedicationUpdate) -> Record:
    return record_service.update_record(
        caller, patient_id, "medication", record_id, body, version=body.version
    )


# --- allergies -----------------------------------------------------------------------------------


@bp.route("/patients/{patient_id}/allergies", methods=["POST"])
@requires(
    "record:write",
    body=lambda: record_models.AllergyIn,
    returns=lambda: record_models.Allergy,
    summary="Add an allergy",
    status=201,
)
def create_allergy(patient_id: str, *, caller: Caller, body: AllergyIn) -> Response:
    return _created(record_service.create_record(caller, patient_id, "allergy", body))


@bp.route("/patients/{patient_id}/allergies/{record_id}", methods=["PUT"])
@requires(
    "record:write",
    body=lambda: record_models.AllergyUpdate,
    returns=lambda: record_models.Allergy,
    summary="Correct an allergy",
    errors=(409,),
)
def update_allergy(patient_id: str, record_id: str, *, caller: Caller, body: AllergyUpdate) -> Record:
    return record_service.update_record(caller, patient_id, "allergy", record_id, body, version=body.version)


# --- immunizations -------------------------------------------------------------------------------


@bp.route("/patients/{patient_id}/immunizations", methods=["POST"])
@requires(
    "record:write",
    body=lambda: record_models.ImmunizationIn,
    returns=lambda: record_models.Immunization,
    summary="Add an immunization",
    status=201,
)
def create_immunization(patient_id: str, *, caller: Caller, body: ImmunizationIn) -> Response:
    return _created(record_service.create_record(caller, patient_id, "immunization", body))


@bp.route("/patients/{patient_id}/immunizations/{record_id}", methods=["PUT"])
@requires(
    "record:write",
    body=lambda: record_models.ImmunizationUpdate,
    returns=lambda: record_models.Immunization,
    summary="Correct an immunization",
    errors=(409,),
)
def update_immunization(
    patient_id: str, record_id: str, *, caller: Caller, body: ImmunizationUpdate
) -> Record:

    return record_service.update_record(
        caller, patient_id, "immunization", record_id, body, version=body.version
    )


# --- visits --------------------------------------------------------------------------------------


@bp.route("/patients/{patient_id}/visits", methods=["POST"])
@requires(
    "record:write",
    body=lambda: record_models.VisitIn,
    returns=lambda: record_models.Visit,
    summary="Add a visit and its after-visit summary",
    status=201,
)
def create_visit(patient_id: str, *, caller: Caller, body: VisitIn) -> Response:
    return _created(record_service.create_record(caller, patient_id, "visit", body))


@bp.route("/patients/{patient_id}/visits/{record_id}", methods=["PUT"])
@requires(
    "record:write",
    body=lambda: record_models.VisitUpdate,
    returns=lambda: record_models.Visit,
    summary="Correct a visit's after-visit summary",
    errors=(409,),
)
def update_visit(patient_id: str, record_id: str, *, caller: Caller, body: VisitUpdate) -> Record:
    return record_service.update_record(caller, patient_id, "visit", record_id, body, version=body.version)


# 'Download my record': the patient's record as a FHIR R4 Bundle, offered as a file.
@bp.route("/patients/{patient_id}/export", methods=["GET"])
@requires(
    "record:export",
    summary="The whole record as a FHIR R4 Bundle (US Core where possible), as a file download",
    returns=lambda: record_models.FhirBundleOut,
    media_type="application/fhir+json",
)
def export_record(patient_id: str, *, caller: Caller) -> Response:
    bundle = export_service.export_record(caller, patient_id)
    stamp = bundle["timestamp"][:10]
    return Response(
        body=bundle,
        headers={
            "Content-Type": "application/fhir+json",
            "Content-Disposition": f'attachment; filename="health-record-{stamp}.json"',
        },
    )


# The readable record beside the download: the same reads and rights as the export, laid out to print.
@bp.route("/patients/{patient_id}/health-summary", methods=["GET"])
@requires(
    "record:export",
    returns=lambda: record_models.PrintableHealthSummary,
    summary="The printable health summary: record, recent results with ranges, visits past and upcoming",
)
def printable_summary(patient_id: str, *, caller: Caller) -> PrintableHealthSummary:
    return printable_service.printable(caller, patient_id)


# A clinician hides one item (result, record entry, document) from a teenager's parent or guardian.
@bp.route("/staff/patients/{patient_id}/confidential", methods=["POST"])
@requires(
    "confidential:mark",
    body=lambda: record_models.ConfidentialIn,
    returns=lambda: record_models.ConfidentialOut,
    summary="Mark or unmark one result, record entry or document confidential",
)
def mark_confidential(patient_id: str, *, caller: Caller, body: ConfidentialIn) -> ConfidentialOut:
    return confidential_service.mark(caller, patient_id, body)
