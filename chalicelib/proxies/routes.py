"""Proxy (caregiver) access to a patient's record: list, grant, revoke."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module
from chalicelib.core.observability import logger

if TYPE_CHECKING:
    from chalicelib.enrolment import caregivers as caregiver_service
    from chalicelib.proxies import models as proxy_models
    from chalicelib.proxies import service as proxy_service
    from chalicelib.proxies.models import (
        AcceptedOut,
        CaregiverInviteIn,
        InvitationAcceptIn,
        PendingInvitationList,
        ProxyGrantIn,
        ProxyList,
        ProxyOut,
        ProxyUpdateIn,
    )
else:
    caregiver_service = lazy_module("chalicelib.enrolment.caregivers")
    proxy_models = lazy_module("chalicelib.proxies.models")
    proxy_service = lazy_module("chalicelib.proxies.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/proxies", methods=["GET"])
@requires(
    "proxy:read",
    returns=lambda: proxy_models.ProxyList,
    summary="Who may act for this patient (the patient themself and the front desk; not other caregivers)",
)
def list_proxies(patient_id: str, *, caller: Caller) -> ProxyList:
    return proxy_service.list_proxies(caller, patient_id)


@bp.route("/patients/{patient_id}/proxies", methods=["POST"])
@requires(
    "proxy:grant",
    body=lambda: proxy_models.ProxyGrantIn,
    returns=lambda: proxy_models.ProxyOut,
    summary="Give an existing patient-portal account access to this record (identity checked at the desk)",
    status=201,
    errors=(409,),
)
def grant_proxy(patient_id: str, *, caller: Caller, body: ProxyGrantIn) -> Response:
    out = proxy_service.grant_proxy(caller, patient_id, body)
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/proxies/{proxy_sub}", methods=["DELETE"])
@requires(
    "proxy:revoke",
    summary="End someone's access (204): the patient, the front desk, or the caregiver; 404 once gone",
    status=204,
)
def revoke_proxy(patient_id: str, proxy_sub: str, *, caller: Caller) -> Response:
    proxy_service.revoke_proxy(caller, patient_id, proxy_sub)
    return Response(body="", status_code=204)


@bp.route("/patients/{patient_id}/proxies/{proxy_sub}", methods=["PATCH"])
@requires(
    "proxy:update",
    body=lambda: proxy_models.ProxyUpdateIn,
    returns=lambda: proxy_models.ProxyOut,
    summary="Change what a caregiver may use and until when (the patient themself, or the front desk)",
)
def update_proxy(patient_id: str, proxy_sub: str, *, caller: Caller, body: ProxyUpdateIn) -> ProxyOut:
    return proxy_service.update_proxy(caller, patient_id, proxy_sub, body)


@bp.route("/patients/{patient_id}/caregiver-invitations", methods=["POST"])
@requires(
    "proxy:invite",
    body=lambda: proxy_models.CaregiverInviteIn,
    returns=lambda: proxy_models.CaregiverInvitationOut,
    summary="An adult patient invites someone by email to help with their care, within a scope they choose",
    status=201,
)
def invite_caregiver(patient_id: str, *, caller: Caller, body: CaregiverInviteIn) -> Response:
    out = caregiver_service.invite_caregiver(caller, patient_id, body)
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/caregiver-invitations", methods=["GET"])
@requires(
    "proxy:invitation_read",
    returns=lambda: proxy_models.PendingInvitationList,
    summary="The caregiver invitations this patient sent that nobody has accepted yet (the patient only)",
)
def list_caregiver_invitations(patient_id: str, *, caller: Caller) -> PendingInvitationList:
    return caregiver_service.pending_invitations(caller, patient_id)


@bp.route("/patients/{patient_id}/caregiver-invitations/{invitation_id}", methods=["DELETE"])
@requires(
    "proxy:invitation_cancel",
    summary="Cancel an invitation not yet accepted (204): its code stops working at once; 409 once accepted "
    "or cancelled",
    status=204,
    errors=(409,),
)
def cancel_caregiver_invitation(patient_id: str, invitation_id: str, *, caller: Caller) -> Response:
    caregiver_service.cancel_invitation(caller, patient_id, invitation_id)
    return Response(body="", status_code=204)


@bp.route("/me/caregiver-invitations/accept", methods=["POST"])
@requires(
    "proxy:accept",
    body=lambda: proxy_models.InvitationAcceptIn,
    returns=lambda: proxy_models.AcceptedOut,
    summary="Accept a caregiver invitation's code with the account you are signed in to",
    errors=(404, 429),
)
def accept_caregiver_invitation(*, caller: Caller, body: InvitationAcceptIn) -> AcceptedOut:
    return caregiver_service.accept(caller, body)


# Hourly: access itself stops at the patient's local midnight (the grant's end); the run removes the grant,
# records it and tells both sides, within the hour whatever the clinic's time zone.
@bp.schedule(Rate(1, unit=Rate.HOURS), name="proxies-adulthood", description="Parental grants end at age")
def end_grants_at_adulthood(event: Any) -> None:
    logger.info("parental grants ended", extra={"ended": proxy_service.end_grants_at_adulthood()})
