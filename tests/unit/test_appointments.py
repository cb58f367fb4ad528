"""Booking, cancelling, rescheduling and listing, against the service layer on moto."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from chalicelib.appointments import service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import SlotSearchQuery
from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.patients.models import PatientProfile
from tests.unit.appointments_fixtures import NOW, make_slot
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

Chris = tuple[PatientProfile, Caller]


@pytest.fixture
def chris(make_patient: PatientFactory, caller_for: CallerFactory) -> Chris:
    """A new patient (no visits yet), adult."""
    patient = make_patient("p-chris", birth_date="1992-06-30")
    return patient, caller_for(Role.PATIENT, acts_for={patient.id: "self"}, sub="sub-chris")


def _table_items(prefix: str) -> list[dict[str, object]]:
    from chalicelib.core import aws

    items: list[dict[str, object]] = []
    kwargs: dict[str, object] = {}
    # Test-only inventory of what the table holds (never done by the app).
    while True:
        page = aws.table().scan(**kwargs)
        items += [i for i in page["Items"] if str(i["SK"]).startswith(prefix)]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_book_takes_the_slot_writes_appointment_audit_and_notice(chris: Chris) -> None:
    patient, caller = chris
    slot = make_slot()

    booked = service.book(caller, patient.id, slot.id, now=NOW)

    assert booked.created
    appointment = booked.appointment
    assert (appointment.status, appointment.provider.id, appointment.patient_id) == (
        "booked",
        "dr-rivera",
        patient.id,
    )
    assert appointment.starts_at == slot.start
    assert appointment.starts_at.utcoffset() == timedelta(hours=-5)  # shown in clinic time (CDT)
    stored = appointment_store.get_slot(slot.provider_id, slot.start)
    assert stored is not None
    assert (stored.status, stored.appointment_id, stored.patient_id) == ("booked", appointment.id, patient.id)
    events, _ = audit_log.list_for_patient(patient.id, limit=10, cursor=None)
    assert [e.action for e in events] == ["appointment.book"]
    notices = _table_items("NOTICE#")
    assert [(n["kind"], n["appointment_id"]) for n in notices] == [("booked", appointment.id)]
    # The booked slot left the "find a time" index.
    page = service.search_slots(caller, patient.id, SlotSearchQuery(visit_type="new-patient"), now=NOW)
    assert page.items == []


def test_search_is_one_index_query_of_open_slots_in_clinic_time(chris: Chris) -> None:
    patient, caller = chris
    first = make_slot(days=1, hour=9)
    second = make_slot(days=2, hour=9, provider_id="dr-chen")
    make_slot(days=2, hour=11, status="blocked")
    make_slot(days=1, hour=9, visit_type_id="follow-up", provider_id="np-alvarez")

    everyone = service.search_slots(caller, patient.id, SlotSearchQuery(visit_type="new-patient"), now=NOW)
    chen_only = service.search_slots(
        caller, patient.id, SlotSearchQuery(visit_type="new-patient", provider="dr-chen"), now=NOW
    )
    later = service.search_slots(
        caller,
        patient.id,
        SlotSearchQuery.model_validate(
            {"visit_type": "new-patient", "date": str((NOW + timedelta(days=2)).date()), "days": 1}
        ),
        now=NOW,
    )

    assert [s.id for s in everyone.items] == [first.id, second.id]
    assert [s.starts_at.hour for s in everyone.items] == [9, 9]
    assert [s.id for s in chen_only.items] == [second.id]
    assert [s.id for s in later.items] == [second.id]
    assert everyone.time_zone == "America/Chicago"


def test_visit_types_the_patient_may_not_book_are_refused_with_the_reason(chris: Chris) -> None:
    patient, caller = chris
    follow_up = make_slot(visit_type_id="follow-up")

    with pytest.raises(errors.Forbidden) as refused:
        service.book(caller, patient.id, follow_up.id, now=NOW)
    assert "seen here before" in refused.value.message
    with pytest.raises(errors.Forbidden):
        service.search_slots(caller, patient.id, SlotSearchQuery(visit_type="minor-procedure"), now=NOW)
    with pytest.raises(errors.Forbidden) as child_only:
        service.search_slots(caller, patient.id, SlotSearchQuery(visit_type="well-child"), now=NOW)
    assert "17 and under" in child_only.value.message

    options = service.booking_options(caller, patient.id, now=NOW)
    bookable = {v.id: v.can_book_online for v in options.visit_types}
    assert bookable == {
        "new-patient": True,
        "follow-up": False,
        "video-follow-up": False,
        "annual-physical": False,
        "well-child": False,
        "minor-procedure": False,
    }
    assert appointment_store.get_slot(follow_up.provider_id, follow_up.start).status == "open"  # type: ignore[union-attr]


def test_staff_book_any_type_for_a_patient(chris: Chris, caller_for: CallerFactory) -> None:
    patient, _ = chris
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    follow_up = make_slot(visit_type_id="follow-up")

    booked = service.book(desk, patient.id, follow_up.id, now=NOW)

    assert booked.appointment.status == "booked"
    assert _table_items("NOTICE#") == []  # staff's own bookings need no front-desk notice


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("past", "already passed"),
        ("too soon", "too soon"),
        ("blocked", "not available"),
        ("taken", "just been taken"),
    ],
)
def test_unbookable_slots_are_409_with_the_reason_and_change_nothing(
    chris: Chris, make_patient: PatientFactory, caller_for: CallerFactory, case: str, message: str
) -> None:
    patient, caller = chris
    if case == "past":
        slot = make_slot(days=-1)
    elif case == "too soon":
        slot = make_slot(days=0, hour=8, minute=30)  # 30 minutes from NOW; the clinic wants 60
    elif case == "blocked":
        slot = make_slot(status="blocked")
    else:
        slot = make_slot()
        other = make_patient("p-other")
        service.book(
            caller_for(Role.PATIENT, acts_for={other.id: "self"}, sub="sub-other"), other.id, slot.id, now=NOW
        )
    before = appointment_store.get_slot(slot.provider_id, slot.start)

    with pytest.raises(errors.Conflict) as refused:
        service.book(caller, patient.id, slot.id, now=NOW)

    assert message in refused.value.message
    assert appointment_store.get_slot(slot.provider_id, slot.start) == before
    assert (
        appointment_store.list_appointments(
            patient.id, upcoming=True, now=NOW - timedelta(days=9), limit=10, cursor=None
        )[0]
        == []
    )


def test_a_slot_that_does_not_exist_is_404(chris: Chris) -> None:
    patient, caller = chris
    with pytest.raises(errors.NotFound):
        routed(service.book, caller, patient.id, "dr-rivera.20260409T1500Z", now=NOW)
    with pytest.raises(errors.NotFound):
        routed(service.book, caller, patient.id, "dr-nobody.20260409T1500Z", now=NOW)


def test_booking_twice_is_idempotent_for_the_same_patient(chris: Chris) -> None:
    patient, caller = chris
    slot = make_slot()
    first = service.book(caller, patient.id, slot.id, now=NOW)
    again = service.book(caller, patient.id, slot.id, now=NOW)
    assert (again.created, again.appointment.id) == (False, first.appointment.id)


def test_cancel_frees_the_slot_until_the_cutoff_then_refuses(chris: Chris) -> None:
    patient, caller = chris
    slot = make_slot(days=3)
    appointment = service.book(caller, patient.id, slot.id, now=NOW).appointment
    late = slot.start - timedelta(hours=23)  # new-patient: clinic default cutoff 24 h

    with pytest.raises(errors.Conflict) as refused:
        service.cancel(caller, patient.id, appointment.id, now=late)
    assert "please call the clinic" in refused.value.message
    assert service.load(patient.id, appointment.id).status == "booked"

    cancelled = service.cancel(caller, patient.id, appointment.id, now=NOW)

    assert cancelled.status == "cancelled"
    freed = appointment_store.get_slot(slot.provider_id, slot.start)
    assert freed is not None
    assert (freed.status, freed.appointment_id) == ("open", None)
    page = service.search_slots(caller, patient.id, SlotSearchQuery(visit_type="new-patient"), now=NOW)
    assert [s.id for s in page.items] == [slot.id]
    with pytest.raises(errors.Conflict):
        service.cancel(caller, patient.id, appointment.id, now=NOW)
    kinds = sorted(str(n["kind"]) for n in _table_items("NOTICE#"))
    assert kinds == ["booked", "cancelled"]


def test_staff_may_cancel_after_the_patient_cutoff(chris: Chris, caller_for: CallerFactory) -> None:
    patient, caller = chris
    slot = make_slot(days=3)
    appointment = service.book(caller, patient.id, slot.id, now=NOW).appointment
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    cancelled = service.cancel(desk, patient.id, appointment.id, now=slot.start - timedelta(hours=1))
    assert cancelled.status == "cancelled"


def test_reschedule_moves_atomically_and_keeps_history(chris: Chris) -> None:
    patient, caller = chris
    old_slot, new_slot = make_slot(days=3), make_slot(days=5, provider_id="dr-chen")
    original = service.book(caller, patient.id, old_slot.id, now=NOW).appointment

    moved = service.reschedule(caller, patient.id, original.id, new_slot.id, now=NOW)

    assert (moved.status, moved.rescheduled_from, moved.starts_at) == ("booked", original.id, new_slot.start)
    assert service.load(patient.id, original.id).status == "rescheduled"
    assert appointment_store.get_slot(old_slot.provider_id, old_slot.start).status == "open"  # type: ignore[union-attr]
    assert appointment_store.get_slot(new_slot.provider_id, new_slot.start).appointment_id == moved.id  # type: ignore[union-attr]
    upcoming = service.list_appointments(caller, patient.id, upcoming=True, limit=10, cursor=None, now=NOW)
    assert [a.id for a in upcoming.items] == [moved.id]  # the superseded entry is not listed


def test_reschedule_into_a_taken_slot_changes_nothing(
    chris: Chris, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient, caller = chris
    mine, theirs = make_slot(days=3), make_slot(days=4)
    original = service.book(caller, patient.id, mine.id, now=NOW).appointment
    other = make_patient("p-other")
    service.book(
        caller_for(Role.PATIENT, acts_for={other.id: "self"}, sub="sub-o"), other.id, theirs.id, now=NOW
    )

    with pytest.raises(errors.Conflict):
        service.reschedule(caller, patient.id, original.id, theirs.id, now=NOW)
    with pytest.raises(errors.BadRequest):
        service.reschedule(
            caller, patient.id, original.id, make_slot(days=6, visit_type_id="follow-up").id, now=NOW
        )

    assert service.load(patient.id, original.id).status == "booked"
    assert appointment_store.get_slot(mine.provider_id, mine.start).appointment_id == original.id  # type: ignore[union-attr]


def test_upcoming_and_past_lists(chris: Chris, caller_for: CallerFactory) -> None:
    patient, caller = chris
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    past = service.book(desk, patient.id, make_slot(days=-10).id, now=NOW - timedelta(days=20)).appointment
    # Now established, the patient books follow-ups.
    soon = service.book(
        caller, patient.id, make_slot(days=2, visit_type_id="follow-up").id, now=NOW
    ).appointment
    later = service.book(
        caller, patient.id, make_slot(days=9, visit_type_id="follow-up").id, now=NOW
    ).appointment

    upcoming = service.list_appointments(caller, patient.id, upcoming=True, limit=10, cursor=None, now=NOW)
    history = service.list_appointments(caller, patient.id, upcoming=False, limit=10, cursor=None, now=NOW)

    assert [a.id for a in upcoming.items] == [soon.id, later.id]
    assert [a.id for a in history.items] == [past.id]
    assert upcoming.items[0].can_cancel
    assert not history.items[0].can_cancel


def test_another_patients_appointment_is_not_found(
    chris: Chris, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient, caller = chris
    appointment = service.book(caller, patient.id, make_slot().id, now=NOW).appointment
    other = make_patient("p-other")
    stranger = caller_for(Role.PATIENT, acts_for={other.id: "self"}, sub="sub-o")
    with pytest.raises(errors.NotFound):
        routed(service.get_appointment, stranger, patient.id, appointment.id, now=NOW)
    with pytest.raises(errors.NotFound):
        routed(service.cancel, stranger, other.id, appointment.id, now=NOW)


def test_calendar_file_is_valid_icalendar_in_utc(chris: Chris) -> None:
    patient, caller = chris
    slot = make_slot()
    appointment = service.book(caller, patient.id, slot.id, now=NOW).appointment

    text = service.calendar_file(caller, patient.id, appointment.id, now=NOW)

    assert text.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == slot.start
    assert event.decoded("DTEND") == slot.end
    assert str(event["UID"]).startswith(appointment.id + "@")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Riverside Family Clinic" in str(event["SUMMARY"])
    assert "Dr. Priya Rivera, MD" in str(event["DESCRIPTION"])  # folded and escaped, then read back whole
    assert "Test" not in text  # the patient's name is not in the file


def test_the_calendar_file_speaks_the_patients_language(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    maria = make_patient("p-maria-ics", preferred_language="es")
    caller = caller_for(Role.PATIENT, acts_for={maria.id: "self"}, sub="sub-maria-ics")
    appointment = service.book(caller, maria.id, make_slot().id, now=NOW).appointment

    text = service.calendar_file(caller, maria.id, appointment.id, now=NOW)

    [event] = Calendar.from_ical(text).walk("VEVENT")
    # The clinic's own name for the visit, in Spanish too.
    assert str(event["SUMMARY"]) == "Cita de paciente nuevo en Riverside Family Clinic"
    assert event["SUMMARY"].params["LANGUAGE"] == "es"
    description = str(event["DESCRIPTION"])
    assert "con Dr. Priya Rivera, MD" in description
    assert "portal del paciente de Riverside Family Clinic" in description
    assert "Check in" not in description
    assert "Questions" not in description
    assert "Cita en Riverside Family Clinic" in text  # the reminder


def test_a_video_visit_stores_no_link_token_and_an_older_item_with_one_still_reads(
    chris: Chris, caller_for: CallerFactory
) -> None:
    from chalicelib.core import aws

    patient, _ = chris
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    booked = service.book(
        desk, patient.id, make_slot(days=2, hour=13, visit_type_id="video-follow-up").id, now=NOW
    ).appointment
    appointment = service.load(patient.id, booked.id)
    key = appointment_store.appointment_key(appointment)
    stored = aws.table().get_item(Key=key)["Item"]
    assert "video_token" not in stored

    # Items written before the join link was retired carry a token: they still read, the token ignored
    aws.table().put_item(Item={**stored, "video_token": "tok" + "x" * 40})
    loaded = service.load(patient.id, appointment.id)
    assert loaded.id == appointment.id
    assert loaded.modality == "video"
    assert "video_token" not in loaded.model_dump()
