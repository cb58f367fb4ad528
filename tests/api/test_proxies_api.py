"""Proxy access through the API: the front desk grants, the patient sees and revokes, the caregiver's very
next request no longer reaches the record. Real Cognito tokens (moto server), verified by the app."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory

NOTE = "Driver's licence and marriage certificate seen"


def _post(api: Client, user: User, patient_id: str, body: dict[str, Any]) -> Any:
    return api.http.post(
        f"/patients/{patient_id}/proxies",
        headers={**user.auth, "Content-Type": "application/json"},
        body=json.dumps(body).encode(),
    )


def _grant(username: str, **overrides: Any) -> dict[str, Any]:
    return {"username": username, "relationship": "spouse", "verification_note": NOTE, **overrides}


@pytest.fixture
def desk(make_user: UserFactory) -> User:
    return make_user(Role.FRONT_DESK, name="Sam Desk")


@pytest.fixture
def patient(make_user: UserFactory) -> User:
    return make_user(Role.PATIENT, name="Alex Patient")


@pytest.fixture
def carer(make_user: UserFactory) -> User:
    return make_user(Role.PATIENT, name="Maria Carer")


def test_grant_see_revoke_and_the_next_request_is_refused(
    api: Client, desk: User, patient: User, carer: User
) -> None:
    pid = patient.patient_id
    assert pid

    granted = _post(api, desk, pid, _grant(carer.username))
    assert granted.status_code == 201, granted.body
    assert granted.json_body["display_name"] == "Maria Carer"
    assert granted.json_body["granted_by_role"] == "front_desk"
    assert "verification_note" not in granted.json_body

    me = api.http.get("/me", headers=carer.auth).json_body
    assert {
        "id": pid,
        "display_name": "Alex Patient",
        "relationship": "caregiver",
        "areas": None,
        "access": "act",
        "immunizations_only": False,
    } in me["patients"]
    assert api.http.get(f"/patients/{pid}/profile", headers=carer.auth).status_code == 200

    listed = api.http.get(f"/patients/{pid}/proxies", headers=patient.auth)
    assert listed.status_code == 200
    assert [(p["sub"], p["relationship"], p["status"]) for p in listed.json_body["items"]] == [
        (carer.sub, "spouse", "active")
    ]
    assert NOTE not in listed.body.decode()

    revoked = api.http.delete(f"/patients/{pid}/proxies/{carer.sub}", headers=patient.auth)
    assert revoked.status_code == 204

    # The same, still valid token: the access check reads the account on every request.
    after = api.http.get(f"/patients/{pid}/profile", headers=carer.auth)
    assert after.status_code == 404
    assert after.json_body["error"]["code"] == "not_found"
    assert all(p["id"] != pid for p in api.http.get("/me", headers=carer.auth).json_body["patients"])

    again = api.http.delete(f"/patients/{pid}/proxies/{carer.sub}", headers=patient.auth)
    assert again.status_code == 404  # a retried revoke: the grant is already gone

    log = api.http.get(
        f"/patients/{pid}/access-log?limit=100&include_own=true", headers=patient.auth
    ).json_body["items"]
    actions = {entry["action"] for entry in log}
    assert {"proxy.grant", "proxy.list", "proxy.revoke"} <= actions
    assert NOTE not in str(log)


def test_the_caregiver_stops_acting_for_the_patient(
    api: Client, desk: User, patient: User, carer: User
) -> None:
    pid = patient.patient_id
    assert pid
    assert _post(api, desk, pid, _grant(carer.username, relationship="adult_child")).status_code == 201

    # A caregiver does not manage the patient's other caregivers: as if there were nothing to see.
    assert api.http.get(f"/patients/{pid}/proxies", headers=carer.auth).status_code == 404

    response = api.http.delete(f"/patients/{pid}/proxies/{carer.sub}", headers=carer.auth)
    assert response.status_code == 204
    assert api.http.get(f"/patients/{pid}/profile", headers=carer.auth).status_code == 404
    assert api.http.get(f"/patients/{pid}/proxies", headers=patient.auth).json_body["items"] == []


def test_a_scoped_grant_reaches_only_its_areas(api: Client, desk: User, patient: User, carer: User) -> None:
    pid = patient.patient_id
    assert pid
    scope = {"areas": ["billing", "appointments"], "access": "read"}
    granted = _post(api, desk, pid, _grant(carer.username, scope=scope))
    assert granted.status_code == 201, granted.body
    assert granted.json_body["scope"] == {"areas": ["appointments", "billing"], "access": "read"}
    mine = [p for p in api.http.get("/me", headers=carer.auth).json_body["patients"] if p["id"] == pid]
    assert [(p["areas"], p["access"]) for p in mine] == [(["appointments", "billing"], "read")]

    assert api.http.get(f"/patients/{pid}/appointments", headers=carer.auth).status_code == 200
    assert api.http.get(f"/patients/{pid}/statements", headers=carer.auth).status_code == 200
    assert api.http.get(f"/patients/{pid}/results", headers=carer.auth).status_code == 404
    assert api.http.get(f"/patients/{pid}/threads", headers=carer.auth).status_code == 404
    # read-only: booking is acting on the patient's behalf
    assert api.http.get(f"/patients/{pid}/booking-options", headers=carer.auth).status_code == 200
    assert api.http.get(f"/patients/{pid}/slots", headers=carer.auth).status_code == 404
    listed = api.http.get(f"/patients/{pid}/proxies", headers=patient.auth).json_body["items"]
    assert [p["scope"] for p in listed] == [{"areas": ["appointments", "billing"], "access": "read"}]


def test_a_grant_without_a_scope_is_the_whole_record(
    api: Client, desk: User, patient: User, carer: User
) -> None:
    pid = patient.patient_id
    assert pid
    granted = _post(api, desk, pid, _grant(carer.username))
    assert granted.json_body["scope"] == {"areas": "full", "access": "act"}
    assert api.http.get(f"/patients/{pid}/results", headers=carer.auth).status_code == 200


@pytest.mark.parametrize(
    "scope",
    [{"areas": []}, {"areas": ["hobbies"]}, {"areas": "everything"}, {"access": "write"}],
    ids=["no areas", "unknown area", "not full", "unknown access"],
)
def test_a_bad_scope_is_a_400_naming_it(
    api: Client, desk: User, patient: User, carer: User, scope: dict[str, Any]
) -> None:
    pid = patient.patient_id
    assert pid
    refused = _post(api, desk, pid, _grant(carer.username, scope=scope))
    assert refused.status_code == 400, refused.body
    assert all(name.startswith("scope") for name in refused.json_body["error"]["fields"])
    assert api.http.get(f"/patients/{pid}/proxies", headers=desk.auth).json_body["items"] == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (_grant("no-such-person"), 404, "username"),
        (_grant("STAFF"), 400, "username"),
        (_grant("SELF"), 400, "username"),
        (_grant("CARER", expires_on=date(2020, 1, 1).isoformat()), 400, "expires_on"),
        ({"username": "CARER", "relationship": "spouse"}, 400, "verification_note"),
        (_grant("CARER", verification_note="  "), 400, "verification_note"),
        (_grant("CARER", relationship="neighbour"), 400, "relationship"),
        ({**_grant("CARER"), "PK": "USER#x"}, 400, "PK"),
    ],
    ids=[
        "unknown username",
        "staff account",
        "the patient themself",
        "past end date",
        "missing note",
        "blank note",
        "unknown relationship",
        "extra field",
    ],
)
def test_bad_grants_are_clear_4xx_and_write_nothing(
    api: Client, desk: User, patient: User, carer: User, body: dict[str, Any], status: int, field: str
) -> None:
    pid = patient.patient_id
    assert pid
    names = {"STAFF": desk.username, "SELF": patient.username, "CARER": carer.username}
    body = {**body, "username": names.get(body["username"], body["username"])}

    response = _post(api, desk, pid, body)

    assert response.status_code == status, response.body
    error = response.json_body["error"]
    assert error["code"] == ("not_found" if status == 404 else "bad_request")
    assert field in error["fields"]
    assert api.http.get(f"/patients/{pid}/proxies", headers=desk.auth).json_body["items"] == []
    assert all(p["id"] != pid for p in api.http.get("/me", headers=carer.auth).json_body["patients"])


def test_unknown_username_says_so(api: Client, desk: User, patient: User) -> None:
    assert patient.patient_id
    response = _post(api, desk, patient.patient_id, _grant("no-such-person"))
    assert response.json_body["error"]["message"] == (
        "no portal account has that username; the person must sign up first"
    )


def test_a_second_grant_is_a_conflict(api: Client, desk: User, patient: User, carer: User) -> None:
    assert patient.patient_id
    assert _post(api, desk, patient.patient_id, _grant(carer.username)).status_code == 201
    again = _post(api, desk, patient.patient_id, _grant(carer.username, relationship="other"))
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "conflict"


def test_only_front_desk_and_admin_grant(
    api: Client, make_user: UserFactory, patient: User, carer: User
) -> None:
    assert patient.patient_id
    admin = make_user(Role.ADMIN, name="Ada Admin")
    clinician = make_user(Role.CLINICIAN, name="Dr. Who")
    assert _post(api, patient, patient.patient_id, _grant(carer.username)).status_code == 403
    assert _post(api, clinician, patient.patient_id, _grant(carer.username)).status_code == 403
    granted = _post(api, admin, patient.patient_id, _grant(carer.username))
    assert granted.status_code == 201
    assert granted.json_body["granted_by_role"] == "admin"


def test_an_expired_grant_stops_working_at_once(
    api: Client, desk: User, patient: User, carer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = patient.patient_id
    assert pid
    last_day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    granted = _post(api, desk, pid, _grant(carer.username, expires_on=last_day))
    assert granted.status_code == 201, granted.body
    assert api.http.get(f"/patients/{pid}/profile", headers=carer.auth).status_code == 200

    after = datetime.fromisoformat(granted.json_body["expires_at"]) + timedelta(seconds=1)
    monkeypatch.setattr("chalicelib.core.dynamo.utcnow", lambda: after)

    assert api.http.get(f"/patients/{pid}/profile", headers=carer.auth).status_code == 404
    listed = api.http.get(f"/patients/{pid}/proxies", headers=patient.auth).json_body["items"]
    assert [(p["sub"], p["status"]) for p in listed] == [(carer.sub, "expired")]


def test_an_end_date_in_year_9999_is_a_400_naming_the_field(
    api: Client, desk: User, patient: User, carer: User
) -> None:
    refused = _post(api, desk, str(patient.patient_id), _grant(carer.username, expires_on="9999-12-31"))

    assert refused.status_code == 400, refused.body
    assert list(refused.json_body["error"]["fields"]) == ["expires_on"]
    assert api.http.get(f"/patients/{patient.patient_id}/proxies", headers=desk.auth).json_body["items"] == []
