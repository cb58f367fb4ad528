"""Helpers for the appointments unit tests: slots at known times, a fixed clock, staff and patients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import Slot

# A Monday morning in the clinic's zone (America/Chicago); tests pass it as `now`.
NOW = datetime(2026, 4, 6, 8, 0, tzinfo=common.zone()).astimezone(UTC)

DURATIONS = {
    "new-patient": 40,
    "follow-up": 20,
    "video-follow-up": 20,
    "annual-physical": 40,
    "well-child": 30,
}


def make_slot(
    *,
    days: float = 3,
    hour: int = 10,
    minute: int = 0,
    provider_id: str = "dr-rivera",
    visit_type_id: str = "new-patient",
    status: str = "open",
) -> Slot:
    """Create a slot `days` after NOW's day, at hour:minute clinic time."""
    local_now = common.local(NOW)
    start_local = (local_now + timedelta(days=days)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )
    start = start_local.astimezone(UTC)
    slot = Slot(
        provider_id=provider_id,
        visit_type_id=visit_type_id,
        start=start,
        end=start + timedelta(minutes=DURATIONS.get(visit_type_id, 20)),
        status=status,
    )
    assert appointment_store.put_slots([slot]) == 1
    return slot
