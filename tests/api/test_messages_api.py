"""Secure messaging through the API: a whole conversation, who may see it, and every kind of bad input.

The inboxes are shared by the whole test session, so assertions look only at this test's threads.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from chalice.test import Client

from chalicelib.core import users as user_store
from chalicelib.core.identity import Role
from chalicelib.messaging.models import MAX_BODY_CHARS
from tests.api.conftest import User, UserFactory

POOL = "dr-rivera-team"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _send(api: Client, method: str, url: str, user: User, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    return api.http.request(method, url, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


def _member(make_user: UserFactory, role: Role = Role.CLINICIAN, pools: tuple[str, ...] = (POOL,)) -> User:
    user = make_user(role, name=f"Nurse {role.value}")
    user_store.set_pools(user.sub, list(pools))
    return user


def _patient(api: Client, make_user: UserFactory, email: str | None = None) -> User:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    if email:
        url = f"/patients/{patient.patient_id}/profile"
        version = api.http.get(url, headers=patient.auth).json_body["version"]
        assert _send(api, "PATCH", url, patient, {"version": version, "email": email}).status_code == 200
    return patient


def _start(api: Client, patient: User, **overrides: Any) -> dict[str, Any]:
    body = {
        "pool_id": POOL,
        "subject": "Question about my dose",
        "body": "Is twice a day right?",
        **overrides,
    }
    response = _send(api, "POST", f"/patients/{patient.patient_id}/threads", patient, body)
    assert response.status_code == 201, response.body
    return dict(response.json_body)


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def _log(api: Client, patient: User) -> list[str]:
    url = f"/patients/{patient.patient_id}/access-log?limit=100"
    return [entry["action"] for entry in api.http.get(url, headers=patient.auth).json_body["items"]]


def test_a_whole_conversation(api: Client, make_user: UserFactory) -> None:
    patient = _patient(api, make_user, "alice.msg@example.com")
    nurse = _member(make_user)
    pid = patient.patient_id

    compose = api.http.get("/care-teams", headers=patient.auth).json_body
    assert "911" in compose["emergency_notice"]
    assert compose["max_body_chars"] == MAX_BODY_CHARS
    assert POOL in [p["id"] for p in compose["pools"]]

    started = _start(api, patient)
    thread_id = started["thread"]["id"]
    assert started["thread"]["pool_name"] == "Dr. Rivera's team"
    assert _ids(api.http.get(f"/patients/{pid}/threads", headers=patient.auth).json_body) == [thread_id]

    pools = {p["id"]: p for p in api.http.get("/staff/pools", headers=nurse.auth).json_body["items"]}
    assert list(pools) == [POOL]
    assert pools[POOL]["unread"] >= 1
    inbox = api.http.get(f"/staff/pools/{POOL}/inbox?state=unread&limit=100", headers=nurse.auth)
    assert inbox.status_code == 200, inbox.body
    assert thread_id in _ids(inbox.json_body)

    url = f"/patients/{pid}/threads/{thread_id}"
    opened = api.http.get(url, headers=nurse.auth).json_body
    assert opened["thread"]["inbox_state"] == "open"
    assert [m["body"] for m in opened["messages"]] == ["Is twice a day right?"]
    assert _send(api, "POST", f"{url}/assign", nurse).json_body["assignee_name"] == "Nurse clinician"

    answer = _send(api, "POST", f"{url}/messages", nurse, {"body": "Yes, morning and evening."})
    assert answer.status_code == 201, answer.body
    assert api.http.get(f"/patients/{pid}/threads/unread", headers=patient.auth).json_body == {
        "unread_threads": 1
    }
    [mail] = _emails_to("alice.msg@example.com")
    assert "Question about my dose" not in mail.subject + mail.body
    assert "morning and evening" not in mail.body

    mine = api.http.get(url, headers=patient.auth).json_body
    assert [(m["side"], m["author_name"]) for m in mine["messages"]] == [
        ("patient", "Alice Alpha"),
        ("clinic", "Nurse clinician"),
    ]
    assert mine["thread"]["unread"] is False

    closed = _send(api, "POST", f"{url}/close", nurse)
    assert closed.json_body["status"] == "closed"
    late = _send(api, "POST", f"{url}/messages", patient, {"body": "One more thing"})
    assert late.status_code == 409
    assert "closed" in late.json_body["error"]["message"]
    assert api.http.get(url, headers=patient.auth).json_body["thread"]["message_count"] == 2

    log = _log(api, patient)
    for action in ("thread.create", "thread.list", "inbox.read", "thread.read", "thread.assign"):
        assert action in log
    assert log.count("message.send") == 1
    assert "thread.close" in log


def test_another_patient_cannot_read_reply_to_or_learn_of_a_thread(
    api: Client, make_user: UserFactory
) -> None:
    alice = _patient(api, make_user)
    bob = make_user(Role.PATIENT, name="Bob Beta")
    thread_id = _start(api, alice)["thread"]["id"]
    theirs = f"/patients/{alice.patient_id}/threads/{thread_id}"
    own_pid = f"/patients/{bob.patient_id}/threads/{thread_id}"
    never = f"/patients/{bob.patient_id}/threads/{'0' * 32}"

    answers = [
        api.http.get(theirs, headers=bob.auth),
        api.http.get(own_pid, headers=bob.auth),
        api.http.get(never, headers=bob.auth),
        _send(api, "POST", f"{theirs}/messages", bob, {"body": "hi"}),
        _send(api, "POST", f"{own_pid}/messages", bob, {"body": "hi"}),
        api.http.get(f"/patients/{alice.patient_id}/threads", headers=bob.auth),
        api.http.get(f"{theirs}/attachments/{'1' * 32}", headers=bob.auth),
    ]
    assert {(a.status_code, a.json_body["error"]["code"]) for a in answers} == {(404, "not_found")}
    assert len({a.json_body["error"]["message"] for a in answers[:5]}) <= 2  # patient / conversation
    assert api.http.get(theirs, headers=alice.auth).json_body["thread"]["message_count"] == 1
    assert _ids(api.http.get(f"/patients/{bob.patient_id}/threads", headers=bob.auth).json_body) == []


def test_staff_outside_the_pool_get_nothing_unless_admin(api: Client, make_user: UserFactory) -> None:
    alice = _patient(api, make_user)
    thread_id = _start(api, alice)["thread"]["id"]
    url = f"/patients/{alice.patient_id}/threads/{thread_id}"
    desk = _member(make_user, Role.FRONT_DESK, ("front-desk",))
    loner = make_user(Role.CLINICIAN, name="No Pool")

    for outsider in (desk, loner):
        refused = api.http.get(f"/staff/pools/{POOL}/inbox", headers=outsider.auth)
        assert (refused.status_code, refused.json_body["error"]["code"]) == (403, "forbidden")
        assert api.http.get(url, headers=outsider.auth).status_code == 404
        assert _send(api, "POST", f"{url}/messages", outsider, {"body": "hi"}).status_code == 404
        assert _send(api, "POST", f"{url}/close", outsider).status_code == 404
    assert api.http.get("/staff/pools", headers=loner.auth).json_body["items"] == []
    assert api.http.get("/staff/pools/no-such-team/inbox", headers=desk.auth).status_code == 404

    admin = make_user(Role.ADMIN, name="Ada Admin")
    inbox = api.http.get(f"/staff/pools/{POOL}/inbox?limit=100", headers=admin.auth)
    assert thread_id in _ids(inbox.json_body)
    assert len(api.http.get("/staff/pools", headers=admin.auth).json_body["items"]) == 5
    assert api.http.get(url, headers=admin.auth).status_code == 200
    # Patients have no staff views at all.
    assert api.http.get(f"/staff/pools/{POOL}/inbox", headers=alice.auth).status_code == 403


def test_bad_input_is_a_clear_400_and_writes_nothing(api: Client, make_user: UserFactory) -> None:
    alice = _patient(api, make_user)
    pid = alice.patient_id
    thread_id = _start(api, alice)["thread"]["id"]
    url = f"/patients/{pid}/threads/{thread_id}"
    cases: list[tuple[str, dict[str, Any], str]] = [
        (f"/patients/{pid}/threads", {"pool_id": POOL, "subject": "s", "body": "   "}, "body"),
        (f"/patients/{pid}/threads", {"pool_id": POOL, "subject": "", "body": "hi"}, "subject"),
        (f"/patients/{pid}/threads", {"pool_id": "no-such-team", "subject": "s", "body": "hi"}, "pool_id"),
        (
            f"/patients/{pid}/threads",
            {"pool_id": POOL, "subject": "s", "body": "x" * (MAX_BODY_CHARS + 1)},
            "body",
        ),
        (f"{url}/messages", {"body": ""}, "body"),
        (f"{url}/messages", {"body": "x" * (MAX_BODY_CHARS + 1)}, "body"),
        (f"{url}/messages", {"body": "hi", "html": "<b>x</b>"}, "html"),
        (f"{url}/messages", {"body": "hi", "attachment_ids": ["../etc/passwd"]}, "attachment_ids.0"),
        (f"{url}/messages", {"body": "hi", "attachment_ids": ["a" * 32]}, "attachment_ids"),
    ]
    for path, body, field in cases:
        response = _send(api, "POST", path, alice, body)
        assert response.status_code == 400, (field, response.body)
        assert field in response.json_body["error"]["fields"], (field, response.body)
    assert api.http.get(f"{url}?limit=x", headers=alice.auth).status_code == 400
    assert api.http.get(f"{url}?cursor=bm90LWEtY3Vyc29y", headers=alice.auth).status_code == 400
    assert _ids(api.http.get(f"/patients/{pid}/threads", headers=alice.auth).json_body) == [thread_id]
    assert api.http.get(url, headers=alice.auth).json_body["thread"]["message_count"] == 1


def test_a_body_is_plain_text_kept_verbatim(api: Client, make_user: UserFactory) -> None:
    alice = _patient(api, make_user)
    markup = '<img src=x onerror="alert(1)"> & <b>bold</b>\nsecond line'
    started = _start(api, alice, body=markup)
    assert started["messages"][0]["body"] == markup  # stored as text; the web app renders it as text


def test_messages_page_by_cursor(api: Client, make_user: UserFactory) -> None:
    alice = _patient(api, make_user)
    nurse = _member(make_user)
    thread_id = _start(api, alice, body="m0")["thread"]["id"]
    url = f"/patients/{alice.patient_id}/threads/{thread_id}"
    for n in range(1, 5):
        who = nurse if n % 2 else alice
        assert _send(api, "POST", f"{url}/messages", who, {"body": f"m{n}"}).status_code == 201
    first = api.http.get(f"{url}?limit=3", headers=alice.auth).json_body
    second = api.http.get(f"{url}?limit=3&cursor={first['next_cursor']}", headers=alice.auth).json_body
    assert [m["body"] for m in first["messages"] + second["messages"]] == ["m0", "m1", "m2", "m3", "m4"]


def _upload(api: Client, user: User, pid: str | None, data: bytes, content_type: str) -> Any:
    ticket = _send(
        api,
        "POST",
        f"/patients/{pid}/documents",
        user,
        {"filename": "photo.png", "content_type": content_type, "size": len(data)},
    )
    if ticket.status_code != 201:
        return ticket
    upload = ticket.json_body["upload"]
    posted = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("x", data, content_type)}, timeout=10
    )
    assert posted.status_code in (200, 201, 204)
    return _send(
        api, "POST", f"/patients/{pid}/documents/{ticket.json_body['document']['id']}/finalize", user
    )


def test_attachments_follow_the_documents_rules_and_download_through_the_thread(
    api: Client, make_user: UserFactory
) -> None:
    alice = _patient(api, make_user)
    bob = make_user(Role.PATIENT, name="Bob Beta")
    nurse = _member(make_user, Role.BILLING)  # no general document access: the thread grants this one
    pid = alice.patient_id

    done = _upload(api, alice, pid, PNG, "image/png")
    assert done.status_code == 200, done.body
    document_id = done.json_body["id"]
    # Wrong type or size never becomes a document, so it can never be attached.
    assert _upload(api, alice, pid, b"<html></html>", "text/html").status_code == 400
    too_big = _send(
        api,
        "POST",
        f"/patients/{pid}/documents",
        alice,
        {"filename": "big.pdf", "content_type": "application/pdf", "size": 11 * 1024 * 1024},
    )
    assert too_big.status_code == 400
    fake = _upload(api, alice, pid, b"not really a png at all", "image/png")
    assert fake.status_code == 415
    bobs = _upload(api, bob, bob.patient_id, PNG, "image/png").json_body["id"]

    refused = _send(
        api,
        "POST",
        f"/patients/{pid}/threads",
        alice,
        {"pool_id": POOL, "subject": "Rash", "body": "See photo", "attachment_ids": [bobs]},
    )
    assert refused.status_code == 400
    assert _ids(api.http.get(f"/patients/{pid}/threads", headers=alice.auth).json_body) == []

    started = _start(api, alice, subject="Rash", body="See photo", attachment_ids=[document_id])
    [attachment] = started["messages"][0]["attachments"]
    assert (attachment["document_id"], attachment["content_type"]) == (document_id, "image/png")
    link = f"/patients/{pid}/threads/{started['thread']['id']}/attachments/{document_id}"
    download = api.http.get(link, headers=nurse.auth)
    assert download.status_code == 200, download.body
    assert download.json_body["expires_in"] <= 60
    assert requests.get(download.json_body["url"], timeout=10).content == PNG
    assert api.http.get(link, headers=bob.auth).status_code == 404
    other = _upload(api, alice, pid, PNG, "image/png").json_body["id"]  # in her chart, not in this thread
    assert api.http.get(link.replace(document_id, other), headers=nurse.auth).status_code == 404
    assert "attachment.read" in _log(api, alice)


def test_the_digest_runs_on_demand_for_admins(api: Client, make_user: UserFactory) -> None:
    admin = make_user(Role.ADMIN, name="Ada Admin")
    alice = _patient(api, make_user)
    _start(api, alice)
    user_store.put_account(
        sub="sub-digest",
        username="digest",
        display_name="D",
        role=Role.CLINICIAN,
        pools=[POOL],
        email="digest.nurse@clinic.example",
    )
    ran = _send(api, "POST", "/staff/messaging/digest", admin)
    assert ran.status_code == 200, ran.body
    assert ran.json_body["pools"][POOL] >= 1
    [mail] = _emails_to("digest.nurse@clinic.example")
    assert "Dr. Rivera's team:" in mail.body
    assert "Question about my dose" not in mail.body
    assert _send(api, "POST", "/staff/messaging/digest", make_user(Role.CLINICIAN)).status_code == 403
