"""Audit events for every read and write of a patient's data."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.core import audit_log, dynamo
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent


def event(caller: Caller, *, patient_id: str, action: str, target: str) -> AuditEvent:
    """Build an event to write in the same transaction as the change it describes."""
    return AuditEvent(
        id=dynamo.new_id(),
        patient_id=patient_id,
        at=dynamo.utcnow(),
        actor_sub=caller.sub,
        actor_name=caller.display_name,
        actor_role=caller.role,
        action=action,
        target=target,
        request_id=caller.request_id,
        acting_as="caregiver" if caller.acts_for.get(patient_id) == "caregiver" else None,
    )


def record(caller: Caller, *, patient_id: str, action: str, target: str) -> AuditEvent:
    """Write an event for a read (reads have no transaction to join)."""
    audit_event = event(caller, patient_id=patient_id, action=action, target=target)
    audit_log.put(audit_event)
    return audit_event


def record_many(caller: Caller, *, patient_ids: Iterable[str], action: str, target: str) -> list[AuditEvent]:
    """One event per patient for a read that listed several of them (a staff list), written in batches."""
    unique = sorted(set(patient_ids))
    events = [event(caller, patient_id=pid, action=action, target=target) for pid in unique]
    audit_log.put_many(events)
    return events
