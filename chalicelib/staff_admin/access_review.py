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

from chalicelib.appointments import service as appointment_service
from chalicelib.core import access, audit, audit_log, config, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.i18n import Locale
from chalicelib.core.identity import Role
from chalicelib.patients.models import AccessLogEntryOut, action_label
from chalicelib.staff_admin import store as staff_store
from chalicelib.staff_admin.models import (
    MAX_REVIEW_DAYS,
    AccessExportQuery,
    AccessReviewEntry,
    AccessReviewPage,
    AccessReviewQuery,
    AdminAction,
    AdminAuditEvent,
    PrivacyFlag,
    PrivacyReportExportQuery,
    PrivacyReportPage,
    PrivacyReportQuery,
    StaffMember,
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


def _day_range(from_day: date, to_day: date) -> tuple[datetime, datetime]:
    since, until = _bounds(from_day, to_day)
    return since or datetime.min.replace(tzinfo=ZoneInfo("UTC")), until or datetime.max.replace(
        tzinfo=ZoneInfo("UTC")
    )


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


def _entry(event: AuditEvent, locale: Locale) -> AccessReviewEntry:
    shown = AccessLogEntryOut.from_event(event, locale=locale).model_dump()
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
    locale = access.caller_locale(caller)
    return AccessReviewPage(items=[_entry(e, locale) for e in events], next_cursor=cursor)


def export_csv(caller: Caller, patient_id: str, query: AccessExportQuery) -> str:
    """Every access matching the filters as CSV text (at most MAX_EXPORT_ROWS: past that, a 400 asks for a
    shorter range rather than a file that silently stops). In English, as its column headings are."""
    since, until = _bounds(query.from_day, query.to_day)
    rows: list[AccessReviewEntry] = []
    cursor: str | None = None
    while True:
        events, cursor = audit_log.list_for_patient(
            patient_id, limit=EXPORT_PAGE, cursor=cursor, actor=query.actor, since=since, until=until
        )
        rows += [_entry(e, "en") for e in events]
        if len(rows) > MAX_EXPORT_ROWS:
            raise errors.BadRequest(
                "more than {most} entries; choose a shorter date range or one person",
                params={"most": f"{MAX_EXPORT_ROWS:,}"},
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


# --- the privacy report: records opened with no visit between staff member and patient ----------------

STAFF_PER_PAGE: Final = 5
STAFF_PER_REQUEST: Final = 25
EVENTS_PER_STAFF: Final = 2_000
VISIT_LOOKBACK: Final = timedelta(days=365)
# A visit booked soon after the access explains it too (preparing for it).
VISIT_AHEAD: Final = timedelta(days=14)
# Appearing on a list (a search, a schedule, a work list) is not opening the record; nor are our own reviews.
LISTED_ONLY: Final = frozenset(
    {
        "patient.search",
        "schedule.read",
        "result.worklist",
        "refill.worklist",
        "billing.worklist",
        "inbox.read",
        "payment.dispute.list",
        "access_log.review",
        "privacy.review",
    }
)


def _accesses(sub: str, since: datetime, until: datetime) -> tuple[list[AuditEvent], bool]:
    """One person's accesses in the range, oldest first, at most EVENTS_PER_STAFF (True: there were more)."""
    events: list[AuditEvent] = []
    cursor: str | None = None
    while True:
        page, cursor = audit_log.list_for_actor(
            sub, limit=500, cursor=cursor, since=since, until=until, newest_first=False
        )
        events += page
        if len(events) >= EVENTS_PER_STAFF:
            return events[:EVENTS_PER_STAFF], cursor is not None or len(events) > EVENTS_PER_STAFF
        if cursor is None:
            return events, False


def _explained(at: datetime, visits: list[tuple[datetime, str | None]], pools: frozenset[str] | None) -> bool:
    """A visit in the year before the access (or just after): with the clinician's own care team, or, for
    staff who see no patients themselves (pools None), any visit at the clinic."""
    return any(
        at - VISIT_LOOKBACK <= start <= at + VISIT_AHEAD and (pools is None or pool in pools)
        for start, pool in visits
    )


def _flags(
    member: StaffMember,
    events: list[AuditEvent],
    visits_of: dict[str, list[tuple[datetime, str | None]]],
    window: tuple[datetime, datetime],
    locale: Locale,
) -> list[PrivacyFlag]:
    by_patient: dict[str, list[AuditEvent]] = {}
    for event in events:
        if event.action not in LISTED_ONLY:
            by_patient.setdefault(event.patient_id, []).append(event)
    pools = frozenset(member.pools) if member.role is Role.CLINICIAN else None
    flags: list[PrivacyFlag] = []
    for patient_id, opened in by_patient.items():
        if patient_id not in visits_of:
            visits_of[patient_id] = appointment_service.visits_between(patient_id, *window)
        unexplained = [e for e in opened if not _explained(e.at, visits_of[patient_id], pools)]
        if not unexplained:
            continue
        labels = list(dict.fromkeys(action_label(e.action, locale) for e in unexplained))
        flags.append(
            PrivacyFlag(
                staff_sub=member.sub,
                staff_name=member.display_name,
                staff_role=member.role,
                patient_id=patient_id,
                accesses=len(unexplained),
                first_at=unexplained[0].at,
                last_at=unexplained[-1].at,
                what=labels[:5],
            )
        )
    return flags


def _report_page(
    since: datetime,
    until: datetime,
    cursor: str | None,
    visits_of: dict[str, list[tuple[datetime, str | None]]],
    locale: Locale,
) -> PrivacyReportPage:
    """Up to STAFF_PER_PAGE staff members (the staff list's own pages): one GSI1 Query per member's
    accesses, one Query per patient's appointments (each patient once a page). Bounded work per page."""
    members, next_cursor = staff_store.list_staff(limit=STAFF_PER_PAGE, cursor=cursor)
    window = (since - VISIT_LOOKBACK, until + VISIT_AHEAD)
    items: list[PrivacyFlag] = []
    incomplete: list[str] = []
    for member in members:
        events, more = _accesses(member.sub, since, until)
        if more:
            incomplete.append(member.sub)
        items += _flags(member, events, visits_of, window, locale)
    return PrivacyReportPage(
        items=items, staff_checked=len(members), incomplete_staff=incomplete, next_cursor=next_cursor
    )


def _record_report(caller: Caller, flags: list[PrivacyFlag], detail: str) -> None:
    """The admin audit says the report was run; each patient it named sees it in their access log."""
    audit.record_many(
        caller, patient_ids=[f.patient_id for f in flags], action="privacy.review", target="privacy-report"
    )
    staff_store.record(
        AdminAuditEvent(
            id=dynamo.new_id(),
            at=dynamo.utcnow(),
            actor_sub=caller.sub,
            actor_name=caller.display_name,
            action="access.privacy_report",
            target_sub="privacy-report",
            target_username="privacy report",
            detail=detail,
            request_id=caller.request_id,
        )
    )


def privacy_report(caller: Caller, query: PrivacyReportQuery) -> PrivacyReportPage:
    since, until = _day_range(query.from_day, query.to_day)
    visits_of: dict[str, list[tuple[datetime, str | None]]] = {}
    locale = access.caller_locale(caller)
    page = _report_page(since, until, query.cursor, visits_of, locale)
    # A page with no flag reads on through the staff list, up to STAFF_PER_REQUEST members in all.
    while not page.items and page.next_cursor and page.staff_checked < STAFF_PER_REQUEST:
        more = _report_page(since, until, page.next_cursor, visits_of, locale)
        page = more.model_copy(
            update={
                "staff_checked": page.staff_checked + more.staff_checked,
                "incomplete_staff": page.incomplete_staff + more.incomplete_staff,
            }
        )
    _record_report(
        caller, page.items, f"{_filters(None, query.from_day, query.to_day)}; {len(page.items)} flagged"
    )
    return page


def privacy_report_csv(caller: Caller, query: PrivacyReportExportQuery) -> str:
    """The whole report (every page of staff) as English CSV text, formula-like cells neutralised."""
    since, until = _day_range(query.from_day, query.to_day)
    visits_of: dict[str, list[tuple[datetime, str | None]]] = {}
    flags: list[PrivacyFlag] = []
    cursor: str | None = None
    while True:
        page = _report_page(since, until, cursor, visits_of, "en")
        flags += page.items
        if len(flags) > MAX_EXPORT_ROWS:
            raise errors.BadRequest(
                "more than {most} rows; choose a shorter date range",
                params={"most": f"{MAX_EXPORT_ROWS:,}"},
                fields={"from": "narrow the range"},
            )
        cursor = page.next_cursor
        if cursor is None:
            break
    _record_report(
        caller, flags, f"{_filters(None, query.from_day, query.to_day)}; {len(flags)} flagged; CSV"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ("Staff member", "Role", "Staff id", "Patient id", "Accesses", "First (UTC)", "Last (UTC)", "What")
    )
    for flag in flags:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    flag.staff_name,
                    flag.staff_role.value,
                    flag.staff_sub,
                    flag.patient_id,
                    str(flag.accesses),
                    dynamo.utc_text(flag.first_at),
                    dynamo.utc_text(flag.last_at),
                    "; ".join(flag.what),
                )
            ]
        )
    return buffer.getvalue()
