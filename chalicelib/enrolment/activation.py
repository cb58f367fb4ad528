"""Activation: a person with a code (and two facts only the patient's household knows) makes an account.

Every refusal gives the same answer, whether the code is unknown, wrong, used, expired, revoked or locked:
nobody learns from the answer whether a code exists. Wrong facts for a real code are counted; at
MAX_ATTEMPTS the code locks, and even the right facts are refused (the front desk sees it and resends).
Completing is repeatable: each step may be run again, so a retry finishes an activation that failed half-way.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Final

from chalicelib.core import audit, config, dynamo, errors, rate_limit
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller, Visitor
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import (
    MAX_ATTEMPTS,
    ActivationCheckIn,
    ActivationCheckOut,
    ActivationCompleteIn,
    ActivationOut,
    ActivationSettingsOut,
    Invitation,
    normalize_code,
)
from chalicelib.patients import profiles as profile_service
from chalicelib.patients.models import PatientProfile
from chalicelib.proxies import service as proxy_service

# Attempts from one source address, across codes, on top of each code's own lock after MAX_ATTEMPTS wrong
# answers: trying many codes from one place is slowed down, a household activating a few accounts is not.
ATTEMPTS_PER_SOURCE: Final = rate_limit.Limit("activation-source", hits=30, window_seconds=900)
REFUSAL = (
    "we could not confirm these details. Check the code and the details you entered, "
    "or call the clinic for a new code"
)


class ActivationRefused(errors.BadRequest):
    CODE = "activation_refused"

    def __init__(self) -> None:
        super().__init__(REFUSAL)


def settings() -> ActivationSettingsOut:
    enrolment = config.clinic().enrolment
    return ActivationSettingsOut(
        second_fact=enrolment.second_fact, self_registration=enrolment.self_registration
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _facts_match(profile: PatientProfile, birth_date: date, second_fact: str) -> bool:
    if profile.birth_date != birth_date:
        return False
    if config.clinic().enrolment.second_fact == "postal_code":
        on_file = profile.address.postal_code if profile.address else ""
        return (
            bool(on_file)
            and _digits(on_file)[:5] == _digits(second_fact)[:5]
            and len(_digits(second_fact)) >= 5
        )
    return (
        bool(profile.phone)
        and len(_digits(second_fact)) == 4
        and _digits(profile.phone or "").endswith(_digits(second_fact))
    )


def _verified(
    body: ActivationCheckIn, now: datetime, *, username: str | None = None
) -> tuple[Invitation, PatientProfile]:
    """The invitation these facts unlock, or ActivationRefused (counting a wrong answer for a real code)."""
    invitation = enrolment_store.invitation_for_code(enrolment_store.code_hash(normalize_code(body.code)))
    if invitation is None:
        raise ActivationRefused
    try:
        profile = profile_service.profile_of(invitation.patient_id)
    except (errors.NotFound, errors.Conflict):
        raise ActivationRefused from None
    if invitation.failed_attempts >= MAX_ATTEMPTS:
        raise ActivationRefused
    if not _facts_match(profile, body.birth_date, body.second_fact):
        count = enrolment_store.count_wrong_answer(invitation)
        logger.info("activation refused", extra={"invitation_id": invitation.id, "failed_attempts": count})
        raise ActivationRefused
    if invitation.state == "used":
        # A repeat of a finished activation by the same username answers as it did (a lost response).
        if username is not None and invitation.claimed_username == username:
            return invitation, profile
        raise ActivationRefused
    if invitation.state != "pending" or now >= invitation.expires_at:
        raise ActivationRefused
    return invitation, profile


def _first_name(invitation: Invitation, profile: PatientProfile) -> str:
    if invitation.kind == "caregiver" and invitation.caregiver_name:
        return invitation.caregiver_name.split()[0]
    return profile.preferred_name or profile.legal_name.given


def check(body: ActivationCheckIn, visitor: Visitor, *, now: datetime | None = None) -> ActivationCheckOut:
    """Step one: do the code and facts match a live invitation?"""
    now = now or dynamo.utcnow()
    rate_limit.hit(ATTEMPTS_PER_SOURCE, visitor.source_ip, now=now.timestamp())
    invitation, profile = _verified(body, now)
    return ActivationCheckOut(kind=invitation.kind, first_name=_first_name(invitation, profile))


def complete(body: ActivationCompleteIn, visitor: Visitor, *, now: datetime | None = None) -> ActivationOut:
    """Step two: create the sign-in, the portal account and its link to the patient; then use up the code."""
    now = now or dynamo.utcnow()
    rate_limit.hit(ATTEMPTS_PER_SOURCE, visitor.source_ip, now=now.timestamp())
    username = body.username.strip().lower()  # usernames are case-insensitive in the pool
    invitation, profile = _verified(body, now, username=username)
    if invitation.state == "used":
        return ActivationOut(username=username, patient_id=invitation.patient_id)
    retry = invitation.claimed_username == username
    if not retry and enrolment_store.username_exists(username):
        raise errors.Conflict("this username is taken; choose another", fields={"username": "already taken"})
    if not enrolment_store.claim(invitation, username):
        raise ActivationRefused  # locked, used or claimed by another username meanwhile
    try:
        sub = enrolment_store.create_sign_in(username, email=invitation.email, adopt=True)
    except enrolment_store.UsernameTaken:
        enrolment_store.release_claim(invitation, username)
        raise errors.Conflict(
            "this username is taken; choose another", fields={"username": "already taken"}
        ) from None
    enrolment_store.record_account(invitation, sub)
    try:
        enrolment_store.finish_sign_in(username, body.password)
    except enrolment_store.PasswordRefused:
        raise errors.BadRequest(
            "choose a stronger password", fields={"password": "this password is not strong enough"}
        ) from None
    display_name = (
        invitation.caregiver_name
        if invitation.kind == "caregiver" and invitation.caregiver_name
        else f"{profile.preferred_name or profile.legal_name.given} {profile.legal_name.family}"
    )
    user_store.put_account(
        sub=sub, username=username, display_name=display_name, role=Role.PATIENT, email=invitation.email
    )
    actor = Caller(
        sub=sub,
        username=username,
        role=Role.PATIENT,
        display_name=display_name,
        request_id=visitor.request_id,
    )
    if invitation.kind == "caregiver" and invitation.relationship:
        grant_event = audit.event(actor, patient_id=invitation.patient_id, action="proxy.grant", target=sub)
        proxy_service.grant_on_activation(
            patient_id=invitation.patient_id,
            sub=sub,
            display_name=display_name,
            relationship=invitation.relationship,
            audit=grant_event,
            scope=invitation.scope,
            expires_at=invitation.access_ends_at,
            granted_by_role=invitation.invited_by_role or Role.FRONT_DESK,
        )
    else:
        user_store.link_patient(sub=sub, patient_id=invitation.patient_id, relationship="self")
    event = audit.event(
        actor, patient_id=invitation.patient_id, action="invitation.activate", target=invitation.id
    )
    # The language the page was in becomes the patient's saved one, so the first emails and screens after
    # sign-in are in it (a caregiver has no profile of their own here: theirs is not saved).
    language = (
        profile_service.language_entries(actor, profile, body.preferred_language)
        if body.preferred_language is not None and invitation.kind == "self"
        else []
    )
    # A concurrent retry of this same activation may have used it first: the account is the same.
    with contextlib.suppress(errors.Conflict):
        enrolment_store.consume(invitation, sub=sub, at=dynamo.utc_text(now), audit=event, also=language)
    logger.info("invitation activated", extra={"patient_id": invitation.patient_id, "account_sub": sub})
    return ActivationOut(username=username, patient_id=invitation.patient_id)
