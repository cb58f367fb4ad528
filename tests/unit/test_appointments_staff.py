"""Staff side: availability edits, the schedule view, the front-desk queue, requests, reminders, digest."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from chalicelib.appointments import availability, service, staff
from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import notices as notify_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import BlockIn, ScheduleQuery, TemplateIn
from chalicelib.core import audit_log, config, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.appointments_fixtures import NOW, make_slot
from tests.unit.conftest import CallerFactory, PatientFactory


@pytest.fixture
def desk(caller_for: CallerFactory) -> Caller:
    return caller_for(Role.FRONT_DESK, sub="sub-desk", name="Sam Desk")


@pytest.fixture
def outbox() -> Any:
    """SES on moto: verify the clinic's sender, then read what was sent."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=config.clinic().mail_from)
    return ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]


def _others(outbox: Any) -> list[Any]:
    """What was sent besides the "your appointment has changed" confirmations."""
    return [m for m in outbox.sent_messages if "has changed" not in m.subject]


def _patient(make_patient: PatientFactory, caller_for: CallerFactory, pid: str, **profile: Any) -> Caller:
    make_patient(pid, **profile)
    return caller_for(Role.PATIENT, acts_for={pid: "self"}, sub=f"sub-{pid}")


def test_templates_make_slots_blocks_withdraw_them_and_overlaps_are_refused(desk: Caller) -> None:
    monday = common.today(NOW) + timedelta(days=7)
    body = TemplateIn(
        visit_type_id="follow-up",
        weekdays=[monday.weekday()],
        start_time=time(9, 0),
        end_time=time(10, 0),
        valid_from=common.today(NOW),
    )

    added = availability.add_template(desk, "dr-rivera", body, now=NOW)

    assert added.sync.created == 3 * 5  # three 20-minute slots on each of five Mondays in 28 days
    with pytest.raises(errors.Conflict):
        availability.add_template(
            desk, "dr-rivera", body.model_copy(update={"start_time": time(9, 40)}), now=NOW
        )
    block = BlockIn.model_validate({"start": f"{monday}T09:00", "end": f"{monday}T09:30", "label": "Meeting"})
    blocked = availability.add_block(desk, "dr-rivera", block, now=NOW)
    assert blocked.sync.blocked == 2  # 09:00 and 09:20 overlap 09:00-09:30 local
    statuses = {
        common.local(s.start).strftime("%H:%M"): s.status
        for s in appointment_store.provider_slots(
            "dr-rivera", common.local_day_start(monday), common.local_day_start(monday + timedelta(days=1))
        )
    }
    assert statuses == {"09:00": "blocked", "09:20": "blocked", "09:40": "open"}

    reopened = availability.remove_block(desk, "dr-rivera", blocked.availability.blocks[0].id, now=NOW)
    assert reopened.sync.opened == 2
    removed = availability.remove_template(desk, "dr-rivera", added.availability.templates[0].id, now=NOW)
    assert removed.sync.withdrawn == 15
    assert availability.sync_provider("dr-rivera", now=NOW).created == 0  # idempotent


def test_a_template_change_never_touches_booked_slots(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    monday = common.today(NOW) + timedelta(days=7)
    added = availability.add_template(
        desk,
        "dr-rivera",
        TemplateIn(
            visit_type_id="new-patient",
            weekdays=[monday.weekday()],
            start_time=time(9, 0),
            end_time=time(9, 40),
            valid_from=monday,
            valid_until=monday,
        ),
        now=NOW,
    )
    patient = _patient(make_patient, caller_for, "p-booked")
    [slot] = appointment_store.provider_slots("dr-rivera", NOW, NOW + timedelta(days=28))
    service.book(patient, "p-booked", slot.id, now=NOW)

    result = availability.remove_template(desk, "dr-rivera", added.availability.templates[0].id, now=NOW)

    assert result.sync.conflicts == [slot.id]  # staff must move that patient; the booking stands
    kept = appointment_store.get_slot(slot.provider_id, slot.start)
    assert kept is not None
    assert kept.status == "booked"


def test_schedule_shows_the_day_with_checkin_and_cancellations_and_logs_access(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    ann = _patient(make_patient, caller_for, "p-ann")
    ben = _patient(make_patient, caller_for, "p-ben")
    day = common.today(NOW) + timedelta(days=2)
    first, second, third = (make_slot(days=2, hour=h) for h in (9, 10, 11))
    service.book(ann, "p-ann", first.id, now=NOW)
    cancelled = service.book(ben, "p-ben", second.id, now=NOW).appointment
    service.cancel(ben, "p-ben", cancelled.id, now=NOW)

    view = staff.schedule(
        desk, ScheduleQuery.model_validate({"provider": "dr-rivera", "date": str(day)}), now=NOW
    )

    [today] = view.days
    assert today.date == day
    kinds = [
        (e.starts_at.strftime("%H:%M"), e.kind, e.appointment.status if e.appointment else None)
        for e in today.entries
    ]
    assert kinds == [
        ("09:00", "appointment", "booked"),
        ("10:00", "appointment", "cancelled"),
        ("10:00", "open", None),  # freed by the cancellation
        ("11:00", "open", None),
    ]
    assert (today.booked, today.open, today.cancelled, today.checked_in) == (1, 2, 1, 0)
    assert today.entries[0].appointment is not None
    assert today.entries[0].appointment.checkin_status == "not_started"
    for pid in ("p-ann", "p-ben"):
        events, _ = audit_log.list_for_patient(pid, limit=10, cursor=None)
        assert "schedule.read" in {e.action for e in events}
    assert third.status == "open"


def test_requests_wait_in_the_queue_until_staff_decide(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    # An established adult asks for an annual physical (a "request" visit type).
    patient = _patient(make_patient, caller_for, "p-req", email="req@patients.example")
    service.book(
        desk, "p-req", make_slot(days=-30, visit_type_id="follow-up").id, now=NOW - timedelta(days=40)
    )
    slot = make_slot(days=5, hour=13, visit_type_id="annual-physical")

    requested = service.book(patient, "p-req", slot.id, now=NOW).appointment

    assert requested.status == "requested"
    held = appointment_store.get_slot(slot.provider_id, slot.start)
    assert held is not None
    assert held.status == "held"
    queue = staff.queue(desk, limit=10, cursor=None)
    assert [(i.kind, i.appointment_id, i.patient_name) for i in queue.items] == [
        ("requested", requested.id, "Test Patient1")
    ]

    decision = staff.approve(desk, queue.items[0].appointment_ref, now=NOW)

    assert decision.status == "booked"
    assert service.load("p-req", requested.id).status == "booked"
    booked = appointment_store.get_slot(slot.provider_id, slot.start)
    assert booked is not None
    assert booked.status == "booked"
    assert staff.queue(desk, limit=10, cursor=None).items == []
    with pytest.raises(errors.Conflict):
        staff.decline(desk, queue.items[0].appointment_ref, now=NOW)
    [mail] = _others(outbox)
    assert mail.destinations["ToAddresses"] == ["req@patients.example"]
    assert "Test" not in mail.body
    assert "physical" not in mail.body.lower()


def test_declining_frees_the_slot_and_acknowledging_clears_the_queue(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = _patient(make_patient, caller_for, "p-dec")
    service.book(
        desk, "p-dec", make_slot(days=-30, visit_type_id="follow-up").id, now=NOW - timedelta(days=40)
    )
    slot = make_slot(days=5, hour=13, visit_type_id="annual-physical")
    requested = service.book(patient, "p-dec", slot.id, now=NOW).appointment
    other = service.book(
        patient, "p-dec", make_slot(days=6, visit_type_id="follow-up").id, now=NOW
    ).appointment

    staff.decline(desk, f"p-dec.{requested.id}", now=NOW)

    freed = appointment_store.get_slot(slot.provider_id, slot.start)
    assert freed is not None
    assert freed.status == "open"
    [booking] = staff.queue(desk, limit=10, cursor=None).items
    assert (booking.kind, booking.appointment_id) == ("booked", other.id)
    staff.acknowledge(desk, booking.ref, now=NOW)
    assert staff.queue(desk, limit=10, cursor=None).items == []
    with pytest.raises(errors.NotFound):
        staff.acknowledge(desk, booking.ref, now=NOW)


def test_reminders_go_out_once_about_a_day_ahead_without_phi(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    make_patient("p-rem", email="rem@patients.example")
    make_patient("p-quiet", email="quiet@patients.example", communication={"email_notifications": False})
    tomorrow = make_slot(days=1, hour=8)  # NOW is 08:00 local: exactly 24 h ahead
    later = make_slot(days=3, hour=8)
    quiet = make_slot(days=1, hour=9)
    service.book(desk, "p-rem", tomorrow.id, now=NOW)
    service.book(desk, "p-rem", later.id, now=NOW)
    service.book(desk, "p-quiet", quiet.id, now=NOW)

    assert notify_service.send_reminders(now=NOW) == 1
    assert notify_service.send_reminders(now=NOW + timedelta(minutes=30)) == 0  # never twice

    [mail] = _others(outbox)
    assert mail.destinations["ToAddresses"] == ["rem@patients.example"]
    assert "Riverside Family Clinic" in mail.subject
    for phi in ("Test", "Rivera", "New patient", "08:00", "8:00"):
        assert phi not in mail.body


def test_front_desk_digest_counts_new_queue_items_once(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    patient = _patient(make_patient, caller_for, "p-dig")
    first = service.book(patient, "p-dig", make_slot(days=3).id, now=NOW).appointment
    service.cancel(patient, "p-dig", first.id, now=NOW)

    assert notify_service.send_digest(now=NOW) == {"booked": 1, "cancelled": 1}
    assert notify_service.send_digest(now=NOW) == {}  # nothing new since

    [mail] = _others(outbox)
    assert mail.destinations["ToAddresses"] == ["frontdesk@riverside.example"]
    assert "1 new booking" in mail.body
    assert "Test" not in mail.body


def test_unknown_providers_and_visit_types_are_404(desk: Caller) -> None:
    with pytest.raises(errors.NotFound):
        availability.get_availability(desk, "dr-nobody")
    with pytest.raises(errors.NotFound):
        availability.add_template(
            desk,
            "dr-rivera",
            TemplateIn(
                visit_type_id="no-such-type",
                weekdays=[0],
                start_time=time(9),
                end_time=time(10),
                valid_from=date(2026, 1, 1),
            ),
            now=NOW,
        )


# --- a bad date never stops scheduling ---------------------------------------------------------------


def _weekly(desk: Caller, provider_id: str) -> None:
    availability.add_template(
        desk,
        provider_id,
        TemplateIn(
            visit_type_id="follow-up",
            weekdays=[0, 1, 2, 3, 4],
            start_time=time(9, 0),
            end_time=time(10, 0),
            valid_from=common.today(NOW),
        ),
        now=NOW,
    )


def _slots(provider_id: str) -> list[Any]:
    return appointment_store.provider_slots(provider_id, NOW, NOW + timedelta(days=28))


def _damaged_block(provider_id: str) -> str:
    """A block as a year-25 typo was once stored: its start unpadded, so it no longer reads as a time."""
    boto3.resource("dynamodb", region_name="us-east-1").Table(os.environ["TABLE_NAME"]).put_item(
        Item={
            "PK": f"PROVIDER#{provider_id}",
            "SK": "BLOCK#25-01-06T15:00:00Z#blk-damaged",
            "id": "blk-damaged",
            "provider_id": provider_id,
            "start": "25-01-06T15:00:00Z",
            "end": "2026-04-20T16:00:00Z",
            "label": "Typo",
        }
    )
    return "blk-damaged"


@pytest.mark.parametrize("start", ["0025-04-20T09:00", "0001-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00"])
def test_a_block_in_an_impossible_year_is_refused_naming_the_field(start: str) -> None:
    with pytest.raises(ValidationError) as raised:
        BlockIn.model_validate({"start": start, "end": "2026-04-20T10:00"})
    assert [e["loc"] for e in raised.value.errors()] == [("start",)]


def test_a_damaged_block_neither_hides_availability_nor_stops_the_daily_job_and_can_be_deleted(
    desk: Caller,
) -> None:
    _weekly(desk, "dr-rivera")
    _weekly(desk, "dr-chen")
    for slot in _slots("dr-rivera") + _slots("dr-chen"):
        appointment_store.delete_unbooked_slot(slot)  # as if the window had not been rolled yet
    block_id = _damaged_block("dr-rivera")

    shown = availability.get_availability(desk, "dr-rivera", now=NOW)
    synced = availability.sync_all(now=NOW)

    assert shown.blocks == []  # the readable availability still shows
    assert len(shown.templates) == 1
    assert synced["dr-rivera"].created > 0
    assert synced["dr-chen"].created > 0
    assert _slots("dr-chen")
    after = availability.remove_block(desk, "dr-rivera", block_id, now=NOW)
    assert after.availability.templates  # answered, not a 500
    with pytest.raises(errors.NotFound):
        availability.remove_block(desk, "dr-rivera", block_id, now=NOW)


def test_the_daily_job_goes_on_to_the_next_provider_when_one_fails(desk: Caller) -> None:
    _weekly(desk, "dr-rivera")
    _weekly(desk, "dr-chen")
    for slot in _slots("dr-rivera") + _slots("dr-chen"):
        appointment_store.delete_unbooked_slot(slot)
    # Another sync of dr-rivera is under way (it holds the lease): this run cannot sync that provider.
    assert appointment_store.acquire_sync_lease("dr-rivera", now=NOW)

    synced = availability.sync_all(now=NOW)

    assert "dr-rivera" not in synced
    assert synced["dr-chen"].created > 0
    assert _slots("dr-chen")


def test_booking_moving_and_cancelling_each_email_a_confirmation_without_phi(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    patient = _patient(make_patient, caller_for, "p-conf", email="conf@patients.example")
    make_patient("p-noemail", email="no@patients.example", communication={"email_notifications": False})
    booked = service.book(patient, "p-conf", make_slot(days=3, visit_type_id="new-patient").id, now=NOW)
    moved = service.reschedule(
        desk, "p-conf", booked.appointment.id, make_slot(days=4, visit_type_id="new-patient").id, now=NOW
    )
    service.cancel(desk, "p-conf", moved.id, now=NOW)
    service.book(desk, "p-noemail", make_slot(days=5, visit_type_id="follow-up").id, now=NOW)

    sent = [m for m in outbox.sent_messages if "has changed" in m.subject]
    assert [m.destinations["ToAddresses"] for m in sent] == [["conf@patients.example"]] * 3
    for mail in sent:
        assert "Your appointment has changed. Sign in to see it" in mail.body
        for phi in ("Test", "Rivera", "New patient", "10:00"):
            assert phi not in mail.body


def test_visit_steps_follow_the_order_and_a_lost_race_is_a_conflict(
    desk: Caller, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    _patient(make_patient, caller_for, "p-step")
    visit = service.book(
        desk, "p-step", make_slot(days=0.1, visit_type_id="follow-up").id, now=NOW
    ).appointment
    ref = f"p-step.{visit.id}"
    later = NOW + timedelta(hours=3)

    with pytest.raises(errors.Conflict, match="cannot be marked roomed"):
        staff.set_visit_status(desk, ref, "roomed", now=later)
    arrived = staff.set_visit_status(desk, ref, "arrived", version=1, now=later)
    with pytest.raises(errors.Conflict, match="changed by someone else"):
        staff.set_visit_status(desk, ref, "no_show", version=1, now=later)  # a screen from before
    assert arrived.visit_status == "arrived"
    assert service.load("p-step", visit.id).visit_status == "arrived"
    events, _ = audit_log.list_for_patient("p-step", limit=50, cursor=None)
    [event] = [e for e in events if e.action == "visit.arrived"]
    assert (event.actor_sub, event.target) == ("sub-desk", f"appointment:{visit.id}")
