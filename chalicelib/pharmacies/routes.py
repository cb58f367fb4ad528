"""A patient's saved pharmacies (where refills go)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.pharmacies import models as pharmacy_models
    from chalicelib.pharmacies import service as pharmacy_service
    from chalicelib.pharmacies.models import PharmacyIn, PharmacyList
else:
    pharmacy_models = lazy_module("chalicelib.pharmacies.models")
    pharmacy_service = lazy_module("chalicelib.pharmacies.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/pharmacies", methods=["GET"])
@requires(
    "pharmacy:read",
    returns=lambda: pharmacy_models.PharmacyList,
    summary="Saved pharmacies, in the order they were added",
)
def list_pharmacies(patient_id: str, *, caller: Caller) -> PharmacyList:
    return pharmacy_service.list_pharmacies(caller, patient_id)


@bp.route("/patients/{patient_id}/pharmacies", methods=["POST"])
@requires(
    "pharmacy:write",
    body=lambda: pharmacy_models.PharmacyIn,
    returns=lambda: pharmacy_models.PharmacyOut,
    summary="Save a pharmacy (at most 10)",
    status=201,
    errors=(409,),
)
def add_pharmacy(patient_id: str, *, caller: Caller, body: PharmacyIn) -> Response:
    out = pharmacy_service.add_pharmacy(caller, patient_id, body)
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/pharmacies/{pharmacy_id}", methods=["DELETE"])
@requires(
    "pharmacy:write",
    summary="Remove a saved pharmacy (past refill requests keep their copy)",
    status=204,
)
def remove_pharmacy(patient_id: str, pharmacy_id: str, *, caller: Caller) -> Response:
    pharmacy_service.remove_pharmacy(caller, patient_id, pharmacy_id)
    return Response(body="", status_code=204)
