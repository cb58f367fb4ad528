"""Availability: weekly templates and blocks -> slots for a rolling window, in the clinic's time zone.

Templates are wall-clock times ("Mondays 09:00-12:00, 20-minute follow-ups"), so a Monday 09:00 slot is
09:00 local on both sides of a daylight-saving change (its UTC instant moves by an hour). A local start
that does not exist (spring forward) is skipped; one that happens twice (fall back) uses its first instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments import store as availability_store
from chalicelib.appointments.models import (
    AvailabilityChangeOut,
    AvailabilityOut,
    AvailabilityTemplate,
    Block,
    BlockIn,
    Slot,
    SyncResult,
    TemplateIn,
)
from chalicelib.core import dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import isolated, logger
from chalicelib.core.scheduling import VisitType


def _wall_clock(day: date, at: time, tz: ZoneInfo) -> datetime | None:
    """The instant a local wall-clock time names, or None if the clock skips it that day."""
    local = datetime.combine(day, at, tzinfo=tz)  # fold=0: the first of two instants when the clock repeats
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local.astimezone(UTC)


def _overlaps(start: datetime, end: datetime, blocks: Sequence[Block]) -> bool:
    return any(start < block.end and end > block.start for block in blocks)


def generate_slots(
    templates: Iterable[AvailabilityTemplate],
    blocks: Sequence[Block],
    *,
    tz: ZoneInfo,
    durations: dict[str, int],
    first_day: date,
    last_day: date,
) -> list[Slot]:
    """Pure: the slots the templates describe for local days first_day..last_day (inclusive).

    Slots inside a block come back with status "blocked". Templates of visit types the clinic no longer
    offers (unknown in `durations`) produce nothing.
    """
    slots: dict[tuple[str, datetime], Slot] = {}
    day = first_day
    while day <= last_day:
        for template in templates:
            minutes = durations.get(template.visit_type_id)
            if (
                minutes is None
                or day.weekday() not in template.weekdays
                or day < template.valid_from
                or (template.valid_until is not None and day > template.valid_until)
            ):
                continue
            cursor = datetime.combine(day, template.start_time)
            end_of_template = datetime.combine(day, template.end_time)
            step = timedelta(minutes=minutes)
            while cursor + step <= end_of_template:
                start = _wall_clock(day, cursor.time(), tz)
                if start is not None and (template.provider_id, start) not in slots:
                    end = start + step
                    slots[(template.provider_id, start)] = Slot(
                        provider_id=template.provider_id,
                        visit_type_id=template.visit_type_id,
                        start=start,
                        end=end,
                        status="blocked" if _overlaps(start, end, blocks) else "open",
                        template_id=template.id,
                    )
                cursor += step
        day += timedelta(days=1)
    return sorted(slots.values(), key=lambda slot: (slot.start, slot.provider_id))


def sync_provider(provider_id: str, *, now: datetime | None = None) -> SyncResult:
    """Bring a provider's slots for the rolling window in line with their templates and blocks.

    Idempotent and safe to run while patients book: every change to an existing slot is conditional on
    the state it saw, so a slot booked meanwhile is never reopened, withdrawn or overwritten. One sync per
    provider runs at a time (a lease), which is what lets new slots be written in batches.
    """
    now = now or dynamo.utcnow()
    if not appointment_store.acquire_sync_lease(provider_id, now=now):
        raise errors.Conflict("this provider's availability is being updated; try again in a minute")
    try:
        return _sync(provider_id, now)
    finally:
        appointment_store.release_sync_lease(provider_id)


def _sync(provider_id: str, now: datetime) -> SyncResult:
    settings = common.settings()
    first_day = common.today(now)
    last_day = first_day + timedelta(days=settings.booking_window_days)
    window_start = max(now, common.local_day_start(first_day))
    window_end = common.local_day_start(last_day + timedelta(days=1))

    templates = availability_store.list_templates(provider_id)
    blocks = availability_store.list_blocks(provider_id, ending_after=window_start)
    durations = {v.id: v.duration_minutes for v in _clinic_visit_types()}
    wanted = {
        slot.start: slot
        for slot in generate_slots(
            templates, blocks, tz=common.zone(), durations=durations, first_day=first_day, last_day=last_day
        )
        if slot.start >= window_start
    }
    slots, unreadable = appointment_store.slot_window(provider_id, window_start, window_end)
    existing = {slot.start: slot for slot in slots}

    result = SyncResult()
    missing = [
        slot
        for start, slot in wanted.items()
        if start not in existing and appointment_store.slot_key(provider_id, start)["SK"] not in unreadable
    ]
    for start, slot in existing.items():
        want = wanted.get(start)
        if slot.status in ("booked", "held"):
            if want is None or want.status == "blocked" or want.visit_type_id != slot.visit_type_id:
                result.conflicts.append(slot.id)
        elif want is None or want.visit_type_id != slot.visit_type_id:
            if appointment_store.delete_unbooked_slot(slot):
                result.withdrawn += 1
                if want is not None:  # the template now offers another visit type at this time
                    missing.append(want)
        elif slot.status == "open" and want.status == "blocked":
            result.blocked += appointment_store.set_slot_status(slot, expected="open", new="blocked")
        elif slot.status == "blocked" and want.status == "open":
            result.opened += appointment_store.set_slot_status(slot, expected="blocked", new="open")
    result.created = appointment_store.create_missing_slots(missing)
    logger.info(  # LogRecord reserves names such as "created": prefix ours
        "slots synced",
        extra={
            "provider_id": provider_id,
            **{f"slots_{name}": count for name, count in result.model_dump(exclude={"conflicts"}).items()},
            "slots_conflicts": len(result.conflicts),
        },
    )
    return result


def sync_all(*, now: datetime | None = None) -> dict[str, SyncResult]:
    """The daily roll of the window, for every provider of the clinic; one provider's failure (logged) does
    not keep the others' slots from appearing."""
    from chalicelib.core import config

    synced: dict[str, SyncResult] = {}
    for provider in config.clinic().providers:
        with isolated("slot-sync", provider_id=provider.id):
            synced[provider.id] = sync_provider(provider.id, now=now)
    return synced


def _clinic_visit_types() -> list[VisitType]:
    from chalicelib.core import config

    return list(config.clinic().visit_types)


# --- staff management ---


def get_availability(caller: Caller, provider_id: str, *, now: datetime | None = None) -> AvailabilityOut:
    common.provider(provider_id)  # 404 for unknown providers
    now = now or dynamo.utcnow()
    return AvailabilityOut(
        provider_id=provider_id,
        time_zone=common.zone().key,
        templates=sorted(
            availability_store.list_templates(provider_id), key=lambda t: (t.weekdays, t.start_time)
        ),
        blocks=sorted(availability_store.list_blocks(provider_id, ending_after=now), key=lambda b: b.start),
    )


def _days_overlap(a: AvailabilityTemplate, b: AvailabilityTemplate) -> bool:
    a_end = a.valid_until or date.max
    b_end = b.valid_until or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end and bool(set(a.weekdays) & set(b.weekdays))


def add_template(
    caller: Caller, provider_id: str, body: TemplateIn, *, now: datetime | None = None
) -> AvailabilityChangeOut:
    """Add a weekly template; refuse one that overlaps another of the same provider (a provider is in one
    place at a time, and slot keys are one per provider and start)."""
    common.provider(provider_id)
    visit = common.visit_type(body.visit_type_id)
    now = now or dynamo.utcnow()
    template = AvailabilityTemplate(
        id=dynamo.new_id("tpl-"),
        provider_id=provider_id,
        visit_type_id=visit.id,
        weekdays=sorted(body.weekdays),
        start_time=body.start_time,
        end_time=body.end_time,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        created_at=now,
    )
    for other in availability_store.list_templates(provider_id):
        if (
            _days_overlap(template, other)
            and template.start_time < other.end_time
            and other.start_time < template.end_time
        ):
            raise errors.Conflict("this overlaps another template of the same provider")
    if (datetime.combine(date.min, body.end_time) - datetime.combine(date.min, body.start_time)) < timedelta(
        minutes=visit.duration_minutes
    ):
        raise errors.BadRequest(
            "the template is shorter than one visit",
            fields={"end_time": "shorter than one visit of this type"},
        )
    availability_store.put_template(template)
    logger.info("availability template added", extra={"provider_id": provider_id, "template_id": template.id})
    return AvailabilityChangeOut(
        availability=get_availability(caller, provider_id, now=now), sync=sync_provider(provider_id, now=now)
    )


def remove_template(
    caller: Caller, provider_id: str, template_id: str, *, now: datetime | None = None
) -> AvailabilityChangeOut:
    common.provider(provider_id)
    availability_store.delete_template(provider_id, template_id)
    return AvailabilityChangeOut(
        availability=get_availability(caller, provider_id, now=now), sync=sync_provider(provider_id, now=now)
    )


def add_block(
    caller: Caller, provider_id: str, body: BlockIn, *, now: datetime | None = None
) -> AvailabilityChangeOut:
    common.provider(provider_id)
    tz = common.zone()
    start = body.start if body.start.tzinfo else body.start.replace(tzinfo=tz)
    end = body.end if body.end.tzinfo else body.end.replace(tzinfo=tz)
    block = Block(
        id=dynamo.new_id("blk-"),
        provider_id=provider_id,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        label=body.label,
    )
    availability_store.put_block(block)
    return AvailabilityChangeOut(
        availability=get_availability(caller, provider_id, now=now), sync=sync_provider(provider_id, now=now)
    )


def remove_block(
    caller: Caller, provider_id: str, block_id: str, *, now: datetime | None = None
) -> AvailabilityChangeOut:
    common.provider(provider_id)
    availability_store.delete_block(provider_id, block_id)
    return AvailabilityChangeOut(
        availability=get_availability(caller, provider_id, now=now), sync=sync_provider(provider_id, now=now)
    )
