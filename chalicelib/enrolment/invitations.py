"""Invitations: a one-time activation code for a patient (or a caregiver), by email or on a printed letter.

The code is shown once, when it is made: stored only as a peppered hash. It works for the clinic's
`enrolment.invitation_days`, once; a resend makes a new code and revokes the old one in the same write.
"""

from __future__ import annotations

import html
import secrets
from datetime import datetime, timedelta

from chalicelib.core import audit, config, dynamo, errors, notify
from chalicelib.core.access import Caller
from chalicelib.core.i18n import Locale, locale_of, text
from chalicelib.core.observability import logger
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Invitation,
    InvitationIn,
    InvitationList,
    InvitationOut,
    IssuedInvitation,
)
from chalicelib.patients import profiles as profile_service
from chalicelib.patients.models import PatientProfile

_NOT_FOUND = "invitation not found"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """K7RXM3QDWP -> K7RX-M3QD-WP: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def activation_link() -> str:
    base = notify.portal_base()
    return f"{base}/activate" if base else "/activate"


def list_invitations(caller: Caller, patient_id: str, *, now: datetime | None = None) -> InvitationList:
    """Every invitation of this patient, newest first, with its state (locked ones flagged)."""
    now = now or dynamo.utcnow()
    invitations = enrolment_store.list_invitations(patient_id)
    audit.record(caller, patient_id=patient_id, action="invitation.list", target="invitations")
    return InvitationList(items=[InvitationOut.from_invitation(item, now) for item in invitations])


def _check_facts_on_file(profile: PatientProfile) -> None:
    """An invitation nobody could activate helps no one: the second fact must be on the record."""
    fact = config.clinic().enrolment.second_fact
    if fact == "postal_code" and (profile.address is None or not profile.address.postal_code):
        raise errors.Conflict(
            "add the patient's address first: activation asks for the ZIP code on file",
            fields={"address": "no ZIP code on file"},
        )
    if fact == "phone_last_four" and not profile.phone:
        raise errors.Conflict(
            "add the patient's phone number first: activation asks for its last four digits",
            fields={"phone": "no phone number on file"},
        )


def invite(
    caller: Caller,
    patient_id: str,
    body: InvitationIn,
    *,
    now: datetime | None = None,
    replaces: Invitation | None = None,
) -> IssuedInvitation:
    """Make a code for the patient or a caregiver and deliver it (email now, or a letter to print)."""
    now = now or dynamo.utcnow()
    profile = profile_service.profile_of(patient_id)
    _check_facts_on_file(profile)
    if body.kind == "caregiver" and (not body.caregiver_name or not body.relationship):
        raise errors.BadRequest(
            "a caregiver invitation needs the caregiver's name and relationship",
            fields={"caregiver_name": "required for a caregiver", "relationship": "required for a caregiver"},
        )
    email = body.email or (profile.email if body.kind == "self" else None)
    if body.delivery == "email" and not email:
        raise errors.BadRequest(
            "there is no email address to send to", fields={"email": "enter an email address"}
        )
    code = new_code()
    invitation = Invitation(
        id=dynamo.new_id("inv-"),
        patient_id=patient_id,
        kind=body.kind,
        delivery=body.delivery,
        email=email if body.delivery == "email" else None,
        caregiver_name=body.caregiver_name if body.kind == "caregiver" else None,
        relationship=body.relationship if body.kind == "caregiver" else None,
        code_hash=enrolment_store.code_hash(code),
        created_at=now,
        created_by=caller.sub,
        expires_at=now + timedelta(days=config.clinic().enrolment.invitation_days),
    )
    action = "invitation.resend" if replaces else "invitation.create"
    event = audit.event(caller, patient_id=patient_id, action=action, target=invitation.id)
    enrolment_store.create_invitation(invitation, audit=event, replaces=replaces)
    sent = False
    letter = None
    if body.delivery == "email" and invitation.email:
        sent = notify.send(invitation.email, _email(invitation, profile, code))
    else:
        letter = letter_html(invitation, profile, code)
    logger.info(
        "invitation issued", extra={"patient_id": patient_id, "invitation_id": invitation.id, "sent": sent}
    )
    return IssuedInvitation(
        invitation=InvitationOut.from_invitation(invitation, now),
        code=grouped(code),
        email_sent=sent,
        letter_html=letter,
    )


def resend(
    caller: Caller, patient_id: str, invitation_id: str, *, now: datetime | None = None
) -> IssuedInvitation:
    """A new code for the same person and delivery; the old code stops working in the same write."""
    old = _pending(patient_id, invitation_id)
    body = InvitationIn(
        kind=old.kind,
        delivery=old.delivery,
        email=old.email,
        caregiver_name=old.caregiver_name,
        relationship=old.relationship,
    )
    return invite(caller, patient_id, body, now=now, replaces=old)


def revoke(caller: Caller, patient_id: str, invitation_id: str) -> None:
    """The code stops working at once."""
    invitation = _pending(patient_id, invitation_id)
    event = audit.event(caller, patient_id=patient_id, action="invitation.revoke", target=invitation.id)
    enrolment_store.revoke_invitation(invitation, audit=event)


def _pending(patient_id: str, invitation_id: str) -> Invitation:
    invitation = enrolment_store.get_invitation(patient_id, invitation_id)
    if invitation is None:
        raise errors.NotFound(_NOT_FOUND)
    if invitation.state != "pending":
        raise errors.Conflict("this invitation was already used or revoked")
    return invitation


def _first_name(invitation: Invitation, profile: PatientProfile) -> str:
    if invitation.kind == "caregiver" and invitation.caregiver_name:
        return invitation.caregiver_name.split()[0]
    return profile.preferred_name or profile.legal_name.given


def _email(invitation: Invitation, profile: PatientProfile, code: str) -> notify.Notice:
    clinic = config.clinic()
    whose = f"{profile.legal_name.given}'s record" if invitation.kind == "caregiver" else "your health record"
    days = clinic.enrolment.invitation_days
    return notify.Notice(
        subject=f"Your invitation to the {clinic.name} patient portal",
        text=(
            f"Hello {_first_name(invitation, profile)},\n\n"
            f"{clinic.name} invites you to its patient portal to see {whose}.\n\n"
            f"Your activation code: {grouped(code)}\n"
            f"Activate here: {activation_link()}\n\n"
            f"You will need the code, the patient's date of birth and {_fact_words()}. "
            f"The code works once and expires in {days} days.\n\n"
            "For your privacy this email does not include any health details.\n"
            f"Questions? Call us at {clinic.phone_display}."
        ),
    )


def _fact_words(locale: Locale = "en") -> str:
    fact = config.clinic().enrolment.second_fact
    return text(
        "the ZIP code on file"
        if fact == "postal_code"
        else "the last four digits of the phone number on file",
        locale,
    )


_MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()


def letter_html(invitation: Invitation, profile: PatientProfile, code: str) -> str:
    """A one-page letter the front desk prints: clinic, whom it is for, the code, where, and until when.

    Written in the patient's preferred language when the portal speaks it (a caregiver's own language is
    not known: the household's is the best guess), else English.
    """
    clinic = config.clinic()
    locale = locale_of(profile.preferred_language)
    e = html.escape
    addressee = (
        invitation.caregiver_name
        if invitation.kind == "caregiver" and invitation.caregiver_name
        else f"{profile.legal_name.given} {profile.legal_name.family}"
    )
    day = invitation.expires_at.date()
    expires = day.isoformat() if locale == "en" else f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    steps = text(
        "Go to {link} and enter this code, the patient's date of birth and {fact}. "
        "Then choose a username and password.",
        locale,
        link=f"<strong>{e(activation_link())}</strong>",
        fact=e(_fact_words(locale)),
    )
    until = text("The code works once and expires on {date}.", locale, date=f"<strong>{e(expires)}</strong>")
    return (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        f"<title>{e(text('Patient portal activation: {clinic}', locale, clinic=clinic.name))}</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#111}"
        ".code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.15em;border:2px solid #111;"
        "padding:.5rem 1rem;display:inline-block}</style></head><body>"
        f"<h1>{e(clinic.name)}</h1>"
        f"<p>{e(text('For: {name}', locale, name=addressee))}</p>"
        f"<h2>{e(text('Your patient portal activation code', locale))}</h2>"
        f'<p class="code">{e(grouped(code))}</p>'
        f"<p>{steps}</p>"
        f"<p>{until}</p>"
        f"<p>{e(text('Questions? Call us at {phone}.', locale, phone=clinic.phone_display))}</p>"
        "</body></html>"
    )
