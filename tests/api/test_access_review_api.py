"""Access review (admins): who opened a patient's record, filtered by person and days, and its CSV file."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import Client

from chalicelib.core import audit_log
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


@pytest.fixture
def admin(make_user: UserFactory) -> User:
    return make_user(Role.ADMIN, name="Ada Admin")


def _get(api: Client, user: User, path: str) -> object:
    return api.http.get(path, headers=user.auth)


def test_an_admin_reviews_a_patients_access_by_staff_member(
    api: Client, make_user: UserFactory, admin: User
) -> None:
    patient = make_user(Role.PATIENT, name="Pat Patient")
    doctor = make_user(Role.CLINICIAN, name="Ana Rivera")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = patient.patient_id
    api.http.get(f"/patients/{pid}/summary", headers=doctor.auth)
    api.http.get(f"/patients/{pid}/profile", headers=desk.auth)
    api.http.get(f"/patients/{pid}/profile", headers=patient.auth)

    everyone = api.http.get(f"/admin/patients/{pid}/access", headers=admin.auth)
    only_doctor = api.http.get(f"/admin/patients/{pid}/access?actor={doctor.sub}", headers=admin.auth)

    assert everyone.status_code == 200
    whos = [e["who"] for e in everyone.json_body["items"]]
    assert {"Ana Rivera, clinician", "Sam Desk, front desk", "Pat Patient, patient"} <= set(whos)
    assert [(e["who"], e["action_label"], e["actor_sub"]) for e in only_doctor.json_body["items"]] == [
        ("Ana Rivera, clinician", "Viewed health summary", doctor.sub)
    ]
    # the review is audited: in the admin audit and in the patient's own log
    admin_audit = api.http.get("/admin/audit", headers=admin.auth).json_body["items"]
    assert [(e["action"], e["target_sub"]) for e in admin_audit[:2]] == [
        ("access.review", pid),
        ("access.review", pid),
    ]
    assert f"person {doctor.sub}" in admin_audit[0]["detail"]
    log = api.http.get(f"/patients/{pid}/access-log", headers=patient.auth).json_body["items"]
    assert log[0]["who"] == "Ada Admin, administrator"
    assert log[0]["action_label"] == "An administrator reviewed who accessed the record"


def test_the_date_range_is_in_clinic_days_and_checked(
    api: Client, make_user: UserFactory, admin: User
) -> None:
    patient = make_user(Role.PATIENT, name="Pat Patient")
    pid = patient.patient_id
    old = datetime(2026, 3, 10, 15, tzinfo=UTC)
    audit_log.put(
        AuditEvent(
            id="old-read",
            patient_id=pid,
            at=old,
            actor_sub="sub-old",
            actor_name="Dr Old",
            actor_role=Role.CLINICIAN,
            action="record.read",
            target="summary",
            request_id="r-1",
        )
    )

    hit = api.http.get(f"/admin/patients/{pid}/access?from=2026-03-10&to=2026-03-10", headers=admin.auth)
    miss = api.http.get(f"/admin/patients/{pid}/access?from=2026-03-11&to=2026-03-12", headers=admin.auth)
    backwards = api.http.get(
        f"/admin/patients/{pid}/access?from=2026-03-12&to=2026-03-11", headers=admin.auth
    )
    too_long = api.http.get(f"/admin/patients/{pid}/access?from=2024-01-01&to=2026-03-11", headers=admin.auth)
    bad_actor = api.http.get(f"/admin/patients/{pid}/access?actor=a%20b", headers=admin.auth)

    assert [e["id"] for e in hit.json_body["items"]] == ["old-read"]
    assert miss.json_body["items"] == []
    assert (backwards.status_code, too_long.status_code, bad_actor.status_code) == (400, 400, 400)
    assert list(bad_actor.json_body["error"]["fields"]) == ["actor"]


def test_unknown_patient_and_non_admins_are_refused(api: Client, make_user: UserFactory, admin: User) -> None:
    patient = make_user(Role.PATIENT, name="Pat Patient")
    doctor = make_user(Role.CLINICIAN, name="Ana Rivera")
    assert api.http.get("/admin/patients/p-nobody/access", headers=admin.auth).status_code == 404
    assert api.http.get("/admin/patients/p-nobody/access/export", headers=admin.auth).status_code == 404
    for user in (patient, doctor):
        pid = patient.patient_id
        assert api.http.get(f"/admin/patients/{pid}/access", headers=user.auth).status_code == 403
        assert api.http.get(f"/admin/patients/{pid}/access/export", headers=user.auth).status_code == 403


def test_the_csv_download_neutralises_spreadsheet_formulas(
    api: Client, make_user: UserFactory, admin: User
) -> None:
    patient = make_user(Role.PATIENT, name="Pat Patient")
    pid = patient.patient_id
    at = datetime.now(UTC) - timedelta(hours=1)
    for n, name in enumerate(('=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "Plain Name")):
        audit_log.put(
            AuditEvent(
                id=f"evt-{n}",
                patient_id=pid,
                at=at - timedelta(minutes=n),
                actor_sub=f"sub-{n}",
                actor_name=name,
                actor_role=Role.CLINICIAN,
                action="record.read",
                target="summary",
                request_id=f"r-{n}",
            )
        )

    response = api.http.get(f"/admin/patients/{pid}/access/export", headers=admin.auth)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="access-{pid}.csv"'
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0][:3] == ["When (UTC)", "Who", "Role"]
    whos = [row[1] for row in rows[1:]]
    assert whos == [
        '\'=HYPERLINK("http://x"), clinician',
        "'+1+1, clinician",
        "'-2, clinician",
        "'@SUM(A1), clinician",
        "Plain Name, clinician",
    ]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    admin_audit = api.http.get("/admin/audit", headers=admin.auth).json_body["items"]
    assert (admin_audit[0]["action"], admin_audit[0]["target_sub"]) == ("access.export", pid)
    assert admin_audit[0]["detail"].endswith("5 rows")


def _report(api: Client, admin: User, query: str) -> list[dict[str, object]]:
    """Every page of the privacy report (a few staff members a page)."""
    items: list[dict[str, object]] = []
    cursor = ""
    for _ in range(500):
        response = api.http.get(f"/admin/privacy-report?{query}{cursor}", headers=admin.auth)
        assert response.status_code == 200, response.body
        items += response.json_body["items"]
        if not response.json_body["next_cursor"]:
            return items
        cursor = f"&cursor={response.json_body['next_cursor']}"
    raise AssertionError("the report never ended")


def test_the_privacy_report_flags_a_record_opened_without_a_visit(
    api: Client, make_user: UserFactory, admin: User
) -> None:
    from chalicelib.core import users as user_store
    from tests.api.appointments_samples import booked_appointment

    doctor = make_user(Role.CLINICIAN, name="Ana Rivera")
    user_store.set_pools(doctor.sub, ["dr-rivera-team"])
    seen = make_user(Role.PATIENT, name="Sid Seen")
    stranger = make_user(Role.PATIENT, name="Sol Stranger")
    booked_appointment(str(seen.patient_id), at=datetime.now(UTC) - timedelta(days=30))
    for patient in (seen, stranger):
        assert api.http.get(f"/patients/{patient.patient_id}/summary", headers=doctor.auth).status_code == 200
    today = datetime.now(UTC).date()
    days = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"

    flagged = [item for item in _report(api, admin, days) if item["staff_sub"] == doctor.sub]

    assert [(f["patient_id"], f["staff_name"], f["accesses"], f["what"]) for f in flagged] == [
        (stranger.patient_id, "Ana Rivera", 1, ["Viewed health summary"])
    ]
    csv_response = api.http.get(f"/admin/privacy-report/export?{days}", headers=admin.auth)
    assert csv_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_response.body.decode())))
    assert [row[3] for row in rows[1:] if row[2] == doctor.sub] == [stranger.patient_id]
    # the patient it named sees that an administrator looked; the admin audit has the run
    log = api.http.get(f"/patients/{stranger.patient_id}/access-log", headers=stranger.auth).json_body[
        "items"
    ]
    assert "Listed in an administrator's privacy review of staff access" in [e["action_label"] for e in log]
    audit = api.http.get("/admin/audit", headers=admin.auth).json_body["items"]
    assert audit[0]["action"] == "access.privacy_report"
    missing = api.http.get("/admin/privacy-report", headers=admin.auth)
    assert (missing.status_code, sorted(missing.json_body["error"]["fields"])) == (400, ["from", "to"])
