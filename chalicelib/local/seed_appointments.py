"""The demo clinic's schedule: weekly availability for three providers, a few blocks, the next four weeks of
slots, for each demo patient some past, upcoming, cancelled and requested appointments, and today's clinic
day (every provider, visits arrived, roomed, seen, no-show, cancelled and still to come).

Written through the same services a patient or the front desk uses (so audit events, notices and slot
states are real). Idempotent: a patient who already has appointments is left as they are.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from chalicelib.appointments import availability
from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments import store as availability_store
from chalicelib.appointments.models import AvailabilityTemplate, Block, Slot, VisitStep
from chalicelib.core import config
from chalicelib.core.access import Caller
from chalicelib.core.identity import Relationship, Role

MON, TUE, WED, THU, FRI, SAT = range(6)

# provider, visit type, weekdays, start, end (clinic local time)
WEEKLY: tuple[tuple[str, str, list[int], time, time], ...] = (
    ("dr-rivera", "new-patient", [MON, TUE, WED, THU, FRI], time(8, 0), time(9, 20)),
    ("dr-rivera", "follow-up", [MON, TUE, WED, THU, FRI], time(9, 20), time(12, 0)),
    ("dr-rivera", "video-follow-up", [MON, WED, FRI], time(13, 0), time(15, 0)),
    ("dr-rivera", "annual-physical", [TUE, THU], time(13, 0), time(15, 40)),
    ("dr-chen", "well-child", [MON, TUE, WED, THU], time(8, 30), time(12, 0)),
    ("dr-chen", "follow-up", [MON, TUE, WED, THU], time(13, 0), time(16, 0)),
    ("dr-chen", "new-patient", [FRI], time(8, 30), time(11, 10)),
    ("np-alvarez", "video-follow-up", [MON, TUE, WED, THU, FRI], time(10, 0), time(12, 0)),
    ("np-alvarez", "follow-up", [MON, TUE, WED, THU, FRI], time(13, 0), time(17, 0)),
    ("np-alvarez", "follow-up", [SAT], time(9, 0), time(12, 0)),
)


def _caller(role: Role, sub: str, name: str, acts_for: dict[str, Relationship] | None = None) -> Caller:
    return Caller(
        sub=sub, username=name, role=role, display_name=name, request_id="seed", acts_for=acts_for or {}
    )


def _templates(now: datetime) -> list[AvailabilityTemplate]:
    valid_from = common.today(now) - timedelta(days=120)
    return [
        AvailabilityTemplate(
            id=f"tpl-seed-{i:02d}",  # fixed ids: a re-seed rewrites the same templates
            provider_id=provider_id,
            visit_type_id=visit_type_id,
            weekdays=weekdays,
            start_time=start,
            end_time=end,
            valid_from=valid_from,
            created_at=now,
        )
        for i, (provider_id, visit_type_id, weekdays, start, end) in enumerate(WEEKLY)
    ]


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _blocks(now: datetime) -> list[Block]:
    tz = common.zone()
    today = common.today(now)
    meeting_day = _next_weekday(today + timedelta(days=7), WED)
    closed_day = _next_weekday(today + timedelta(days=17), MON)
    blocks = [
        Block(
            id="blk-seed-meeting",
            provider_id="dr-rivera",
            start=datetime.combine(meeting_day, time(13, 0), tzinfo=tz),
            end=datetime.combine(meeting_day, time(15, 0), tzinfo=tz),
            label="Staff meeting",
        )
    ]
    for provider_id in ("dr-rivera", "dr-chen", "np-alvarez"):
        blocks.append(
            Block(
                id=f"blk-seed-closed-{provider_id}",
                provider_id=provider_id,
                start=datetime.combine(closed_day, time(0), tzinfo=tz),
                end=datetime.combine(closed_day + timedelta(days=1), time(0), tzinfo=tz),
                label="Clinic closed (training day)",
            )
        )
    return blocks


def _pick(provider_id: str, visit_type_id: str, days: int, now: datetime, *, hour: int = 9) -> Slot:
    """A free slot of the type on the first suitable day `days` from today (negative: in the past),
    nearest to `hour`. Only that slot is written here; the window sync fills in the rest afterwards."""
    templates = [
        t for t in availability_store.list_templates(provider_id) if t.visit_type_id == visit_type_id
    ]
    blocks = availability_store.list_blocks(provider_id, ending_after=now - timedelta(days=365))
    durations = {v.id: v.duration_minutes for v in config.clinic().visit_types}
    for offset in range(14):
        day = common.today(now) + timedelta(days=days + offset)
        candidates = availability.generate_slots(
            templates, blocks, tz=common.zone(), durations=durations, first_day=day, last_day=day
        )
        taken = {
            s.start
            for s in appointment_store.provider_slots(
                provider_id, common.local_day_start(day), common.local_day_start(day + timedelta(days=1))
            )
            if s.status != "open"
        }
        free = [
            c
            for c in candidates
            if c.status == "open"
            and c.start not in taken
            and (days < 0 or c.start > now + timedelta(hours=2))
        ]
        if free:
            local_minutes = lambda s: common.local(s.start).hour * 60 + common.local(s.start).minute  # noqa: E731
            chosen = min(free, key=lambda s: abs(local_minutes(s) - hour * 60))
            appointment_store.put_slots([chosen])
            return chosen
    raise RuntimeError(f"no free {visit_type_id} slot for {provider_id} near day {days}")


# patient id -> list of (provider, visit type, day offset, hour, what happens, who books)
PLAN: dict[str, list[tuple[str, str, int, int, str, str]]] = {
    "p-4f1c2a9e": [  # Alex
        ("dr-rivera", "follow-up", -45, 10, "booked", "staff"),
        ("dr-rivera", "annual-physical", -30, 13, "booked", "staff"),
        ("np-alvarez", "follow-up", -20, 14, "cancelled", "patient"),
        ("dr-rivera", "video-follow-up", 2, 13, "booked", "patient"),
        ("dr-rivera", "follow-up", 8, 10, "cancelled", "patient"),
        ("np-alvarez", "follow-up", 12, 15, "booked", "patient"),
        ("dr-rivera", "annual-physical", 20, 13, "requested", "patient"),
    ],
    "p-8b3d7e21": [  # María
        ("dr-rivera", "follow-up", -50, 11, "booked", "staff"),
        ("np-alvarez", "follow-up", -10, 9, "booked", "staff"),
        ("dr-rivera", "follow-up", 5, 9, "booked", "patient"),
        ("np-alvarez", "video-follow-up", 6, 11, "cancelled", "patient"),
    ],
    "p-2e9a61d4": [  # Riley (Alex books as caregiver)
        ("dr-chen", "well-child", -40, 9, "booked", "staff"),
        ("dr-chen", "follow-up", -15, 14, "cancelled", "staff"),
        ("dr-chen", "well-child", 9, 10, "booked", "patient"),
    ],
    "p-c5a0f613": [  # Chris, a new patient: nothing past, one cancelled first visit
        ("dr-rivera", "new-patient", 4, 8, "cancelled", "patient"),
    ],
}

# Today, in clinic time: patient, provider, visit type, local time, how far the visit has got. Its own
# slots (any weekday, the templates' or not), so the front desk always has a day to work with.
TODAY: tuple[tuple[str, str, str, time, str], ...] = (
    ("p-4f1c2a9e", "dr-rivera", "follow-up", time(8, 40), "seen"),
    ("p-8b3d7e21", "dr-rivera", "follow-up", time(9, 40), "roomed"),
    ("p-2e9a61d4", "dr-chen", "well-child", time(9, 0), "arrived"),
    ("p-8b3d7e21", "dr-chen", "follow-up", time(10, 20), "booked"),
    ("p-2e9a61d4", "dr-chen", "follow-up", time(13, 20), "no_show"),
    ("p-4f1c2a9e", "np-alvarez", "follow-up", time(14, 0), "booked"),
    ("p-c5a0f613", "np-alvarez", "new-patient", time(15, 0), "cancelled"),  # Chris stays a new patient
)
STEPS: dict[str, tuple[VisitStep, ...]] = {
    "booked": (),
    "arrived": ("arrived",),
    "roomed": ("arrived", "roomed"),
    "seen": ("arrived", "roomed", "seen"),
    "no_show": ("no_show",),
}


def seed_today(desk: Caller, now: datetime) -> int:
    """Today's visits for every provider, at their steps if they have started by `now` (booked if not);
    none if the day already has visits."""
    from chalicelib.appointments import staff as appointment_staff

    today = common.today(now)
    if appointment_store.day_appointments(today):
        return 0
    durations = {v.id: v.duration_minutes for v in config.clinic().visit_types}
    booked_at = common.local_day_start(today) - timedelta(days=1)
    count = 0
    for patient_id, provider_id, visit_type_id, at, outcome in TODAY:
        start = datetime.combine(today, at, tzinfo=common.zone())
        slot = Slot(
            provider_id=provider_id,
            visit_type_id=visit_type_id,
            start=start,
            end=start + timedelta(minutes=durations[visit_type_id]),
        )
        appointment_store.put_slots([slot])  # kept as it is if the templates made it already
        taken = appointment_store.get_slot(provider_id, start)
        if taken is None or taken.status != "open":
            continue
        visit = appointment_service.book(desk, patient_id, taken.id, now=booked_at).appointment
        if outcome == "cancelled":
            appointment_service.cancel(desk, patient_id, visit.id, now=booked_at)
        # Only a visit whose time has come has got anywhere: before the clinic's morning the day is
        # all still booked, and a visit "seen" hours before it starts would be nonsense.
        for step in STEPS.get(outcome, ()) if start <= now else ():
            appointment_staff.set_visit_status(desk, f"{patient_id}.{visit.id}", step, now=now)
        count += 1
    return count


# Who acts for each patient when the plan says "patient".
BOOKED_BY: dict[str, tuple[str, Relationship]] = {
    "p-4f1c2a9e": ("alex", "self"),
    "p-8b3d7e21": ("maria", "self"),
    "p-2e9a61d4": ("alex", "caregiver"),
    "p-c5a0f613": ("newpatient", "self"),
}


def seed(subs: dict[str, str], now: datetime) -> dict[str, Any]:
    """Availability for every provider, slots for the window, and the demo patients' appointments."""
    for template in _templates(now):
        availability_store.put_template(template)
    for block in _blocks(now):
        availability_store.put_block(block)

    desk = _caller(Role.FRONT_DESK, subs["frontdesk"], "Sam Lee")
    booked = 0
    for patient_id, plan in PLAN.items():
        existing, _ = appointment_store.list_appointments(
            patient_id, upcoming=False, now=now + timedelta(days=60), limit=1, cursor=None
        )
        if existing:
            continue
        username, relationship = BOOKED_BY[patient_id]
        patient = _caller(Role.PATIENT, subs[username], username, {patient_id: relationship})
        # Oldest first, so "established" rules see the earlier visits, as they would have in real life.
        for provider_id, visit_type_id, days, hour, outcome, by in sorted(plan, key=lambda p: p[2]):
            slot = _pick(provider_id, visit_type_id, days, now, hour=hour)
            when = slot.start - timedelta(days=3) if days < 0 else now
            who = desk if by == "staff" or days < 0 else patient
            result = appointment_service.book(who, patient_id, slot.id, now=when).appointment
            if outcome == "cancelled":
                appointment_service.cancel(
                    who, patient_id, result.id, now=min(when, slot.start - timedelta(days=2))
                )
            booked += 1
    booked += seed_today(desk, now)
    # The window's other slots last: bookings above then run against a small table (moto copies the whole
    # table for every transaction, so this order keeps `make run` quick; DynamoDB would not care).
    synced = {p.id: availability.sync_provider(p.id, now=now) for p in config.clinic().providers}
    return {"slots_created": sum(s.created for s in synced.values()), "appointments": booked}
