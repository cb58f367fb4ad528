"""Viewing and editing a patient's profile: who may see it, what an edit changes, and what gets logged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from chalicelib.core import audit, audit_log, errors, users
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import STAFF_ROLES, Role
from chalicelib.patients import profiles
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile, ProfileUpdate
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

STAFF = sorted(STAFF_ROLES)

FULL_CONTACT: dict[str, object] = {
    "preferred_name": "Sam",
    "pronouns": "they/them",
    "phone": "+12175550142",
    "email": "sam@example.com",
    "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"},
    "emergency_contact": {"name": "Alex Doe", "relationship": "sibling", "phone": "+12175550143"},
}


def log_of(patient_id: str) -> list[AuditEvent]:
    events, _ = audit_log.list_for_patient(patient_id, limit=100, cursor=None)
    return events


# --- reading -------------------------------------------------------------------------------------


def test_patient_reads_own_profile_and_the_read_is_logged(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(preferred_name="Sam")
    caller = caller_for(acts_for={patient.id: "self"}, sub="sub-sam", name="Sam Patient1")

    profile = profiles.get_profile(caller, patient.id)

    assert profile.id == patient.id
    assert profile.display_name == f"Sam {patient.legal_name.family}"
    [event] = log_of(patient.id)
    assert (event.action, event.target, event.patient_id) == ("profile.read", "profile", patient.id)
    assert (event.actor_sub, event.actor_name, event.actor_role) == ("sub-sam", "Sam Patient1", Role.PATIENT)
    assert event.request_id == "req-unit"


@pytest.mark.parametrize("target", ["another patient", "unknown id"])
def test_patient_cannot_read_a_profile_they_are_not_linked_to(
    target: str, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = make_patient()
    other_id = make_patient().id if target == "another patient" else "p-does-not-exist"
    caller = caller_for(acts_for={me.id: "self"})

    with pytest.raises(errors.NotFound):
        routed(profiles.get_profile, caller, other_id)

    assert log_of(other_id) == []
    assert log_of(me.id) == []


def test_caregiver_reads_the_dependents_profile(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    parent = make_patient()
    child = make_patient(preferred_name="Kid")
    caller = caller_for(acts_for={parent.id: "self", child.id: "caregiver"}, sub="sub-parent")

    profile = profiles.get_profile(caller, child.id)

    assert profile.id == child.id
    assert [(e.action, e.actor_sub) for e in log_of(child.id)] == [("profile.read", "sub-parent")]
    assert log_of(parent.id) == []


@pytest.mark.parametrize("role", STAFF)
def test_staff_read_an_existing_patient(
    role: Role, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    caller = caller_for(role, sub=f"sub-{role}")

    profile = profiles.get_profile(caller, patient.id)

    assert profile == patient
    assert [(e.action, e.actor_role) for e in log_of(patient.id)] == [("profile.read", role)]


@pytest.mark.parametrize("role", STAFF)
def test_staff_get_not_found_for_an_unknown_patient(role: Role, caller_for: CallerFactory) -> None:
    with pytest.raises(errors.NotFound):
        routed(profiles.get_profile, caller_for(role), "p-does-not-exist")

    assert log_of("p-does-not-exist") == []


# --- editing -------------------------------------------------------------------------------------


def test_update_normalises_phone_bumps_version_and_logs_the_change(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(phone="+12175550100")
    caller = caller_for(acts_for={patient.id: "self"}, sub="sub-self")
    before = datetime.now(UTC)

    returned = profiles.update_profile(caller, patient.id, ProfileUpdate(version=1, phone="(217) 555-0142"))

    stored = patient_store.get_profile(patient.id)
    assert stored == returned
    assert stored.phone == "+12175550142"
    assert stored.version == 2
    assert before <= stored.updated_at <= datetime.now(UTC)
    [event] = log_of(patient.id)
    assert (event.action, event.target, event.actor_sub) == ("profile.update", "profile", "sub-self")


def test_front_desk_can_update_a_patient_they_are_not_linked_to(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()

    profiles.update_profile(
        caller_for(Role.FRONT_DESK), patient.id, ProfileUpdate(version=1, pronouns="she/her")
    )

    assert patient_store.get_profile(patient.id).pronouns == "she/her"
    assert [(e.action, e.actor_role) for e in log_of(patient.id)] == [("profile.update", Role.FRONT_DESK)]


def test_patient_cannot_update_someone_elses_profile(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me, other = make_patient(), make_patient(phone="+12175550100")
    caller = caller_for(acts_for={me.id: "self"})

    with pytest.raises(errors.NotFound):
        routed(profiles.update_profile, caller, other.id, ProfileUpdate(version=1, phone="2175550142"))

    assert patient_store.get_profile(other.id) == other
    assert log_of(other.id) == []


def test_null_and_empty_string_clear_optional_fields(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(**FULL_CONTACT)
    caller = caller_for(acts_for={patient.id: "self"})
    update = ProfileUpdate.model_validate(
        {
            "version": 1,
            "preferred_name": "",
            "pronouns": "   ",
            "phone": None,
            "email": None,
            "address": None,
            "emergency_contact": None,
        }
    )

    profiles.update_profile(caller, patient.id, update)

    stored = patient_store.get_profile(patient.id)
    assert stored.preferred_name is None
    assert stored.pronouns is None
    assert stored.phone is None
    assert stored.email is None
    assert stored.address is None
    assert stored.emergency_contact is None
    assert stored.display_name == f"Test {patient.legal_name.family}"


@pytest.mark.parametrize("field", ["phone", "email"])
def test_empty_string_clears_phone_and_email(
    field: str, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(**FULL_CONTACT)
    caller = caller_for(acts_for={patient.id: "self"})

    profiles.update_profile(caller, patient.id, ProfileUpdate.model_validate({"version": 1, field: ""}))

    assert getattr(patient_store.get_profile(patient.id), field) is None


@pytest.mark.parametrize("field", ["preferred_language", "communication"])
def test_null_for_a_field_that_cannot_be_empty_is_refused_as_input(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ProfileUpdate.model_validate({"version": 1, field: None})

    assert [e["loc"] for e in caught.value.errors()] == [(field,)]


def test_one_communication_switch_changes_only_that_switch(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(
        communication={
            "email_notifications": False,
            "sms_notifications": False,
            "preferred_contact_method": "phone",
        }
    )
    caller = caller_for(acts_for={patient.id: "self"})

    profiles.update_profile(
        caller,
        patient.id,
        ProfileUpdate.model_validate({"version": 1, "communication": {"sms_notifications": True}}),
    )

    stored = patient_store.get_profile(patient.id).communication
    assert (stored.email_notifications, stored.sms_notifications, stored.preferred_contact_method) == (
        False,
        True,
        "phone",
    )


def test_fields_not_sent_are_left_unchanged(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    patient = make_patient(**FULL_CONTACT, preferred_language="es")
    caller = caller_for(acts_for={patient.id: "self"})

    profiles.update_profile(caller, patient.id, ProfileUpdate(version=1, pronouns="he/him"))

    stored = patient_store.get_profile(patient.id)
    assert stored.pronouns == "he/him"
    unchanged = {"pronouns", "version", "updated_at"}
    assert stored.model_dump(exclude=unchanged) == patient.model_dump(exclude=unchanged)


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(phone="+12175550100")
    caller = caller_for(acts_for={patient.id: "self"})
    profiles.update_profile(caller, patient.id, ProfileUpdate(version=1, pronouns="she/her"))
    saved = patient_store.get_profile(patient.id)
    log_before = log_of(patient.id)

    with pytest.raises(errors.Conflict):
        profiles.update_profile(caller, patient.id, ProfileUpdate(version=1, phone="2175550142"))

    assert patient_store.get_profile(patient.id) == saved
    assert log_of(patient.id) == log_before


def test_a_save_that_lost_the_race_writes_neither_profile_nor_audit(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(phone="+12175550100")
    slow, fast = caller_for(Role.FRONT_DESK, sub="sub-slow"), caller_for(Role.ADMIN, sub="sub-fast")
    seen_by_slow = patient_store.get_profile(patient.id)
    profiles.update_profile(fast, patient.id, ProfileUpdate(version=1, pronouns="she/her"))
    winner = patient_store.get_profile(patient.id)
    losing_event = audit.event(slow, patient_id=patient.id, action="profile.update", target="profile")
    losing_profile = seen_by_slow.model_copy(update={"phone": "+12175550199", "version": 2})

    with pytest.raises(errors.Conflict):
        patient_store.save_profile(losing_profile, expected_version=seen_by_slow.version, audit=losing_event)

    assert patient_store.get_profile(patient.id) == winner
    assert [e.actor_sub for e in log_of(patient.id)] == ["sub-fast"]


def test_saving_a_profile_that_does_not_exist_is_a_conflict_and_creates_nothing(
    caller_for: CallerFactory,
) -> None:
    ghost = PatientProfile.model_validate(
        {
            "id": "p-ghost",
            "legal_name": {"given": "No", "family": "One"},
            "birth_date": "1990-01-01",
            "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
            "version": 2,
        }
    )
    event = audit.event(
        caller_for(Role.ADMIN), patient_id="p-ghost", action="profile.update", target="profile"
    )

    with pytest.raises(errors.Conflict):
        patient_store.save_profile(ghost, expected_version=1, audit=event)

    assert not users.patient_exists("p-ghost")
    assert log_of("p-ghost") == []


@pytest.mark.parametrize(
    "field",
    [
        {"legal_name": {"given": "New", "family": "Name"}},
        {"birth_date": "2000-02-02"},
        {"id": "p-someone-else"},
        {"updated_at": "2020-01-01T00:00:00Z"},
    ],
    ids=["legal_name", "birth_date", "id", "updated_at"],
)
def test_identity_and_server_fields_cannot_be_sent_in_an_update(field: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as caught:
        ProfileUpdate.model_validate({"version": 1, **field})

    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        ((next(iter(field)),), "extra_forbidden")
    ]
