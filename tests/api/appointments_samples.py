"""Security-matrix samples for appointments: open slots to book and appointments to act on.

Each maker gets the owning patient's id and creates what one call needs, at a time no other call uses.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import Appointment, AppointmentStatus, Slot
from chalicelib.core.identity import Role

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample

_counter = itertools.count()
_BASE = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=3)


def open_slot(
    visit_type_id: str = "new-patient",
    provider_id: str = "dr-rivera",
    *,
    days: int = 0,
    at: datetime | None = None,
) -> Slot:
    """A fresh open slot (three days ahead, or from `at` on) at a start no other call has used."""
    while True:
        n = next(_counter)
        if at:  # within two hours of `at`, however many samples the session made before
            start = at.replace(second=0, microsecond=0) + timedelta(minutes=n % 120)
        else:
            start = _BASE + timedelta(days=days) + timedelta(minutes=20 * n)
        slot = Slot(
            provider_id=provider_id,
            visit_type_id=visit_type_id,
            start=start,
            end=start + timedelta(minutes=20),
        )
        if appointment_store.put_slots([slot]) == 1:  # 0: that start exists already (another day offset)
            return slot


def booked_appointment(
    patient_id: str,
    visit_type_id: str = "follow-up",
    *,
    days: int = 0,
    status: AppointmentStatus = "booked",
    at: datetime | None = None,
) -> Appointment:
    """An appointment of the patient's, written as a booking would (slot taken + appointment)."""
    slot = open_slot(visit_type_id, days=days, at=at)
    appointment = Appointment(
        id=f"apt-sample{next(_counter):06d}",
        patient_id=patient_id,
        patient_name="Sample Patient",
        provider_id=slot.provider_id,
        visit_type_id=visit_type_id,
        modality="video" if visit_type_id == "video-follow-up" else "in_person",
        start=slot.start,
        end=slot.end,
        status=status,
        booked_at=datetime.now(UTC),
        booked_by_role=Role.FRONT_DESK,
    )
    # Plain writes, not a transaction: a fixture needs no atomicity, and moto (which ignores
    # ClientRequestToken) refuses an SDK retry of a transaction that committed before a timeout.
    from chalicelib.core import aws

    held = "held" if status == "requested" else "booked"
    aws.table().put_item(
        Item=appointment_store.slot_item(
            slot.model_copy(
                update={"status": held, "appointment_id": appointment.id, "patient_id": patient_id}
            )
        )
    )
    aws.table().put_item(Item=appointment_store.appointment_item(appointment))
    day = common.local(appointment.start).date()
    aws.table().put_item(Item=appointment_store.day_entry(appointment, day=day)["Put"]["Item"])
    if status == "requested":
        aws.table().put_item(
            Item=appointment_store.notice_item(
                kind="requested", appointment=appointment, at=datetime.now(UTC)
            )
        )
    return appointment


def video_visit_now(
    patient_id: str,
    *,
    provider_id: str = "np-alvarez",
    minutes_from_now: int = -5,
    patient_waiting: bool = False,
    admitted: bool = False,
    with_slot: bool = False,
) -> Appointment:
    """A booked video visit that started five minutes ago (written directly: joining reads only this)."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes_from_now)
    arrived = datetime.now(UTC).replace(microsecond=0) if patient_waiting or admitted else None
    appointment = Appointment(
        id=f"apt-video{next(_counter):06d}",
        patient_id=patient_id,
        patient_name="Sample Patient",
        patient_waiting_at=arrived,
        admitted_at=arrived if admitted else None,
        provider_id=provider_id,
        visit_type_id="video-follow-up",
        modality="video",
        start=start,
        end=start + timedelta(minutes=20),
        status="booked",
        booked_at=datetime.now(UTC),
        booked_by_role=Role.FRONT_DESK,
    )
    aws_table().put_item(Item=appointment_store.appointment_item(appointment))
    if with_slot:  # the booked slot too, for a visit that will be cancelled or moved
        slot = Slot(
            provider_id=provider_id,
            visit_type_id="video-follow-up",
            start=start,
            end=appointment.end,
            status="booked",
            appointment_id=appointment.id,
            patient_id=patient_id,
        )
        aws_table().put_item(Item=appointment_store.slot_item(slot))
    return appointment


def waiting_appointment(patient_id: str) -> Appointment:
    from chalicelib.appointments import store as waitlist_store

    appointment = booked_appointment(patient_id, days=20)
    aws_table().put_item(
        Item=waitlist_store.join_entry(
            patient_id=patient_id,
            appointment_id=appointment.id,
            visit_type_id=appointment.visit_type_id,
            provider_id=appointment.provider_id,
            start=appointment.start,
            any_provider=True,
            at=datetime.now(UTC),
        )["Put"]["Item"]
    )
    return appointment


def open_offer(patient_id: str) -> str:
    """A later booked follow-up and an open offer of an earlier free slot for it."""
    from chalicelib.appointments import store as waitlist_store
    from chalicelib.appointments.models import WaitlistOffer

    appointment = booked_appointment(patient_id, days=20)
    slot = open_slot("follow-up")
    now = datetime.now(UTC)
    offer = WaitlistOffer(
        id=f"ofr-sample{next(_counter):06d}",
        patient_id=patient_id,
        appointment_id=appointment.id,
        provider_id=slot.provider_id,
        visit_type_id="follow-up",
        start=slot.start,
        end=slot.end,
        offered_at=now,
        expires_at=now + timedelta(hours=2),
    )
    waitlist_store.put_offer(offer)
    return offer.id


def visit_in_two_days(patient_id: str) -> Appointment:
    """A booked follow-up two days ahead, inside the check-in window (written directly, no slot needed)."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    appointment = Appointment(
        id=f"apt-checkin{next(_counter):06d}",
        patient_id=patient_id,
        patient_name="Sample Patient",
        provider_id="dr-rivera",
        visit_type_id="follow-up",
        modality="in_person",
        start=start,
        end=start + timedelta(minutes=20),
        status="booked",
        booked_at=datetime.now(UTC),
        booked_by_role=Role.FRONT_DESK,
    )
    aws_table().put_item(Item=appointment_store.appointment_item(appointment))
    return appointment


def checked_in_visit(patient_id: str) -> Appointment:
    """A visit two days ahead whose eCheck-in reports one new allergy (Penicillin, hives)."""
    appointment = visit_in_two_days(patient_id)
    aws_table().put_item(
        Item={
            **appointment_store.checkin_key(patient_id, appointment.id),
            "appointment_id": appointment.id,
            "submitted_at": datetime.now(UTC).isoformat(),
            "submitted_by_role": "patient",
            "demographics_confirmed": True,
            "insurance": {"self_pay": True},
            "medications": [],
            "no_medications": True,
            "allergies": [{"substance": "Penicillin", "reaction": "Hives"}],
            "no_known_allergies": False,
            "questionnaire_responses": [],
        }
    )
    return appointment


# The review item of checked_in_visit's allergy (item ids hash what the patient sent).
PENICILLIN_ITEM = "allergy-" + hashlib.sha256(b"penicillin\x1fhives").hexdigest()[:16]

CHECKIN_BODY: dict[str, Any] = {
    "demographics_confirmed": True,
    "insurance": {"carrier": "Acme Health", "member_id": "ACM123456"},
    "no_medications": True,
    "allergies": [{"substance": "Penicillin", "reaction": "Hives"}],
    "answers": {"reason-for-visit": {"reason": "Follow-up on knee pain", "since": "Two weeks"}},
}


def template_body() -> dict[str, Any]:
    """A template far in the future, a different week each call, so no two overlap."""
    week = next(_counter)
    first = datetime(2031, 1, 6, tzinfo=UTC).date() + timedelta(weeks=week)
    return {
        "visit_type_id": "follow-up",
        "weekdays": [0, 2],
        "start_time": "09:00",
        "end_time": "10:00",
        "valid_from": str(first),
        "valid_until": str(first + timedelta(days=6)),
    }


def _stored_template(provider_id: str) -> str:
    from chalicelib.appointments import store as availability_store
    from chalicelib.appointments.models import AvailabilityTemplate, TemplateIn

    body = TemplateIn.model_validate(template_body())
    template = AvailabilityTemplate(
        id=f"tpl-sample{next(_counter):06d}",
        provider_id=provider_id,
        created_at=datetime.now(UTC),
        **body.model_dump(),
    )
    availability_store.put_template(template)
    return template.id


def _stored_block(provider_id: str) -> str:
    from chalicelib.appointments import store as availability_store
    from chalicelib.appointments.models import Block

    start = datetime(2031, 1, 1, tzinfo=UTC) + timedelta(hours=next(_counter))
    block = Block(
        id=f"blk-sample{next(_counter):06d}",
        provider_id=provider_id,
        start=start,
        end=start + timedelta(hours=1),
        label="Meeting",
    )
    availability_store.put_block(block)
    return block.id


def _queued_notice(pid: str) -> str:
    appointment = booked_appointment(pid, "annual-physical", status="requested")
    return f"{pid}.{appointment_store.request_notice_id(appointment.id)}"


def _request(pid: str) -> str:
    return f"{pid}.{booked_appointment(pid, 'annual-physical', status='requested').id}"


def aws_table() -> Any:
    from chalicelib.core import aws

    return aws.table()


def _join_rivera_team(sub: str) -> None:
    from chalicelib.core import users as user_store

    user_store.set_pools(sub, ["dr-rivera-team"])


def _visit_today(patient_id: str) -> str:
    """A booked visit of the patient's, on a day already come (its status may be marked)."""
    visit = booked_appointment(patient_id, at=datetime.now(UTC) - timedelta(days=30))
    return f"{patient_id}.{visit.id}"


def _arrived_now(patient_id: str) -> tuple[str, int]:
    """A visit of a past day marked arrived just now (so the step may still be undone): (ref, version)."""
    from chalicelib.appointments.models import VisitEvent
    from chalicelib.core import dynamo

    visit = booked_appointment(patient_id, at=datetime.now(UTC) - timedelta(days=30))
    arrived = visit.model_copy(
        update={
            "visit_status": "arrived",
            "visit_events": [VisitEvent(status="arrived", at=datetime.now(UTC), by="sub", by_name="Desk")],
            "version": visit.version + 1,
        }
    )
    dynamo.transact_all(
        [appointment_store.replace_appointment_entry(arrived, expected_version=visit.version)]
    )
    return f"{patient_id}.{visit.id}", arrived.version


def _undo_sample(ref: str, version: int) -> Sample:
    return _sample(params={"visit_ref": ref}, body={"version": version})


def _sample(**kwargs: Any) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)


BASE = "/patients/{patient_id}/appointments"

SAMPLES: dict[str, Callable[[str], Sample]] = {
    f"POST {BASE}": lambda pid: _sample(body={"slot_id": open_slot("new-patient").id}),
    f"GET {BASE}/{{appointment_id}}": lambda pid: _sample(
        params={"appointment_id": booked_appointment(pid).id}
    ),
    f"POST {BASE}/{{appointment_id}}/cancel": lambda pid: _sample(
        params={"appointment_id": booked_appointment(pid).id}
    ),
    f"POST {BASE}/{{appointment_id}}/reschedule": lambda pid: _sample(
        params={"appointment_id": booked_appointment(pid).id}, body={"slot_id": open_slot("follow-up").id}
    ),
    f"GET {BASE}/{{appointment_id}}/calendar.ics": lambda pid: _sample(
        params={"appointment_id": booked_appointment(pid).id}
    ),
    # The clinician on the visit: a member of dr-rivera's care-team pool (the clinic file names it).
    f"POST {BASE}/{{appointment_id}}/video/join": lambda pid: _sample(
        params={"appointment_id": video_visit_now(pid, provider_id="dr-rivera").id},
        prepare_staff=_join_rivera_team,
    ),
    f"GET {BASE}/{{appointment_id}}/video/status": lambda pid: _sample(
        params={"appointment_id": video_visit_now(pid, provider_id="dr-rivera").id},
        prepare_staff=_join_rivera_team,
    ),
    f"POST {BASE}/{{appointment_id}}/video/admit": lambda pid: _sample(
        params={"appointment_id": video_visit_now(pid, provider_id="dr-rivera", patient_waiting=True).id},
        prepare_staff=_join_rivera_team,
    ),
    f"POST {BASE}/{{appointment_id}}/waitlist": lambda pid: _sample(
        params={"appointment_id": booked_appointment(pid, days=20).id}, body={"any_provider": True}
    ),
    f"DELETE {BASE}/{{appointment_id}}/waitlist": lambda pid: _sample(
        params={"appointment_id": waiting_appointment(pid).id}
    ),
    "POST /patients/{patient_id}/waitlist-offers/{offer_id}/accept": lambda pid: _sample(
        params={"offer_id": open_offer(pid)}
    ),
    f"GET {BASE}/{{appointment_id}}/checkin": lambda pid: _sample(
        params={"appointment_id": visit_in_two_days(pid).id}
    ),
    f"PUT {BASE}/{{appointment_id}}/checkin": lambda pid: _sample(
        params={"appointment_id": visit_in_two_days(pid).id}, body=CHECKIN_BODY
    ),
    "GET /staff/patients/{patient_id}/checkins/{appointment_id}": lambda pid: _sample(
        params={"appointment_id": checked_in_visit(pid).id}
    ),
    "POST /staff/patients/{patient_id}/checkins/{appointment_id}/items/{item_id}": lambda pid: _sample(
        params={"appointment_id": checked_in_visit(pid).id, "item_id": PENICILLIN_ITEM},
        body={"decision": "accept"},
    ),
    # staff routes (not addressed by patient id; the sample still belongs to the given patient)
    "POST /staff/visits/{visit_ref}/status": lambda pid: _sample(
        params={"visit_ref": _visit_today(pid)}, body={"status": "arrived"}
    ),
    "POST /staff/visits/{visit_ref}/undo": lambda pid: _undo_sample(*_arrived_now(pid)),
    "POST /staff/front-desk/queue/{notice_ref}/done": lambda pid: _sample(
        params={"notice_ref": _queued_notice(pid)}
    ),
    "POST /staff/appointment-requests/{request_ref}/approve": lambda pid: _sample(
        params={"request_ref": _request(pid)}
    ),
    "POST /staff/appointment-requests/{request_ref}/decline": lambda pid: _sample(
        params={"request_ref": _request(pid)}
    ),
    "GET /staff/providers/{provider_id}/availability": lambda pid: _sample(params={"provider_id": "dr-chen"}),
    "POST /staff/providers/{provider_id}/templates": lambda pid: _sample(
        params={"provider_id": "np-alvarez"}, body=template_body()
    ),
    "DELETE /staff/providers/{provider_id}/templates/{template_id}": lambda pid: _sample(
        params={"provider_id": "np-alvarez", "template_id": _stored_template("np-alvarez")}
    ),
    "POST /staff/providers/{provider_id}/blocks": lambda pid: _sample(
        params={"provider_id": "np-alvarez"},
        body={"start": "2031-02-03T12:00", "end": "2031-02-03T13:00", "label": "Lunch meeting"},
    ),
    "DELETE /staff/providers/{provider_id}/blocks/{block_id}": lambda pid: _sample(
        params={"provider_id": "np-alvarez", "block_id": _stored_block("np-alvarez")}
    ),
}
