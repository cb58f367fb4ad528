"""A confidential item stays out of a teenager's parent's reach on every route that could reveal it (lists,
first pages, attachments, home counts, emails, the FHIR export); `some_hidden` tells only them, and always,
that some may be private."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core import users as user_store
from chalicelib.core.clinic_settings import MinorsSettings
from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory
from tests.api.messages_samples import POOL, available_document
from tests.api.records_samples import result_body, upload_document
from tests.api.test_teen_access_api import _born, _parent_of, _send, _years_ago


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


@pytest.fixture(autouse=True)
def _open_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Teen-safe areas that include results, documents and messages: only item-level hiding is tested."""
    wide = MinorsSettings(
        teen_safe_areas=["appointments", "billing", "health_record", "documents", "messages"]
    )
    monkeypatch.setattr("chalicelib.core.minors.settings", lambda: wide)


@pytest.fixture
def doctor(make_user: UserFactory) -> User:
    user = make_user(Role.CLINICIAN, name="Dana Doctor")
    user_store.set_pools(user.sub, [POOL])
    return user


@pytest.fixture
def teen(make_user: UserFactory) -> User:
    user = make_user(Role.PATIENT, name="Riley Teen")
    assert user.patient_id
    _born(user.patient_id, _years_ago(15))
    return user


@pytest.fixture
def parent(api: Client, make_user: UserFactory, teen: User) -> User:
    return _parent_of(api, make_user, teen)


def _mark(api: Client, doctor: User, pid: str, kind: str, item_id: str, confidential: bool = True) -> None:
    body = {"kind": kind, "item_id": item_id, "confidential": confidential}
    marked = _send(api, "POST", f"/staff/patients/{pid}/confidential", doctor, body)
    assert marked.status_code == 200, marked.body


def _thread(api: Client, teen: User, subject: str, attachment_ids: list[str] | None = None) -> str:
    body = {"pool_id": POOL, "subject": subject, "body": "Hello", "attachment_ids": attachment_ids or []}
    started = _send(api, "POST", f"/patients/{teen.patient_id}/threads", teen, body)
    assert started.status_code == 201, started.body
    return str(started.json_body["thread"]["id"])


def _error(response: Any) -> dict[str, Any]:
    """The error as a user sees it (each answer has its own request id)."""
    return {k: v for k, v in response.json_body["error"].items() if k != "request_id"}


def _hidden_flags(api: Client, pid: str, user: User) -> dict[str, bool]:
    return {
        path: api.http.get(f"/patients/{pid}/{path}", headers=user.auth).json_body["some_hidden"]
        for path in ("results?limit=1", "documents", "threads?limit=1")
    }


def test_the_parent_is_always_told_some_may_be_private_and_never_whether_anything_is(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    assert pid
    told = {"results?limit=1": True, "documents": True, "threads?limit=1": True}
    nothing = {path: False for path in told}
    # Before anything is marked, the parent already reads the notice: its presence tells nothing.
    assert _hidden_flags(api, pid, parent) == told

    # The confidential result is the older one: the first page (limit 1) shows the newer, ordinary one.
    secret = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(name="Chlamydia NAAT"))
    plain = result_body(name="Lipid panel", collected_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat())
    assert _send(api, "POST", f"/patients/{pid}/results", doctor, plain).status_code == 201
    _mark(api, doctor, pid, "result", secret.json_body["id"])
    secret_thread = _thread(api, teen, "Private")
    _thread(api, teen, "Ordinary")
    _mark(api, doctor, pid, "thread", secret_thread)
    document_id = upload_document(pid, finalize=True)
    _mark(api, doctor, pid, "document", document_id)
    assert _hidden_flags(api, pid, parent) == told
    results = api.http.get(f"/patients/{pid}/results", headers=parent.auth).json_body
    assert [r["name"] for r in results["items"]] == ["Lipid panel"]
    threads = api.http.get(f"/patients/{pid}/threads", headers=parent.auth).json_body
    assert [t["subject"] for t in threads["items"]] == ["Ordinary"]
    assert api.http.get(f"/patients/{pid}/documents", headers=parent.auth).json_body["items"] == []

    # Never for the teen themself, nor for a clinician.
    assert _hidden_flags(api, pid, teen) == nothing
    for path in ("results?limit=1", "documents"):
        assert api.http.get(f"/patients/{pid}/{path}", headers=doctor.auth).json_body["some_hidden"] is False

    # Unmarked again: the parent sees them, and is told the same as before.
    _mark(api, doctor, pid, "result", secret.json_body["id"], confidential=False)
    _mark(api, doctor, pid, "thread", secret_thread, confidential=False)
    _mark(api, doctor, pid, "document", document_id, confidential=False)
    assert _hidden_flags(api, pid, parent) == told
    results = api.http.get(f"/patients/{pid}/results", headers=parent.auth).json_body
    assert sorted(r["name"] for r in results["items"]) == ["Chlamydia NAAT", "Lipid panel"]


def test_a_confidential_document_attached_to_an_ordinary_conversation_is_out_of_the_parents_reach(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    assert pid
    secret_doc = available_document(pid, "private.pdf")
    plain_doc = available_document(pid, "plain.pdf")
    thread_id = _thread(api, teen, "Two files", [secret_doc, plain_doc])
    _mark(api, doctor, pid, "document", secret_doc)
    url = f"/patients/{pid}/threads/{thread_id}"

    opened = api.http.get(url, headers=parent.auth)
    assert opened.status_code == 200
    [message] = opened.json_body["messages"]
    assert [a["filename"] for a in message["attachments"]] == ["plain.pdf"]
    assert "private.pdf" not in opened.body.decode()

    hidden = api.http.get(f"{url}/attachments/{secret_doc}", headers=parent.auth)
    unknown = api.http.get(f"{url}/attachments/d-nothing", headers=parent.auth)
    assert hidden.status_code == unknown.status_code == 404
    assert _error(hidden) == _error(unknown)
    assert api.http.get(f"{url}/attachments/{plain_doc}", headers=parent.auth).status_code == 200

    # The parent cannot attach it again elsewhere either: the same refusal as for an unknown id.
    refused = _send(
        api,
        "POST",
        f"{url}/messages",
        parent,
        {"body": "See this", "attachment_ids": [secret_doc]},
    )
    refused_unknown = _send(api, "POST", f"{url}/messages", parent, {"body": "x", "attachment_ids": ["d-no"]})
    assert refused.status_code == refused_unknown.status_code == 400
    assert _error(refused) == _error(refused_unknown)

    # The teen and the clinician still see and download both.
    for user in (teen, doctor):
        mine = api.http.get(url, headers=user.auth).json_body
        assert sorted(a["filename"] for a in mine["messages"][0]["attachments"]) == [
            "plain.pdf",
            "private.pdf",
        ]
        assert api.http.get(f"{url}/attachments/{secret_doc}", headers=user.auth).status_code == 200


def test_home_counts_leave_out_confidential_results_and_conversations_for_the_parent(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    assert pid
    plain = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(name="Lipid panel"))
    secret = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(name="Chlamydia NAAT"))
    assert plain.status_code == secret.status_code == 201
    _mark(api, doctor, pid, "result", secret.json_body["id"])
    ordinary, private = _thread(api, teen, "Ordinary"), _thread(api, teen, "Private")
    for thread_id in (ordinary, private):
        reply = _send(
            api, "POST", f"/patients/{pid}/threads/{thread_id}/messages", doctor, {"body": "Answer"}
        )
        assert reply.status_code == 201, reply.body
    _mark(api, doctor, pid, "thread", private)

    home = api.http.get(f"/patients/{pid}/home", headers=parent.auth).json_body
    assert (home["new_results"], home["unread_threads"]) == (1, 1)
    badge = api.http.get(f"/patients/{pid}/threads/unread", headers=parent.auth).json_body
    assert badge == {"unread_threads": 1}
    own = api.http.get(f"/patients/{pid}/home", headers=teen.auth).json_body
    assert (own["new_results"], own["unread_threads"]) == (2, 2)


def test_a_clinic_reply_in_a_confidential_conversation_sends_no_email_to_the_teens_address(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    assert pid
    address = f"family.{pid}@example.com"
    profile_url = f"/patients/{pid}/profile"
    version = api.http.get(profile_url, headers=teen.auth).json_body["version"]
    assert _send(api, "PATCH", profile_url, teen, {"version": version, "email": address}).status_code == 200
    ordinary, private = _thread(api, teen, "Ordinary"), _thread(api, teen, "Private")
    _mark(api, doctor, pid, "thread", private)

    for thread_id in (private, ordinary):
        reply = _send(
            api, "POST", f"/patients/{pid}/threads/{thread_id}/messages", doctor, {"body": "Answer"}
        )
        assert reply.status_code == 201, reply.body

    assert len(_emails_to(address)) == 1  # the ordinary conversation's notice only


def test_the_parents_fhir_export_is_a_valid_bundle_without_the_confidential_items(
    api: Client, teen: User, parent: User, doctor: User
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    pid = teen.patient_id
    assert pid
    secret = _send(api, "POST", f"/patients/{pid}/results", doctor, result_body(name="Chlamydia NAAT"))
    _mark(api, doctor, pid, "result", secret.json_body["id"])
    document_id = upload_document(pid, finalize=True)
    _mark(api, doctor, pid, "document", document_id)

    exported = api.http.get(f"/patients/{pid}/export", headers=parent.auth)
    assert exported.status_code == 200
    bundle = Bundle.model_validate_json(exported.body)
    kinds = sorted(entry.resource.get_resource_type() for entry in bundle.entry or [] if entry.resource)
    assert kinds == ["Patient"]
    assert secret.json_body["id"] not in exported.body.decode()

    own = Bundle.model_validate_json(api.http.get(f"/patients/{pid}/export", headers=teen.auth).body)
    own_kinds = {entry.resource.get_resource_type() for entry in own.entry or [] if entry.resource}
    assert {"DiagnosticReport", "DocumentReference"} <= own_kinds


def test_staff_and_the_teen_see_a_document_marked_confidential_and_the_parent_does_not_receive_it(
    api: Client, make_user: UserFactory, teen: User, parent: User, doctor: User
) -> None:
    pid = teen.patient_id
    assert pid
    secret = available_document(pid, "private.pdf")
    available_document(pid, "plain.pdf")
    desk = make_user(Role.FRONT_DESK, name="Frankie Desk")

    def marks(user: User) -> dict[str, bool]:
        listed = api.http.get(f"/patients/{pid}/documents", headers=user.auth)
        assert listed.status_code == 200, listed.body
        return {d["filename"]: d["confidential"] for d in listed.json_body["items"]}

    assert marks(doctor) == {"private.pdf": False, "plain.pdf": False}
    _mark(api, doctor, pid, "document", secret)

    for user in (doctor, desk, teen):
        assert marks(user) == {"private.pdf": True, "plain.pdf": False}
    assert marks(parent) == {"plain.pdf": False}
