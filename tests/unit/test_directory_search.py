"""Directory search by given name, phone, email and MRN: keys written with the profile in its transaction,
kept current when contact details change, found by one Query each and never a Scan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from chalicelib.core import audit, aws, dynamo, users
from chalicelib.core.identity import Role
from chalicelib.local import seed
from chalicelib.patients import profiles as profile_service
from chalicelib.patients import search as search_service
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile, ProfileUpdate
from tests.unit.conftest import CallerFactory, PatientFactory

NOW = datetime(2026, 6, 15, 15, 0, tzinfo=UTC)


@pytest.fixture
def dynamodb_calls() -> Iterator[list[str]]:
    """The name of every DynamoDB operation the code under test sends (resource and client alike)."""
    calls: list[str] = []
    clients = {id(c): c for c in (aws.dynamodb_resource().meta.client, aws.dynamodb_client())}.values()

    def record(model: object, **_: object) -> None:
        calls.append(str(getattr(model, "name", "")))

    for client in clients:
        client.meta.events.register("before-call.dynamodb.*", record)
    yield calls
    for client in clients:
        client.meta.events.unregister("before-call.dynamodb.*", record)


def _ids(page: object) -> list[str]:
    return [item.id for item in page.items]  # type: ignore[attr-defined]


def test_phone_and_email_find_the_patient_with_no_scan(
    make_patient: PatientFactory, caller_for: CallerFactory, dynamodb_calls: list[str]
) -> None:
    patient = make_patient(phone="+12175550142", email="Dana.Lee@Example.org")
    make_patient(phone="+12175550199", email="someone@example.org")
    desk = caller_for(Role.FRONT_DESK)
    dynamodb_calls.clear()

    for typed in ("(217) 555-0142", "217.555.0142", "+1 217 555 0142", "2175550142"):
        page = search_service.search(desk, typed, now=NOW)
        assert (page.matched_by, _ids(page)) == ("phone", [patient.id]), typed
    for typed in ("dana.lee@example.org", "DANA.LEE@EXAMPLE.ORG"):
        page = search_service.search(desk, typed, now=NOW)
        assert (page.matched_by, _ids(page)) == ("email", [patient.id]), typed

    assert "Scan" not in dynamodb_calls
    assert dynamodb_calls.count("Query") == 6  # one per search


def test_given_name_and_mrn(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    patient = make_patient(legal_name={"given": "Éloise", "family": "Martin"}, mrn="mrn-00412")
    make_patient(legal_name={"given": "Eli", "family": "Other"})
    desk = caller_for(Role.FRONT_DESK)

    by_given = search_service.search(desk, ", elo", now=NOW)
    by_mrn = search_service.search(desk, "MRN-00412", now=NOW)

    assert (by_given.matched_by, _ids(by_given)) == ("given_name", [patient.id])
    assert (by_mrn.matched_by, _ids(by_mrn)) == ("mrn", [patient.id])


def test_a_number_that_cannot_be_a_phone_is_a_field_error(caller_for: CallerFactory) -> None:
    from chalicelib.core import errors

    with pytest.raises(errors.BadRequest) as refused:
        search_service.search(caller_for(Role.FRONT_DESK), "+999 1234 5678 9999", now=NOW)
    assert refused.value.fields == {"q": "not a phone number"}


def test_changing_or_clearing_contact_details_moves_the_keys(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(phone="+12175550100", email="old@example.org")
    desk = caller_for(Role.FRONT_DESK)

    profile_service.update_profile(
        desk, patient.id, ProfileUpdate(version=1, phone="+12175550177", email="new@example.org")
    )
    assert search_service.search(desk, "217-555-0100", now=NOW).items == []
    assert search_service.search(desk, "old@example.org", now=NOW).items == []
    assert _ids(search_service.search(desk, "217-555-0177", now=NOW)) == [patient.id]
    assert _ids(search_service.search(desk, "new@example.org", now=NOW)) == [patient.id]

    profile_service.update_profile(desk, patient.id, ProfileUpdate(version=2, phone=None, email=None))
    assert search_service.search(desk, "217-555-0177", now=NOW).items == []
    assert search_service.search(desk, "new@example.org", now=NOW).items == []


def test_a_registered_patient_is_findable_by_phone_and_email(caller_for: CallerFactory) -> None:
    desk = caller_for(Role.FRONT_DESK)
    profile = PatientProfile.model_validate(
        {
            "id": "p-reg00001",
            "legal_name": {"given": "New", "family": "Arrival"},
            "birth_date": "2001-05-05",
            "phone": "+13125550111",
            "email": "new.arrival@example.org",
            "mrn": "A-7",
            "updated_at": NOW,
        }
    )
    event = audit.event(desk, patient_id=profile.id, action="patient.register", target="profile")
    entries = profile_service.new_profile_entries(profile, audit=event)
    assert len(entries) <= patient_store.ENTRIES_PER_PATIENT
    dynamo.transact_all(entries)

    for typed in ("312 555 0111", "New.Arrival@example.org", "a-7"):
        assert _ids(search_service.search(desk, typed, now=NOW)) == [profile.id], typed


def test_seeded_demo_patients_are_findable_by_phone_and_email(caller_for: CallerFactory) -> None:
    for raw in seed._profiles():
        if not users.patient_exists(raw["id"]):
            patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": NOW}))
    desk = caller_for(Role.FRONT_DESK)
    assert "p-4f1c2a9e" in _ids(search_service.search(desk, "(217) 555-0142", now=NOW))
    assert "p-4f1c2a9e" in _ids(search_service.search(desk, "alex@patients.example", now=NOW))
    assert "p-4f1c2a9e" in _ids(search_service.search(desk, ", alex", now=NOW))


def test_backfill_writes_the_new_keys_for_an_older_profile(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(email="older@example.org")
    for sk in (patient_store.GIVEN_SK, patient_store.EMAIL_SK):
        aws.table().delete_item(Key={"PK": f"PATIENT#{patient.id}", "SK": sk})
    desk = caller_for(Role.FRONT_DESK)
    assert search_service.search(desk, "older@example.org", now=NOW).items == []

    assert patient_store.ensure_in_directory(patient.id) is True
    assert patient_store.ensure_in_directory(patient.id) is False
    assert _ids(search_service.search(desk, "older@example.org", now=NOW)) == [patient.id]
