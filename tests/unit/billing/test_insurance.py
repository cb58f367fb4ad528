"""Insurance on file: add, update (needs verifying again), verify, remove, card images."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.billing import insurance as service
from chalicelib.billing.models import InsuranceIn, InsuranceUpdate, VerifyIn
from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.billing_fixtures import Person, make_person
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed


@pytest.fixture
def front_desk(caller_for: CallerFactory) -> Caller:
    return caller_for(Role.FRONT_DESK, sub="sub-front", name="Sam Front")


def coverage(**changes: Any) -> dict[str, Any]:
    return {
        "payer_name": "Blue Prairie Health",
        "plan_name": "PPO Gold",
        "member_id": "XJH123456789",
        "group_number": "GRP-0042",
        "subscriber": {"name": "Alex Morgan", "relationship": "self", "birth_date": "1984-03-09"},
        **changes,
    }


def _document(patient_id: str, category: str, *, status: str = "available") -> str:
    from chalicelib.documents import store as document_store
    from chalicelib.documents.models import Document

    document = Document(
        id=f"doc-{category}-{status}",
        patient_id=patient_id,
        category=category,
        filename="card.jpg",
        content_type="image/jpeg",
        declared_size=1000,
        status=status,
        s3_key=document_store.s3_key(patient_id, "x"),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        uploaded_by="Alex",
    )
    from chalicelib.core import aws

    aws.table().put_item(
        Item={**document.model_dump(mode="json"), **document_store.document_key(patient_id, document.id)}
    )
    return document.id


def test_add_update_verify_remove(alex: Person, front_desk: Caller) -> None:
    added = service.add(alex.caller, alex.patient_id, InsuranceIn.model_validate(coverage()))
    assert (added.verification, added.priority, added.version) == ("unverified", "primary", 1)
    verified = service.verify(front_desk, alex.patient_id, added.id, VerifyIn(result="verified", version=1))
    assert (verified.verification, verified.verified_by_name) == ("verified", "Sam Front")
    changed = service.update(
        alex.caller,
        alex.patient_id,
        added.id,
        InsuranceUpdate.model_validate({**coverage(member_id="NEW999"), "version": 2}),
    )
    assert (changed.member_id, changed.verification, changed.verified_by_name) == (
        "NEW999",
        "unverified",
        None,
    )
    with pytest.raises(errors.Conflict):  # stale version
        service.verify(front_desk, alex.patient_id, added.id, VerifyIn(result="verified", version=2))
    service.remove(alex.caller, alex.patient_id, added.id)
    assert service.list_insurance(alex.caller, alex.patient_id).items == []
    actions = {e.action for e in audit_log.list_for_patient(alex.patient_id, limit=50, cursor=None)[0]}
    assert {"insurance.create", "insurance.verify", "insurance.update", "insurance.remove"} <= actions


def test_primary_is_listed_first(alex: Person) -> None:
    service.add(alex.caller, alex.patient_id, InsuranceIn.model_validate(coverage(priority="secondary")))
    service.add(alex.caller, alex.patient_id, InsuranceIn.model_validate(coverage(payer_name="Medicare")))
    listed = service.list_insurance(alex.caller, alex.patient_id).items
    assert [i.priority for i in listed] == ["primary", "secondary"]


def test_card_images_must_be_the_patients_insurance_card_documents(
    alex: Person, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    front = _document(alex.patient_id, "insurance_card_front")
    back = _document(alex.patient_id, "insurance_card_back")
    ok = service.add(
        alex.caller,
        alex.patient_id,
        InsuranceIn.model_validate(coverage(card_front_document_id=front, card_back_document_id=back)),
    )
    assert (ok.card_front_document_id, ok.card_back_document_id) == (front, back)
    with pytest.raises(errors.BadRequest) as wrong_side:
        service.add(
            alex.caller, alex.patient_id, InsuranceIn.model_validate(coverage(card_front_document_id=back))
        )
    assert "card_front_document_id" in (wrong_side.value.fields or {})
    pending = _document(alex.patient_id, "insurance_card_front", status="pending")
    with pytest.raises(errors.BadRequest):
        service.add(
            alex.caller, alex.patient_id, InsuranceIn.model_validate(coverage(card_front_document_id=pending))
        )
    bob = make_person(make_patient, caller_for, 2)
    with pytest.raises(errors.BadRequest):  # Alex's card image on Bob's coverage
        service.add(
            bob.caller, bob.patient_id, InsuranceIn.model_validate(coverage(card_front_document_id=front))
        )


def test_others_cannot_see_or_change_it(
    alex: Person, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    added = service.add(alex.caller, alex.patient_id, InsuranceIn.model_validate(coverage()))
    bob = make_person(make_patient, caller_for, 2)
    with pytest.raises(errors.NotFound):
        routed(service.list_insurance, bob.caller, alex.patient_id)
    with pytest.raises(errors.NotFound):
        routed(service.remove, bob.caller, bob.patient_id, added.id)


@pytest.mark.parametrize(
    "change",
    [
        {"member_id": ""},
        {"member_id": "x" * 40},
        {"payer_name": ""},
        {"subscriber": {"name": ""}},
        {"extra": 1},
    ],
)
def test_bad_input_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        InsuranceIn.model_validate(coverage(**change))


def test_a_subscriber_born_in_the_future_or_in_an_impossible_year_is_refused() -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    for born in (tomorrow, "9999-12-31", "0001-01-01"):
        subscriber = {"name": "Alex Morgan", "relationship": "self", "birth_date": born}
        with pytest.raises(ValidationError) as raised:
            InsuranceIn.model_validate(coverage(subscriber=subscriber))
        assert [e["loc"] for e in raised.value.errors()] == [("subscriber", "birth_date")], born
    assert InsuranceIn.model_validate(coverage()).subscriber.birth_date is not None


@pytest.mark.parametrize("name", ["Alex\u0000Morgan", "Alex \u202egroM", "Alex\nMorgan", "Alex\u2066Morgan"])
def test_a_subscriber_name_with_hidden_characters_is_refused(name: str) -> None:
    subscriber = {"name": name, "relationship": "self"}
    with pytest.raises(ValidationError) as raised:
        InsuranceIn.model_validate(coverage(subscriber=subscriber))
    assert [e["loc"] for e in raised.value.errors()] == [("subscriber", "name")]
