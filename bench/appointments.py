"""Appointments for `make bench`: search, book, list and a provider's day; filler visits for the schedule.

Each filler patient had one past visit with Dr. Rivera (28 a day, going back about a year), so her
schedule's index partition grows with the clinic while any one day stays a day's worth.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.routes import Probe

PROVIDER = "dr-rivera"


def booking(pid: str, patient: dict[str, str]) -> Probe:
    """Book a real open slot two to nine days out."""
    from chalicelib.appointments import store as appointment_store

    now = datetime.now(UTC)
    slots, _ = appointment_store.open_slots(
        "follow-up", now + timedelta(days=2), now + timedelta(days=9), provider_id=None, cursor=None
    )
    return Probe(
        "POST",
        f"/patients/{pid}/appointments",
        "patient",
        patient,
        "/patients/{pid}/appointments",
        body={"slot_id": slots[0].id},
    )


def reads(pid: str, patient: dict[str, str], staff: dict[str, str]) -> list[Probe]:
    return [
        Probe(
            "GET",
            f"/patients/{pid}/slots?visit_type=follow-up&days=7",
            "patient",
            patient,
            "/patients/{pid}/slots?visit_type=follow-up&days=7",
        ),
        Probe(
            "GET",
            f"/patients/{pid}/appointments?when=upcoming",
            "patient",
            patient,
            "/patients/{pid}/appointments?when=upcoming",
        ),
        Probe(
            "GET",
            f"/staff/schedule?provider={PROVIDER}&days=1",
            "staff",
            staff,
            f"/staff/schedule?provider={PROVIDER}&days=1",
        ),
    ]


def filler_items(n: int, pid: str, name: str, now: datetime) -> list[dict[str, Any]]:
    from chalicelib.appointments import store as appointment_store
    from chalicelib.appointments.models import Appointment

    day = now.replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=1 + n // 28)
    start = day + timedelta(minutes=20 * (n % 28))
    visit = Appointment(
        id=f"apt-bench{n:05d}",
        patient_id=pid,
        patient_name=name,
        provider_id=PROVIDER,
        visit_type_id="follow-up",
        modality="in_person",
        start=start,
        end=start + timedelta(minutes=20),
        status="booked",
        booked_at=start - timedelta(days=14),
        booked_by_role="patient",
    )
    return [appointment_store.appointment_item(visit)]
