"""Staff administration through the API: admins only; create (and a retry), change, disable, enable,
resend, reset MFA, and the admin audit. Real Cognito tokens (moto server), verified by the app."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.core.identity import Role
from chalicelib.local.bootstrap import LocalResources
from tests.api import staff_admin_samples
from tests.api.conftest import User, UserFactory, sign_in


def _send(api: Client, method: str, user: User, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.http.request(
        method,
        path,
        headers={**user.auth, "Content-Type": "application/json"},
        body=json.dumps(body).encode() if body is not None else b"",
    )


def _emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


@pytest.fixture
def admin(make_user: UserFactory) -> User:
    return make_user(Role.ADMIN, name="Ada Admin")


@pytest.mark.parametrize("role", [Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING])
def test_only_admins_reach_staff_administration(api: Client, make_user: UserFactory, role: Role) -> None:
    user = make_user(role)
    for method, path, body in (
        ("GET", "/admin/staff", None),
        ("POST", "/admin/staff", staff_admin_samples.new_staff_body()),
        ("GET", "/admin/audit", None),
    ):
        response = _send(api, method, user, path, body)
        assert response.status_code == 403, (method, path, response.body)
        assert response.json_body["error"]["code"] == "forbidden"


def test_create_list_and_a_retry(api: Client, admin: User, local_cloud: LocalResources) -> None:
    body = staff_admin_samples.new_staff_body()

    created = _send(api, "POST", admin, "/admin/staff", body)
    again = _send(api, "POST", admin, "/admin/staff", body)

    assert created.status_code == 201, created.body
    staff = created.json_body["staff"]
    assert {k: staff[k] for k in ("username", "role", "pools", "disabled", "mfa_enabled")} == {
        "username": body["username"],
        "role": "front_desk",
        "pools": ["front-desk"],
        "disabled": False,
        "mfa_enabled": False,
    }
    assert created.json_body["invitation_sent"] is True
    assert again.status_code == 200
    assert again.json_body["staff"]["sub"] == staff["sub"]
    assert len(_emails_to(str(body["email"]))) == 2  # the retry's invitation replaces the first password
    listed = _send(api, "GET", admin, "/admin/staff").json_body["items"]
    assert body["username"] in [m["username"] for m in listed]
    detail = _send(api, "GET", admin, f"/admin/staff/{staff['sub']}").json_body
    assert detail["sign_in_status"] == "invited"


def test_someone_elses_username_is_409_and_bad_input_is_400(api: Client, admin: User) -> None:
    body = staff_admin_samples.new_staff_body()
    assert _send(api, "POST", admin, "/admin/staff", body).status_code == 201

    taken = _send(api, "POST", admin, "/admin/staff", {**body, "email": "someone.else@clinic.example"})
    bad = _send(api, "POST", admin, "/admin/staff", {**body, "role": "patient", "username": "x"})

    assert taken.status_code == 409
    assert taken.json_body["error"]["fields"] == {"username": "already taken"}
    assert bad.status_code == 400
    assert set(bad.json_body["error"]["fields"]) == {"role", "username"}


def test_disable_enable_reset_and_the_audit(api: Client, admin: User) -> None:
    sub, username = staff_admin_samples.staff_member()

    disabled = _send(api, "POST", admin, f"/admin/staff/{sub}/disable")
    enabled = _send(api, "POST", admin, f"/admin/staff/{sub}/enable")
    reset = _send(api, "POST", admin, f"/admin/staff/{sub}/reset-mfa", {"reason": "New phone, ID checked"})
    changed = _send(api, "PATCH", admin, f"/admin/staff/{sub}", {"role": "billing", "pools": ["billing"]})
    myself = _send(api, "POST", admin, f"/admin/staff/{admin.sub}/disable")
    unknown = _send(api, "POST", admin, "/admin/staff/sub-nobody/disable")

    assert (disabled.status_code, disabled.json_body["disabled"]) == (200, True)
    assert (enabled.status_code, enabled.json_body["disabled"]) == (200, False)
    assert (reset.status_code, reset.json_body["mfa_enabled"]) == (200, False)
    assert (changed.json_body["role"], changed.json_body["pools"]) == ("billing", ["billing"])
    assert myself.status_code == 409
    assert unknown.status_code == 404
    audit = _send(api, "GET", admin, "/admin/audit?limit=10").json_body["items"]
    assert [(e["action"], e["target_username"], e["actor_sub"]) for e in audit] == [
        ("staff.update", username, admin.sub),
        ("staff.reset_mfa", username, admin.sub),
        ("staff.enable", username, admin.sub),
        ("staff.disable", username, admin.sub),
    ]
    assert audit[1]["detail"] == "New phone, ID checked"


def test_a_disabled_account_cannot_sign_in(
    api: Client, admin: User, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    clerk = make_user(Role.BILLING)

    assert _send(api, "POST", admin, f"/admin/staff/{clerk.sub}/disable").status_code == 200

    with pytest.raises(Exception, match="disabled"):
        sign_in(local_cloud, clerk.username)


def test_a_new_role_applies_from_the_next_request_and_ends_the_sessions(
    api: Client, admin: User, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    other_admin = make_user(Role.ADMIN)
    clinician = make_user(Role.CLINICIAN)
    refresh = sign_in(local_cloud, other_admin.username)["RefreshToken"]
    assert _send(api, "GET", other_admin, "/admin/staff").status_code == 200
    assert _send(api, "GET", clinician, "/admin/staff").status_code == 403

    demoted = _send(api, "PATCH", admin, f"/admin/staff/{other_admin.sub}", {"role": "front_desk"})
    promoted = _send(api, "PATCH", admin, f"/admin/staff/{clinician.sub}", {"role": "admin"})
    assert (demoted.status_code, promoted.status_code) == (200, 200)

    # Their tokens still name the old groups; the account says otherwise, and the account decides.
    assert _send(api, "GET", other_admin, "/admin/staff").status_code == 403
    assert _send(api, "GET", other_admin, "/me").json_body["user"]["role"] == "front_desk"
    assert _send(api, "GET", clinician, "/admin/staff").status_code == 200
    with pytest.raises(Exception, match="NotAuthorized"):  # no new tokens without signing in again
        boto3.client(
            "cognito-idp", endpoint_url=local_cloud.endpoint_url, region_name=local_cloud.region
        ).initiate_auth(
            ClientId=local_cloud.user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh},
        )
