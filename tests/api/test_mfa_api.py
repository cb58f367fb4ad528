"""Two-step sign-in and the account's own security: staff without an authenticator reach nothing but the
enrolment routes, enrolment with a real TOTP code, the first admin's account, turned-off accounts, the
server-side sign-out and "forgot username"."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pyotp
import pytest
from chalice.local import LambdaEventConverter
from chalice.test import Client

from chalicelib.accounts import service as account_service
from chalicelib.core import account_events
from chalicelib.core import users as user_store
from chalicelib.core.access import MFA_EXEMPT, POLICY
from chalicelib.core.identity import STAFF_ROLES, Role
from chalicelib.local.bootstrap import LocalResources
from chalicelib.local.totp import current_code
from tests.api.conftest import PASSWORD, User, UserFactory, sign_in
from tests.api.test_security_matrix import PROTECTED, ROUTE_IDS, _call, _sample_for


def _cognito(cloud: LocalResources) -> Any:
    return boto3.client("cognito-idp", endpoint_url=cloud.endpoint_url, region_name=cloud.region)


def _post(api: Client, path: str, user: User, body: bytes = b"") -> Any:
    return api.http.post(path, headers={**user.auth, "Content-Type": "application/json"}, body=body)


@pytest.fixture
def totp_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto checks TOTP codes as Cognito does (the local server sets the same)."""
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")


@pytest.mark.parametrize(("path", "method", "contract"), PROTECTED, ids=ROUTE_IDS)
def test_a_staff_member_without_mfa_reaches_only_the_enrolment_routes(
    api: Client, make_user: UserFactory, path: str, method: str, contract: Any
) -> None:
    roles = [role for role in sorted(STAFF_ROLES) if role in POLICY[contract.action]]
    if not roles:
        pytest.skip("no staff role may call this route")
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    assert patient.patient_id
    staff = make_user(roles[0], name="New Starter", mfa_enabled=False)
    sample = _sample_for(path, method, patient.patient_id)
    if sample.prepare_staff is not None:
        sample.prepare_staff(staff.sub)

    response = _call(api, method, path, patient.patient_id, staff.auth, sample=sample)

    if contract.action in MFA_EXEMPT:
        assert 200 <= response.status_code < 300, response.body
    else:
        assert response.status_code == 403, response.body
        assert response.json_body["error"]["code"] == "mfa_required"


def test_the_exempt_set_is_enrolment_me_sign_out_and_the_language() -> None:
    # Choosing the language of the enrolment page reaches no one's data.
    assert {"mfa:setup", "mfa:verify", "me:read", "session:end", "language:save"} == MFA_EXEMPT


def test_me_tells_staff_they_must_enrol(api: Client, make_user: UserFactory) -> None:
    staff = make_user(Role.FRONT_DESK, mfa_enabled=False)
    patient = make_user(Role.PATIENT)

    assert (
        api.http.get("/me", headers=staff.auth).json_body["user"].items()
        >= {
            "mfa_enabled": False,
            "mfa_required": True,
        }.items()
    )
    assert (
        api.http.get("/me", headers=patient.auth).json_body["user"].items()
        >= {
            "mfa_enabled": False,
            "mfa_required": False,
        }.items()
    )


def test_staff_enrol_with_a_real_code_and_then_sign_in_with_one(
    api: Client, make_user: UserFactory, local_cloud: LocalResources, totp_checked: None
) -> None:
    staff = make_user(Role.CLINICIAN, name="Dana Doctor", mfa_enabled=False)
    assert api.http.get("/care-teams", headers=staff.auth).status_code == 403

    setup = _post(api, "/me/mfa/totp/setup", staff)
    assert setup.status_code == 200, setup.body
    secret = setup.json_body["secret"]
    uri = setup.json_body["otpauth_uri"]
    assert uri.startswith("otpauth://totp/Riverside%20Family%20Clinic:" + staff.username + "?")
    assert f"secret={secret}" in uri
    assert "issuer=Riverside%20Family%20Clinic" in uri

    wrong = str((int(current_code(secret)) + 1) % 1_000_000).zfill(6)
    refused = _post(api, "/me/mfa/totp/verify", staff, f'{{"code": "{wrong}"}}'.encode())
    assert refused.status_code == 400, refused.body
    assert "code" in refused.json_body["error"]["fields"]
    assert api.http.get("/care-teams", headers=staff.auth).status_code == 403

    done = _post(api, "/me/mfa/totp/verify", staff, f'{{"code": "{current_code(secret)}"}}'.encode())
    assert done.status_code == 200, done.body
    assert done.json_body == {"mfa_enabled": True}
    assert api.http.get("/care-teams", headers=staff.auth).status_code == 200
    assert api.http.get("/me", headers=staff.auth).json_body["user"]["mfa_enabled"] is True
    events = account_events.list_for_account(staff.sub)
    assert [e["action"] for e in events] == ["mfa.enrolled"]
    assert events[0]["actor_sub"] == staff.sub

    # Cognito now asks for a code at sign-in, and takes the app's
    cognito = _cognito(local_cloud)
    challenge = cognito.initiate_auth(
        ClientId=local_cloud.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": staff.username, "PASSWORD": PASSWORD},
    )
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    signed_in = cognito.respond_to_auth_challenge(
        ClientId=local_cloud.user_pool_client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": staff.username, "SOFTWARE_TOKEN_MFA_CODE": current_code(secret)},
    )
    token = signed_in["AuthenticationResult"]["AccessToken"]
    assert api.http.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_code_must_be_six_digits(api: Client, make_user: UserFactory) -> None:
    staff = make_user(Role.BILLING, mfa_enabled=False)
    for body in (b'{"code": "12345"}', b'{"code": "abcdef"}', b"{}"):
        answer = _post(api, "/me/mfa/totp/verify", staff, body)
        assert answer.status_code == 400, answer.body
        assert "code" in answer.json_body["error"]["fields"]


def test_patients_may_turn_mfa_on_and_off_and_staff_may_not_turn_it_off(
    api: Client, make_user: UserFactory, local_cloud: LocalResources, totp_checked: None
) -> None:
    alice = make_user(Role.PATIENT)
    secret = _post(api, "/me/mfa/totp/setup", alice).json_body["secret"]
    assert pyotp.TOTP(secret).now()  # the secret is one an authenticator app takes
    on = _post(api, "/me/mfa/totp/verify", alice, f'{{"code": "{current_code(secret)}"}}'.encode())
    assert on.json_body == {"mfa_enabled": True}

    off = api.http.delete("/me/mfa", headers=alice.auth)
    assert off.status_code == 200, off.body
    assert off.json_body == {"mfa_enabled": False}
    assert api.http.get("/me", headers=alice.auth).json_body["user"]["mfa_enabled"] is False
    assert "AuthenticationResult" in _cognito(local_cloud).initiate_auth(
        ClientId=local_cloud.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": alice.username, "PASSWORD": PASSWORD},
    )
    assert [e["action"] for e in account_events.list_for_account(alice.sub)] == [
        "mfa.enrolled",
        "mfa.turned_off",
    ]

    staff = make_user(Role.ADMIN)
    refused = api.http.delete("/me/mfa", headers=staff.auth)
    assert refused.status_code == 403
    assert user_store.get_account(staff.sub).mfa_enabled is True  # type: ignore[union-attr]


def test_the_first_admin_gets_an_account_on_first_request(api: Client, local_cloud: LocalResources) -> None:
    # Created as the README says: with the AWS CLI, straight in Cognito, no portal account item
    cognito = _cognito(local_cloud)
    created = cognito.admin_create_user(
        UserPoolId=local_cloud.user_pool_id,
        Username="firstadmin",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "first.admin@clinic.example"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )["User"]
    sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
    cognito.admin_set_user_password(
        UserPoolId=local_cloud.user_pool_id, Username="firstadmin", Password=PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(
        UserPoolId=local_cloud.user_pool_id, Username="firstadmin", GroupName="admin"
    )
    token = sign_in(local_cloud, "firstadmin")["AccessToken"]
    auth = {"Authorization": f"Bearer {token}"}
    assert user_store.get_account(sub) is None

    me = api.http.get("/me", headers=auth)
    assert me.status_code == 200, me.body
    expected = {"display_name": "firstadmin", "role": "admin", "mfa_required": True}
    assert me.json_body["user"].items() >= expected.items()
    account = user_store.get_account(sub)
    assert account is not None
    assert (account.username, account.role, account.mfa_enabled) == ("firstadmin", Role.ADMIN, False)
    assert account.email == "first.admin@clinic.example"
    assert user_store.find_by_username("firstadmin") == account
    api.http.get("/me", headers=auth)
    assert [e["action"] for e in account_events.list_for_account(sub)] == ["account.created_on_first_sign_in"]
    # like every other account, found by "forgot username"
    assert user_store.usernames_for_email("First.Admin@clinic.example") == ["firstadmin"]
    assert user_store.active_admin_count() == 1  # the count of admins starts with them

    assert api.http.get("/care-teams", headers=auth).json_body["error"]["code"] == "mfa_required"
    # and signing out now works for them: the token stops working
    time.sleep(1.1)  # tokens carry whole seconds; those from the very second of a sign-out still pass
    assert api.http.post("/session/sign-out", headers=auth).status_code == 204
    assert api.http.get("/me", headers=auth).status_code == 401


def test_a_patient_without_an_account_item_is_not_given_one(api: Client, local_cloud: LocalResources) -> None:
    cognito = _cognito(local_cloud)
    created = cognito.admin_create_user(
        UserPoolId=local_cloud.user_pool_id, Username="strayp", MessageAction="SUPPRESS"
    )["User"]
    sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
    cognito.admin_set_user_password(
        UserPoolId=local_cloud.user_pool_id, Username="strayp", Password=PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(
        UserPoolId=local_cloud.user_pool_id, Username="strayp", GroupName="patient"
    )
    token = sign_in(local_cloud, "strayp")["AccessToken"]

    me = api.http.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json_body["patients"] == []
    assert user_store.get_account(sub) is None


@pytest.mark.parametrize("role", [Role.PATIENT, Role.CLINICIAN])
def test_a_turned_off_account_is_refused_even_with_a_live_token(
    api: Client, make_user: UserFactory, role: Role
) -> None:
    user = make_user(role)
    assert api.http.get("/me", headers=user.auth).status_code == 200
    user_store.change_account(user.sub, before=user_store.get_account(user.sub), disabled=True)

    for path in ("/me", "/care-teams"):
        answer = api.http.get(path, headers=user.auth)
        assert answer.status_code == 401, (path, answer.body)
    assert api.http.post("/session/sign-out", headers=user.auth).status_code == 401


def test_sign_out_also_revokes_the_refresh_token(
    api: Client, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    alice = make_user(Role.PATIENT)
    tokens = sign_in(local_cloud, alice.username)
    assert api.http.post("/session/sign-out", headers=alice.auth).status_code == 204

    with pytest.raises(Exception, match="NotAuthorized"):
        _cognito(local_cloud).initiate_auth(
            ClientId=local_cloud.user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


def test_forgot_username_answers_the_same_and_emails_only_real_accounts(api: Client) -> None:
    user_store.put_account(
        sub="sub-forgetful",
        username="forgetful",
        display_name="F",
        role=Role.PATIENT,
        email="Me@Home.example",
    )

    def ask(email: str) -> Any:
        return api.http.post(
            "/account/forgot-username",
            headers={"Content-Type": "application/json"},
            body=f'{{"email": "{email}"}}'.encode(),
        )

    known, unknown = ask("me@home.EXAMPLE"), ask("nobody@home.example")
    assert known.status_code == unknown.status_code == 200
    assert known.json_body == unknown.json_body
    [mail] = _emails_to("me@home.example")  # as validated: the domain in lower case
    assert "forgetful" in mail.body
    assert _emails_to("nobody@home.example") == []
    assert ask("not an email").status_code == 400


def _forgot(api: Client, email: str) -> Any:
    return api.http.post(
        "/account/forgot-username",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"email": email}).encode(),
    )


def _refusal(answer: Any) -> tuple[int, str, str]:
    return answer.status_code, answer.json_body["error"]["code"], answer.json_body["error"]["message"]


def test_forgot_username_is_limited_per_email_the_same_whether_an_account_has_it(api: Client) -> None:
    user_store.put_account(
        sub="sub-often",
        username="often",
        display_name="F",
        role=Role.PATIENT,
        email="often.forgets@home.example",
    )
    per_email = account_service.FORGOT_USERNAME_PER_ADDRESS.hits
    known = [_forgot(api, "often.forgets@home.example") for _ in range(per_email + 1)]
    unknown = [_forgot(api, "nobody.often@home.example") for _ in range(per_email + 1)]

    assert [a.status_code for a in known] == [a.status_code for a in unknown] == [200] * per_email + [429]
    assert _refusal(known[-1]) == _refusal(unknown[-1])
    assert int(known[-1].headers["Retry-After"]) > 0
    assert len(_emails_to("often.forgets@home.example")) == per_email  # the refused one sent nothing


def test_forgot_username_is_limited_per_source_address(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    per_source = account_service.FORGOT_USERNAME_PER_SOURCE.hits
    answers = [_forgot(api, f"someone{n}@home.example") for n in range(per_source + 1)]

    assert [a.status_code for a in answers] == [200] * per_source + [429]
    assert answers[-1].json_body["error"]["code"] == "too_many_attempts"
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", "198.51.100.23")
    assert _forgot(api, "someone-else@home.example").status_code == 200
