"""Prescription refill requests: the patient's requests, and the clinicians' open work list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.refills import models as refill_models
    from chalicelib.refills import service as refill_service
    from chalicelib.refills.models import (
        PrescriptionSummaryOut,
        RefillDecisionIn,
        RefillIn,
        RefillOut,
        RefillPage,
        RefillPageQuery,
    )
else:
    refill_models = lazy_module("chalicelib.refills.models")
    refill_service = lazy_module("chalicelib.refills.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/refill-requests", methods=["GET"])
@requires(
    "refill:read",
    query=lambda: refill_models.RefillPageQuery,
    returns=lambda: refill_models.RefillPage,
    summary="Refill requests newest first, with their status and the clinician's note",
)
def list_refills(patient_id: str, *, caller: Caller, query: RefillPageQuery) -> RefillPage:
    return refill_service.list_refills(caller, patient_id, limit=query.limit, cursor=query.cursor)


@bp.route("/patients/{patient_id}/refill-requests", methods=["POST"])
@requires(
    "refill:create",
    body=lambda: refill_models.RefillIn,
    returns=lambda: refill_models.RefillOut,
    summary="Ask for a refill of an active medication at a saved pharmacy (409 if one is already open)",
    status=201,
    errors=(409,),
)
def request_refill(patient_id: str, *, caller: Caller, body: RefillIn) -> Response:
    out = refill_service.request_refill(caller, patient_id, body)
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/refill-requests/{request_id}/decision", methods=["POST"])
@requires(
    "refill:decide",
    body=lambda: refill_models.RefillDecisionIn,
    returns=lambda: refill_models.RefillOut,
    summary="Approve with the prescription (drug, dose, quantity, refills, pharmacy) or deny with a note",
    errors=(409,),
)
def decide(patient_id: str, request_id: str, *, caller: Caller, body: RefillDecisionIn) -> RefillOut:
    return refill_service.decide(caller, patient_id, request_id, body)


@bp.route("/patients/{patient_id}/refill-requests/{request_id}/prescription", methods=["GET"])
@requires(
    "refill:print",
    returns=lambda: refill_models.PrescriptionSummaryOut,
    summary="An approved refill as a printable prescription request for the pharmacy (409 if not approved)",
    errors=(409,),
)
def prescription_summary(patient_id: str, request_id: str, *, caller: Caller) -> PrescriptionSummaryOut:
    return refill_service.prescription_summary(caller, patient_id, request_id)


@bp.route("/staff/refill-requests", methods=["GET"])
@requires(
    "refill:worklist",
    query=lambda: refill_models.RefillPageQuery,
    returns=lambda: refill_models.RefillPage,
    summary="Open refill requests of all patients, oldest first",
)
def open_refill_requests(*, caller: Caller, query: RefillPageQuery) -> RefillPage:
    return refill_service.work_list(caller, limit=query.limit, cursor=query.cursor)
