"""The patient's view of every read and write of their data: by default others' access (staff and
caregivers), since the caller's own reads bury what matters; the caller may ask for their own too."""

from __future__ import annotations

from chalicelib.core import access, audit, audit_log
from chalicelib.core.access import Caller
from chalicelib.patients.models import AccessLogEntryOut, AccessLogPage


def list_access_log(
    caller: Caller, patient_id: str, *, limit: int, cursor: str | None, include_own: bool = False
) -> AccessLogPage:
    """One page of the access log, newest first. Looking at it is itself logged (after the read)."""
    events, next_cursor = audit_log.list_for_patient(
        patient_id, limit=limit, cursor=cursor, exclude_actor=None if include_own else caller.sub
    )
    audit.record(caller, patient_id=patient_id, action="access_log.read", target="access-log")
    locale = access.caller_locale(caller)
    return AccessLogPage(
        items=[AccessLogEntryOut.from_event(e, me=caller.sub, locale=locale) for e in events],
        next_cursor=next_cursor,
    )
