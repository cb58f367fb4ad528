"""eCheck-in review: what the patient sent beside the record, accepted into it item by item, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.appointments import checkin, checkin_review, service
from chalicelib.appointments.models import CheckinIn, CheckinReviewOut, ReviewDecisionIn, ReviewItem
from chalicelib.billing import insurance
from chalicelib.billing.models import InsuranceIn
from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.records import service as record_service
from chalicelib.records.models import Allergy, AllergyIn, Medication, MedicationIn
from tests.unit.appointments_fixtures import NOW, make_slot
from tests.unit.conftest import CallerFactory, PatientFactory

PID = "p-rev"


@pytest.fixture
def checked_in(make_patient: PatientFactory, caller_for: CallerFactory) -> tuple[Caller, str]:
    make_patient(PID, legal_name={"given": "Robin", "family": "Example"})
    patient = caller_for(Role.PATIENT, acts_for={PID: "self"}, sub="sub-rev")
    doctor = caller_for(Role.CLINICIAN, sub="sub-doc")
    record_service.create_record(
        doctor,
        PID,
        "medication",
        MedicationIn.model_validate(
            {
                "name": "Metformin",
                "dose": "500 mg",
                "instructions": "Twice a day",
                "prescriber": "Dr Rivera",
                "start_date": "2025-01-02",
            }
        ),
    )
    record_service.create_record(doctor, PID, "allergy", AllergyIn(substance="Latex", reaction="Rash"))
    insurance.add(
        patient,
        PID,
        InsuranceIn.model_validate(
            {"payer_name": "Acme Health", "member_id": "ACM1", "subscriber": {"name": "Robin Example"}}
        ),
    )
    slot = make_slot(days=2)
    appointment = service.book(patient, PID, slot.id, now=NOW).appointment
    sent: dict[str, Any] = {
        "demographics_confirmed": True,
        "insurance": {"carrier": "Beacon Mutual", "member_id": "BCN900", "group_number": "G-12"},
        "medications": [{"name": "metformin", "dose": "1000 mg"}],
        "allergies": [{"substance": "Penicillin", "reaction": "Hives"}, {"substance": "Latex"}],
        "answers": {"reason-for-visit": {"reason": "Check-up"}, "phq-9": {"phq1": "0", "phq2": "0"}},
    }
    checkin.submit(
        patient, PID, appointment.id, CheckinIn.model_validate(sent), now=slot.start - timedelta(days=1)
    )
    return caller_for(Role.FRONT_DESK, sub="sub-desk"), appointment.id


def item(review: CheckinReviewOut, kind: str, text: str) -> ReviewItem:
    return next(i for i in review.items if i.kind == kind and i.submitted.startswith(text))


def test_staff_see_each_answer_beside_what_is_on_file(checked_in: tuple[Caller, str]) -> None:
    desk, appointment_id = checked_in

    review = checkin_review.get_review(desk, PID, appointment_id)

    rows = [(i.kind, i.change, i.submitted, i.on_file, i.state) for i in review.items]
    assert rows == [
        ("medication", "changed", "metformin (1000 mg)", "Metformin (500 mg)", "pending"),
        ("allergy", "new", "Penicillin (Hives)", None, "pending"),
        ("allergy", "same", "Latex", "Latex (Rash)", "pending"),
        (
            "insurance",
            "changed",
            "Beacon Mutual, member BCN900, group G-12",
            "Acme Health, member ACM1",
            "pending",
        ),
    ]
    events, _ = audit_log.list_for_patient(PID, limit=5, cursor=None)
    assert events[0].action == "checkin_review.read"


def test_accepting_writes_the_record_once_with_its_source(checked_in: tuple[Caller, str]) -> None:
    desk, appointment_id = checked_in
    review = checkin_review.get_review(desk, PID, appointment_id)
    penicillin = item(review, "allergy", "Penicillin")
    accept = ReviewDecisionIn(decision="accept")

    after = checkin_review.decide(desk, PID, appointment_id, penicillin.id, accept)
    again = checkin_review.decide(desk, PID, appointment_id, penicillin.id, accept)

    assert item(after, "allergy", "Penicillin").state == "accepted"
    assert item(again, "allergy", "Penicillin").decided_by == desk.display_name
    added = [
        r for r in record_service.records_of(PID) if isinstance(r, Allergy) and r.substance == "Penicillin"
    ]
    assert len(added) == 1  # the second accept wrote nothing
    assert added[0].reaction == "Hives"
    assert added[0].source is not None
    assert (added[0].source.appointment_id, added[0].source.accepted_by) == (
        appointment_id,
        desk.display_name,
    )
    events, _ = audit_log.list_for_patient(PID, limit=20, cursor=None)
    actions = [e.action for e in events]
    assert actions.count("allergy.create") == 2  # Latex by the clinician, Penicillin from the check-in
    assert actions.count("checkin_review.accept") == 1
    # Once accepted, the record matches: the next review shows it as the same, still accepted.
    assert (
        item(checkin_review.get_review(desk, PID, appointment_id), "allergy", "Penicillin").change == "same"
    )


def test_a_changed_dose_updates_the_medication_and_a_card_replaces_the_primary(
    checked_in: tuple[Caller, str],
) -> None:
    desk, appointment_id = checked_in
    review = checkin_review.get_review(desk, PID, appointment_id)
    accept = ReviewDecisionIn(decision="accept")

    checkin_review.decide(desk, PID, appointment_id, item(review, "medication", "metformin").id, accept)
    checkin_review.decide(desk, PID, appointment_id, item(review, "insurance", "Beacon").id, accept)

    [metformin] = [r for r in record_service.records_of(PID) if isinstance(r, Medication)]
    assert (metformin.name, metformin.dose, metformin.version) == ("Metformin", "1000 mg", 2)
    assert metformin.source is not None
    primary = insurance.primary_of(PID)
    assert primary is not None
    assert (primary.payer_name, primary.member_id, primary.verification) == (
        "Beacon Mutual",
        "BCN900",
        "unverified",
    )
    assert primary.subscriber.relationship == "self"
    assert primary.source is not None
    assert primary.source.appointment_id == appointment_id
    listed = insurance.list_insurance(desk, PID).items
    assert [i.payer_name for i in listed] == ["Beacon Mutual"]  # Acme stays on record, removed


def test_declined_items_stay_declined_and_nothing_is_written(checked_in: tuple[Caller, str]) -> None:
    desk, appointment_id = checked_in
    review = checkin_review.get_review(desk, PID, appointment_id)
    med = item(review, "medication", "metformin")

    after = checkin_review.decide(desk, PID, appointment_id, med.id, ReviewDecisionIn(decision="decline"))

    assert item(after, "medication", "metformin").state == "declined"
    [metformin] = [r for r in record_service.records_of(PID) if isinstance(r, Medication)]
    assert metformin.dose == "500 mg"
    with pytest.raises(errors.Conflict, match="already declined"):
        checkin_review.decide(desk, PID, appointment_id, med.id, ReviewDecisionIn(decision="accept"))
    with pytest.raises(errors.Conflict, match="nothing to accept"):
        checkin_review.decide(
            desk,
            PID,
            appointment_id,
            item(review, "allergy", "Latex").id,
            ReviewDecisionIn(decision="accept"),
        )
    with pytest.raises(errors.NotFound):
        checkin_review.decide(
            desk, PID, appointment_id, "allergy-0000000000000000", ReviewDecisionIn(decision="accept")
        )


def test_a_visit_without_a_checkin_has_nothing_to_review(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    make_patient("p-none")
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    appointment = service.book(desk, "p-none", make_slot(days=4).id, now=NOW).appointment
    with pytest.raises(errors.NotFound):
        checkin_review.get_review(desk, "p-none", appointment.id)
