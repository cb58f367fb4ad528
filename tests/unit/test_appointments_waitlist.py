"""Waitlist: a freed slot is offered in order to patients with a later appointment; first to accept wins."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.appointments import service, waitlist
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import WaitlistIn
from chalicelib.core import config, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.appointments_fixtures import NOW, make_slot
from tests.unit.conftest import CallerFactory, PatientFactory


@pytest.fixture
def outbox() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=config.clinic().mail_from)
    return ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]


def _others(outbox: Any) -> list[Any]:
    """What was sent besides the "your appointment has changed" confirmations."""
    return [m for m in outbox.sent_messages if "has changed" not in m.subject]


def _booked(
    make_patient: PatientFactory, caller_for: CallerFactory, pid: str, days: int
) -> tuple[Caller, str]:
    make_patient(pid, email=f"{pid}@patients.example")
    caller = caller_for(Role.PATIENT, acts_for={pid: "self"}, sub=f"sub-{pid}")
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    appointment = service.book(
        desk, pid, make_slot(days=days, visit_type_id="follow-up").id, now=NOW
    ).appointment
    return caller, appointment.id


def test_freed_slot_is_offered_in_order_to_later_appointments_and_first_accept_wins(
    make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    early_caller, early_appt = _booked(make_patient, caller_for, "p-early", days=2)
    a_caller, a_appt = _booked(make_patient, caller_for, "p-wait-a", days=10)
    b_caller, b_appt = _booked(make_patient, caller_for, "p-wait-b", days=12)
    c_caller, c_appt = _booked(make_patient, caller_for, "p-wait-c", days=1)  # already earlier: not offered
    for caller, pid, appt in (
        (a_caller, "p-wait-a", a_appt),
        (b_caller, "p-wait-b", b_appt),
        (c_caller, "p-wait-c", c_appt),
    ):
        waitlist.join(caller, pid, appt, WaitlistIn(), now=NOW)
    with pytest.raises(errors.Conflict):
        waitlist.join(a_caller, "p-wait-a", a_appt, WaitlistIn(), now=NOW)

    service.cancel(early_caller, "p-early", early_appt, now=NOW)  # frees a day-2 slot

    offers_a = waitlist.list_offers(a_caller, "p-wait-a", now=NOW).items
    offers_b = waitlist.list_offers(b_caller, "p-wait-b", now=NOW).items
    assert len(offers_a) == len(offers_b) == 1
    assert waitlist.list_offers(c_caller, "p-wait-c", now=NOW).items == []
    assert sorted(m.destinations["ToAddresses"][0] for m in _others(outbox)) == [
        "p-wait-a@patients.example",
        "p-wait-b@patients.example",
    ]
    assert all("Test" not in m.body for m in _others(outbox))

    moved = waitlist.accept(b_caller, "p-wait-b", offers_b[0].id, now=NOW + timedelta(minutes=5))
    assert moved.starts_at == offers_b[0].starts_at
    assert service.load("p-wait-b", b_appt).status == "rescheduled"
    with pytest.raises(errors.Conflict):  # B was faster
        waitlist.accept(a_caller, "p-wait-a", offers_a[0].id, now=NOW + timedelta(minutes=6))
    assert service.load("p-wait-a", a_appt).status == "booked"
    # B's old (later) slot opened up in turn and went to A, who is still waiting.
    assert len(waitlist.list_offers(a_caller, "p-wait-a", now=NOW + timedelta(minutes=6)).items) == 1


def test_offers_expire_and_leaving_stops_offers(
    make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    early_caller, early_appt = _booked(make_patient, caller_for, "p-early", days=2)
    a_caller, a_appt = _booked(make_patient, caller_for, "p-wait-a", days=10)
    b_caller, b_appt = _booked(make_patient, caller_for, "p-wait-b", days=11)
    waitlist.join(a_caller, "p-wait-a", a_appt, WaitlistIn(), now=NOW)
    waitlist.join(b_caller, "p-wait-b", b_appt, WaitlistIn(), now=NOW)
    waitlist.leave(b_caller, "p-wait-b", b_appt)

    service.cancel(early_caller, "p-early", early_appt, now=NOW)

    [offer] = waitlist.list_offers(a_caller, "p-wait-a", now=NOW).items
    assert waitlist.list_offers(b_caller, "p-wait-b", now=NOW).items == []
    late = NOW + timedelta(minutes=config.clinic().scheduling.waitlist_offer_minutes + 1)
    assert waitlist.list_offers(a_caller, "p-wait-a", now=late).items == []
    with pytest.raises(errors.Conflict) as expired:
        waitlist.accept(a_caller, "p-wait-a", offer.id, now=late)
    assert "expired" in expired.value.message
    slot = appointment_store.get_slot(offer.provider.id, offer.starts_at)
    assert slot is not None
    assert slot.status == "open"


def test_an_offer_for_a_visit_the_clinic_has_marked_is_not_shown_nor_taken(
    make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    early_caller, early_appt = _booked(make_patient, caller_for, "p-marked-early", days=2)
    waiting, appt = _booked(make_patient, caller_for, "p-marked-wait", days=10)
    waitlist.join(waiting, "p-marked-wait", appt, WaitlistIn(), now=NOW)
    service.cancel(early_caller, "p-marked-early", early_appt, now=NOW)
    [offer] = waitlist.list_offers(waiting, "p-marked-wait", now=NOW).items

    # The clinic marked the visit (a no-show, say) before the patient saw the offer.
    visit = service.load("p-marked-wait", appt)
    boto3.resource("dynamodb", region_name="us-east-1").Table(config.settings().table_name).update_item(
        Key=appointment_store.appointment_key(visit),
        UpdateExpression="SET visit_status = :s",
        ExpressionAttributeValues={":s": "no_show"},
    )

    assert waitlist.list_offers(waiting, "p-marked-wait", now=NOW).items == []
    with pytest.raises(errors.Conflict):
        waitlist.accept(waiting, "p-marked-wait", offer.id, now=NOW + timedelta(minutes=1))
    assert service.load("p-marked-wait", appt).status == "booked"


def test_a_visit_the_clinic_marks_leaves_the_waitlist_so_no_offer_is_made_for_it(
    make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    from chalicelib.appointments import staff

    early_caller, early_appt = _booked(make_patient, caller_for, "p-gone-early", days=2)
    waiting, appt = _booked(make_patient, caller_for, "p-gone-wait", days=10)
    waitlist.join(waiting, "p-gone-wait", appt, WaitlistIn(), now=NOW)
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk")
    visit = service.load("p-gone-wait", appt)

    # The patient came in early, on the day of an earlier visit of theirs, and the desk marked them arrived.
    staff.set_visit_status(desk, f"p-gone-wait.{appt}", "arrived", now=visit.start)
    assert appointment_store.get_entry("p-gone-wait", appt) is None

    service.cancel(early_caller, "p-gone-early", early_appt, now=NOW)
    assert waitlist.list_offers(waiting, "p-gone-wait", now=NOW).items == []
    assert not [m for m in _others(outbox) if "p-gone-wait" in str(m.destinations)]
