"""A patient's appointments: find a time, book, cancel, reschedule, list, add to calendar.

Booking is one DynamoDB transaction (slot condition + appointment + audit [+ front-desk notice]), so exactly
one of any number of simultaneous attempts on a slot wins; the others get a Conflict and nothing changes.
Staff booking for a patient use the same paths, without the online eligibility rules and cutoffs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments import store as waitlist_store
from chalicelib.appointments.models import (
    Appointment,
    AppointmentOut,
    AppointmentPage,
    BookingOptionsOut,
    CheckinInfo,
    JoinInfo,
    Slot,
    SlotOut,
    SlotPage,
    SlotSearchQuery,
    parse_slot_id,
    slot_id,
)
from chalicelib.core import audit, config, dynamo, errors, i18n
from chalicelib.core.access import Caller, caller_locale
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.core.scheduling import VisitType
from chalicelib.patients import profiles as patient_profiles
from chalicelib.patients.models import PatientProfile

TAKEN = "this time has just been taken; please choose another"
CHANGED = "this appointment was changed by someone else; reload it and try again"


# --- who may book what ---


@dataclass
class _Patient:
    """Facts about a patient the eligibility rules need, read at most once per request."""

    patient_id: str
    now: datetime
    _profile: PatientProfile | None = field(default=None, init=False)

    @property
    def profile(self) -> PatientProfile:
        if self._profile is None:
            self._profile = patient_profiles.profile_of(self.patient_id)
        return self._profile

    @cached_property
    def established(self) -> bool:
        return appointment_store.has_past_visit(self.patient_id, self.now)

    def age_on(self, day: date) -> int:
        born = self.profile.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _why_not_bookable(visit: VisitType, patient: _Patient, locale: i18n.Locale) -> str | None:
    """None if the patient may book (or request) this visit type online, else the reason in plain words."""
    if visit.booking == "call":
        phone = config.clinic().phone_display
        return i18n.text("please call the clinic at {phone} to book this visit", locale, phone=phone)
    rules = visit.eligibility
    if rules.established_only and not patient.established:
        return i18n.text(
            "this visit is for patients who have been seen here before; please book a new patient visit",
            locale,
        )
    if rules.new_patients_only and patient.established:
        return i18n.text("this visit is for new patients; please book a follow-up visit instead", locale)
    if rules.min_age_years is not None or rules.max_age_years is not None:
        age = patient.age_on(common.today(patient.now))
        if rules.min_age_years is not None and age < rules.min_age_years:
            return i18n.text(
                "this visit is for patients aged {age} and over", locale, age=rules.min_age_years
            )
        if rules.max_age_years is not None and age > rules.max_age_years:
            return i18n.text(
                "this visit is for patients aged {age} and under", locale, age=rules.max_age_years
            )
    return None


def _require_bookable(caller: Caller, visit: VisitType, patient: _Patient) -> None:
    if caller.is_staff:
        return  # staff decide for the patient; the online rules are for self-service
    reason = _why_not_bookable(visit, patient, caller_locale(caller))
    if reason:
        raise errors.Forbidden(reason, fields={"visit_type": reason})


def booking_options(caller: Caller, patient_id: str, *, now: datetime | None = None) -> BookingOptionsOut:
    """Every visit type with whether this patient may book it online (and why not), and the providers.
    Worded in the language on screen (Accept-Language), as the page around it is, not the saved one."""
    patient = _Patient(patient_id, now or dynamo.utcnow())
    clinic = config.clinic()
    locale = caller_locale(None)
    visit_types = []
    for visit in clinic.visit_types:
        reason = None if caller.is_staff else _why_not_bookable(visit, patient, locale)
        visit_types.append(
            common.visit_type_out(visit, can_book=reason is None, reason=reason, locale=locale)
        )
    return BookingOptionsOut(
        language=locale,
        time_zone=clinic.time_zone,
        clinic_phone=clinic.phone,
        visit_types=visit_types,
        providers=[common.provider_out(p.id) for p in clinic.providers],
    )


# --- find a time ---


def _not_before(caller: Caller, now: datetime) -> datetime:
    """The earliest start one may still book: staff up to now, patients with the clinic's notice."""
    if caller.is_staff:
        return now
    return now + timedelta(minutes=common.settings().min_notice_minutes)


def _first_bookable(caller: Caller, patient: _Patient) -> VisitType:
    visit_types = config.clinic().visit_types
    for visit in visit_types:
        if caller.is_staff or _why_not_bookable(visit, patient, i18n.DEFAULT_LOCALE) is None:
            return visit
    raise errors.Forbidden(
        "no visit can be booked online for this patient; please call the clinic at {phone}",
        params={"phone": config.clinic().phone_display},
    )


def slot_out(slot: Slot) -> SlotOut:
    return SlotOut(
        id=slot.id,
        provider=common.provider_out(slot.provider_id),
        visit_type_id=slot.visit_type_id,
        starts_at=common.local(slot.start),
        ends_at=common.local(slot.end),
        modality=common.visit_type(slot.visit_type_id).modality,
    )


def search_slots(
    caller: Caller, patient_id: str, query: SlotSearchQuery, *, now: datetime | None = None
) -> SlotPage:
    """Open times of one visit type over `days` clinic days from `date`: one Query on the sparse index."""
    now = now or dynamo.utcnow()
    patient = _Patient(patient_id, now)
    visit = common.visit_type(query.visit_type) if query.visit_type else _first_bookable(caller, patient)
    if query.provider:
        common.provider(query.provider)
    _require_bookable(caller, visit, patient)
    first_day = query.first_day or common.today(now)
    window_end = common.local_day_start(
        common.today(now) + timedelta(days=common.settings().booking_window_days + 1)
    )
    start = max(common.local_day_start(first_day), _not_before(caller, now))
    end = min(common.local_day_start(first_day + timedelta(days=query.days)), window_end)
    slots: list[Slot] = []
    cursor = None
    if start < end:
        slots, cursor = appointment_store.open_slots(
            visit.id, start, end, provider_id=query.provider, cursor=query.cursor
        )
    return SlotPage(
        time_zone=common.zone().key,
        visit_type_id=visit.id,
        items=[slot_out(slot) for slot in slots],
        next_cursor=cursor,
    )


# --- one appointment as the browser sees it ---


def appointment_out(appointment: Appointment, *, now: datetime) -> AppointmentOut:
    settings = common.settings()
    try:
        visit = common.visit_type(appointment.visit_type_id)
        visit_out = common.visit_type_out(visit, locale=caller_locale(None))
    except errors.NotFound:
        visit, visit_out = None, None
    deadline = common.cancel_deadline(appointment)
    changeable = appointment.is_active and now < deadline
    join = None
    if appointment.modality == "video" and appointment.status == "booked":
        # The video visit's join window (video.py enforces the same one).
        opens = appointment.start - timedelta(minutes=settings.video.join_before_minutes)
        closes = appointment.start + timedelta(minutes=settings.video.join_after_minutes)
        join = JoinInfo(
            opens_at=common.local(opens),
            closes_at=common.local(closes),
            available_now=opens <= now < closes,
        )
    checkin = None
    if appointment.is_active:
        opens = appointment.start - timedelta(days=settings.checkin_opens_days)
        checkin = CheckinInfo(
            status=appointment.checkin_status,
            opens_at=common.local(opens),
            available_now=opens <= now < appointment.start and appointment.status == "booked",
        )
    return AppointmentOut(
        id=appointment.id,
        patient_id=appointment.patient_id,
        provider=common.provider_out(appointment.provider_id),
        visit_type=visit_out,
        starts_at=common.local(appointment.start),
        ends_at=common.local(appointment.end),
        time_zone=common.zone().key,
        modality=appointment.modality,
        status=appointment.status,
        cancel_deadline=common.local(deadline),
        can_cancel=changeable,
        can_reschedule=changeable and visit is not None and visit.booking != "call",
        rescheduled_from=appointment.rescheduled_from,
        rescheduled_to=appointment.rescheduled_to,
        join=join,
        checkin=checkin,
    )


def load(patient_id: str, appointment_id: str) -> Appointment:
    appointment = appointment_store.find_appointment(patient_id, appointment_id)
    if appointment is None:
        raise errors.NotFound("appointment not found")
    return appointment


def is_upcoming(appointment: Appointment, now: datetime) -> bool:
    """Still to come for the patient. A visit under way stays upcoming until it ends (a video visit can
    still be joined), but one the clinic marked seen or no-show is over, whatever its booked time."""
    return appointment.end > now and appointment.visit_status not in ("seen", "no_show")


def get_appointment(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> AppointmentOut:
    appointment = load(patient_id, appointment_id)
    audit.record(
        caller, patient_id=patient_id, action="appointment.read", target=f"appointment:{appointment_id}"
    )
    return appointment_out(appointment, now=now or dynamo.utcnow())


def list_appointments(
    caller: Caller,
    patient_id: str,
    *,
    upcoming: bool,
    limit: int,
    cursor: str | None,
    now: datetime | None = None,
) -> AppointmentPage:
    now = now or dynamo.utcnow()
    items, next_cursor = appointment_store.list_appointments(
        patient_id, upcoming=upcoming, now=now, limit=limit, cursor=cursor
    )
    items = [a for a in items if is_upcoming(a, now) == upcoming]
    audit.record(
        caller, patient_id=patient_id, action="appointment.list", target="upcoming" if upcoming else "past"
    )
    return AppointmentPage(items=[appointment_out(a, now=now) for a in items], next_cursor=next_cursor)


def upcoming_of(patient_id: str, *, now: datetime, limit: int) -> list[AppointmentOut]:
    """The next few active appointments, soonest first (for another feature's audited read): one Query."""
    items, _ = appointment_store.list_appointments(
        patient_id, upcoming=True, now=now, limit=limit, cursor=None
    )
    return [appointment_out(a, now=now) for a in items if is_upcoming(a, now) and a.is_active]


# --- book ---


def _slot_for_booking(slot_ref: str) -> Slot:
    provider_id, start = parse_slot_id(slot_ref)  # the input model already checked the shape
    try:
        common.provider(provider_id)
    except errors.NotFound:
        raise errors.NotFound("that time slot does not exist") from None
    slot = appointment_store.get_slot(provider_id, start)
    if slot is None:
        raise errors.NotFound("that time slot does not exist")
    return slot


def _refuse_unavailable(slot: Slot, *, not_before: datetime, now: datetime) -> None:
    if slot.status == "blocked":
        raise errors.Conflict("the provider is not available at that time; please choose another")
    if slot.status != "open":
        raise errors.Conflict(TAKEN)
    if slot.start < now:
        raise errors.Conflict("that time has already passed; please choose another")
    if slot.start < not_before:
        raise errors.Conflict(
            "that time is too soon to book online; please call the clinic at {phone}",
            params={"phone": config.clinic().phone_display},
        )


def _replay(slot: Slot, patient_id: str) -> Appointment | None:
    """A retried booking of a slot this patient already holds returns that appointment (idempotent)."""
    if slot.patient_id != patient_id or not slot.appointment_id:
        return None
    existing = appointment_store.find_appointment(patient_id, slot.appointment_id)
    return existing if existing is not None and existing.is_active else None


@dataclass(frozen=True)
class Booked:
    appointment: AppointmentOut
    created: bool


def book(caller: Caller, patient_id: str, slot_ref: str, *, now: datetime | None = None) -> Booked:
    now = now or dynamo.utcnow()
    slot = _slot_for_booking(slot_ref)
    if slot.status in ("booked", "held") and (existing := _replay(slot, patient_id)):
        return Booked(appointment_out(existing, now=now), created=False)
    not_before = _not_before(caller, now)
    _refuse_unavailable(slot, not_before=not_before, now=now)
    visit = common.visit_type(slot.visit_type_id)
    patient = _Patient(patient_id, now)
    _require_bookable(caller, visit, patient)

    by_patient = caller.role is Role.PATIENT
    requested = by_patient and visit.booking == "request"
    appointment = Appointment(
        id=dynamo.new_id("apt-"),
        patient_id=patient_id,
        patient_name=patient.profile.display_name,
        provider_id=slot.provider_id,
        visit_type_id=visit.id,
        modality=visit.modality,
        start=slot.start,
        end=slot.end,
        status="requested" if requested else "booked",
        booked_at=now,
        booked_by_role=caller.role,
    )
    action = "appointment.request" if requested else "appointment.book"
    entries = [
        appointment_store.take_slot_entry(
            slot,
            appointment_id=appointment.id,
            patient_id=patient_id,
            status="held" if requested else "booked",
            not_before=not_before,
        ),
        appointment_store.new_appointment_entry(appointment),
        appointment_store.day_entry(appointment, day=common.local(appointment.start).date()),
        appointment_store.audit_entry(
            audit.event(caller, patient_id=patient_id, action=action, target=f"appointment:{appointment.id}")
        ),
    ]
    if by_patient:  # staff see what patients do on their own (front-desk queue)
        entries.append(
            appointment_store.notice_entry(
                kind="requested" if requested else "booked", appointment=appointment, at=now
            )
        )
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        latest = appointment_store.get_slot(slot.provider_id, slot.start)
        if latest is not None and (existing := _replay(latest, patient_id)):
            return Booked(appointment_out(existing, now=now), created=False)
        raise errors.Conflict(TAKEN) from None
    logger.info(
        "appointment booked",
        extra={"patient_id": patient_id, "appointment_id": appointment.id, "status": appointment.status},
    )
    _tell_patient(patient_id)
    return Booked(appointment_out(appointment, now=now), created=True)


# --- cancel and reschedule ---


def _require_changeable(caller: Caller, appointment: Appointment, now: datetime) -> None:
    if not appointment.is_active:
        raise errors.Conflict("this appointment is already {status}", params={"status": appointment.status})
    if appointment.visit_status is not None:  # the patient is here (or was marked a no-show)
        marked = appointment.visit_status.replace("_", "-")
        raise errors.Conflict("this visit is already marked {status}", params={"status": marked})
    if appointment.start <= now:
        raise errors.Conflict("this appointment has already started")
    if caller.is_staff:
        return
    deadline = common.cancel_deadline(appointment)
    if now >= deadline:
        when = common.local(deadline).strftime("%b %d at %I:%M %p").replace(" 0", " ")
        raise errors.Conflict(
            "online changes closed on {when}; please call the clinic at {phone}",
            params={"when": when, "phone": config.clinic().phone_display},
        )


def _tell_patient(patient_id: str) -> None:
    """The confirmation email after a committed booking, move or cancellation (best effort, no PHI)."""
    from chalicelib.appointments import notices as appointments_notices

    appointments_notices.appointment_changed(patient_id)


def _after_slot_freed(appointment: Appointment, *, now: datetime) -> None:
    """Hook for the waitlist: a freed slot is offered to patients waiting for an earlier time."""
    from chalicelib.appointments import waitlist as appointments_waitlist

    appointments_waitlist.offer_freed_slot(
        provider_id=appointment.provider_id, start=appointment.start, now=now
    )


def end_video_meeting(appointment: Appointment) -> None:
    """A cancelled or moved video visit's meeting ends at once (the moved one gets a meeting of its own)."""
    if appointment.meeting_id is None:
        return
    from chalicelib.appointments import video as appointments_video

    appointments_video.end_meeting_quietly(appointment)


def cancel(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> AppointmentOut:
    now = now or dynamo.utcnow()
    current = load(patient_id, appointment_id)
    _require_changeable(caller, current, now)
    cancelled = current.model_copy(
        update={
            "status": "cancelled",
            "cancelled_at": now,
            "cancelled_by_role": caller.role,
            "version": current.version + 1,
        }
    )
    entries = [
        appointment_store.replace_appointment_entry(cancelled, expected_version=current.version),
        appointment_store.free_slot_entry(current),
        appointment_store.audit_entry(
            audit.event(
                caller, patient_id=patient_id, action="appointment.cancel", target=f"appointment:{current.id}"
            )
        ),
    ]
    if caller.role is Role.PATIENT:
        entries.append(appointment_store.notice_entry(kind="cancelled", appointment=cancelled, at=now))
    entries.append(waitlist_store.leave_entry(patient_id, current.id))  # nothing left to wait for
    if current.status == "requested":  # a withdrawn request leaves the staff queue
        entries.append(
            appointment_store.drop_notice_entry(patient_id, appointment_store.request_notice_id(current.id))
        )
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        latest = appointment_store.find_appointment(patient_id, current.id)
        if latest is None or latest.version != cancelled.version or latest.status != "cancelled":
            raise errors.Conflict(CHANGED) from None  # (same version and status: our own retried write)
    logger.info("appointment cancelled", extra={"patient_id": patient_id, "appointment_id": current.id})
    _after_slot_freed(current, now=now)
    end_video_meeting(cancelled)
    _tell_patient(patient_id)
    return appointment_out(cancelled, now=now)


def reschedule(
    caller: Caller, patient_id: str, appointment_id: str, slot_ref: str, *, now: datetime | None = None
) -> AppointmentOut:
    """Move to another slot of the same visit type: the new slot taken and the old freed in one
    transaction, or nothing changes."""
    now = now or dynamo.utcnow()
    current = load(patient_id, appointment_id)
    _require_changeable(caller, current, now)
    target = _slot_for_booking(slot_ref)
    if (target.provider_id, target.start) == (current.provider_id, current.start):
        raise errors.BadRequest("that is the time you already have", fields={"slot_id": "the current time"})
    if target.visit_type_id != current.visit_type_id:
        raise errors.BadRequest(
            "choose a time for the same kind of visit", fields={"slot_id": "a different visit type"}
        )
    not_before = _not_before(caller, now)
    _refuse_unavailable(target, not_before=not_before, now=now)
    moved = move_entries(
        caller, current, target, not_before=not_before, now=now, action="appointment.reschedule"
    )
    _after_slot_freed(current, now=now)
    end_video_meeting(current)
    _tell_patient(patient_id)
    return appointment_out(moved, now=now)


def move_entries(
    caller: Caller,
    current: Appointment,
    target: Slot,
    *,
    not_before: datetime,
    now: datetime,
    action: str,
    extra: list[dict[str, object]] | None = None,
) -> Appointment:
    """Take `target`, free the current slot, supersede the appointment: one transaction. Raises Conflict."""
    visit = common.visit_type(current.visit_type_id)
    requested = caller.role is Role.PATIENT and visit.booking == "request"
    moved = current.model_copy(
        update={
            "id": dynamo.new_id("apt-"),
            "provider_id": target.provider_id,
            "start": target.start,
            "end": target.end,
            "status": "requested" if requested else "booked",
            "rescheduled_from": current.id,
            "rescheduled_to": None,
            "booked_at": now,
            "booked_by_role": caller.role,
            "meeting_id": None,
            "meeting_provider": None,
            "meeting_ended_at": None,
            "patient_waiting_at": None,
            "clinician_joined_at": None,
            "admitted_at": None,
            "checkin_status": current.checkin_status,
            "reminder_sent_at": None,
            "version": 1,
        }
    )
    superseded = current.model_copy(
        update={"status": "rescheduled", "rescheduled_to": moved.id, "version": current.version + 1}
    )
    entries: list[dict[str, object]] = [
        appointment_store.take_slot_entry(
            target,
            appointment_id=moved.id,
            patient_id=current.patient_id,
            status="held" if requested else "booked",
            not_before=not_before,
        ),
        appointment_store.free_slot_entry(current),
        appointment_store.replace_appointment_entry(superseded, expected_version=current.version),
        appointment_store.new_appointment_entry(moved),
        appointment_store.day_entry(moved, day=common.local(moved.start).date()),
        appointment_store.audit_entry(
            audit.event(
                caller, patient_id=current.patient_id, action=action, target=f"appointment:{moved.id}"
            )
        ),
    ]
    if caller.role is Role.PATIENT:
        entries.append(
            appointment_store.notice_entry(
                kind="requested" if requested else "rescheduled", appointment=moved, at=now
            )
        )
    # The old appointment no longer waits for an earlier time (the moved one may join again).
    entries.append(waitlist_store.leave_entry(current.patient_id, current.id))
    if current.status == "requested":
        entries.append(
            appointment_store.drop_notice_entry(
                current.patient_id, appointment_store.request_notice_id(current.id)
            )
        )
    entries += extra or []
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused as refused:
        # A retry of our own committed write (a timeout, then the SDK tried again) is refused too: if the
        # moved appointment exists, it was us, and the move stands.
        if appointment_store.find_appointment(current.patient_id, moved.id) is None:
            raise errors.Conflict(TAKEN if 0 in refused.failed else CHANGED) from None
    logger.info(
        "appointment moved",
        extra={"patient_id": current.patient_id, "from": current.id, "to": moved.id, "via": action},
    )
    return moved


# --- add to calendar ---


def calendar_file(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> str:
    from chalicelib.appointments import ics as appointments_ics

    appointment = load(patient_id, appointment_id)
    audit.record(
        caller, patient_id=patient_id, action="appointment.calendar", target=f"appointment:{appointment_id}"
    )
    from chalicelib.core import i18n
    from chalicelib.patients import profiles as patient_profiles

    locale = i18n.locale_of(patient_profiles.profile_of(patient_id).preferred_language)
    return appointments_ics.render(appointment, now=now or dynamo.utcnow(), locale=locale)


def slot_id_of(appointment: Appointment) -> str:
    return slot_id(appointment.provider_id, appointment.start)


def visits_between(patient_id: str, start: datetime, end: datetime) -> list[tuple[datetime, str | None]]:
    """When the patient had (or has booked) a visit in [start, end], each with its provider's care-team
    pool: the treatment relationships the privacy report looks for. Cancelled, declined and superseded
    appointments are not visits. The report that asks records its own audit events."""
    visits: list[tuple[datetime, str | None]] = []
    for appointment in appointment_store.appointments_between(patient_id, start, end):
        if appointment.status not in ("requested", "booked"):
            continue
        try:
            pool: str | None = common.provider(appointment.provider_id).care_team_pool
        except errors.NotFound:
            pool = None
        visits.append((appointment.start, pool))
    return visits
