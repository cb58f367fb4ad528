"""Patients invite their own caregivers: by email (no health details), accepted with an existing account
or by activating a new one; the patient changes or ends the grant; every step is in their access log."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import PASSWORD, User, UserFactory, sign_in
from tests.api.enrolment_samples import with_zip
from tests.api.test_enrolment_api import outbox


def _post(api: Client, path: str, user: User | None, body: dict[str, Any], method: str = "POST") -> Any:
    headers = {"Content-Type": "application/json", **(user.auth if user else {})}
    return api.http.request(method, path, headers=headers, body=json.dumps(body).encode())


def _invite(email: str = "alex.morgan@example.org", **overrides: Any) -> dict[str, Any]:
    return {
        "caregiver_name": "Alex Morgan",
        "email": email,
        "relationship": "adult_child",
        "scope": {"areas": ["appointments", "billing"], "access": "act"},
        **overrides,
    }


def _code_mailed_to(address: str) -> tuple[str, str]:
    mail = [m for m in outbox() if address in m.destinations["ToAddresses"]][-1]
    found = re.search(r"invitation code: ([A-Z0-9-]+)", mail.body)
    assert found
    return found[1], mail.body


@pytest.fixture
def patient(make_user: UserFactory) -> User:
    user = make_user(Role.PATIENT, name="Pat Patient")
    assert user.patient_id
    with_zip(user.patient_id)
    return user


def test_an_existing_account_accepts_and_reaches_only_the_chosen_areas(
    api: Client, make_user: UserFactory, patient: User
) -> None:
    pid = patient.patient_id
    carer = make_user(Role.PATIENT, name="Alex Morgan")
    invited = _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite())
    assert invited.status_code == 201, invited.body
    assert invited.json_body["email_sent"] is True
    code, text = _code_mailed_to("alex.morgan@example.org")
    assert "Pat" not in text  # no name, nothing of the record

    accepted = _post(api, "/me/caregiver-invitations/accept", carer, {"code": code})
    assert accepted.status_code == 200, accepted.body
    assert accepted.json_body == {
        "patient_id": pid,
        "scope": {"areas": ["appointments", "billing"], "access": "act"},
    }
    assert api.http.get(f"/patients/{pid}/appointments", headers=carer.auth).status_code == 200
    assert api.http.get(f"/patients/{pid}/statements", headers=carer.auth).status_code == 200
    assert api.http.get(f"/patients/{pid}/results", headers=carer.auth).status_code == 404

    # the code works once
    again = _post(api, "/me/caregiver-invitations/accept", make_user(Role.PATIENT), {"code": code})
    assert again.status_code == 404

    # what the caregiver did shows in the patient's log, with the actor named as a caregiver
    log = api.http.get(f"/patients/{pid}/access-log?limit=100&include_own=true", headers=patient.auth)
    labels = {(entry["action"], entry["who"]) for entry in log.json_body["items"]}
    assert ("proxy.invite", "Pat Patient, patient") in labels
    assert ("proxy.grant", "Alex Morgan, as caregiver") in labels
    assert any(label == "Alex Morgan, as caregiver" and action != "proxy.grant" for action, label in labels)


def test_the_patient_changes_then_ends_the_grant(api: Client, make_user: UserFactory, patient: User) -> None:
    pid = patient.patient_id
    carer = make_user(Role.PATIENT, name="Alex Morgan")
    _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite())
    code, _ = _code_mailed_to("alex.morgan@example.org")
    assert _post(api, "/me/caregiver-invitations/accept", carer, {"code": code}).status_code == 200

    changed = _post(
        api,
        f"/patients/{pid}/proxies/{carer.sub}",
        patient,
        {"scope": {"areas": ["health_record"], "access": "read"}},
        method="PATCH",
    )
    assert changed.status_code == 200, changed.body
    assert changed.json_body["scope"] == {"areas": ["health_record"], "access": "read"}
    assert changed.json_body["granted_by_role"] == "patient"
    assert api.http.get(f"/patients/{pid}/results", headers=carer.auth).status_code == 200
    assert api.http.get(f"/patients/{pid}/appointments", headers=carer.auth).status_code == 404

    # the caregiver cannot widen their own grant
    widen = _post(api, f"/patients/{pid}/proxies/{carer.sub}", carer, {"scope": {"areas": "full"}}, "PATCH")
    assert widen.status_code == 404

    assert api.http.delete(f"/patients/{pid}/proxies/{carer.sub}", headers=patient.auth).status_code == 204
    assert api.http.get(f"/patients/{pid}/results", headers=carer.auth).status_code == 404


def test_someone_without_an_account_activates_into_the_scoped_grant(
    api: Client, patient: User, local_cloud: Any
) -> None:
    pid = patient.patient_id
    assert (
        _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite("new@example.org")).status_code
        == 201
    )
    code, _ = _code_mailed_to("new@example.org")
    facts = {"code": code, "birth_date": "1980-05-17", "second_fact": "97201"}
    done = _post(api, "/activation/complete", None, {**facts, "username": "alex.new", "password": PASSWORD})
    assert done.status_code == 201, done.body
    token = {"Authorization": f"Bearer {sign_in(local_cloud, 'alex.new', PASSWORD)['AccessToken']}"}
    assert api.http.get(f"/patients/{pid}/appointments", headers=token).status_code == 200
    assert api.http.get(f"/patients/{pid}/documents", headers=token).status_code == 404
    grants = api.http.get(f"/patients/{pid}/proxies", headers=patient.auth).json_body["items"]
    assert [(g["display_name"], g["granted_by_role"]) for g in grants] == [("Alex Morgan", "patient")]


def test_a_minor_cannot_invite_and_bad_invitations_are_named(
    api: Client, make_user: UserFactory, patient: User
) -> None:
    from chalicelib.patients import store as patient_store

    pid = patient.patient_id
    assert pid
    bad = _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite(scope={"areas": []}))
    assert bad.status_code == 400
    assert list(bad.json_body["error"]["fields"]) == ["scope.areas"]

    profile = patient_store.get_profile(pid)
    teen = profile.birth_date.replace(year=profile.birth_date.year + 35)  # 1980 -> 2015: a teenager now
    patient_store.create_profile(profile.model_copy(update={"birth_date": teen}))
    refused = _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite())
    assert refused.status_code == 403


def _pending(api: Client, pid: str, user: User) -> Any:
    return api.http.get(f"/patients/{pid}/caregiver-invitations", headers=user.auth)


def test_the_patient_sees_pending_invitations_and_cancels_one_whose_code_then_fails(
    api: Client, make_user: UserFactory, patient: User
) -> None:
    pid = patient.patient_id
    assert pid
    first = _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite("alex.morgan@example.org"))
    second = _post(
        api,
        f"/patients/{pid}/caregiver-invitations",
        patient,
        _invite("sam.lee@example.org", caregiver_name="Sam Lee", expires_on="2099-12-31"),
    )
    assert first.status_code == second.status_code == 201

    listed = _pending(api, pid, patient)
    assert listed.status_code == 200, listed.body
    items = listed.json_body["items"]
    assert [(i["caregiver_name"], i["email"], i["status"]) for i in items] == [
        ("Sam Lee", "s\u2022\u2022\u2022@example.org", "pending"),
        ("Alex Morgan", "a\u2022\u2022\u2022@example.org", "pending"),
    ]
    assert items[0]["scope"] == {"areas": ["appointments", "billing"], "access": "act"}
    assert items[0]["access_ends_at"] is not None
    assert items[1]["access_ends_at"] is None
    assert items[0]["created_at"] < items[0]["expires_at"]

    code, _ = _code_mailed_to("sam.lee@example.org")
    gone = api.http.delete(f"/patients/{pid}/caregiver-invitations/{items[0]['id']}", headers=patient.auth)
    assert gone.status_code == 204, gone.body
    assert [i["caregiver_name"] for i in _pending(api, pid, patient).json_body["items"]] == ["Alex Morgan"]

    # the emailed code stops working at once, with a message that says why it may not
    carer = make_user(Role.PATIENT, name="Sam Lee")
    refused = _post(api, "/me/caregiver-invitations/accept", carer, {"code": code})
    assert refused.status_code == 404
    assert "cancelled" in refused.json_body["error"]["message"]
    assert api.http.get(f"/patients/{pid}/appointments", headers=carer.auth).status_code == 404

    # cancelling again, or cancelling an accepted one, is a clear conflict
    again = api.http.delete(f"/patients/{pid}/caregiver-invitations/{items[0]['id']}", headers=patient.auth)
    assert again.status_code == 409
    assert again.json_body["error"]["message"] == "this invitation was already cancelled"
    alex_code, _ = _code_mailed_to("alex.morgan@example.org")
    alex = make_user(Role.PATIENT, name="Alex Morgan")
    assert _post(api, "/me/caregiver-invitations/accept", alex, {"code": alex_code}).status_code == 200
    accepted = api.http.delete(
        f"/patients/{pid}/caregiver-invitations/{items[1]['id']}", headers=patient.auth
    )
    assert accepted.status_code == 409
    assert "already accepted" in accepted.json_body["error"]["message"]
    assert _pending(api, pid, patient).json_body["items"] == []

    log = api.http.get(f"/patients/{pid}/access-log?limit=100&include_own=true", headers=patient.auth)
    actions = [entry["action"] for entry in log.json_body["items"]]
    assert "proxy.invitation_cancel" in actions
    assert "proxy.invitation_list" in actions


def test_a_caregiver_and_other_patients_never_see_or_cancel_the_invitations(
    api: Client, make_user: UserFactory, patient: User
) -> None:
    pid = patient.patient_id
    assert pid
    _post(api, f"/patients/{pid}/caregiver-invitations", patient, _invite("alex.morgan@example.org"))
    code, _ = _code_mailed_to("alex.morgan@example.org")
    carer = make_user(Role.PATIENT, name="Alex Morgan")
    _post(
        api,
        f"/patients/{pid}/caregiver-invitations",
        patient,
        {**_invite("second@example.org"), "scope": {"areas": "full", "access": "act"}},
    )
    assert _post(api, "/me/caregiver-invitations/accept", carer, {"code": code}).status_code == 200
    [open_one] = _pending(api, pid, patient).json_body["items"]

    stranger = make_user(Role.PATIENT, name="Someone Else")
    for who in (carer, stranger):
        assert _pending(api, pid, who).status_code == 404
        path = f"/patients/{pid}/caregiver-invitations/{open_one['id']}"
        assert api.http.delete(path, headers=who.auth).status_code == 404
    unknown = api.http.delete(f"/patients/{pid}/caregiver-invitations/inv-nothere", headers=patient.auth)
    assert unknown.status_code == 404
    assert len(_pending(api, pid, patient).json_body["items"]) == 1
