"""The profile and access-log routes as a browser uses them."""

from __future__ import annotations

import json
from typing import Any

from botocore.stub import Stubber
from chalice.test import Client

from chalicelib.core import aws
from chalicelib.core import users as user_store
from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


def _patch(
    api: Client, user: User, patient_id: str, body: Any, content_type: str = "application/json"
) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return api.http.request(
        "PATCH",
        f"/patients/{patient_id}/profile",
        headers={**user.auth, "Content-Type": content_type},
        body=raw.encode(),
    )


def test_patient_changes_phone_and_sees_it_kept(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    assert pid
    profile = api.http.get(f"/patients/{pid}/profile", headers=alice.auth).json_body

    saved = _patch(api, alice, pid, {"version": profile["version"], "phone": "(217) 555-0123"})

    assert saved.status_code == 200, saved.body
    assert saved.json_body["phone"] == "+12175550123"
    assert saved.json_body["version"] == profile["version"] + 1
    again = api.http.get(f"/patients/{pid}/profile", headers=alice.auth).json_body
    assert again["phone"] == "+12175550123"
    assert again["legal_name"] == profile["legal_name"]


def test_invalid_fields_are_named_and_nothing_is_saved(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    assert pid
    before = api.http.get(f"/patients/{pid}/profile", headers=alice.auth).json_body

    response = _patch(
        api,
        alice,
        pid,
        {
            "version": before["version"],
            "phone": "12",
            "email": "not-an-email",
            "preferred_name": "x" * 61,
            "address": {"line1": "1 Main St", "city": "Springfield", "state": "ZZ", "postal_code": "6270"},
        },
    )

    assert response.status_code == 400
    fields = response.json_body["error"]["fields"]
    assert {"phone", "email", "preferred_name", "address.state", "address.postal_code"} <= set(fields)
    assert "6270" not in json.dumps(fields)  # values are never echoed back
    after = api.http.get(f"/patients/{pid}/profile", headers=alice.auth).json_body
    assert {k: v for k, v in after.items()} == before


def test_unknown_fields_and_read_only_fields_are_refused(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    assert pid
    for body in (
        {"version": 1, "legal_name": {"given": "Eve", "family": "X"}},
        {"version": 1, "PK": "USER#x"},
    ):
        response = _patch(api, alice, pid, body)
        assert response.status_code == 400
        assert set(response.json_body["error"]["fields"]) & {"legal_name", "PK"}


def test_malformed_and_wrong_type_bodies_are_400(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    assert pid
    assert _patch(api, alice, pid, "{not json").json_body["error"]["code"] == "bad_request"
    assert _patch(api, alice, pid, "[1, 2]").status_code == 400
    wrong_type = _patch(
        api, alice, pid, {"version": "three", "communication": {"sms_notifications": "maybe"}}
    )
    assert wrong_type.status_code == 400
    assert {"version", "communication.sms_notifications"} <= set(wrong_type.json_body["error"]["fields"])
    assert _patch(api, alice, pid, "phone=1", content_type="text/plain").status_code == 415


def test_a_stale_version_is_a_conflict_not_a_silent_overwrite(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    version = api.http.get(f"/patients/{pid}/profile", headers=alice.auth).json_body["version"]

    first = _patch(api, desk, pid, {"version": version, "phone": "+12175550100"})
    second = _patch(api, alice, pid, {"version": version, "phone": "+12175550199"})

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json_body["error"]["code"] == "conflict"
    assert api.http.get(f"/patients/{pid}/profile", headers=alice.auth).json_body["phone"] == "+12175550100"


def test_caregiver_reaches_the_dependent_and_loses_access_when_unlinked(
    api: Client, make_user: UserFactory
) -> None:
    parent = make_user(Role.PATIENT, name="Pat Parent")
    child = make_user(Role.PATIENT, name="Kim Child")
    assert child.patient_id
    user_store.link_patient(sub=parent.sub, patient_id=child.patient_id, relationship="caregiver")

    me = api.http.get("/me", headers=parent.auth).json_body
    assert [(p["display_name"], p["relationship"]) for p in me["patients"]] == [
        ("Pat Parent", "self"),
        ("Kim Child", "caregiver"),
    ]
    assert api.http.get(f"/patients/{child.patient_id}/profile", headers=parent.auth).status_code == 200

    aws.table().delete_item(Key={"PK": f"USER#{parent.sub}", "SK": f"ACTS_FOR#{child.patient_id}"})
    assert api.http.get(f"/patients/{child.patient_id}/profile", headers=parent.auth).status_code == 404


def test_access_log_shows_who_did_what(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    version = api.http.get(f"/patients/{pid}/profile", headers=desk.auth).json_body["version"]
    _patch(api, desk, pid, {"version": version, "pronouns": "she/her"})

    log = api.http.get(f"/patients/{pid}/access-log", headers=alice.auth).json_body["items"]

    assert [(e["actor_name"], e["actor_role"], e["action_label"]) for e in log[:2]] == [
        ("Sam Desk", "front_desk", "Updated profile"),
        ("Sam Desk", "front_desk", "Viewed profile"),
    ]
    assert all(e["request_id"] for e in log)


def test_access_log_pages_by_cursor(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    for _ in range(5):
        api.http.get(f"/patients/{pid}/profile", headers=alice.auth)
    first = api.http.get(f"/patients/{pid}/access-log?limit=3&include_own=true", headers=alice.auth).json_body
    second = api.http.get(
        f"/patients/{pid}/access-log?limit=3&include_own=true&cursor={first['next_cursor']}",
        headers=alice.auth,
    ).json_body
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(first["items"]) == 3
    assert len(ids) == len(set(ids)) == 5
    bad = api.http.get(f"/patients/{pid}/access-log?limit=500", headers=alice.auth)
    assert bad.status_code == 400
    assert "limit" in bad.json_body["error"]["fields"]


def test_unexpected_failure_is_a_json_500_with_a_request_id(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    with Stubber(aws.dynamodb_client()) as stub:
        stub.add_client_error("query", service_error_code="ValidationException", http_status_code=400)
        response = api.http.get(f"/patients/{alice.patient_id}/profile", headers=alice.auth)
    assert response.status_code == 500
    error = response.json_body["error"]
    assert error["code"] == "internal"
    assert error["request_id"]
    assert "Traceback" not in response.body.decode()


def test_aws_busy_is_a_503_the_caller_may_retry(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    with Stubber(aws.dynamodb_client()) as stub:
        stub.add_client_error("query", service_error_code="InternalServerError", http_status_code=500)
        response = api.http.get(f"/patients/{alice.patient_id}/profile", headers=alice.auth)
    assert response.status_code == 503
    assert response.json_body["error"]["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0


def test_every_response_is_uncacheable(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    response = api.http.get(f"/patients/{alice.patient_id}/profile", headers=alice.auth)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_access_log_shows_others_by_default_and_own_reads_on_request(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    for _ in range(3):
        api.http.get(f"/patients/{pid}/profile", headers=alice.auth)
    api.http.get(f"/patients/{pid}/profile", headers=desk.auth)
    api.http.get(f"/patients/{pid}/threads/unread", headers=alice.auth)  # the badge's poll: not logged

    others = api.http.get(f"/patients/{pid}/access-log", headers=alice.auth).json_body["items"]
    mine = api.http.get(f"/patients/{pid}/access-log?include_own=true", headers=alice.auth).json_body["items"]

    assert [(e["who"], e["action_label"], e["mine"]) for e in others] == [
        ("Sam Desk, front desk", "Viewed profile", False)
    ]
    own_labels = [e["action_label"] for e in mine if e["mine"]]
    assert own_labels.count("Viewed profile") == 3
    assert "Checked for new messages" not in [e["action_label"] for e in mine]
    bad = api.http.get(f"/patients/{pid}/access-log?include_own=perhaps", headers=alice.auth)
    assert (bad.status_code, list(bad.json_body["error"]["fields"])) == (400, ["include_own"])


def test_me_reports_the_saved_language_the_portal_speaks(api: Client, make_user: UserFactory) -> None:
    maria = make_user(Role.PATIENT, name="Maria Gonzalez")
    pid = maria.patient_id
    assert pid
    assert api.http.get("/me", headers=maria.auth).json_body["user"]["language"] == "en"  # the default

    profile = api.http.get(f"/patients/{pid}/profile", headers=maria.auth).json_body
    assert (
        _patch(api, maria, pid, {"version": profile["version"], "preferred_language": "es"}).status_code
        == 200
    )
    assert api.http.get("/me", headers=maria.auth).json_body["user"]["language"] == "es"

    # A language the portal does not offer yet: the web app keeps the language chosen before sign-in.
    profile = api.http.get(f"/patients/{pid}/profile", headers=maria.auth).json_body
    assert (
        _patch(api, maria, pid, {"version": profile["version"], "preferred_language": "vi"}).status_code
        == 200
    )
    assert api.http.get("/me", headers=maria.auth).json_body["user"]["language"] is None
