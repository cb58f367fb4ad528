"""Slot generation from weekly templates: wall-clock times in the clinic's zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from chalicelib.appointments.availability import generate_slots
from chalicelib.appointments.models import AvailabilityTemplate, Block, parse_slot_id, slot_id

CHICAGO = ZoneInfo("America/Chicago")


def template(**overrides: object) -> AvailabilityTemplate:
    data: dict[str, object] = {
        "id": "tpl-1",
        "provider_id": "dr-rivera",
        "visit_type_id": "follow-up",
        "weekdays": [0],  # Mondays
        "start_time": time(9, 0),
        "end_time": time(10, 0),
        "valid_from": date(2026, 1, 1),
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        **overrides,
    }
    return AvailabilityTemplate.model_validate(data)


def test_weekly_template_keeps_local_times_across_spring_forward_and_fall_back() -> None:
    # US DST 2026: clocks spring forward on Sunday 8 March and fall back on Sunday 1 November.
    spring = generate_slots(
        [template()],
        [],
        tz=CHICAGO,
        durations={"follow-up": 20},
        first_day=date(2026, 3, 2),
        last_day=date(2026, 3, 9),
    )
    fall = generate_slots(
        [template()],
        [],
        tz=CHICAGO,
        durations={"follow-up": 20},
        first_day=date(2026, 10, 26),
        last_day=date(2026, 11, 2),
    )

    for slots, before_utc, after_utc in ((spring, 15, 14), (fall, 14, 15)):
        local_times = [s.start.astimezone(CHICAGO).strftime("%a %H:%M") for s in slots]
        assert local_times == ["Mon 09:00", "Mon 09:20", "Mon 09:40"] * 2
        assert [s.start.hour for s in slots] == [before_utc] * 3 + [after_utc] * 3
        assert all((s.end - s.start).total_seconds() == 20 * 60 for s in slots)
    # Monday 2 March is CST (UTC-6), Monday 9 March CDT (UTC-5): 09:00 local is 15:00Z then 14:00Z.
    assert spring[0].start == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert spring[3].start == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert fall[3].start == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def test_local_times_the_clock_skips_are_left_out_and_repeated_ones_used_once() -> None:
    overnight = template(weekdays=[6], start_time=time(1, 0), end_time=time(3, 0))  # Sundays 01:00-03:00

    spring = generate_slots(
        [overnight],
        [],
        tz=CHICAGO,
        durations={"follow-up": 30},
        first_day=date(2026, 3, 8),
        last_day=date(2026, 3, 8),
    )
    fall = generate_slots(
        [overnight],
        [],
        tz=CHICAGO,
        durations={"follow-up": 30},
        first_day=date(2026, 11, 1),
        last_day=date(2026, 11, 1),
    )

    # 02:00-02:59 does not exist on 8 March.
    assert [s.start.astimezone(CHICAGO).strftime("%H:%M") for s in spring] == ["01:00", "01:30"]
    # 01:00-01:59 happens twice on 1 November; each wall-clock start is offered once (the first instant).
    assert [s.start.astimezone(CHICAGO).strftime("%H:%M") for s in fall] == [
        "01:00",
        "01:30",
        "02:00",
        "02:30",
    ]
    assert len({s.start for s in fall}) == 4


def test_date_ranges_weekdays_and_blocks() -> None:
    tpl = template(weekdays=[0, 2], valid_from=date(2026, 4, 8), valid_until=date(2026, 4, 15))
    lunch_meeting = Block(
        id="blk-1",
        provider_id="dr-rivera",
        start=datetime(2026, 4, 13, 9, 20, tzinfo=CHICAGO).astimezone(UTC),
        end=datetime(2026, 4, 13, 9, 30, tzinfo=CHICAGO).astimezone(UTC),
        label="Meeting",
    )

    slots = generate_slots(
        [tpl],
        [lunch_meeting],
        tz=CHICAGO,
        durations={"follow-up": 20},
        first_day=date(2026, 4, 1),
        last_day=date(2026, 4, 30),
    )

    days = sorted({s.start.astimezone(CHICAGO).date().isoformat() for s in slots})
    assert days == ["2026-04-08", "2026-04-13", "2026-04-15"]  # Wed, Mon, Wed inside the range
    blocked = [s.start.astimezone(CHICAGO).strftime("%d %H:%M") for s in slots if s.status == "blocked"]
    assert blocked == ["13 09:20"]  # only the slot overlapping the block


def test_unknown_visit_types_produce_nothing_and_last_partial_slot_is_dropped() -> None:
    assert (
        generate_slots(
            [template(visit_type_id="gone")],
            [],
            tz=CHICAGO,
            durations={"follow-up": 20},
            first_day=date(2026, 3, 2),
            last_day=date(2026, 3, 2),
        )
        == []
    )
    slots = generate_slots(
        [template(end_time=time(10, 30))],
        [],
        tz=CHICAGO,
        durations={"follow-up": 40},
        first_day=date(2026, 3, 2),
        last_day=date(2026, 3, 2),
    )
    assert [s.start.astimezone(CHICAGO).strftime("%H:%M") for s in slots] == ["09:00", "09:40"]


def test_slot_ids_round_trip_and_refuse_bad_dates() -> None:
    start = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert parse_slot_id(slot_id("dr-rivera", start)) == ("dr-rivera", start)
    for bad in ("dr-rivera.20261345T9999Z", "dr-rivera", "DR.20260309T1400Z", "x.20260309T1400Z"):
        try:
            parse_slot_id(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
