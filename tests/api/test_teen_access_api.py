"""Teenagers' confidentiality through the API: a parent's grant on a 15-year-old opens the teen-safe areas
only, and a confidential result, entry or document is invisible to that parent wherever it could show."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from chalice.test import Client

from chalicelib.core import aws, config
from chalicelib.core.clinic_settings import MinorsSettings
from chalicelib.core.identity import Role
from chalicelib.core.schema import PROFILE_SK, patient_pk
from tests.api.conftest import User, UserFactory
from tests.api.messages_samples import POOL
from tests.api.records_samples import RECORD_BODIES, result_body, upload_document


def _send(api: Client, method: str, url: str, user: User, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    return api.http.request(method, url, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _born(patient_id: str, birth_date: date) -> None:
    aws.table().update_item(
        Key={"PK": patient_pk(patient_id), "SK": PROFILE_SK},
        UpdateExpression="SET birth_date = :born",
        ExpressionAttributeValues={":born": birth_date.isoformat()},
    )


def _years_ago(years: int, *, days: int = 0) -> date:
    today = datetime.now(UTC).astimezone(ZoneInfo(config.clinic().time_zone)).date()
    return today.replace(year=today.year - years) - timedelta(days=days)


@pytest.fixture
def doctor(make_user: UserFactory) -> User:
    return make_user(Role.CLINICIAN, name="Dana Doctor")


@pytest.fixture
def teen(make_user: UserFactory) -> User:
    user = make_user(Role.PATIENT, name="Riley Teen")
    assert user.patient_id
    _born(user.patient_id, _years_ago(15))
    return user


def _parent_of(api: Client, make_user: UserFactory, teen: User, relationship: str = "parent") -> User:
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    parent = make_user(Role.PATIENT, name="Pat Parent")
    granted = _send(
        api,
        "POST",
        f"/patients/{teen.patient_id}/proxies",
        desk,
        {
            "username": parent.username,
            "relationship": relationship,
            "verification_note": "Birth certificate seen",
        },
    )
    assert granted.status_code == 201, granted.body
    return parent


@pytest.fixture
def parent(api: Client, make_user: UserFactory, teen: User) -> User:
    return _parent_of(api, make_user, teen)


def _open_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clinic whose teen-safe areas include the whole record and documents: item-level hiding is all
    that stands between the parent and a confidential item."""
    wide = MinorsSettings(teen_safe_areas=["appointments", "billing", "health_record", "documents"])
    monkeypatch.setattr("chalicelib.core.minors.settings", lambda: wide)


def test_a_parent_of_a_fifteen_year_old_reaches_the_teen_safe_areas_only(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    for path, body in (
        ("immunizations", RECORD_BODIES["immunization"]),
        ("problems", RECORD_BODIES["problem"]),
    ):
        made = _send(api, "POST", f"/patients/{pid}/{path}", doctor, body)
        assert made.status_code == 201, made.body

    for path in ("profile", "appointments", "ledger"):
        assert api.http.get(f"/patients/{pid}/{path}", headers=parent.auth).status_code == 200, path
    summary = api.http.get(f"/patients/{pid}/summary", headers=parent.auth)
    assert summary.status_code == 200
    assert [i["vaccine"] for i in summary.json_body["immunizations"]] == ["Influenza"]
    assert summary.json_body["problems"] == []  # immunizations only
    assert summary.json_body["some_hidden"] is True

    home = api.http.get(f"/patients/{pid}/home", headers=parent.auth)
    assert home.status_code == 200
    # The summary holds only the teen-safe parts: no count says a result or a message came in.
    assert (home.json_body["new_results"], home.json_body["unread_threads"]) == (None, None)
    assert home.json_body["balance"] is not None

    for path in ("results", "documents", "threads", "export", "health-summary", "access-log"):
        refused = api.http.get(f"/patients/{pid}/{path}", headers=parent.auth)
        assert refused.status_code == 404, path
        assert refused.json_body["error"]["code"] == "not_found"

    # The teen themself keeps the whole record.
    for path in ("results", "documents", "threads", "export", "home"):
        assert api.http.get(f"/patients/{pid}/{path}", headers=teen.auth).status_code == 200, path
    own = api.http.get(f"/patients/{pid}/summary", headers=teen.auth).json_body
    assert [p["name"] for p in own["problems"]]
    assert own["some_hidden"] is False


def test_a_parent_is_told_some_is_private_even_when_nothing_is_marked(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    made = _send(api, "POST", f"/patients/{pid}/immunizations", doctor, RECORD_BODIES["immunization"])
    assert made.status_code == 201, made.body
    summary = api.http.get(f"/patients/{pid}/summary", headers=parent.auth).json_body
    assert [i["vaccine"] for i in summary["immunizations"]] == ["Influenza"]
    assert summary["some_hidden"] is True  # the same answer whether or not anything is confidential
    assert api.http.get(f"/patients/{pid}/summary", headers=teen.auth).json_body["some_hidden"] is False


def test_a_spouse_style_grant_and_an_adult_patient_are_untouched(
    api: Client, make_user: UserFactory, teen: User
) -> None:
    helper = _parent_of(api, make_user, teen, relationship="other")
    assert api.http.get(f"/patients/{teen.patient_id}/results", headers=helper.auth).status_code == 200

    adult = make_user(Role.PATIENT, name="Ada Adult")
    parent = _parent_of(api, make_user, adult)  # born 1980: a parent's grant on an adult is a plain grant
    assert api.http.get(f"/patients/{adult.patient_id}/results", headers=parent.auth).status_code == 200


def test_a_confidential_result_entry_and_document_are_invisible_to_the_parent(
    api: Client, teen: User, parent: User, doctor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open_everything(monkeypatch)
    pid = teen.patient_id
    assert pid
    plain = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(name="Lipid panel"))
    secret = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(name="Chlamydia NAAT"))
    assert plain.status_code == secret.status_code == 201
    secret_id = secret.json_body["id"]
    problem = _send(api, "POST", f"/patients/{pid}/problems", doctor, {"name": "Anxiety disorder"}).json_body
    document_id = upload_document(pid, finalize=True)

    for kind, item_id in (("result", secret_id), ("problem", problem["id"]), ("document", document_id)):
        marked = _send(
            api,
            "POST",
            f"/staff/patients/{pid}/confidential",
            doctor,
            {"kind": kind, "item_id": item_id, "confidential": True},
        )
        assert marked.status_code == 200, marked.body
        assert marked.json_body["hidden"] is True

    listed = api.http.get(f"/patients/{pid}/results", headers=parent.auth).json_body
    assert [r["name"] for r in listed["items"]] == ["Lipid panel"]
    assert listed["some_hidden"] is True
    unknown = api.http.get(f"/patients/{pid}/results/r-nothing", headers=parent.auth)
    hidden = api.http.get(f"/patients/{pid}/results/{secret_id}", headers=parent.auth)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json_body["error"]["message"] == unknown.json_body["error"]["message"]
    trend = api.http.get(f"/patients/{pid}/results/trend?code=2345-7", headers=parent.auth).json_body
    assert len(trend["points"]) == 1

    summary = api.http.get(f"/patients/{pid}/summary", headers=parent.auth).json_body
    assert "Anxiety disorder" not in json.dumps(summary)
    assert summary["some_hidden"] is True
    documents = api.http.get(f"/patients/{pid}/documents", headers=parent.auth).json_body
    assert documents["items"] == []
    assert documents["some_hidden"] is True
    assert api.http.get(f"/patients/{pid}/documents/{document_id}", headers=parent.auth).status_code == 404

    # The export is granted through health_record here: it leaves all three out.
    exported = api.http.get(f"/patients/{pid}/export", headers=parent.auth)
    assert exported.status_code == 200
    text = exported.body.decode()
    assert "Lipid panel" in text
    assert "Chlamydia" not in text
    assert "Anxiety" not in text
    assert document_id not in text

    # The teen sees everything, each item flagged for them as well.
    own = api.http.get(f"/patients/{pid}/results", headers=teen.auth).json_body
    assert sorted(r["name"] for r in own["items"]) == ["Chlamydia NAAT", "Lipid panel"]
    assert own["some_hidden"] is False
    assert api.http.get(f"/patients/{pid}/results/{secret_id}", headers=teen.auth).status_code == 200
    assert "Chlamydia" in api.http.get(f"/patients/{pid}/export", headers=teen.auth).body.decode()

    # Unmarked again, the parent sees it.
    _send(
        api,
        "POST",
        f"/staff/patients/{pid}/confidential",
        doctor,
        {"kind": "result", "item_id": secret_id, "confidential": False},
    )
    assert api.http.get(f"/patients/{pid}/results/{secret_id}", headers=parent.auth).status_code == 200


def test_a_confidential_category_hides_without_marking(
    api: Client, teen: User, parent: User, doctor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = MinorsSettings(teen_safe_areas=["health_record"], confidential_categories=["lab"])
    monkeypatch.setattr("chalicelib.core.minors.settings", lambda: wide)
    pid = teen.patient_id
    made = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body()).json_body
    assert made["confidential"] is True
    assert api.http.get(f"/patients/{pid}/results", headers=parent.auth).json_body["items"] == []
    assert api.http.get(f"/patients/{pid}/results/{made['id']}", headers=parent.auth).status_code == 404


def test_the_teen_rules_begin_on_the_twelfth_birthday_in_the_clinic_time_zone(
    api: Client, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = make_user(Role.PATIENT, name="Kim Child")
    assert child.patient_id
    zone = config.clinic().time_zone
    now = datetime.now(UTC)
    local_today = now.astimezone(ZoneInfo(zone)).date()
    birthday = local_today + timedelta(days=1)
    _born(child.patient_id, birthday.replace(year=birthday.year - 12))
    parent = _parent_of(api, make_user, child)
    results = f"/patients/{child.patient_id}/results"

    assert api.http.get(results, headers=parent.auth).status_code == 200  # still 11: a child's record

    # Midnight of the birthday, clinic time: 12 now, so the teen rules apply.
    midnight = datetime.combine(birthday, datetime.min.time(), tzinfo=ZoneInfo(zone))
    monkeypatch.setattr("chalicelib.core.dynamo.utcnow", lambda: midnight.astimezone(UTC))
    assert api.http.get(results, headers=parent.auth).status_code == 404
    assert api.http.get(f"/patients/{child.patient_id}/appointments", headers=parent.auth).status_code == 200
    # One second earlier (still the day before in the clinic, though already the birthday in UTC): 11.
    monkeypatch.setattr(
        "chalicelib.core.dynamo.utcnow", lambda: midnight.astimezone(UTC) - timedelta(seconds=1)
    )
    assert api.http.get(results, headers=parent.auth).status_code == 200


def test_only_clinicians_mark_and_an_unknown_item_is_not_found(
    api: Client, teen: User, parent: User, doctor: User, make_user: UserFactory
) -> None:
    pid = teen.patient_id
    body = {"kind": "result", "item_id": "r-nothing", "confidential": True}
    assert _send(api, "POST", f"/staff/patients/{pid}/confidential", doctor, body).status_code == 404
    assert _send(api, "POST", f"/staff/patients/{pid}/confidential", teen, body).status_code == 403
    assert _send(api, "POST", f"/staff/patients/{pid}/confidential", parent, body).status_code == 403
    bad = _send(api, "POST", f"/staff/patients/{pid}/confidential", doctor, {**body, "kind": "x-ray"})
    assert bad.status_code == 400
    assert "kind" in bad.json_body["error"]["fields"]


def test_a_confidential_conversation_is_invisible_to_the_parent(
    api: Client, teen: User, parent: User, doctor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "chalicelib.core.minors.settings", lambda: MinorsSettings(teen_safe_areas=["messages"])
    )
    pid = teen.patient_id
    body = {"pool_id": POOL, "subject": "A private question", "body": "Can we talk alone?"}
    started = _send(api, "POST", f"/patients/{pid}/threads", teen, body)
    assert started.status_code == 201, started.body
    thread_id = started.json_body["thread"]["id"]
    assert len(api.http.get(f"/patients/{pid}/threads", headers=parent.auth).json_body["items"]) == 1

    marked = _send(
        api,
        "POST",
        f"/staff/patients/{pid}/confidential",
        doctor,
        {"kind": "thread", "item_id": thread_id, "confidential": True},
    )
    assert marked.status_code == 200, marked.body
    listed = api.http.get(f"/patients/{pid}/threads", headers=parent.auth).json_body
    assert listed["items"] == []
    assert listed["some_hidden"] is True
    assert api.http.get(f"/patients/{pid}/threads/{thread_id}", headers=parent.auth).status_code == 404
    assert api.http.get(f"/patients/{pid}/threads/{thread_id}", headers=teen.auth).status_code == 200


def _their_record(api: Client, caller: User, patient_id: str | None) -> dict[str, Any]:
    me = api.http.get("/me", headers=caller.auth).json_body
    return next(ref for ref in me["patients"] if ref["id"] == patient_id)


def test_the_parents_account_offers_only_the_teen_safe_areas(
    api: Client, teen: User, parent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clinic's default: appointments, billing, and of the health record the immunizations alone.
    ref = _their_record(api, parent, teen.patient_id)
    assert ref["areas"] == ["appointments", "billing", "health_record"]
    assert ref["immunizations_only"] is True
    # The teen's own account is the whole record.
    own = _their_record(api, teen, teen.patient_id)
    assert own["areas"] is None
    assert own["immunizations_only"] is False

    # A clinic that opens the whole record and documents to parents: no immunizations-only record.
    _open_everything(monkeypatch)
    wide = _their_record(api, parent, teen.patient_id)
    assert wide["areas"] == ["appointments", "billing", "documents", "health_record"]
    assert wide["immunizations_only"] is False

    # A child under 12 is not a teenager: the parent's grant reads as it was made (here, the whole record).
    assert teen.patient_id
    _born(teen.patient_id, _years_ago(11))
    younger = _their_record(api, parent, teen.patient_id)
    assert younger["areas"] is None
    assert younger["immunizations_only"] is False
