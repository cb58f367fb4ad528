"""Who viewed my record, in the reader's language: a patient who saved Spanish reads what was done and by
whom in Spanish, an English reader in English; an administrator's access review and privacy report follow
the language on their screen, their CSV files stay English like their headings."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


def _send(api: Client, method: str, path: str, who: User, body: Any = None) -> Any:
    payload = json.dumps(body).encode() if body is not None else b""
    return api.http.request(
        method, path, headers={**who.auth, "Content-Type": "application/json"}, body=payload
    )


def _patient(api: Client, make_user: UserFactory, name: str, language: str) -> User:
    user = make_user(Role.PATIENT, name=name)
    profile = api.http.get(f"/patients/{user.patient_id}/profile", headers=user.auth).json_body
    saved = _send(
        api,
        "PATCH",
        f"/patients/{user.patient_id}/profile",
        user,
        {"version": profile["version"], "preferred_language": language},
    )
    assert saved.status_code == 200, saved.body
    return user


def _grant(api: Client, desk: User, pid: str, carer: User) -> None:
    body = {
        "username": carer.username,
        "relationship": "spouse",
        "verification_note": "Photo ID checked at the desk",
        "scope": {"areas": ["appointments"], "access": "read"},
    }
    granted = _send(api, "POST", f"/patients/{pid}/proxies", desk, body)
    assert granted.status_code == 201, granted.body


def _seen_by_others(api: Client, patient: User, language: str) -> list[tuple[str, str]]:
    got = api.http.get(
        f"/patients/{patient.patient_id}/access-log",
        headers={**patient.auth, "Accept-Language": language},
    )
    assert got.status_code == 200, got.body
    return [(e["who"], e["action_label"]) for e in got.json_body["items"]]


def test_a_spanish_reading_patient_reads_who_and_what_in_spanish(api: Client, make_user: UserFactory) -> None:
    maria = _patient(api, make_user, "María González", "es")
    alex = _patient(api, make_user, "Alex Adams", "en")
    desk = make_user(Role.FRONT_DESK, name="Sam Lee")
    carer = make_user(Role.PATIENT, name="Alex Morgan")
    for patient in (maria, alex):
        pid = str(patient.patient_id)
        _grant(api, desk, pid, carer)
        assert api.http.get(f"/patients/{pid}/profile", headers=desk.auth).status_code == 200
        assert api.http.get(f"/patients/{pid}/appointments", headers=carer.auth).status_code == 200

    # Her saved Spanish decides, whatever the screen sends; his saved English likewise.
    spanish = _seen_by_others(api, maria, "en-US")
    english = _seen_by_others(api, alex, "es")

    assert spanish[:2] == [
        ("Alex Morgan, como cuidador", "Vio las citas"),
        ("Sam Lee, recepción", "Vio el perfil"),
    ]
    assert ("Sam Lee, recepción", "Le dio acceso al expediente a alguien") in spanish
    assert english[:2] == [
        ("Alex Morgan, as caregiver", "Viewed appointments"),
        ("Sam Lee, front desk", "Viewed profile"),
    ]


def test_the_admin_access_review_follows_the_language_on_screen(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Pat Patient")
    doctor = make_user(Role.CLINICIAN, name="Ana Rivera")
    admin = make_user(Role.ADMIN, name="Ada Admin")
    pid = patient.patient_id
    assert api.http.get(f"/patients/{pid}/summary", headers=doctor.auth).status_code == 200
    path = f"/admin/patients/{pid}/access?actor={doctor.sub}"

    spanish = api.http.get(path, headers={**admin.auth, "Accept-Language": "es-US,es;q=0.9"})
    english = api.http.get(path, headers={**admin.auth, "Accept-Language": "en-US"})

    assert spanish.status_code == english.status_code == 200
    assert [(e["who"], e["action_label"]) for e in spanish.json_body["items"]] == [
        ("Ana Rivera, profesional de salud", "Vio el resumen de salud")
    ]
    assert [(e["who"], e["action_label"]) for e in english.json_body["items"]] == [
        ("Ana Rivera, clinician", "Viewed health summary")
    ]


def test_the_privacy_report_follows_the_screen_and_the_csv_files_stay_english(
    api: Client, make_user: UserFactory
) -> None:
    doctor = make_user(Role.CLINICIAN, name="Ana Rivera")
    stranger = make_user(Role.PATIENT, name="Sol Stranger")
    admin = make_user(Role.ADMIN, name="Ada Admin")
    pid = stranger.patient_id
    assert api.http.get(f"/patients/{pid}/summary", headers=doctor.auth).status_code == 200
    today = datetime.now(UTC).date()
    days = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    spanish = {**admin.auth, "Accept-Language": "es"}

    flagged: list[Any] = []
    cursor = ""
    for _ in range(500):
        page = api.http.get(f"/admin/privacy-report?{days}{cursor}", headers=spanish).json_body
        flagged += [f for f in page["items"] if f["staff_sub"] == doctor.sub]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert [f["what"] for f in flagged] == [["Vio el resumen de salud"]]

    report_csv = api.http.get(f"/admin/privacy-report/export?{days}", headers=spanish).body.decode()
    access_csv = api.http.get(f"/admin/patients/{pid}/access/export", headers=spanish).body.decode()
    doctor_rows = [r for r in csv.reader(io.StringIO(report_csv)) if doctor.sub in r]
    assert [r[-1] for r in doctor_rows] == ["Viewed health summary"]
    assert [r[1:5] for r in csv.reader(io.StringIO(access_csv)) if doctor.sub in r] == [
        ["Ana Rivera, clinician", "clinician", doctor.sub, "Viewed health summary"]
    ]
