"""Audit events: who did what to which patient's data, and the access log the patient sees."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.core.identity import Role
from chalicelib.core.models import InputModel, Model

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
    "record.export": "Downloaded the health record",
    "document.upload_start": "Started a document upload",
    "document.upload": "Uploaded a document",
    "document.reject": "A document upload was rejected",
    "document.list": "Viewed the list of documents",
    "document.read": "Downloaded a document",
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
    # --- billing (issue 4) ---
    "statement.post": "Posted a statement",
    "statement.void": "Voided a statement",
    "statement.paid": "A statement was paid in full",
    "statement.list": "Viewed statements",
    "statement.read": "Viewed a statement",
    "statement.print": "Printed a statement",
    "ledger.read": "Viewed the account ledger",
    "billing.worklist": "Saw an open balance on the billing work list",
    "payment.create": "Started a card payment",
    "payment.succeed": "A card payment went through",
    "payment.declined": "A card payment was declined",
    "payment.failed": "A card payment did not go through",
    "payment.list": "Viewed payment history",
    "payment.read": "Viewed a payment or receipt",
    "payment.confirm": "Answered a card confirmation step",
    "payment_plan.create": "Set up a payment plan",
    "payment_plan.cancel": "Cancelled a payment plan",
    "payment_plan.list": "Viewed payment plans",
    "payment_plan.read": "Viewed a payment plan",
    "insurance.list": "Viewed insurance on file",
    "insurance.create": "Added insurance",
    "insurance.update": "Updated insurance",
    "insurance.verify": "Verified insurance",
    "insurance.remove": "Removed insurance",
    # --- end billing ---
    # --- messaging (issue 8) ---
    "thread.list": "Viewed the list of messages",
    "thread.unread": "Checked for new messages",
    "thread.create": "Started a conversation with the care team",
    "thread.read": "Read a conversation",
    "message.send": "Sent a message",
    "thread.assign": "Took charge of a conversation",
    "thread.close": "Closed a conversation",
    "inbox.read": "Saw a conversation in a care-team inbox",
    "attachment.read": "Downloaded a message attachment",
    "refill.list": "Viewed refill requests",
    "refill.create": "Requested a prescription refill",
    "refill.approve": "Approved a refill request",
    "refill.deny": "Denied a refill request",
    "refill.worklist": "Saw a refill request on the clinician work list",
    "pharmacy.list": "Viewed saved pharmacies",
    "pharmacy.create": "Saved a pharmacy",
    "pharmacy.delete": "Removed a saved pharmacy",
    # --- end messaging ---
    # --- proxy access ---
    "proxy.list": "Viewed who has access to the record",
    "proxy.grant": "Gave someone access to the record",
    "proxy.revoke": "Ended someone's access to the record",
    # --- end proxy access ---
    "patient.search": "Appeared in a staff search",  # staff patient search
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


# Query strings of routes/patients.py (kept here so that importing the routes creates no model).
class PageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2048)] | None = None
