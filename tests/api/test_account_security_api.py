"""Signing in with an email address and changing the password.

Email sign-in answers with Cognito's own answer for the account the password opens, and with one refusal,
the same to the byte but for the request's own id, whether the address is unknown or the password wrong;
an address no account carries still costs one Cognito password check. Changing the password checks the
current one, names the field at fault, and signs the account out everywhere.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.core import account_events, aws
from chalicelib.core import users as user_store
from chalicelib.core.identity import Role
from chalicelib.local.bootstrap import LocalResources
from chalicelib.local.totp import current_code
from tests.api.conftest import PASSWORD, User, UserFactory, sign_in

NEW_PASSWORD = "Brand-New-Secret-2027!"
JSON_HEADERS = {"Content-Type": "application/json"}


def _cognito(cloud: LocalResources) -> Any:
    return boto3.client("cognito-idp", endpoint_url=cloud.endpoint_url, region_name=cloud.region)


def _with_email(user: User, email: str) -> User:
    """Give an account an email address (and its lookup item), as activation does."""
    user_store.put_account(
        sub=user.sub, username=user.username, display_name="Test User", role=user.role, email=email
    )
    return user


def _sign_in(api: Client, email: str, password: str) -> Any:
    return api.http.post(
        "/account/sign-in",
        headers=JSON_HEADERS,
        body=json.dumps({"email": email, "password": password}).encode(),
    )


def _username_of(access_token: str) -> str:
    import jwt

    return str(jwt.decode(access_token, options={"verify_signature": False})["username"])


def _without_request_id(raw: bytes | str) -> bytes:
    text = raw.decode() if isinstance(raw, bytes) else raw
    return re.sub(r'"request_id": ?"[^"]*"', '"request_id": "-"', text).encode()


@pytest.fixture
def password_checks() -> Iterator[list[str]]:
    """The usernames the app sends to Cognito's InitiateAuth, counted at the botocore level."""
    sent: list[str] = []

    def count(params: dict[str, Any], **_: Any) -> None:
        sent.append(params["AuthParameters"]["USERNAME"])

    client = aws.cognito_client()
    client.meta.events.register("provide-client-params.cognito-idp.InitiateAuth", count)
    yield sent
    client.meta.events.unregister("provide-client-params.cognito-idp.InitiateAuth", count)


def test_an_email_signs_in_to_its_account_with_cognitos_own_answer(
    api: Client, make_user: UserFactory
) -> None:
    alice = _with_email(make_user(Role.PATIENT), "Alice@Home.example")

    answer = _sign_in(api, " alice@home.EXAMPLE ", PASSWORD)

    assert answer.status_code == 200, answer.body
    result = answer.json_body["AuthenticationResult"]
    assert set(result) == {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"}
    assert answer.json_body["ChallengeName"] is None
    assert _username_of(result["AccessToken"]) == alice.username
    me = api.http.get("/me", headers={"Authorization": f"Bearer {result['AccessToken']}"})
    assert me.status_code == 200
    assert me.json_body["user"]["sub"] == alice.sub


def test_unknown_email_and_wrong_password_get_the_same_answer_after_one_password_check_each(
    api: Client, make_user: UserFactory, password_checks: list[str]
) -> None:
    alice = _with_email(make_user(Role.PATIENT), "alice@home.example")

    wrong_password = _sign_in(api, "alice@home.example", "Not-Her-Password-1!")
    unknown_email = _sign_in(api, "nobody@home.example", "Not-Her-Password-1!")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json_body["error"]["code"] == "sign_in_failed"
    # The same bytes, but for the id every answer carries for its own request.
    assert _without_request_id(wrong_password.body) == _without_request_id(unknown_email.body)
    assert wrong_password.headers == unknown_email.headers
    # Both asked Cognito once: the unknown address for a name no account can have.
    assert len(password_checks) == 2
    assert password_checks[0] == alice.username
    assert password_checks[1] != alice.username
    assert "#" in password_checks[1]


def test_a_turned_off_account_is_refused_like_a_wrong_password(api: Client, make_user: UserFactory) -> None:
    alice = _with_email(make_user(Role.PATIENT), "alice@home.example")
    user_store.change_account(alice.sub, before=user_store.get_account(alice.sub), disabled=True)

    turned_off = _sign_in(api, "alice@home.example", PASSWORD)
    unknown = _sign_in(api, "nobody@home.example", PASSWORD)

    assert turned_off.status_code == 401
    assert _without_request_id(turned_off.body) == _without_request_id(unknown.body)


def test_two_accounts_on_one_email_each_open_with_their_own_password(
    api: Client, make_user: UserFactory, local_cloud: LocalResources, password_checks: list[str]
) -> None:
    parent = _with_email(make_user(Role.PATIENT), "family@home.example")
    child = _with_email(make_user(Role.PATIENT), "family@home.example")
    _cognito(local_cloud).admin_set_user_password(
        UserPoolId=local_cloud.user_pool_id, Username=child.username, Password=NEW_PASSWORD, Permanent=True
    )

    as_parent = _sign_in(api, "family@home.example", PASSWORD)
    as_child = _sign_in(api, "family@home.example", NEW_PASSWORD)
    neither = _sign_in(api, "family@home.example", "Neither-Password-1!")

    assert _username_of(as_parent.json_body["AuthenticationResult"]["AccessToken"]) == parent.username
    assert _username_of(as_child.json_body["AuthenticationResult"]["AccessToken"]) == child.username
    assert neither.status_code == 401
    assert neither.json_body["error"]["code"] == "sign_in_failed"
    # Each account tried at most once per sign-in, in username order.
    both = sorted([parent.username, child.username])
    assert password_checks[-2:] == both


def test_an_account_with_two_step_sign_in_gets_the_challenge_for_its_username(
    api: Client, make_user: UserFactory, local_cloud: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    alice = _with_email(make_user(Role.PATIENT), "alice@home.example")
    secret = api.http.post("/me/mfa/totp/setup", headers=alice.auth).json_body["secret"]
    code = json.dumps({"code": current_code(secret)}).encode()
    verified = api.http.post("/me/mfa/totp/verify", headers={**alice.auth, **JSON_HEADERS}, body=code)
    assert verified.status_code == 200

    answer = _sign_in(api, "alice@home.example", PASSWORD)

    assert answer.status_code == 200, answer.body
    assert answer.json_body["AuthenticationResult"] is None
    assert answer.json_body["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert answer.json_body["ChallengeParameters"]["USER_ID_FOR_SRP"] == alice.username
    # The browser answers the challenge straight to Cognito, as after a username sign-in.
    done = _cognito(local_cloud).respond_to_auth_challenge(
        ClientId=local_cloud.user_pool_client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=answer.json_body["Session"],
        ChallengeResponses={"USERNAME": alice.username, "SOFTWARE_TOKEN_MFA_CODE": current_code(secret)},
    )
    assert _username_of(done["AuthenticationResult"]["AccessToken"]) == alice.username


def test_a_username_that_is_an_email_address_signs_in_too(api: Client, local_cloud: LocalResources) -> None:
    cognito = _cognito(local_cloud)
    created = cognito.admin_create_user(
        UserPoolId=local_cloud.user_pool_id, Username="sam@home.example", MessageAction="SUPPRESS"
    )["User"]
    cognito.admin_set_user_password(
        UserPoolId=local_cloud.user_pool_id, Username="sam@home.example", Password=PASSWORD, Permanent=True
    )
    sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
    user_store.put_account(sub=sub, username="sam@home.example", display_name="Sam", role=Role.PATIENT)

    answer = _sign_in(api, "Sam@home.example", PASSWORD)

    assert answer.status_code == 200, answer.body
    assert _username_of(answer.json_body["AuthenticationResult"]["AccessToken"]) == "sam@home.example"


@pytest.fixture
def portal_log() -> Iterator[io.StringIO]:
    from chalicelib.core.observability import logger

    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    portal_logger = logging.getLogger(logger.name)
    level = portal_logger.level
    portal_logger.addHandler(handler)
    portal_logger.setLevel(logging.DEBUG)
    yield lines
    portal_logger.removeHandler(handler)
    portal_logger.setLevel(level)


def test_neither_the_password_nor_the_email_is_echoed_or_logged(
    api: Client, make_user: UserFactory, portal_log: io.StringIO
) -> None:
    _with_email(make_user(Role.PATIENT), "alice@home.example")
    secret = "Zq-Secret-Marker-9!"

    answers = [
        _sign_in(api, "alice@home.example", secret),
        _sign_in(api, "nobody@home.example", secret),
        _sign_in(api, "alice@home.example", secret + "x" * 300),  # too long: refused by the model
        api.http.post(
            "/account/sign-in",
            headers=JSON_HEADERS,
            body=json.dumps({"email": "alice@home.example", "password": secret, "extra": secret}).encode(),
        ),
    ]

    assert [a.status_code for a in answers] == [401, 401, 400, 400]
    assert answers[2].json_body["error"]["fields"].keys() == {"password"}
    for answer in answers:
        assert secret not in answer.body.decode()
    logged = portal_log.getvalue()
    assert "account.sign_in_by_email_refused" in logged  # the capture works
    assert secret not in logged
    assert "alice@home" not in logged
    assert "nobody@home" not in logged


def test_email_sign_in_takes_an_email_and_a_password(api: Client) -> None:
    for body in (b'{"email": "not an address", "password": "x"}', b'{"email": "a@b.example"}', b"{}"):
        answer = api.http.post("/account/sign-in", headers=JSON_HEADERS, body=body)
        assert answer.status_code == 400, answer.body


# --- changing the password -----------------------------------------------------------------------------


def _change(api: Client, user: User, current: str, new: str) -> Any:
    body = json.dumps({"current_password": current, "new_password": new}).encode()
    return api.http.post("/me/password", headers={**user.auth, **JSON_HEADERS}, body=body)


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


def test_changing_the_password_signs_out_everywhere_and_the_new_one_works(
    api: Client, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    alice = _with_email(make_user(Role.PATIENT), "alice.change@home.example")
    other_device = sign_in(local_cloud, alice.username)
    time.sleep(1.1)  # tokens carry whole seconds; those from the very second of a sign-out still pass

    changed = _change(api, alice, PASSWORD, NEW_PASSWORD)

    assert changed.status_code == 204, changed.body
    # Every session ended: this one, and the other device's refresh token
    assert api.http.get("/me", headers=alice.auth).status_code == 401
    with pytest.raises(Exception, match="NotAuthorized"):
        _cognito(local_cloud).initiate_auth(
            ClientId=local_cloud.user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": other_device["RefreshToken"]},
        )
    # The new password opens the account, the old one no longer
    token = sign_in(local_cloud, alice.username, NEW_PASSWORD)["AccessToken"]
    assert api.http.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert _sign_in(api, "alice.change@home.example", PASSWORD).status_code == 401
    assert [e["action"] for e in account_events.list_for_account(alice.sub)] == ["password.changed"]
    [mail] = _emails_to("alice.change@home.example")
    assert "was changed" in mail.body
    assert NEW_PASSWORD not in mail.body


def test_a_wrong_current_password_is_named_and_changes_nothing(
    api: Client, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    alice = make_user(Role.PATIENT)

    refused = _change(api, alice, "Not-My-Password-1!", NEW_PASSWORD)

    assert refused.status_code == 400, refused.body
    assert refused.json_body["error"]["fields"].keys() == {"current_password"}
    assert "Not-My-Password" not in refused.body.decode()
    assert api.http.get("/me", headers=alice.auth).status_code == 200  # still signed in
    assert sign_in(local_cloud, alice.username)["AccessToken"]  # the old password still works
    assert account_events.list_for_account(alice.sub) == []


@pytest.mark.parametrize(
    ("new", "missing"),
    [
        ("short-A1!", "at least 12 characters"),
        ("all-lower-case-1!", "an uppercase letter"),
        ("No-Digits-At-All!", "a number"),
        ("NoSymbolsHere2027", "a symbol"),
    ],
)
def test_a_new_password_off_the_policy_is_refused_with_the_policy(
    api: Client, make_user: UserFactory, new: str, missing: str
) -> None:
    alice = make_user(Role.PATIENT)

    refused = _change(api, alice, PASSWORD, new)

    assert refused.status_code == 400, refused.body
    fields = refused.json_body["error"]["fields"]
    assert fields.keys() == {"new_password"}
    assert missing in fields["new_password"]
    assert new not in refused.body.decode()


def test_the_same_password_again_is_refused(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT)

    refused = _change(api, alice, PASSWORD, PASSWORD)

    assert refused.status_code == 400
    assert refused.json_body["error"]["fields"].keys() == {"new_password"}


def test_staff_change_their_password_too(
    api: Client, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    staff = make_user(Role.CLINICIAN)

    assert _change(api, staff, PASSWORD, NEW_PASSWORD).status_code == 204
    assert sign_in(local_cloud, staff.username, NEW_PASSWORD)["AccessToken"]
