"""Registration, invitations and activation over the API: roles, the public activation routes, no
enumeration (one answer for every refusal), the lock after five wrong answers, and expiry."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from typing import Any

import pytest
from chalice.local import LambdaEventConverter
from chalice.test import Client

from chalicelib.core import audit_log, config, dynamo
from chalicelib.core.identity import Role
from chalicelib.enrolment import activation
from chalicelib.local.bootstrap import LocalResources
from tests.api.conftest import User, UserFactory, sign_in

PASSWORD = "Sunny-Garden-42!"
MARIA = {
    "legal_name": {"given": "Maria", "family": "Lopez"},
    "birth_date": "1984-06-09",
    "sex": "female",
    "email": "maria@example.org",
    "address": {"line1": "1 Main St", "city": "Portland", "state": "OR", "postal_code": "97201"},
    "mrn": "A-1001",
}


def post(api: Client, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return api.http.post(
        path, headers={"Content-Type": "application/json", **(headers or {})}, body=json.dumps(body).encode()
    )


def outbox() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].sent_messages)


def code_mailed_to(address: str) -> str:
    mail = [m for m in outbox() if address in m.destinations["ToAddresses"]][-1]
    found = re.search(r"activation code: ([A-Z0-9-]+)", mail.body)
    assert found
    return found[1]


@pytest.fixture
def desk(make_user: UserFactory) -> User:
    return make_user(Role.FRONT_DESK, name="Dana Desk")


@pytest.fixture
def maria(api: Client, desk: User) -> str:
    response = post(api, "/staff/registrations", MARIA, desk.auth)
    assert response.status_code == 201, response.body
    return str(response.json_body["id"])


def facts(code: str, **overrides: str) -> dict[str, str]:
    return {"code": code, "birth_date": "1984-06-09", "second_fact": "97201", **overrides}


def test_only_the_front_desk_and_admins_register(api: Client, make_user: UserFactory) -> None:
    for role, status in ((Role.ADMIN, 201), (Role.CLINICIAN, 403), (Role.PATIENT, 403)):
        user = make_user(role)
        body = {**MARIA, "mrn": None, "legal_name": {"given": "Ana", "family": f"Role{role.value.title()}"}}
        assert post(api, "/staff/registrations", body, user.auth).status_code == status
    assert post(api, "/staff/registrations", MARIA).status_code == 401


def test_a_duplicate_registration_answers_409_with_the_existing_record(
    api: Client, desk: User, maria: str
) -> None:
    response = post(api, "/staff/registrations", {**MARIA, "mrn": None}, desk.auth)
    assert response.status_code == 409
    assert response.json_body["error"]["existing"] == {
        "id": maria,
        "display_name": "Lopez, Maria",
        "matched_by": "name_and_birth_date",
    }
    same_mrn = {**MARIA, "legal_name": {"given": "X", "family": "Other"}, "not_a_duplicate": True}
    assert (
        post(api, "/staff/registrations", same_mrn, desk.auth).json_body["error"]["existing"]["matched_by"]
        == "mrn"
    )


def test_bad_registration_input_names_the_fields(api: Client, desk: User) -> None:
    response = post(api, "/staff/registrations", {**MARIA, "birth_date": "2999-01-01", "sex": "x"}, desk.auth)
    assert response.status_code == 400
    assert set(response.json_body["error"]["fields"]) == {"birth_date", "sex"}


def test_the_whole_path_invite_by_email_activate_and_reach_the_record(
    api: Client, desk: User, maria: str, local_cloud: LocalResources
) -> None:
    invited = post(api, f"/patients/{maria}/invitations", {"delivery": "email"}, desk.auth)
    assert invited.status_code == 201, invited.body
    code = code_mailed_to("maria@example.org")
    assert invited.json_body["code"] == code

    checked = post(api, "/activation/check", facts(code))
    assert checked.status_code == 200
    assert checked.json_body == {"ok": True, "kind": "self", "first_name": "Maria"}
    done = post(api, "/activation/complete", {**facts(code), "username": "maria.lopez", "password": PASSWORD})
    assert done.status_code == 201, done.body
    assert done.json_body == {"username": "maria.lopez", "patient_id": maria}

    token = sign_in(local_cloud, "maria.lopez", PASSWORD)["AccessToken"]
    me = {"Authorization": f"Bearer {token}"}
    profile = api.http.get(f"/patients/{maria}/profile", headers=me)
    assert profile.status_code == 200
    assert profile.json_body["legal_name"]["family"] == "Lopez"
    listed = api.http.get(f"/patients/{maria}/invitations", headers=desk.auth).json_body["items"]
    assert [item["status"] for item in listed] == ["used"]
    # the patient does not manage invitations
    assert api.http.get(f"/patients/{maria}/invitations", headers=me).status_code == 403


def test_refusals_are_identical_for_unknown_codes_wrong_facts_and_a_locked_code(
    api: Client, desk: User, maria: str
) -> None:
    code = post(api, f"/patients/{maria}/invitations", {"delivery": "letter"}, desk.auth).json_body["code"]

    def refusal(body: dict[str, str]) -> tuple[int, str, str]:
        response = post(api, "/activation/check", body)
        return (
            response.status_code,
            response.json_body["error"]["code"],
            response.json_body["error"]["message"],
        )

    unknown = refusal(facts("ZZZZ-ZZZZ-ZZ"))
    assert unknown[:2] == (400, "activation_refused")
    for _ in range(5):
        assert refusal(facts(code, second_fact="11111")) == unknown
    # The sixth attempt, with every fact right, is refused the same way: the code is locked.
    assert refusal(facts(code)) == unknown
    complete = post(api, "/activation/complete", {**facts(code), "username": "maria", "password": PASSWORD})
    assert (complete.status_code, complete.json_body["error"]["message"]) == (400, unknown[2])
    [listed] = api.http.get(f"/patients/{maria}/invitations", headers=desk.auth).json_body["items"]
    assert (listed["status"], listed["locked"]) == ("locked", True)


def test_a_code_is_single_use_and_expires(
    api: Client, desk: User, maria: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = post(api, f"/patients/{maria}/invitations", {"delivery": "letter"}, desk.auth).json_body["code"]
    body = {**facts(first), "username": "maria2", "password": PASSWORD}
    assert post(api, "/activation/complete", body).status_code == 201
    assert post(api, "/activation/check", facts(first)).status_code == 400
    assert post(api, "/activation/complete", {**body, "username": "other"}).status_code == 400

    caregiver = {
        "kind": "caregiver",
        "delivery": "letter",
        "caregiver_name": "Sam Lopez",
        "relationship": "spouse",
    }
    second = post(api, f"/patients/{maria}/invitations", caregiver, desk.auth).json_body["code"]
    later = dynamo.utcnow() + timedelta(days=config.clinic().enrolment.invitation_days, minutes=1)
    monkeypatch.setattr("chalicelib.core.dynamo.utcnow", lambda: later)
    assert post(api, "/activation/check", facts(second)).status_code == 400


def test_a_caregiver_activates_into_a_proxy_grant(
    api: Client, desk: User, maria: str, local_cloud: LocalResources
) -> None:
    caregiver = {
        "kind": "caregiver",
        "delivery": "email",
        "email": "sam@example.org",
        "caregiver_name": "Sam Lopez",
        "relationship": "spouse",
    }
    assert post(api, f"/patients/{maria}/invitations", caregiver, desk.auth).status_code == 201
    code = code_mailed_to("sam@example.org")
    assert post(api, "/activation/check", facts(code)).json_body["kind"] == "caregiver"
    done = post(api, "/activation/complete", {**facts(code), "username": "sam.lopez", "password": PASSWORD})
    assert done.status_code == 201
    proxies = api.http.get(f"/patients/{maria}/proxies", headers=desk.auth).json_body["items"]
    assert [(p["display_name"], p["relationship"]) for p in proxies] == [("Sam Lopez", "spouse")]
    token = sign_in(local_cloud, "sam.lopez", PASSWORD)["AccessToken"]
    assert (
        api.http.get(f"/patients/{maria}/profile", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_resend_and_revoke(api: Client, desk: User, maria: str) -> None:
    old = post(api, f"/patients/{maria}/invitations", {"delivery": "letter"}, desk.auth).json_body
    resent = post(api, f"/patients/{maria}/invitations/{old['invitation']['id']}/resend", {}, desk.auth)
    assert resent.status_code == 201
    assert post(api, "/activation/check", facts(old["code"])).status_code == 400
    assert post(api, "/activation/check", facts(resent.json_body["code"])).status_code == 200
    new_id = resent.json_body["invitation"]["id"]
    assert api.http.delete(f"/patients/{maria}/invitations/{new_id}", headers=desk.auth).status_code == 204
    assert post(api, "/activation/check", facts(resent.json_body["code"])).status_code == 400
    assert api.http.delete(f"/patients/{maria}/invitations/{new_id}", headers=desk.auth).status_code == 409


def test_a_weak_password_and_a_taken_username_are_named(api: Client, desk: User, maria: str) -> None:
    code = post(api, f"/patients/{maria}/invitations", {"delivery": "letter"}, desk.auth).json_body["code"]
    weak = post(api, "/activation/complete", {**facts(code), "username": "maria", "password": "short"})
    assert (weak.status_code, set(weak.json_body["error"]["fields"])) == (400, {"password"})
    taken = post(
        api, "/activation/complete", {**facts(code), "username": desk.username, "password": PASSWORD}
    )
    assert (taken.status_code, taken.json_body["error"]["fields"]) == (409, {"username": "already taken"})


def test_public_routes_need_no_account_and_registration_requests_are_off_by_default(api: Client) -> None:
    settings = api.http.get("/activation/settings")
    assert settings.json_body == {"second_fact": "postal_code", "self_registration": False}
    request = {k: MARIA[k] for k in ("legal_name", "birth_date", "sex", "email")}
    assert post(api, "/registration-requests", request).status_code == 404


def test_registration_requests_reach_the_desk_queue(
    api: Client, desk: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = config.clinic()
    enrolment = clinic.enrolment.model_copy(update={"self_registration": True})
    monkeypatch.setenv("CLINIC_CONFIG", clinic.model_copy(update={"enrolment": enrolment}).model_dump_json())
    config.clinic.cache_clear()
    request = {k: MARIA[k] for k in ("legal_name", "birth_date", "sex", "email", "address")}
    assert post(api, "/registration-requests", request).status_code == 202
    [queued] = api.http.get("/staff/registration-requests", headers=desk.auth).json_body["items"]
    decided = post(
        api, f"/staff/registration-requests/{queued['id']}/decision", {"decision": "register"}, desk.auth
    )
    assert decided.status_code == 200
    patient_id = decided.json_body["patient_id"]
    assert api.http.get(f"/patients/{patient_id}/profile", headers=desk.auth).status_code == 200
    assert api.http.get("/staff/registration-requests", headers=desk.auth).json_body["items"] == []

    # The desk read a person's details: audited like any read of a patient's (by request, then by patient)
    read, _ = audit_log.list_for_patient(queued["id"], limit=10, cursor=None)
    assert [(e.action, e.actor_sub, e.target) for e in read] == [
        ("registration_request.list", desk.sub, "registration-requests")
    ]
    on_record, _ = audit_log.list_for_patient(patient_id, limit=10, cursor=None)
    assert ("registration_request.decide", queued["id"]) in {(e.action, e.target) for e in on_record}


def test_attempts_from_one_address_are_limited_across_codes(
    api: Client, desk: User, maria: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = post(api, f"/patients/{maria}/invitations", {"delivery": "letter"}, desk.auth).json_body["code"]
    for n in range(activation.ATTEMPTS_PER_SOURCE.hits):  # guessing codes, a new one each time
        refused = post(api, "/activation/check", facts(f"GUESS-{n:04d}-XXXX"))
        assert refused.json_body["error"]["code"] == "activation_refused"

    for path, body in (
        ("/activation/check", facts(code)),
        ("/activation/complete", {**facts(code), "username": "maria84", "password": PASSWORD}),
    ):
        limited = post(api, path, body)  # even the right answer, until the window ends
        assert limited.status_code == 429, limited.body
        assert limited.json_body["error"]["code"] == "too_many_attempts"
        assert 1 <= int(limited.headers["Retry-After"]) <= activation.ATTEMPTS_PER_SOURCE.window_seconds

    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", "198.51.100.23")  # someone elsewhere
    assert post(api, "/activation/check", facts(code)).status_code == 200
