"""Patients invite their own caregivers: an emailed one-time code, with the scope and end date they chose.

Someone without a portal account activates with the code as any invited caregiver does (activation.py);
someone with an account signs in and accepts it here. The email says who the clinic is, never whose
record or anything in it.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from chalicelib.core import audit, config, dynamo, errors, notify, rate_limit
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.enrolment import invitations
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import Invitation, normalize_code
from chalicelib.patients import profiles as profile_service
from chalicelib.proxies import service as proxy_service
from chalicelib.proxies.models import (
    AcceptedOut,
    CaregiverInvitationOut,
    CaregiverInviteIn,
    InvitationAcceptIn,
    PendingInvitationList,
    PendingInvitationOut,
    ProxyScope,
)

# Codes tried by one signed-in account: a person accepting a few invitations is never slowed down.
ACCEPTS_PER_ACCOUNT: Final = rate_limit.Limit("caregiver-accept", hits=10, window_seconds=900)
_REFUSED = (
    "this code does not match an invitation you can accept (it may have been cancelled or used already); "
    "ask for a new one"
)
_NO_INVITATION = "invitation not found"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def invite_caregiver(caller: Caller, patient_id: str, body: CaregiverInviteIn) -> CaregiverInvitationOut:
    """An adult patient invites someone by email to act for them, within the scope they chose."""
    if caller.acts_for.get(patient_id) != "self":
        raise errors.NotFound("patient not found")  # the guard already keeps caregivers out
    now = dynamo.utcnow()
    profile = profile_service.profile_of(patient_id)
    today = now.astimezone(ZoneInfo(config.clinic().time_zone)).date()
    adult_at_age = config.clinic().minors.adult_at_age
    if age_on(profile.birth_date, today) < adult_at_age:
        raise errors.Forbidden(
            "a parent or guardian arranges caregiver access for patients under {age}",
            params={"age": adult_at_age},
        )
    access_ends_at = proxy_service.expiry(body.expires_on, now)
    code = invitations.new_code()
    invitation = Invitation(
        id=dynamo.new_id("inv-"),
        patient_id=patient_id,
        kind="caregiver",
        delivery="email",
        email=str(body.email),
        caregiver_name=body.caregiver_name,
        relationship=body.relationship,
        code_hash=enrolment_store.code_hash(code),
        created_at=now,
        created_by=caller.sub,
        expires_at=now + timedelta(days=config.clinic().enrolment.invitation_days),
        scope=body.scope,
        access_ends_at=access_ends_at,
        invited_by_role=Role.PATIENT,
    )
    event = audit.event(caller, patient_id=patient_id, action="proxy.invite", target=invitation.id)
    enrolment_store.create_invitation(invitation, audit=event)
    sent = notify.send(str(body.email), _email(invitation, code))
    logger.info(
        "caregiver invited by patient", extra={"patient_id": patient_id, "invitation_id": invitation.id}
    )
    return CaregiverInvitationOut(
        id=invitation.id,
        caregiver_name=body.caregiver_name,
        email=str(body.email),
        relationship=body.relationship,
        scope=body.scope,
        access_ends_at=access_ends_at,
        created_at=now,
        expires_at=invitation.expires_at,
        email_sent=sent,
    )


def _sent_by_patient(invitation: Invitation) -> bool:
    return invitation.kind == "caregiver" and invitation.invited_by_role is Role.PATIENT


def mask_email(address: str) -> str:
    """a•••@example.org: enough for the patient to know whom they invited, little for a passer-by."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}\u2022\u2022\u2022@{domain}" if domain else "\u2022\u2022\u2022"


def pending_invitations(
    caller: Caller, patient_id: str, *, now: datetime | None = None
) -> PendingInvitationList:
    """The caregiver invitations this patient sent that nobody accepted or cancelled, newest first."""
    if caller.acts_for.get(patient_id) != "self":
        raise errors.NotFound("patient not found")  # the guard already keeps caregivers out
    now = now or dynamo.utcnow()
    items = [
        PendingInvitationOut(
            id=invitation.id,
            caregiver_name=invitation.caregiver_name or "",
            email=mask_email(invitation.email or ""),
            relationship=invitation.relationship or "other",
            scope=invitation.scope or ProxyScope(),
            access_ends_at=invitation.access_ends_at,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            status="pending" if invitation.status(now) == "pending" else "expired",
        )
        for invitation in enrolment_store.list_invitations(patient_id)
        if _sent_by_patient(invitation) and invitation.state == "pending"
    ]
    audit.record(
        caller, patient_id=patient_id, action="proxy.invitation_list", target="caregiver-invitations"
    )
    return PendingInvitationList(items=items)


def cancel_invitation(caller: Caller, patient_id: str, invitation_id: str) -> None:
    """The patient takes back an invitation: its code stops working at once (the lookup goes with it)."""
    if caller.acts_for.get(patient_id) != "self":
        raise errors.NotFound("patient not found")
    invitation = enrolment_store.get_invitation(patient_id, invitation_id)
    if invitation is None or not _sent_by_patient(invitation):
        raise errors.NotFound(_NO_INVITATION)
    if invitation.state == "used":
        raise errors.Conflict("this invitation was already accepted; to end that access, remove the person")
    if invitation.state == "revoked":
        raise errors.Conflict("this invitation was already cancelled")
    event = audit.event(caller, patient_id=patient_id, action="proxy.invitation_cancel", target=invitation.id)
    # Conditional on still pending: an acceptance that lands first wins, and this answers 409.
    enrolment_store.revoke_invitation(invitation, audit=event)
    logger.info(
        "caregiver invitation cancelled", extra={"patient_id": patient_id, "invitation_id": invitation.id}
    )


def _email(invitation: Invitation, code: str) -> notify.Notice:
    clinic = config.clinic()
    first_name = (invitation.caregiver_name or "").split()[0] if invitation.caregiver_name else "there"
    base = notify.portal_base() or ""
    return notify.Notice(
        subject=f"You are invited to help with someone's care at {clinic.name}",
        text=(
            f"Hello {first_name},\n\n"
            f"A patient of {clinic.name} has invited you to help with their care in the patient portal.\n\n"
            f"Your invitation code: {invitations.grouped(code)}\n\n"
            f"Already have a portal account? Sign in at {base or 'the portal'}, open your Profile and enter "
            "the code under Accept a caregiver invitation.\n"
            f"New to the portal? Activate an account at {invitations.activation_link()} with the code.\n\n"
            f"The code works once and expires in {clinic.enrolment.invitation_days} days.\n"
            "For privacy this email does not include any health details or names.\n"
            f"Questions? Call us at {clinic.phone_display}."
        ),
    )


def accept(caller: Caller, body: InvitationAcceptIn, *, now: datetime | None = None) -> AcceptedOut:
    """A signed-in portal account accepts a caregiver invitation: the grant it promised, for them."""
    now = now or dynamo.utcnow()
    rate_limit.hit(ACCEPTS_PER_ACCOUNT, caller.sub, now=now.timestamp())
    invitation = enrolment_store.invitation_for_code(enrolment_store.code_hash(normalize_code(body.code)))
    if (
        invitation is None
        or invitation.kind != "caregiver"
        or invitation.status(now) != "pending"
        or invitation.relationship is None
        or caller.acts_for.get(invitation.patient_id) == "self"
    ):
        raise errors.NotFound(_REFUSED)
    if not enrolment_store.claim(invitation, caller.username):
        raise errors.NotFound(_REFUSED)
    granted_by = invitation.invited_by_role or Role.FRONT_DESK
    # From here the account acts for the patient: its events read "as caregiver" in the patient's log.
    caller = dataclasses.replace(caller, acts_for={**caller.acts_for, invitation.patient_id: "caregiver"})
    grant_event = audit.event(
        caller, patient_id=invitation.patient_id, action="proxy.grant", target=caller.sub
    )
    proxy_service.grant_on_activation(
        patient_id=invitation.patient_id,
        sub=caller.sub,
        display_name=caller.display_name,
        relationship=invitation.relationship,
        audit=grant_event,
        scope=invitation.scope,
        expires_at=invitation.access_ends_at,
        granted_by_role=granted_by,
    )
    event = audit.event(
        caller, patient_id=invitation.patient_id, action="invitation.accept", target=invitation.id
    )
    with contextlib.suppress(errors.Conflict):  # a retry of this same acceptance used it first
        enrolment_store.consume(invitation, sub=caller.sub, at=dynamo.utc_text(now), audit=event)
    logger.info("caregiver invitation accepted", extra={"patient_id": invitation.patient_id})
    scope = invitation.scope or ProxyScope()
    return AcceptedOut(patient_id=invitation.patient_id, scope=scope)
