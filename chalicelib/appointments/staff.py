"""The staff side: a provider's day/week, all providers' day, the visit's steps through the day, the
front-desk queue, approving and declining requests.

Staff book, move and cancel for a patient through the patient-addressed services (appointments/service.py)
with their own role; only what has no patient in its address lives here.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import (
    Appointment,
    DayOut,
    DayVisit,
    DecisionOut,
    ProviderDay,
    ProvidersOut,
    QueueItem,
    QueueOut,
    ScheduleDay,
    ScheduledVisit,
    ScheduleEntry,
    ScheduleOut,
    ScheduleQuery,
    VisitEvent,
    VisitEventOut,
    VisitStatus,
    VisitStep,
)
from chalicelib.core import audit, config, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger


def providers(caller: Caller) -> ProvidersOut:
    clinic = config.clinic()
    return ProvidersOut(
        time_zone=clinic.time_zone, providers=[common.provider_out(p.id) for p in clinic.providers]
    )


def visit_status(appointment: Appointment) -> VisitStatus:
    if appointment.status in ("cancelled", "declined"):
        return "cancelled"
    if appointment.status == "requested":
        return "requested"
    return appointment.visit_status or "booked"


def _visit(appointment: Appointment) -> ScheduledVisit:
    try:
        visit_name = common.visit_type(appointment.visit_type_id).name
    except errors.NotFound:
        visit_name = appointment.visit_type_id
    return ScheduledVisit(
        id=appointment.id,
        ref=f"{appointment.patient_id}.{appointment.id}",
        patient_id=appointment.patient_id,
        patient_name=appointment.patient_name,
        visit_type_id=appointment.visit_type_id,
        visit_type_name=visit_name,
        modality=appointment.modality,
        status=appointment.status,
        checkin_status=appointment.checkin_status,
        booked_by_role=appointment.booked_by_role.value,
        visit_status=visit_status(appointment),
        visit_events=[
            VisitEventOut(status=e.status, at=common.local(e.at), by_name=e.by_name)
            for e in appointment.visit_events
        ],
        version=appointment.version,
    )


def schedule(caller: Caller, query: ScheduleQuery, *, now: datetime | None = None) -> ScheduleOut:
    """A provider's day or week: slots (open, blocked) and appointments (with check-in and cancellations).

    Two Queries: the provider's slots (table) and appointments (GSI1), both by time range.
    """
    now = now or dynamo.utcnow()
    clinic = config.clinic()
    if not clinic.providers:
        raise errors.NotFound("this clinic has no providers configured")
    provider = common.provider(query.provider) if query.provider else clinic.providers[0]
    first_day = query.first_day or common.today(now)
    start = common.local_day_start(first_day)
    end = common.local_day_start(first_day + timedelta(days=query.days))
    slots = appointment_store.provider_slots(provider.id, start, end)
    appointments = appointment_store.provider_appointments(provider.id, start, end)
    shown = [a for a in appointments if a.status != "rescheduled"]
    audit.record_many(
        caller, patient_ids=(a.patient_id for a in shown), action="schedule.read", target="schedule"
    )

    entries: list[ScheduleEntry] = [
        ScheduleEntry(
            starts_at=common.local(slot.start),
            ends_at=common.local(slot.end),
            kind="open" if slot.status == "open" else "blocked",
            slot_id=slot.id,
            visit_type_id=slot.visit_type_id,
        )
        for slot in slots
        if slot.status in ("open", "blocked")
    ]
    entries += [
        ScheduleEntry(
            starts_at=common.local(a.start),
            ends_at=common.local(a.end),
            kind="appointment",
            slot_id=appointment_service.slot_id_of(a),
            visit_type_id=a.visit_type_id,
            appointment=_visit(a),
        )
        for a in shown
    ]
    days = []
    for offset in range(query.days):
        day = first_day + timedelta(days=offset)
        todays = sorted(
            (e for e in entries if e.starts_at.date() == day),
            key=lambda e: (e.starts_at, e.kind != "appointment"),
        )
        statuses = Counter(e.appointment.status for e in todays if e.appointment)
        days.append(
            ScheduleDay(
                date=day,
                entries=todays,
                booked=statuses["booked"] + statuses["requested"],
                open=sum(1 for e in todays if e.kind == "open"),
                cancelled=statuses["cancelled"] + statuses["declined"],
                checked_in=sum(
                    1 for e in todays if e.appointment and e.appointment.checkin_status == "completed"
                ),
            )
        )
    return ScheduleOut(provider=common.provider_out(provider.id), time_zone=clinic.time_zone, days=days)


# --- all providers' day ---


def day(caller: Caller, first_day: date | None, *, now: datetime | None = None) -> DayOut:
    """Every provider's visits of one clinic day, by provider and time: one Query and one batch read."""
    now = now or dynamo.utcnow()
    clinic = config.clinic()
    the_day = first_day or common.today(now)
    shown = [a for a in appointment_store.day_appointments(the_day) if a.status != "rescheduled"]
    audit.record_many(caller, patient_ids=(a.patient_id for a in shown), action="schedule.read", target="day")
    by_provider: dict[str, list[Appointment]] = {p.id: [] for p in clinic.providers}
    for appointment in shown:
        by_provider.setdefault(appointment.provider_id, []).append(appointment)
    providers_out = []
    for provider_id, visits in by_provider.items():
        try:
            provider_out = common.provider_out(provider_id)
        except errors.NotFound:  # a provider since removed from the clinic file: their visits still show
            continue
        visits.sort(key=lambda a: (a.start, a.id))
        providers_out.append(
            ProviderDay(
                provider=provider_out,
                visits=[
                    DayVisit(starts_at=common.local(a.start), ends_at=common.local(a.end), visit=_visit(a))
                    for a in visits
                ],
            )
        )
    counts = Counter(visit_status(a) for a in shown)
    return DayOut(date=the_day, time_zone=clinic.time_zone, providers=providers_out, counts=dict(counts))


# --- a visit's steps through the day ---

# From the booked visit (no step yet) to what may follow; anything else is refused with a reason.
NEXT_STEPS: dict[VisitStep | None, frozenset[VisitStep]] = {
    None: frozenset({"arrived", "no_show"}),
    "arrived": frozenset({"roomed"}),
    "roomed": frozenset({"seen"}),
    "seen": frozenset(),
    "no_show": frozenset(),
}
_SAY: dict[str, str] = {
    "booked": "booked",
    "arrived": "arrived",
    "roomed": "roomed",
    "seen": "seen",
    "no_show": "a no-show",
}


def set_visit_status(
    caller: Caller,
    visit_ref: str,
    status: VisitStep,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> ScheduledVisit:
    """Mark a booked visit's next step. Written on the version read (or the one the screen showed), so of
    two people marking the same visit at once one wins and the other gets a 409, never a lost update."""
    now = now or dynamo.utcnow()
    patient_id, appointment_id = _split(visit_ref)
    current = appointment_store.find_appointment(patient_id, appointment_id)
    if current is None or current.status == "rescheduled":
        raise errors.NotFound("visit not found")
    if version is not None and version != current.version:
        raise errors.Conflict(appointment_service.CHANGED)
    shown = visit_status(current)
    if shown in ("cancelled", "requested"):
        raise errors.Conflict(
            "this visit is {shown}; only a booked visit can be marked {step}",
            params={"shown": shown, "step": _SAY[status]},
        )
    if common.local(current.start).date() > common.today(now):
        raise errors.Conflict("this visit is on a later day; mark it on the day of the visit")
    if status not in NEXT_STEPS[current.visit_status]:
        raise errors.Conflict(
            "this visit is {shown}; it cannot be marked {step} now",
            params={"shown": _SAY[shown], "step": _SAY[status]},
        )
    changed = current.model_copy(
        update={
            "visit_status": status,
            "visit_events": [
                *current.visit_events,
                VisitEvent(status=status, at=now, by=caller.sub, by_name=caller.display_name),
            ],
            "version": current.version + 1,
        }
    )
    _commit(caller, current, changed, action=f"visit.{status}")
    logger.info("visit status changed", extra={"appointment_id": current.id, "status": status})
    return _visit(changed)


# The step before each one: undoing goes back exactly one.
_PREVIOUS: dict[VisitStep, VisitStep | None] = {
    "arrived": None,
    "no_show": None,
    "roomed": "arrived",
    "seen": "roomed",
}


def undo_visit_status(
    caller: Caller, visit_ref: str, *, version: int, now: datetime | None = None
) -> ScheduledVisit:
    """Step a visit back one status marked by mistake (arrived -> booked, no-show -> booked, seen ->
    roomed), only on the clinic day that step was marked, on the version the screen showed."""
    now = now or dynamo.utcnow()
    patient_id, appointment_id = _split(visit_ref)
    current = appointment_store.find_appointment(patient_id, appointment_id)
    if current is None or current.status == "rescheduled":
        raise errors.NotFound("visit not found")
    if version != current.version:
        raise errors.Conflict(appointment_service.CHANGED)
    shown = visit_status(current)
    if current.visit_status is None or not current.visit_events or shown in ("cancelled", "requested"):
        raise errors.Conflict(
            "this visit is {shown}; there is no step to undo", params={"shown": _SAY.get(shown, shown)}
        )
    last = current.visit_events[-1]
    if common.local(last.at).date() != common.today(now):
        raise errors.Conflict(
            "this visit was marked {shown} on an earlier day; a step can only be undone the same day",
            params={"shown": _SAY[shown]},
        )
    back = _PREVIOUS[current.visit_status]
    changed = current.model_copy(
        update={
            "visit_status": back,
            "visit_events": current.visit_events[:-1],
            "version": current.version + 1,
        }
    )
    _commit(caller, current, changed, action=f"visit.undo_{current.visit_status}")
    logger.info("visit status undone", extra={"appointment_id": current.id, "status": back or "booked"})
    return _visit(changed)


def _commit(caller: Caller, current: Appointment, changed: Appointment, *, action: str) -> None:
    """Write a visit's new step on the version read, with its audit event; of two at once, one wins."""
    entries = [
        appointment_store.replace_appointment_entry(changed, expected_version=current.version),
        # A visit under way or missed has nothing earlier left to wait for: no offer goes out for it.
        appointment_store.leave_entry(current.patient_id, current.id),
        appointment_store.audit_entry(
            audit.event(
                caller, patient_id=current.patient_id, action=action, target=f"appointment:{current.id}"
            )
        ),
    ]
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        latest = appointment_store.find_appointment(current.patient_id, current.id)
        ours = latest is not None and (latest.version, latest.visit_events) == (
            changed.version,
            changed.visit_events,
        )
        if not ours:  # someone else's change came first (not our own write, retried after a timeout)
            raise errors.Conflict(appointment_service.CHANGED) from None


# --- the front-desk queue ---


def _split(ref: str) -> tuple[str, str]:
    patient_id, _, item_id = ref.partition(".")
    return patient_id, item_id


def _queue_item(item: dict[str, Any]) -> QueueItem | None:
    """A notice as the queue shows it; one that cannot be read is left out and logged by key, so the rest
    of the queue still shows."""
    try:
        return QueueItem(
            ref=f"{item['patient_id']}.{item['id']}",
            kind=item["kind"],
            at=datetime.fromisoformat(str(item["at"])),
            patient_id=str(item["patient_id"]),
            patient_name=str(item.get("patient_name", "")),
            appointment_id=str(item["appointment_id"]),
            appointment_ref=f"{item['patient_id']}.{item['appointment_id']}",
            provider=common.provider_out(str(item["provider_id"])),
            visit_type_id=str(item["visit_type_id"]),
            starts_at=common.local(datetime.fromisoformat(str(item["start"]))),
        )
    except (KeyError, ValueError, OverflowError) as exc:  # a pydantic ValidationError is a ValueError
        dynamo.log_skipped("queue notice", item, exc)
        return None


def queue(caller: Caller, *, limit: int, cursor: str | None) -> QueueOut:
    """What patients did on their own that nobody has looked at yet, oldest first."""
    items, next_cursor = appointment_store.front_desk_queue(limit=limit, cursor=cursor)
    out = [queued for item in items if (queued := _queue_item(item)) is not None]
    audit.record_many(
        caller,
        patient_ids=(i.patient_id for i in out),
        action="schedule.read",
        target="front-desk-queue",
    )
    return QueueOut(items=out, next_cursor=next_cursor)


def acknowledge(caller: Caller, notice_ref: str, *, now: datetime | None = None) -> None:
    patient_id, notice_id = _split(notice_ref)
    if not appointment_store.acknowledge_notice(
        patient_id, notice_id, by=caller.display_name, at=now or dynamo.utcnow()
    ):
        raise errors.NotFound("queue item not found (or already done)")


# --- requests ---


def _pending(request_ref: str) -> Appointment:
    patient_id, appointment_id = _split(request_ref)
    appointment = appointment_store.find_appointment(patient_id, appointment_id)
    if appointment is None:
        raise errors.NotFound("request not found")
    if appointment.status != "requested":
        raise errors.Conflict("this request is already {status}", params={"status": appointment.status})
    return appointment


def _already(current: Appointment, intended: Appointment) -> bool:
    """Our own write, refused on an SDK retry after a timeout, has the state we meant to write."""
    latest = appointment_store.find_appointment(current.patient_id, current.id)
    return latest is not None and (latest.status, latest.version) == (intended.status, intended.version)


def _decide(
    caller: Caller, current: Appointment, decided: Appointment, slot_entry: dict[str, Any], verb: str
) -> None:
    """Write a decision on a request (the appointment, its slot, the audit event, the queue) in one
    transaction, then tell the patient. A retry of the same decision is a success."""
    entries = [
        appointment_store.replace_appointment_entry(decided, expected_version=current.version),
        slot_entry,
        appointment_store.audit_entry(
            audit.event(
                caller,
                patient_id=current.patient_id,
                action=f"appointment.{verb}",
                target=f"appointment:{current.id}",
            )
        ),
        appointment_store.drop_notice_entry(
            current.patient_id, appointment_store.request_notice_id(current.id)
        ),
    ]
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        if not _already(current, decided):
            raise errors.Conflict(appointment_service.CHANGED) from None
    logger.info(f"appointment request {verb}d", extra={"appointment_id": current.id})
    _notify_patient(current)


def approve(caller: Caller, request_ref: str, *, now: datetime | None = None) -> DecisionOut:
    now = now or dynamo.utcnow()
    current = _pending(request_ref)
    if current.start <= now:
        raise errors.Conflict("this request's time has passed; decline it and book another time")
    approved = current.model_copy(update={"status": "booked", "version": current.version + 1})
    _decide(caller, current, approved, appointment_store.confirm_slot_entry(current), "approve")
    return DecisionOut(ref=request_ref, status="booked")


def decline(caller: Caller, request_ref: str, *, now: datetime | None = None) -> DecisionOut:
    now = now or dynamo.utcnow()
    current = _pending(request_ref)
    declined = current.model_copy(
        update={
            "status": "declined",
            "cancelled_at": now,
            "cancelled_by_role": caller.role,
            "version": current.version + 1,
        }
    )
    _decide(caller, current, declined, appointment_store.free_slot_entry(current), "decline")
    if current.start > now:
        from chalicelib.appointments import waitlist as appointments_waitlist

        appointments_waitlist.offer_freed_slot(provider_id=current.provider_id, start=current.start, now=now)
    return DecisionOut(ref=request_ref, status="declined")


def _notify_patient(appointment: Appointment) -> None:
    """Tell the patient their request has an answer (the email says only: sign in to see it)."""
    from chalicelib.appointments import notices as appointments_notify

    appointments_notify.request_decided(appointment.patient_id)
