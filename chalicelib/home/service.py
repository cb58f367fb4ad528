"""What needs the patient's attention, for the home page, in one request.

Each part comes from its own feature's service function (never a store), and the whole is recorded as one
audited read. DynamoDB round trips for a typical patient: five (new results COUNT, unread threads COUNT,
open statements, upcoming appointments, and the audit event's PutItem); a count pages only past 1 MB.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.appointments import service as appointment_service
from chalicelib.billing import statements as billing_statements
from chalicelib.core import audit, dynamo
from chalicelib.core.access import Caller, linked_caller_permits
from chalicelib.home.models import HomeOut
from chalicelib.messaging import service as message_service
from chalicelib.results import service as result_service

UPCOMING_LOOKED_AT = 5  # the next few appointments: enough for today's video visit and the forms due


def home(caller: Caller, patient_id: str, *, now: datetime | None = None) -> HomeOut:
    """New results, unread messages, balance and the appointments that need something, as one read.

    A caregiver whose grant covers some areas (or a teenager's parent, the teen-safe ones) gets those
    areas' parts only: the others are not even read, and come back empty (counts and balance as null,
    so "none" and "not yours to see" differ).
    """
    now = now or dynamo.utcnow()

    def sees(action: str) -> bool:
        return linked_caller_permits(caller, patient_id, action)

    upcoming = (
        appointment_service.upcoming_of(patient_id, now=now, limit=UPCOMING_LOOKED_AT)
        if sees("appointment:read")
        else []
    )
    out = HomeOut(
        patient_id=patient_id,
        new_results=result_service.new_count_of(caller, patient_id, now=now) if sees("result:read") else None,
        unread_threads=message_service.unread_of(caller, patient_id) if sees("thread:list") else None,
        balance=billing_statements.balance_of(patient_id, now=now) if sees("statement:read") else None,
        video_now=[a for a in upcoming if a.join is not None and a.join.available_now],
        checkin_due=[
            a
            for a in upcoming
            if a.checkin is not None and a.checkin.available_now and a.checkin.status != "completed"
        ],
        next_appointment=upcoming[0] if upcoming else None,
    )
    audit.record(caller, patient_id=patient_id, action="home.read", target="home")
    return out
