"""Audit events: who did what to which patient's data, and the access log the patient sees."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict

from chalicelib.identity import Role
from chalicelib.models.common import Model

ACTION_LABELS: dict[str, str] = {
    "profile.read": "Viewed profile",
    "profile.update": "Updated profile",
    "access_log.read": "Viewed access log",
    # --- records (issue 6) ---
    "record.read": "Viewed health summary",
    "problem.create": "Added a problem",
    "problem.update": "Updated a problem",
    "medication.create": "Added a medication",
    "medication.update": "Updated a medication",
    "allergy.create": "Added an allergy",
    "allergy.update": "Updated an allergy",
    "immunization.create": "Added an immunization",
    "immunization.update": "Updated an immunization",
    "visit.create": "Added a visit summary",
    "visit.update": "Updated a visit summary",
    "result.create": "Added a test result",
    "result.list": "Viewed the list of test results",
    "result.read": "Viewed a test result",
    "result.trend": "Viewed a test result trend",
    "result.review": "Reviewed a test result",
    "result.hold": "Held a test result",
    "result.release": "Released a test result",
    "result.worklist": "Saw a waiting result on the staff work list",
    "result.import": "Imported test results",
    "result_prefs.read": "Viewed result release choices",
    "result_prefs.update": "Changed result release choices",
    # --- end records ---
    # --- appointments (issue 7) ---
    "appointment.list": "Viewed appointments",
    "appointment.read": "Viewed an appointment",
    "appointment.book": "Booked an appointment",
    "appointment.request": "Requested an appointment",
    "appointment.cancel": "Cancelled an appointment",
    "appointment.reschedule": "Rescheduled an appointment",
    "appointment.calendar": "Downloaded an appointment calendar file",
    "appointment.approve": "Approved an appointment request",
    "appointment.decline": "Declined an appointment request",
    "appointment.join": "Opened a video visit link",
    "schedule.read": "Viewed in a provider's schedule",
    "waitlist.join": "Joined the waitlist",
    "waitlist.leave": "Left the waitlist",
    "waitlist.accept": "Took an earlier time from the waitlist",
    "checkin.read": "Viewed check-in",
    "checkin.submit": "Completed check-in",
    # --- end appointments ---
}


class AuditEvent(Model):
    """One read or write of a patient's data. Holds ids and names of actors, never record contents."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    at: datetime
    actor_sub: str
    actor_name: str
    actor_role: Role
    action: str
    target: str
    request_id: str


class AccessLogEntryOut(Model):
    id: str
    at: datetime
    actor_name: str
    actor_role: Role
    action: str
    action_label: str
    target: str
    request_id: str

    @classmethod
    def from_event(cls, event: AuditEvent) -> AccessLogEntryOut:
        return cls(
            id=event.id,
            at=event.at,
            actor_name=event.actor_name,
            actor_role=event.actor_role,
            action=event.action,
            action_label=ACTION_LABELS.get(event.action, event.action),
            target=event.target,
            request_id=event.request_id,
        )


class AccessLogPage(Model):
    items: list[AccessLogEntryOut]
    next_cursor: str | None = None
