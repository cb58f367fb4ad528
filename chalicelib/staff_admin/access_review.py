"""Access review (admins): who opened a patient's record, what they did and when, filtered by person and
clinic days, on screen a page at a time or as a CSV file.

Reads the audit table by key only: the patient's partition, a time range as its sort-key condition, one
person's events as a filter on that Query. Each review is itself recorded twice, in one transaction: in
the admin audit (who reviewed, with which filters) and in the patient's own access log.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from chalicelib.core import audit, audit_log, config, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.patients.models import AccessLogEntryOut
from chalicelib.staff_admin import store as staff_store
from chalicelib.staff_admin.models import (
    MAX_REVIEW_DAYS,
    AccessExportQuery,
    AccessReviewEntry,
    AccessReviewPage,
    AccessReviewQuery,
    AdminAction,
    AdminAuditEvent,
)

MAX_EXPORT_ROWS: Final = 5_000
EXPORT_PAGE: Final = 500
# A cell a spreadsheet would run as a formula (and tab or carriage return, which some read the same way).
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS: Final = (
    "When (UTC)",
    "Who",
    "Role",
    "Staff or person id",
    "What",
    "Action",
    "Target",
    "Request id",
)


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _bounds(from_day: date | None, to_day: date | None) -> tuple[datetime | None, datetime | None]:
    """Clinic days, both included, as UTC moments: the first day's midnight to the one after the last."""
    zone = ZoneInfo(config.clinic().time_zone)
    since = datetime.combine(from_day, time(0), tzinfo=zone) if from_day else None
    until = datetime.combine(to_day + timedelta(days=1), time(0), tzinfo=zone) if to_day else None
    if from_day and to_day and (to_day - from_day).days >= MAX_REVIEW_DAYS:
        raise errors.BadRequest(
            "choose at most a year", fields={"to": f"at most {MAX_REVIEW_DAYS} days after 'from'"}
        )
    return since, until


def _filters(actor: str | None, from_day: date | None, to_day: date | None) -> str:
    """The admin audit's detail: the filters used (ids and dates only)."""
    who = f"person {actor}" if actor else "everyone"
    days = f"{from_day.isoformat() if from_day else 'start'}..{to_day.isoformat() if to_day else 'now'}"
    return f"{who}; {days}"


def _record(caller: Caller, patient_id: str, action: AdminAction, detail: str) -> None:
    admin_event = AdminAuditEvent(
        id=dynamo.new_id(),
        at=dynamo.utcnow(),
        actor_sub=caller.sub,
        actor_name=caller.display_name,
        action=action,
        target_sub=patient_id,
        target_username=f"patient {patient_id}",
        detail=detail,
        request_id=caller.request_id,
    )
    patient_event = audit.event(
        caller, patient_id=patient_id, action="access_log.review", target="access-review"
    )
    try:
        dynamo.transact_all([staff_store.audit_entry(admin_event), audit_log.entry(patient_event)])
    except dynamo.TransactionRefused:
        raise errors.InternalError("the review could not be recorded; please try again") from None


def _entry(event: AuditEvent) -> AccessReviewEntry:
    shown = AccessLogEntryOut.from_event(event).model_dump()
    return AccessReviewEntry.model_validate(
        {**shown, "patient_id": event.patient_id, "actor_sub": event.actor_sub}
    )


def review(caller: Caller, patient_id: str, query: AccessReviewQuery) -> AccessReviewPage:
    """One page of accesses to the patient's record, newest first, recorded as reviewed after the read."""
    since, until = _bounds(query.from_day, query.to_day)
    events, cursor = audit_log.list_for_patient(
        patient_id, limit=query.limit, cursor=query.cursor, actor=query.actor, since=since, until=until
    )
    _record(caller, patient_id, "access.review", _filters(query.actor, query.from_day, query.to_day))
    return AccessReviewPage(items=[_entry(e) for e in events], next_cursor=cursor)


def export_csv(caller: Caller, patient_id: str, query: AccessExportQuery) -> str:
    """Every access matching the filters as CSV text (at most MAX_EXPORT_ROWS: past that, a 400 asks for a
    shorter range rather than a file that silently stops)."""
    since, until = _bounds(query.from_day, query.to_day)
    rows: list[AccessReviewEntry] = []
    cursor: str | None = None
    while True:
        events, cursor = audit_log.list_for_patient(
            patient_id, limit=EXPORT_PAGE, cursor=cursor, actor=query.actor, since=since, until=until
        )
        rows += [_entry(e) for e in events]
        if len(rows) > MAX_EXPORT_ROWS:
            raise errors.BadRequest(
                f"more than {MAX_EXPORT_ROWS:,} entries; choose a shorter date range or one person",
                fields={"from": "narrow the range"},
            )
        if cursor is None:
            break
    _record(
        caller,
        patient_id,
        "access.export",
        f"{_filters(query.actor, query.from_day, query.to_day)}; {len(rows)} rows",
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    dynamo.utc_text(row.at),
                    row.who,
                    row.actor_role.value,
                    row.actor_sub,
                    row.action_label,
                    row.action,
                    row.target,
                    row.request_id,
                )
            ]
        )
    return buffer.getvalue()
