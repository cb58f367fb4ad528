"""Importing existing patients over the API (the admin page's routes): admins only, one chunk a request
with the file's own line numbers, the same rules as the command line, invitations at SES's pace."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory

HEADER = "mrn,given_name,family_name,birth_date,sex,email,address_line1,city,state,postal_code"


def post(api: Client, path: str, body: dict[str, Any], user: User | None = None) -> Any:
    headers = {"Content-Type": "application/json", **(user.auth if user else {})}
    return api.http.post(path, headers=headers, body=json.dumps(body).encode())


def chunk(*rows: str, **fields: Any) -> dict[str, Any]:
    return {"format": "csv", "content": "\n".join([HEADER, *rows]) + "\n", **fields}


def person(n: int, email: str = "", born: str = "1975-02-03") -> str:
    return f"IMP-{n},Pat,Importa{n},{born},female,{email},{n} Oak St,Portland,OR,97201"


@pytest.fixture
def admin(make_user: UserFactory) -> User:
    return make_user(Role.ADMIN, name="Avery Admin")


def outbox() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].sent_messages)


def test_only_admins_import(api: Client, make_user: UserFactory) -> None:
    body = chunk(person(1))
    for role in (Role.FRONT_DESK, Role.CLINICIAN, Role.PATIENT):
        assert post(api, "/admin/patient-import", body, make_user(role)).status_code == 403
        assert (
            post(
                api, "/admin/patient-import/invitations", {"patient_ids": ["p-x"]}, make_user(role)
            ).status_code
            == 403
        )
    assert post(api, "/admin/patient-import", body).status_code == 401


def test_a_chunk_is_checked_then_imported_with_the_files_line_numbers(api: Client, admin: User) -> None:
    rows = (person(1, "one@example.org"), person(2, born="1890-13-01"), person(3))
    dry = post(api, "/admin/patient-import", chunk(*rows, first_row=202, dry_run=True), admin)
    assert dry.status_code == 200, dry.body
    report = dry.json_body
    assert (report["dry_run"], report["numbered_by"], report["read"], report["accepted"], report["new"]) == (
        True,
        "line",
        3,
        2,
        2,
    )
    assert report["rejected"] == [{"row": 203, "reason": "birth date 1890-13-01 is not a date (YYYY-MM-DD)"}]
    assert report["created"] == []

    done = post(
        api,
        "/admin/patient-import",
        chunk(*rows, first_row=202, dry_run=False, file_name="go-live.csv"),
        admin,
    )
    assert done.status_code == 200, done.body
    created = done.json_body["created"]
    assert [(c["row"], c["has_email"]) for c in created] == [(202, True), (204, False)]

    again = post(api, "/admin/patient-import", chunk(*rows, first_row=202, dry_run=False), admin).json_body
    assert again["created"] == []
    assert [e["row"] for e in again["already_registered"]] == [202, 204]

    audit = api.http.get("/admin/audit?limit=5", headers=admin.auth).json_body["items"]
    runs = [e for e in audit if e["action"] == "patients.import"]
    assert [r["target_username"] for r in runs] == ["patients file", "go-live.csv"]
    assert (
        runs[1]["detail"] == "Admin page, lines 202-204: 3 rows: 2 created, 0 already registered, 1 rejected"
    )


def test_what_is_wrong_with_the_whole_file_is_a_400(api: Client, admin: User) -> None:
    header = post(api, "/admin/patient-import", {"format": "csv", "content": "name,born\nA,B\n"}, admin)
    assert header.status_code == 400
    assert header.json_body["error"]["fields"]["content"].startswith(
        "missing columns: birth_date, family_name"
    )
    too_many = post(api, "/admin/patient-import", chunk(*(person(n) for n in range(501))), admin)
    assert too_many.status_code == 400
    assert post(api, "/admin/patient-import", {"format": "fhir", "content": "[]"}, admin).status_code == 400


def test_a_fhir_chunk_counts_entries(api: Client, admin: User) -> None:
    patient = {
        "resourceType": "Patient",
        "name": [{"given": ["Fern"], "family": "Fhirson"}],
        "gender": "other",
        "birthDate": "2001-09-09",
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": patient}, {"resource": {"resourceType": "Patient"}}],
    }
    out = post(
        api,
        "/admin/patient-import",
        {"format": "fhir", "content": json.dumps(bundle), "first_row": 11},
        admin,
    )
    assert out.status_code == 200, out.body
    assert out.json_body["numbered_by"] == "entry"
    assert out.json_body["new"] == 1
    assert [r["row"] for r in out.json_body["rejected"]] == [12]


def test_invitations_go_to_imported_patients_with_email_once(api: Client, admin: User) -> None:
    created = post(
        api, "/admin/patient-import", chunk(person(7, "seven@example.org"), person(8), dry_run=False), admin
    ).json_body["created"]
    ids = [c["patient_id"] for c in created]
    before = len(outbox())
    out = post(api, "/admin/patient-import/invitations", {"patient_ids": ids}, admin)
    assert out.status_code == 200, out.body
    assert out.json_body["sent"] == [ids[0]]
    assert out.json_body["not_sent"] == [{"patient_id": ids[1], "reason": "no email address on file"}]
    assert out.json_body["remaining"] == []
    assert out.json_body["max_per_second"] == 1
    assert len(outbox()) == before + 1
    again = post(api, "/admin/patient-import/invitations", {"patient_ids": ids[:1]}, admin).json_body
    assert again["sent"] == []
    assert again["not_sent"][0]["reason"] == "already has a pending invitation"
