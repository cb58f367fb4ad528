"""Access review rules: formula cells in the CSV, one person's accesses read from the actor index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core import audit_log
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.staff_admin import access_review
from tests.unit.conftest import CallerFactory


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("Dr Ana Rivera, clinician", "Dr Ana Rivera, clinician"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_shown_as_text(cell: str, shown: str) -> None:
    assert access_review.safe_cell(cell) == shown


def _event(n: int, *, sub: str, patient_id: str, at: datetime, action: str = "record.read") -> AuditEvent:
    return AuditEvent(
        id=f"evt-{n:03d}",
        patient_id=patient_id,
        at=at,
        actor_sub=sub,
        actor_name="Dr Who",
        actor_role=Role.CLINICIAN,
        action=action,
        target="summary",
        request_id=f"r-{n}",
    )


def test_one_persons_accesses_come_from_the_actor_index_in_range_page_by_page() -> None:
    base = datetime(2026, 6, 1, 12, tzinfo=UTC)
    for n in range(7):
        audit_log.put(_event(n, sub="sub-doc", patient_id=f"p-{n}", at=base + timedelta(hours=n)))
    audit_log.put(_event(50, sub="sub-other", patient_id="p-x", at=base))
    audit_log.put(_event(51, sub="sub-doc", patient_id="p-late", at=base + timedelta(days=3)))

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        page, cursor = audit_log.list_for_actor(
            "sub-doc",
            limit=3,
            cursor=cursor,
            since=base,
            until=base + timedelta(days=1),
            newest_first=False,
        )
        seen += [e.patient_id for e in page]
        if cursor is None:
            break

    assert seen == [f"p-{n}" for n in range(7)]


def test_a_report_page_without_flags_reads_on_through_the_staff_list(caller_for: CallerFactory) -> None:
    from chalicelib.core import users as user_store
    from chalicelib.staff_admin.models import PrivacyReportQuery

    at = datetime.now(UTC) - timedelta(hours=2)
    for n in range(12):  # more staff than one page; only the last opened a record
        user_store.put_account(
            sub=f"sub-staff-{n:02d}", username=f"staff{n:02d}", display_name=f"S {n}", role=Role.BILLING
        )
    audit_log.put(_event(1, sub="sub-staff-11", patient_id="p-stranger", at=at))
    today = datetime.now(UTC).date()
    query = PrivacyReportQuery.model_validate(
        {"from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}
    )

    page = access_review.privacy_report(caller_for(Role.ADMIN, sub="sub-admin"), query)

    assert [(f.staff_sub, f.patient_id) for f in page.items] == [("sub-staff-11", "p-stranger")]
    assert page.staff_checked > access_review.STAFF_PER_PAGE
