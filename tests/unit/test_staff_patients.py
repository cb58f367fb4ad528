"""Staff patient search: the directory keys, the three ways to search, paging, auditing, the 400s."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.core import audit_log, aws, config, errors, users
from chalicelib.core.identity import Role
from chalicelib.local import seed
from chalicelib.patients import profiles as profile_service
from chalicelib.patients import search as search_service
from chalicelib.patients import store as directory
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile, ProfileUpdate
from tests.unit.conftest import CallerFactory, PatientFactory

NOW = datetime(2026, 6, 15, 15, 0, tzinfo=UTC)


def _names(page: Any) -> list[str]:
    return [item.display_name for item in page.items]


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert directory.fold("GONZÁLEZ") == directory.fold("gonzalez") == "gonzalez"
    assert directory.fold("O'Brien-Núñez") == "obriennunez"
    assert directory.fold("  ") == ""


def test_family_prefix_is_case_and_accent_insensitive(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    # Given two González and an unrelated Gonzaga
    make_patient(legal_name={"given": "María", "family": "González"}, birth_date="1957-11-22")
    make_patient(legal_name={"given": "Luis", "family": "Gonzalez"}, birth_date="1990-02-01")
    make_patient(legal_name={"given": "Ana", "family": "Gonzaga"})
    make_patient(legal_name={"given": "Zed", "family": "Other"})
    front_desk = caller_for(Role.FRONT_DESK)

    # When staff type part of the name without the accent
    page = search_service.search(front_desk, "GONZAL", now=NOW)

    # Then both spellings match, sorted by given name, and nobody else
    assert page.matched_by == "name"
    assert _names(page) == ["Gonzalez, Luis", "González, María"]
    assert len(search_service.search(front_desk, "gonz", now=NOW).items) == 3


def test_family_comma_given_narrows(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    make_patient(legal_name={"given": "Alexandra", "family": "Morgan"}, preferred_name="Alex")
    make_patient(legal_name={"given": "Ben", "family": "Morgan"})
    make_patient(legal_name={"given": "Alice", "family": "Morganstern"})
    staff = caller_for(Role.CLINICIAN)

    assert _names(search_service.search(staff, "morgan, al", now=NOW)) == ["Morgan, Alexandra (Alex)"]
    # "family," alone means exactly that family name
    assert len(search_service.search(staff, "Morgan,", now=NOW).items) == 2
    assert len(search_service.search(staff, "Morgan", now=NOW).items) == 3


def test_birth_date_in_either_format(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    born = make_patient(legal_name={"given": "Chris", "family": "Taylor"}, birth_date="1984-03-09")
    make_patient(birth_date="1984-03-10")
    staff = caller_for(Role.BILLING)

    for q in ("1984-03-09", "03/09/1984", "3/9/1984"):
        page = search_service.search(staff, q, now=NOW)
        assert page.matched_by == "birth_date"
        assert [i.id for i in page.items] == [born.id]


def test_impossible_date_is_a_field_error(caller_for: CallerFactory) -> None:
    with pytest.raises(errors.BadRequest) as refused:
        search_service.search(caller_for(Role.ADMIN), "02/30/1990", now=NOW)
    assert "q" in (refused.value.fields or {})


def test_exact_patient_id(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    patient = make_patient("p-4f1c2a9e")
    staff = caller_for(Role.FRONT_DESK)

    page = search_service.search(staff, "p-4f1c2a9e", now=NOW)
    assert page.matched_by == "id"
    assert [i.id for i in page.items] == [patient.id]
    assert search_service.search(staff, "p-00000000", now=NOW).items == []


def test_one_letter_family_needs_the_comma(caller_for: CallerFactory) -> None:
    with pytest.raises(errors.BadRequest):
        search_service.search(caller_for(Role.FRONT_DESK), "O'", now=NOW)
    with pytest.raises(errors.BadRequest):
        search_service.search(caller_for(Role.FRONT_DESK), "--", now=NOW)


def test_result_holds_only_the_listed_fields(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    make_patient(
        legal_name={"given": "Jamie", "family": "Fields"},
        birth_date="2000-06-16",
        phone="+12175550142",
        email="jamie@example.com",
        address={"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62704"},
    )
    page = search_service.search(caller_for(Role.FRONT_DESK), "fields", now=NOW)

    (item,) = page.model_dump(mode="json")["items"]
    assert item == {
        "id": item["id"],
        "display_name": "Fields, Jamie",
        "birth_date": "2000-06-16",
        "age": 25,  # the birthday is tomorrow (clinic time)
        "phone_last_four": "0142",
    }


def test_pages_of_twenty_with_a_cursor(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    for n in range(23):
        make_patient(legal_name={"given": f"Given{n:02d}", "family": "Pager"})
    staff = caller_for(Role.FRONT_DESK)

    first = search_service.search(staff, "pager", now=NOW)
    assert len(first.items) == 20
    assert first.next_cursor
    second = search_service.search(staff, "pager", cursor=first.next_cursor, now=NOW)
    assert len(second.items) == 3
    assert not {i.id for i in first.items} & {i.id for i in second.items}


def test_a_cursor_from_another_search_is_refused(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    for n in range(21):
        make_patient(legal_name={"given": f"G{n:02d}", "family": "Pager"})
    staff = caller_for(Role.FRONT_DESK)
    cursor = search_service.search(staff, "pager", now=NOW).next_cursor
    with pytest.raises(errors.BadRequest):
        search_service.search(staff, "smith", cursor=cursor, now=NOW)
    with pytest.raises(errors.BadRequest):
        search_service.search(staff, "pager", cursor="bm90LWEtY3Vyc29y", now=NOW)


def test_every_listed_patient_gets_an_audit_event(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    listed = [make_patient(legal_name={"given": g, "family": "Audited"}) for g in ("A", "B")]
    other = make_patient(legal_name={"given": "C", "family": "Elsewhere"})
    staff = caller_for(Role.FRONT_DESK, sub="sub-desk", name="Sam Lee")

    search_service.search(staff, "audited", now=NOW)

    for patient in listed:
        events, _ = audit_log.list_for_patient(patient.id, limit=10, cursor=None)
        assert [(e.action, e.actor_name, e.actor_role) for e in events] == [
            ("patient.search", "Sam Lee", Role.FRONT_DESK)
        ]
    assert audit_log.list_for_patient(other.id, limit=10, cursor=None)[0] == []


def test_audit_is_one_transaction_into_the_audit_table(
    make_patient: PatientFactory, caller_for: CallerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for g in "ABC":
        make_patient(legal_name={"given": g, "family": "Batched"})
    client = aws.dynamodb_client()
    calls: list[int] = []
    real = client.transact_write_items

    def counting(**kwargs: Any) -> Any:
        entries = kwargs["TransactItems"]
        assert {e["Put"]["TableName"] for e in entries} == {config.settings().audit_table_name}
        calls.append(len(entries))
        return real(**kwargs)

    monkeypatch.setattr(client, "transact_write_items", counting)
    search_service.search(caller_for(Role.FRONT_DESK), "batched", now=NOW)
    assert calls == [3]


def test_name_and_birth_date_changes_move_the_directory_keys(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(legal_name={"given": "Pat", "family": "Before"}, birth_date="1970-01-01")
    staff = caller_for(Role.FRONT_DESK)
    changed = {**patient.model_dump(mode="json"), "legal_name": {"given": "Pat", "family": "After"}}
    patient_store.create_profile(PatientProfile.model_validate({**changed, "birth_date": "1971-02-02"}))

    assert search_service.search(staff, "before", now=NOW).items == []
    assert [i.id for i in search_service.search(staff, "after", now=NOW).items] == [patient.id]
    assert search_service.search(staff, "1970-01-01", now=NOW).items == []
    assert [i.id for i in search_service.search(staff, "1971-02-02", now=NOW).items] == [patient.id]


def test_profile_update_keeps_the_directory_current(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(legal_name={"given": "Dana", "family": "Phone"}, phone="+12175550100")
    desk = caller_for(Role.FRONT_DESK)
    profile_service.update_profile(desk, patient.id, ProfileUpdate(version=1, phone="+12175550177"))

    for q in ("phone", patient.birth_date.isoformat()):
        (item,) = search_service.search(desk, q, now=NOW).items
        assert item.phone_last_four == "0177"


def test_seeded_demo_patients_are_findable(caller_for: CallerFactory) -> None:
    for raw in seed._profiles():  # the seed's own profiles, through the seed's own code path
        if not users.patient_exists(raw["id"]):
            patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": NOW}))
    staff = caller_for(Role.FRONT_DESK)
    assert "Morgan, Alexandra (Alex)" in _names(search_service.search(staff, "morgan", now=NOW))
    assert "González, María" in _names(search_service.search(staff, "gonzalez", now=NOW))


def test_backfill_indexes_a_profile_written_before_the_directory(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient(legal_name={"given": "Old", "family": "Legacy"})
    aws.table().update_item(
        Key=patient_store.profile_key(patient.id), UpdateExpression="REMOVE GSI1PK, GSI1SK"
    )
    staff = caller_for(Role.FRONT_DESK)
    assert search_service.search(staff, "legacy", now=NOW).items == []

    assert patient_store.ensure_in_directory(patient.id) is True
    assert patient_store.ensure_in_directory(patient.id) is False
    assert [i.id for i in search_service.search(staff, "legacy", now=NOW).items] == [patient.id]
