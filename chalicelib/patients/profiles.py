"""Viewing and editing a patient's demographics and contact details."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from chalicelib.core import audit, dynamo, errors, i18n, notify
from chalicelib.core.access import Caller, field_errors
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.models import EntrySource
from chalicelib.core.observability import logger
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import (
    BirthDateCorrectionIn,
    DirectoryEntry,
    Language,
    PatientProfile,
    ProfileUpdate,
)


def get_profile(caller: Caller, patient_id: str) -> PatientProfile:
    """Read a profile the caller may see, and log that they saw it."""
    profile = patient_store.get_profile(patient_id)
    audit.record(caller, patient_id=patient_id, action="profile.read", target="profile")
    return profile


def update_profile(caller: Caller, patient_id: str, update: ProfileUpdate) -> PatientProfile:
    """Apply a partial update made against `update.version`; a stale version is a Conflict."""
    current = patient_store.get_profile(patient_id)
    if current.version != update.version:
        raise errors.Conflict("this profile was changed by someone else; reload it and try again")
    changes = update.changes()
    merged = {**current.model_dump(mode="json"), **changes}
    if update.communication is not None:  # merge switch by switch: only what was sent changes
        sent = update.communication.model_dump(mode="json", exclude_unset=True)
        merged["communication"] = {**current.communication.model_dump(mode="json"), **sent}
    merged.update(version=current.version + 1, updated_at=dynamo.utcnow().isoformat())
    if {"phone", "email"} & set(changes):  # typed in now: no longer what an eCheck-in brought
        merged["contact_source"] = None
    try:
        updated = PatientProfile.model_validate(merged)
    except ValidationError as exc:  # backstop: an update the input model let through but a profile can't hold
        raise errors.BadRequest("some fields are not valid", fields=field_errors(exc)) from None
    event = audit.event(caller, patient_id=patient_id, action="profile.update", target="profile")
    patient_store.save_profile(updated, expected_version=current.version, audit=event)
    # Field names only, never values.
    logger.info("profile updated", extra={"patient_id": patient_id, "fields": sorted(changes)})
    return updated


# A patient's grants are a handful; each changed one is two items of a transaction (100 at most).
MAX_GRANTS_RESTATED = 45


def correct_birth_date(caller: Caller, patient_id: str, body: BirthDateCorrectionIn) -> PatientProfile:
    """The front desk corrects a birth date. Every parental grant on the patient gets the coming of age and
    capped end of the corrected date in the same transaction as the profile, so no grant outlives the
    patient's 18th birthday (nor ends early) for a moment."""
    from chalicelib.proxies import service as proxy_service

    current = patient_store.get_profile(patient_id)
    if current.version != body.version:
        raise errors.Conflict("this profile was changed by someone else; reload it and try again")
    updated = current.model_copy(
        update={
            "birth_date": body.birth_date,
            "version": current.version + 1,
            "updated_at": dynamo.utcnow(),
        }
    )
    grant_entries, grants = proxy_service.adulthood_entries_for_birth_date(patient_id, body.birth_date)
    if len(grants) > MAX_GRANTS_RESTATED:
        raise errors.Conflict(
            "this patient has too many caregiver grants to change at once; remove some first"
        )
    event = audit.event(caller, patient_id=patient_id, action="profile.birth_date_correct", target="profile")
    entries = patient_store.save_profile_entries(updated, expected_version=current.version, audit=event)
    dynamo.transact(
        [*entries[:-1], *grant_entries, entries[-1]],
        conflict="this profile or its caregiver access was changed by someone else; reload it and try again",
    )
    logger.info("birth date corrected", extra={"patient_id": patient_id, "grants_restated": len(grants)})
    return updated


# --- for other features: their own action is the audited one ---------------------------------------


def contact_from_checkin(
    caller: Caller, patient_id: str, *, phone: str | None, email: str | None, source: EntrySource
) -> tuple[PatientProfile, list[dict[str, Any]], AuditEvent]:
    """The phone/email a patient sent at eCheck-in, as staff accepted it: the contact editor's own write.

    Returns the profile and the entries to write (profile against its version, directory entries, audit
    event) so the caller commits them in one transaction with its decision.
    """
    current = patient_store.get_profile(patient_id)
    changes: dict[str, Any] = {}
    if phone:
        changes["phone"] = phone
    if email:
        changes["email"] = email
    try:
        updated = PatientProfile.model_validate(
            {
                **current.model_dump(mode="json"),
                **changes,
                "contact_source": source.model_dump(mode="json"),
                "version": current.version + 1,
                "updated_at": dynamo.utcnow().isoformat(),
            }
        )
    except ValidationError as exc:
        raise errors.BadRequest("some fields are not valid", fields=field_errors(exc)) from None
    event = audit.event(caller, patient_id=patient_id, action="profile.update", target="profile")
    entries = patient_store.save_profile_entries(updated, expected_version=current.version, audit=event)
    return updated, entries[:-1], event


def language_entries(caller: Caller, profile: PatientProfile, language: Language) -> list[dict[str, Any]]:
    """The entries that save `language` as the patient's preferred one (profile against its version,
    directory entries, audit event), for a caller that commits them with its own write; none when it is
    already saved."""
    if profile.preferred_language == language:
        return []
    updated = profile.model_copy(
        update={"preferred_language": language, "version": profile.version + 1, "updated_at": dynamo.utcnow()}
    )
    event = audit.event(caller, patient_id=profile.id, action="profile.update", target="profile")
    return patient_store.save_profile_entries(updated, expected_version=profile.version, audit=event)


def profile_of(patient_id: str) -> PatientProfile:
    """A patient's profile for a rule of another feature (a name on a statement, a time zone)."""
    return patient_store.get_profile(patient_id)


def profiles_of(patient_ids: list[str]) -> dict[str, PatientProfile]:
    """Several profiles in one BatchGetItem; unknown ids are left out."""
    return patient_store.get_profiles(patient_ids)


def notify_patient(patient_id: str, notice: notify.Notice | notify.NoticeFor) -> bool:
    """Email a patient who has an address and wants email notices. Best effort, after the commit.

    The one place that decides "may we email this patient?": every feature's notices come through here.
    A notice given as a function of the language is written in the patient's preferred one.
    """
    try:
        profile = patient_store.get_profile(patient_id)
    except (errors.NotFound, errors.Conflict):  # a removed or unreadable profile simply gets no email
        return False
    if not profile.email or not profile.communication.email_notifications:
        return False
    if callable(notice):
        notice = notice(i18n.locale_of(profile.preferred_language))
    sent = notify.send(profile.email, notice)
    logger.info("patient notice", extra={"patient_id": patient_id, "sent": sent})
    return sent


def new_profile_entries(profile: PatientProfile, *, audit: AuditEvent) -> list[dict[str, Any]]:
    """The writes that create a patient (profile, directory, audit), for a registration transaction."""
    return patient_store.register_entries(profile, audit=audit)


def born_on(birth_date: date) -> list[DirectoryEntry]:
    """Everyone born that day (directory entries: name and id), one Query a page; an importer checks a
    whole chunk's rows born that day against one read."""
    found: list[DirectoryEntry] = []
    cursor: str | None = None
    while True:
        entries, cursor = patient_store.find_by_birth_date(birth_date, cursor=cursor)
        found += entries
        if cursor is None:
            return found


def folded_name(family: str, given: str) -> tuple[str, str]:
    """A name as the duplicate check compares it: case, accents, spaces and punctuation left out."""
    return patient_store.fold(family), patient_store.fold(given)


def born_on_with_name(family: str, given: str, birth_date: date) -> list[DirectoryEntry]:
    """Patients born that day whose folded legal name is this one (the duplicate check); one Query a page."""
    wanted = (patient_store.fold(family), patient_store.fold(given))
    found: list[DirectoryEntry] = []
    cursor: str | None = None
    while True:
        entries, cursor = patient_store.find_by_birth_date(birth_date, cursor=cursor)
        found += [
            entry
            for entry in entries
            if (patient_store.fold(entry.legal_name.family), patient_store.fold(entry.legal_name.given))
            == wanted
        ]
        if cursor is None:
            return found
