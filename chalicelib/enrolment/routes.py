"""Registration, invitations, activation (public: no account yet) and self-registration requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller, Visitor, public
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.enrolment import activation as activation_service
    from chalicelib.enrolment import importer as import_service
    from chalicelib.enrolment import invitations as invitation_service
    from chalicelib.enrolment import models as enrolment_models
    from chalicelib.enrolment import registration as registration_service
    from chalicelib.enrolment import requests as request_service
    from chalicelib.enrolment.models import (
        ActivationCheckIn,
        ActivationCheckOut,
        ActivationCompleteIn,
        ActivationSettingsOut,
        ImportInvitationsIn,
        ImportInvitationsOut,
        InvitationIn,
        InvitationList,
        PageQuery,
        PatientImportIn,
        PatientImportOut,
        RegistrationDecisionIn,
        RegistrationIn,
        RegistrationRequestIn,
        RegistrationRequestList,
        RegistrationRequestOut,
        RegistrationRequestReceived,
    )
else:
    enrolment_models = lazy_module("chalicelib.enrolment.models")
    activation_service = lazy_module("chalicelib.enrolment.activation")
    import_service = lazy_module("chalicelib.enrolment.importer")
    invitation_service = lazy_module("chalicelib.enrolment.invitations")
    registration_service = lazy_module("chalicelib.enrolment.registration")
    request_service = lazy_module("chalicelib.enrolment.requests")

bp = Blueprint(__name__)
requires = access.requires


def _created(model: object) -> Response:
    body = model.model_dump(mode="json")  # type: ignore[attr-defined]
    return Response(body=body, status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/staff/registrations", methods=["POST"])
@requires(
    "patient:register",
    body=lambda: enrolment_models.RegistrationIn,
    returns=lambda: enrolment_models.RegisteredPatient,
    summary="Register a patient; 409 with the existing record (same MRN, or same name and birth date)",
    status=201,
    errors=(409,),
)
def register_patient(*, caller: Caller, body: RegistrationIn) -> Response:
    return _created(registration_service.register_patient(caller, body))


@bp.route("/patients/{patient_id}/invitations", methods=["GET"])
@requires(
    "invitation:read",
    returns=lambda: enrolment_models.InvitationList,
    summary="This patient's portal invitations, newest first (locked codes flagged)",
)
def list_invitations(patient_id: str, *, caller: Caller) -> InvitationList:
    return invitation_service.list_invitations(caller, patient_id)


@bp.route("/patients/{patient_id}/invitations", methods=["POST"])
@requires(
    "invitation:write",
    body=lambda: enrolment_models.InvitationIn,
    returns=lambda: enrolment_models.IssuedInvitation,
    summary="Invite the patient or a caregiver: an activation code by email or on a printable letter",
    status=201,
    errors=(409,),
)
def create_invitation(patient_id: str, *, caller: Caller, body: InvitationIn) -> Response:
    return _created(invitation_service.invite(caller, patient_id, body))


@bp.route("/patients/{patient_id}/invitations/{invitation_id}/resend", methods=["POST"])
@requires(
    "invitation:write",
    returns=lambda: enrolment_models.IssuedInvitation,
    summary="A new code for the same invitation; the old code stops working",
    status=201,
    errors=(409,),
)
def resend_patient_invitation(patient_id: str, invitation_id: str, *, caller: Caller) -> Response:
    return _created(invitation_service.resend(caller, patient_id, invitation_id))


@bp.route("/patients/{patient_id}/invitations/{invitation_id}", methods=["DELETE"])
@requires(
    "invitation:write",
    summary="Revoke an invitation: its code stops working (204)",
    status=204,
    errors=(409,),
)
def revoke_invitation(patient_id: str, invitation_id: str, *, caller: Caller) -> Response:
    invitation_service.revoke(caller, patient_id, invitation_id)
    return Response(body="", status_code=204)


@bp.route("/activation/settings", methods=["GET"])
@public(
    "activation_settings",
    returns=lambda: enrolment_models.ActivationSettingsOut,
    summary="What the activation page asks for, and whether registration requests are taken",
)
def activation_settings() -> ActivationSettingsOut:
    return activation_service.settings()


@bp.route("/activation/check", methods=["POST"])
@public(
    "activation_check",
    body=lambda: enrolment_models.ActivationCheckIn,
    returns=lambda: enrolment_models.ActivationCheckOut,
    summary="Do this code, birth date and second fact match a live invitation? One answer for every refusal "
    "(429: too many attempts from this address)",
    errors=(429,),
)
def check_activation(*, visitor: Visitor, body: ActivationCheckIn) -> ActivationCheckOut:
    return activation_service.check(body, visitor)


@bp.route("/activation/complete", methods=["POST"])
@public(
    "activation_complete",
    body=lambda: enrolment_models.ActivationCompleteIn,
    returns=lambda: enrolment_models.ActivationOut,
    summary="Create the account for an invitation (repeatable: a retry finishes a half-done activation; "
    "429: too many attempts from this address)",
    status=201,
    errors=(409, 429),
)
def complete_activation(*, visitor: Visitor, body: ActivationCompleteIn) -> Response:
    return _created(activation_service.complete(body, visitor))


@bp.route("/registration-requests", methods=["POST"])
@public(
    "registration_request_submit",
    body=lambda: enrolment_models.RegistrationRequestIn,
    returns=lambda: enrolment_models.RegistrationRequestReceived,
    summary="Ask the clinic to register you (404 when the clinic does not take requests online)",
    status=202,
    errors=(404,),
)
def submit_registration_request(*, body: RegistrationRequestIn) -> Response:
    received: RegistrationRequestReceived = request_service.submit(body)
    return Response(body=received.model_dump(mode="json"), status_code=202, headers=dict(JSON_HEADERS))


@bp.route("/staff/registration-requests", methods=["GET"])
@requires(
    "registration_request:read",
    query=lambda: enrolment_models.PageQuery,
    returns=lambda: enrolment_models.RegistrationRequestList,
    summary="Open self-registration requests, oldest first",
)
def list_registration_requests(*, caller: Caller, query: PageQuery) -> RegistrationRequestList:
    return request_service.open_requests(caller, query.cursor)


@bp.route("/staff/registration-requests/{request_id}/decision", methods=["POST"])
@requires(
    "registration_request:decide",
    body=lambda: enrolment_models.RegistrationDecisionIn,
    returns=lambda: enrolment_models.RegistrationRequestOut,
    summary="Match a request to a record, register a new patient from it, or decline it",
    errors=(409,),
)
def decide_registration_request(
    request_id: str, *, caller: Caller, body: RegistrationDecisionIn
) -> RegistrationRequestOut:
    return request_service.decide(caller, request_id, body)


@bp.route("/admin/patient-import", methods=["POST"])
@requires(
    "patient:import",
    body=lambda: enrolment_models.PatientImportIn,
    returns=lambda: enrolment_models.PatientImportOut,
    summary=(
        "Import existing patients: one chunk of a CSV or FHIR Bundle (at most 500 rows), checked and, unless "
        "a dry run, registered; rows named by the file's own line or entry numbers"
    ),
)
def import_patients(*, caller: Caller, body: PatientImportIn) -> PatientImportOut:
    return import_service.import_chunk(caller, body)


@bp.route("/admin/patient-import/invitations", methods=["POST"])
@requires(
    "patient:import_invite",
    body=lambda: enrolment_models.ImportInvitationsIn,
    returns=lambda: enrolment_models.ImportInvitationsOut,
    summary=(
        "Email portal invitations to imported patients at SES's pace and within its daily quota; those not "
        "reached in this call come back as remaining"
    ),
)
def invite_imported_patients(*, caller: Caller, body: ImportInvitationsIn) -> ImportInvitationsOut:
    return import_service.invite_imported(caller, body.patient_ids)
