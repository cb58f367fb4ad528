"""Insurance on file (issue 4): payer, plan, member id, subscriber, card images; staff verify it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.billing import insurance as insurance_service
    from chalicelib.billing import insurance_models
    from chalicelib.billing.insurance_models import (
        InsuranceIn,
        InsuranceList,
        InsuranceOut,
        InsuranceUpdate,
        VerifyIn,
    )
else:
    insurance_models = lazy_module("chalicelib.billing.insurance_models")
    insurance_service = lazy_module("chalicelib.billing.insurance")

bp = Blueprint(__name__)
requires = access.guard(bp)

BASE = "/patients/{patient_id}/insurance"


@bp.route(BASE, methods=["GET"])
@requires(
    "insurance:read",
    returns=lambda: insurance_models.InsuranceList,
    summary="Insurance on file, primary first",
)
def list_insurance(patient_id: str, *, caller: Caller) -> InsuranceList:
    return insurance_service.list_insurance(caller, patient_id)


@bp.route(BASE, methods=["POST"])
@requires(
    "insurance:write",
    body=lambda: insurance_models.InsuranceIn,
    returns=lambda: insurance_models.InsuranceOut,
    summary="Add coverage; card images are ids of uploaded insurance-card documents",
)
def add_insurance(patient_id: str, *, caller: Caller, body: InsuranceIn) -> Response:
    insurance = insurance_service.add(caller, patient_id, body)
    return Response(body=insurance.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route(BASE + "/{insurance_id}", methods=["PUT"])
@requires(
    "insurance:write",
    body=lambda: insurance_models.InsuranceUpdate,
    returns=lambda: insurance_models.InsuranceOut,
    summary="Replace the coverage details (send the version you edited); it needs verifying again",
)
def update_insurance(
    patient_id: str, insurance_id: str, *, caller: Caller, body: InsuranceUpdate
) -> InsuranceOut:

    return insurance_service.update(caller, patient_id, insurance_id, body)


@bp.route(BASE + "/{insurance_id}/verify", methods=["POST"])
@requires(
    "insurance:verify",
    body=lambda: insurance_models.VerifyIn,
    returns=lambda: insurance_models.InsuranceOut,
    summary="Record that coverage was checked",
)
def verify_insurance(patient_id: str, insurance_id: str, *, caller: Caller, body: VerifyIn) -> InsuranceOut:
    return insurance_service.verify(caller, patient_id, insurance_id, body)


@bp.route(BASE + "/{insurance_id}/remove", methods=["POST"])
@requires(
    "insurance:write",
    returns=lambda: insurance_models.InsuranceOut,
    summary="Coverage ended: kept on record, off the list",
)
def remove_insurance(patient_id: str, insurance_id: str, *, caller: Caller) -> InsuranceOut:
    return insurance_service.remove(caller, patient_id, insurance_id)
