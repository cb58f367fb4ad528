"""eCheck-in: opens a week ahead, validates against the clinic's forms, stores FHIR QuestionnaireResponses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.appointments import checkin, service, staff
from chalicelib.appointments import clinic_time as common
from chalicelib.appointments.models import CheckinIn, CheckinOnFile, ScheduleQuery
from chalicelib.core import errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.appointments_fixtures import NOW, make_slot
from tests.unit.conftest import CallerFactory, PatientFactory

PHQ_LOW = {"phq1": "1", "phq2": "1"}  # score 2: items 3-9 stay hidden
PHQ_HIGH = {"phq1": "2", "phq2": "2", **{f"phq{i}": "1" for i in range(3, 10)}}  # 4 + 7 = 11


def body(**answers: dict[str, Any]) -> CheckinIn:
    return CheckinIn.model_validate(
        {
            "demographics_confirmed": True,
            "insurance": {"carrier": "Acme Health", "member_id": "ACM1"},
            "medications": [{"name": "Lisinopril", "dose": "10 mg"}],
            "no_known_allergies": True,
            "answers": answers,
        }
    )


@pytest.fixture
def visit(make_patient: PatientFactory, caller_for: CallerFactory) -> tuple[Caller, str, Any]:
    make_patient(
        "p-chk", address={"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62704"}
    )
    caller = caller_for(Role.PATIENT, acts_for={"p-chk": "self"}, sub="sub-chk")
    slot = make_slot(days=10)  # a new-patient visit: reason-for-visit + PHQ-9
    appointment = service.book(caller, "p-chk", slot.id, now=NOW).appointment
    return caller, appointment.id, slot


def test_checkin_opens_seven_days_ahead_and_stores_fhir_responses(
    visit: tuple[Caller, str, Any], caller_for: CallerFactory
) -> None:
    caller, appointment_id, slot = visit
    reason = {"reason": "Headaches", "since": "March"}
    with pytest.raises(errors.Conflict) as early:
        checkin.submit(
            caller, "p-chk", appointment_id, body(**{"reason-for-visit": reason, "phq-9": PHQ_HIGH}), now=NOW
        )
    assert "opens on" in early.value.message
    week_before = slot.start - timedelta(days=7)

    view = checkin.get_checkin(caller, "p-chk", appointment_id, now=week_before)
    assert view.available_now
    assert [q.id for q in view.questionnaires] == ["reason-for-visit", "phq-9"]
    assert view.demographics.address == "1 Main St, Springfield, IL 62704"

    done = checkin.submit(
        caller,
        "p-chk",
        appointment_id,
        body(**{"reason-for-visit": reason, "phq-9": PHQ_HIGH}),
        now=week_before,
    )

    assert done.status == "completed"
    assert done.submitted is not None
    [reason_response, phq] = done.model_dump(mode="json")["submitted"]["questionnaire_responses"]
    assert reason_response["resourceType"] == "QuestionnaireResponse"
    assert reason_response["questionnaire"] == "Questionnaire/reason-for-visit|1"
    assert reason_response["subject"] == {"reference": "Patient/p-chk"}
    assert reason_response["item"][0] == {
        "linkId": "reason",
        "text": "What would you like to talk about at this visit?",
        "answer": [{"valueString": "Headaches"}],
    }
    assert len(phq["item"]) == 9
    assert phq["item"][0]["answer"] == [{"valueCoding": {"code": "2", "display": "More than half the days"}}]
    assert phq["extension"] == [{"url": "urn:clinic-portal:total-score", "valueInteger": 11}]
    # Staff see it: check-in status on the schedule, answers through the same read.
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    day = common.local(slot.start).date()
    schedule = staff.schedule(
        desk, ScheduleQuery.model_validate({"provider": "dr-rivera", "date": str(day)}), now=NOW
    )
    [entry] = [e for e in schedule.days[0].entries if e.appointment]
    assert entry.appointment is not None
    assert entry.appointment.checkin_status == "completed"
    assert schedule.days[0].checked_in == 1
    assert checkin.get_checkin(desk, "p-chk", appointment_id, now=week_before).submitted is not None


def test_phq9_follow_up_items_appear_only_after_a_positive_phq2(visit: tuple[Caller, str, Any]) -> None:
    caller, appointment_id, slot = visit
    when = slot.start - timedelta(days=1)
    reason = {"reason": "Check-up"}

    low = checkin.submit(
        caller, "p-chk", appointment_id, body(**{"reason-for-visit": reason, "phq-9": PHQ_LOW}), now=when
    )

    assert low.submitted is not None
    phq = low.model_dump(mode="json")["submitted"]["questionnaire_responses"][1]
    assert [i["linkId"] for i in phq["item"]] == ["phq1", "phq2"]
    with pytest.raises(errors.BadRequest) as missing:  # positive PHQ-2: items 3-9 become required
        checkin.submit(
            caller,
            "p-chk",
            appointment_id,
            body(**{"reason-for-visit": reason, "phq-9": {"phq1": "3", "phq2": "1"}}),
            now=when,
        )
    assert missing.value.fields is not None
    assert "answers.phq-9.phq3" in missing.value.fields


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"phq-9": PHQ_LOW}, "answers.reason-for-visit.reason"),
        ({"reason-for-visit": {"reason": "x"}, "phq-9": {"phq1": "7", "phq2": "0"}}, "answers.phq-9.phq1"),
        (
            {"reason-for-visit": {"reason": "x", "mood": "ok"}, "phq-9": PHQ_LOW},
            "answers.reason-for-visit.mood",
        ),
        (
            {"reason-for-visit": {"reason": "x"}, "phq-9": PHQ_LOW, "telehealth-consent": {}},
            "answers.telehealth-consent",
        ),
    ],
)
def test_invalid_answers_are_named_and_nothing_is_saved(
    visit: tuple[Caller, str, Any], answers: dict[str, Any], field: str
) -> None:
    caller, appointment_id, slot = visit
    with pytest.raises(errors.BadRequest) as refused:
        checkin.submit(caller, "p-chk", appointment_id, body(**answers), now=slot.start - timedelta(days=1))
    assert refused.value.fields is not None
    assert field in refused.value.fields
    assert checkin.get_checkin(caller, "p-chk", appointment_id, now=NOW).status == "not_started"


def test_consent_must_be_given_for_a_video_visit(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    make_patient("p-vid")
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    slot = make_slot(days=2, hour=13, visit_type_id="video-follow-up")
    appointment = service.book(desk, "p-vid", slot.id, now=NOW).appointment
    consent: dict[str, Any] = {"agree": False, "signature": "Test Patient"}
    with pytest.raises(errors.BadRequest) as refused:
        checkin.submit(
            desk,
            "p-vid",
            appointment.id,
            body(**{"reason-for-visit": {"reason": "x"}, "telehealth-consent": consent}),
            now=NOW,
        )
    assert refused.value.fields == {"answers.telehealth-consent.agree": "please agree to continue"}
    consent["agree"] = True
    done = checkin.submit(
        desk,
        "p-vid",
        appointment.id,
        body(**{"reason-for-visit": {"reason": "x"}, "telehealth-consent": consent}),
        now=NOW,
    )
    assert done.submitted is not None
    signature = done.model_dump(mode="json")["submitted"]["questionnaire_responses"][1]["item"][1]
    assert signature == {
        "linkId": "signature",
        "text": "Type your full name as your signature",
        "answer": [{"valueString": "Test Patient"}],
    }
    # The signature is kept as a consent: the typed name, when, and the version and language of the text.
    assert done.submitted.consents[0].model_dump(mode="json") == {
        "questionnaire_id": "telehealth-consent",
        "questionnaire_version": "2026.1",
        "language": "en",
        "signed_name": "Test Patient",
        "signed_at": NOW.isoformat().replace("+00:00", "Z"),
    }


def test_the_form_starts_from_the_insurance_medications_and_allergies_on_file(
    visit: tuple[Caller, str, Any], caller_for: CallerFactory
) -> None:
    from chalicelib.billing import insurance
    from chalicelib.billing.models import InsuranceIn
    from chalicelib.records import service as record_service
    from chalicelib.records.models import AllergyIn, MedicationIn

    caller, appointment_id, _ = visit
    assert checkin.get_checkin(caller, "p-chk", appointment_id, now=NOW).on_file == CheckinOnFile(
        insurance=None, medications=[], allergies=[]
    )
    doctor = caller_for(Role.CLINICIAN, sub="sub-doc")
    record_service.create_record(
        doctor,
        "p-chk",
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
    record_service.create_record(doctor, "p-chk", "allergy", AllergyIn(substance="Latex", reaction="Rash"))
    insurance.add(
        caller,
        "p-chk",
        InsuranceIn.model_validate(
            {"payer_name": "Acme Health", "member_id": "ACM1", "subscriber": {"name": "Pat Example"}}
        ),
    )

    on_file = checkin.get_checkin(caller, "p-chk", appointment_id, now=NOW).on_file

    assert on_file is not None
    assert on_file.insurance is not None
    assert (on_file.insurance.carrier, on_file.insurance.member_id) == ("Acme Health", "ACM1")
    assert [(m.name, m.dose) for m in on_file.medications] == [("Metformin", "500 mg")]
    assert [(a.substance, a.reaction) for a in on_file.allergies] == [("Latex", "Rash")]
