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
