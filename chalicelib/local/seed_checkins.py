"""Demo eCheck-in for the staff review: María checked in for a visit today (or the next clinic day).

Her answers hold one of each thing the review handles: a new allergy, a changed medication dose and a
new insurance card, beside what the records and billing seeds put on file. Runs after those seeds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.appointments import checkin
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import CheckinIn
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.local.seed_appointments import _pick

MARIA = "p-8b3d7e21"

ANSWERS: dict[str, Any] = {
    "demographics_confirmed": True,
    "insurance": {
        "carrier": "Lakeshore Health Plan",
        "member_id": "LHP-5550-1234",
        "group_number": "GRP-7781",
    },
    "medications": [{"name": "Levothyroxine 75 mcg tablet", "dose": "88 mcg"}],
    "allergies": [{"substance": "Codeine"}, {"substance": "Sulfa drugs", "reaction": "Rash"}],
    "answers": {"reason-for-visit": {"reason": "Knee pain when climbing stairs", "since": "Three weeks"}},
}


def seed(subs: dict[str, str], now: datetime) -> int:
    """Book and check in the visit unless María already has a checked-in visit coming; returns visits made."""
    upcoming, _ = appointment_store.list_appointments(MARIA, upcoming=True, now=now, limit=50, cursor=None)
    if any(a.checkin_status == "completed" for a in upcoming):
        return 0
    maria = Caller(
        sub=subs["maria"],
        username="maria",
        role=Role.PATIENT,
        display_name="María González",
        request_id="seed",
        acts_for={MARIA: "self"},
    )
    slot = _pick("np-alvarez", "follow-up", 0, now, hour=15)
    appointment = appointment_service.book(maria, MARIA, slot.id, now=now).appointment
    checkin.submit(maria, MARIA, appointment.id, CheckinIn.model_validate(ANSWERS), now=now)
    return 1
