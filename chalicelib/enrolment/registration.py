"""Registering a patient at the front desk (and, later, by the bulk importer): one record per person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import DuplicateOut, RegisteredPatient, RegistrationIn
from chalicelib.patients import profiles as profile_service
from chalicelib.patients.models import PatientProfile


class DuplicatePatient(errors.Conflict):
    """A registration that would double an existing record; the page offers that record instead."""

    def __init__(self, existing: DuplicateOut) -> None:
        super().__init__("this patient may already be registered; open the existing record instead")
        self.existing = existing

    def to_body(self, request_id: str | None = None) -> dict[str, object]:
        body = super().to_body(request_id)
        # Only what the front desk needs to open the record they already have: its id and name.
        error = body["error"]
        assert isinstance(error, dict)
        error["existing"] = self.existing.model_dump(mode="json")
        return body


def _display(profile: PatientProfile) -> str:
    return f"{profile.legal_name.family}, {profile.legal_name.given}"


def _existing(patient_id: str, matched_by: str) -> DuplicateOut:
    profile = profile_service.profile_of(patient_id)
    return DuplicateOut.model_validate(
        {"id": profile.id, "display_name": _display(profile), "matched_by": matched_by}
    )


def find_duplicate(body: RegistrationIn) -> DuplicateOut | None:
    """The record this registration would double: same MRN, or (unless waived) same name and birth date."""
    if body.mrn:
        patient_id = enrolment_store.patient_with_mrn(body.mrn)
        if patient_id:
            return _existing(patient_id, "mrn")
    if not body.not_a_duplicate:
        same = profile_service.born_on_with_name(
            body.legal_name.family, body.legal_name.given, body.birth_date
        )
        if same:
            # The directory entry holds the name: no second read of the profile.
            name = same[0].legal_name
            return DuplicateOut(
                id=same[0].id, display_name=f"{name.family}, {name.given}", matched_by="name_and_birth_date"
            )
    return None


def new_registration(
    caller: Caller, body: RegistrationIn, *, now: datetime, action: str = "patient.register"
) -> tuple[PatientProfile, list[dict[str, Any]]]:
    """A new patient and the transaction entries that create it (profile, directory, MRN index, audit).

    The MRN index entry is written only if absent: the transaction fails rather than double an MRN.
    """
    profile = PatientProfile.model_validate(
        {
            "id": dynamo.new_id("p-"),
            "legal_name": body.legal_name.model_dump(),
            "birth_date": body.birth_date,
            "sex": body.sex,
            "phone": body.phone,
            "email": body.email,
            "address": body.address.model_dump() if body.address else None,
            "mrn": body.mrn.upper() if body.mrn else None,
            "preferred_language": body.preferred_language or "en",
            "updated_at": now,
        }
    )
    event = audit.event(caller, patient_id=profile.id, action=action, target="profile")
    entries = profile_service.new_profile_entries(profile, audit=event)
    if profile.mrn:
        entries.append(enrolment_store.mrn_entry(profile.mrn, profile.id))
    return profile, entries


def register_patient(
    caller: Caller,
    body: RegistrationIn,
    *,
    now: datetime | None = None,
    same_mrn: str = "refuse",
    action: str = "patient.register",
) -> RegisteredPatient:
    """Create a patient: profile, directory entries, MRN index and audit event in one transaction.

    A duplicate is refused with the existing record (409). An importer passes `same_mrn="skip"`: a row
    whose MRN is already registered answers that record with created=False, so re-runs never double it.
    """
    now = now or dynamo.utcnow()
    duplicate = find_duplicate(body)
    if duplicate is not None:
        if same_mrn == "skip" and duplicate.matched_by == "mrn":
            return RegisteredPatient(id=duplicate.id, display_name=duplicate.display_name, created=False)
        raise DuplicatePatient(duplicate)
    profile, entries = new_registration(caller, body, now=now, action=action)
    if not enrolment_store.write_registration(entries):
        # Another registration with this MRN landed between our check and our write.
        duplicate = find_duplicate(body.model_copy(update={"not_a_duplicate": True}))
        if duplicate is None:
            raise errors.Conflict("this patient could not be registered; please try again")
        if same_mrn == "skip":
            return RegisteredPatient(id=duplicate.id, display_name=duplicate.display_name, created=False)
        raise DuplicatePatient(duplicate)
    logger.info("patient registered", extra={"patient_id": profile.id, "with_mrn": bool(profile.mrn)})
    return RegisteredPatient(id=profile.id, display_name=_display(profile), created=True)
