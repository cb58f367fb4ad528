"""Staff administration rules on moto: invitations, retries after a half-way failure, the last admin,
authenticator resets, and the admin audit."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from chalicelib.core import aws, config, errors
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import PASSWORD_POLICY, ROLE_PRECEDENCE, Role
from chalicelib.staff_admin import service as staff_admin
from chalicelib.staff_admin import store as staff_store
from chalicelib.staff_admin.models import (
    AdminAuditQuery,
    ResetMfaIn,
    StaffCreateIn,
    StaffListQuery,
    StaffUpdateIn,
)


@pytest.fixture(autouse=True)
def user_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    region = os.environ["AWS_DEFAULT_REGION"]
    cognito = boto3.client("cognito-idp", region_name=region)
    pool_id = cognito.create_user_pool(PoolName="unit", Policies={"PasswordPolicy": PASSWORD_POLICY})[
        "UserPool"
    ]["Id"]
    for role in ROLE_PRECEDENCE:
        cognito.create_group(UserPoolId=pool_id, GroupName=role.value)
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=config.clinic().mail_from)
    monkeypatch.setenv("USER_POOL_ID", pool_id)
    aws.reset_caches()
    return pool_id


@pytest.fixture
def admin(user_pool: str) -> Caller:
    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"])
    cognito.admin_create_user(UserPoolId=user_pool, Username="boss", MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=user_pool, Username="boss", GroupName="admin")
    user_store.put_account(sub="sub-admin", username="boss", display_name="Ada Admin", role=Role.ADMIN)
    return Caller(
        sub="sub-admin", username="boss", role=Role.ADMIN, display_name="Ada Admin", request_id="r-1"
    )


def emails_to(address: str) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [m for m in backend.sent_messages if address in m.destinations["ToAddresses"]]


def temporary_password_in(body: str) -> str:
    match = re.search(r"Temporary password: (\S+)", body)
    assert match, body
    return match.group(1)


def new_staff(**overrides: Any) -> StaffCreateIn:
    data: dict[str, Any] = {
        "username": "sam.lee",
        "display_name": "Sam Lee",
        "email": "sam@clinic.example",
        "role": "front_desk",
        "pools": ["front-desk"],
        **overrides,
    }
    return StaffCreateIn.model_validate(data)


def groups_of(pool_id: str, username: str) -> list[str]:
    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"])
    return [
        g["GroupName"]
        for g in cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
    ]


def audit_actions() -> list[tuple[str, str]]:
    events = staff_admin.list_admin_audit(AdminAuditQuery()).items
    return [(event.action, event.target_username) for event in events]


def test_creating_staff_invites_them_with_a_temporary_password_that_signs_in(
    admin: Caller, user_pool: str
) -> None:
    out, created = staff_admin.create_staff(admin, new_staff())

    assert created
    assert out.invitation_sent
    account = user_store.find_by_username("sam.lee")
    assert account is not None
    assert (account.role, account.display_name, account.pools, account.mfa_enabled) == (
        Role.FRONT_DESK,
        "Sam Lee",
        ("front-desk",),
        False,
    )
    assert groups_of(user_pool, "sam.lee") == ["front_desk"]
    [email] = emails_to("sam@clinic.example")
    assert "Username: sam.lee" in email.body
    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"])
    client_id = cognito.create_user_pool_client(
        UserPoolId=user_pool,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    answer = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "sam.lee", "PASSWORD": temporary_password_in(email.body)},
    )
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"  # the first sign-in chooses a password
    assert [m.username for m in staff_admin.list_staff(StaffListQuery()).items] == ["boss", "sam.lee"]
    assert audit_actions() == [("staff.create", "sam.lee")]


def test_a_retry_after_a_failure_half_way_finishes_the_account(
    admin: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = staff_store.create_account

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("lost connection")

    monkeypatch.setattr(staff_store, "create_account", fail)
    with pytest.raises(RuntimeError):
        staff_admin.create_staff(admin, new_staff())
    assert user_store.find_by_username("sam.lee") is None  # the Cognito user exists, the account not
    monkeypatch.setattr(staff_store, "create_account", real_create)

    out, created = staff_admin.create_staff(admin, new_staff())

    assert created
    assert user_store.find_by_username("sam.lee") is not None
    assert out.invitation_sent
    # The invitation of the retry carries a password that works (the first one was replaced).
    [email] = emails_to("sam@clinic.example")
    assert temporary_password_in(email.body)
    again, created_again = staff_admin.create_staff(admin, new_staff())
    assert not created_again
    assert again.staff.sub == out.staff.sub
    assert audit_actions() == [("staff.create", "sam.lee")]


def test_a_username_of_someone_else_is_refused(admin: Caller) -> None:
    staff_admin.create_staff(admin, new_staff())

    with pytest.raises(errors.Conflict):
        staff_admin.create_staff(admin, new_staff(email="other.sam@clinic.example", display_name="Sam Other"))
    user_store.put_account(sub="sub-pat", username="pat", display_name="Pat", role=Role.PATIENT)
    with pytest.raises(errors.Conflict):  # a patient's username is no staff member's either
        staff_admin.create_staff(admin, new_staff(username="pat", email="sam@clinic.example"))


def test_an_unknown_pool_is_refused(admin: Caller) -> None:
    with pytest.raises(errors.BadRequest) as refused:
        staff_admin.create_staff(admin, new_staff(pools=["no-such-pool"]))
    assert refused.value.fields == {"pools": "not a care-team pool of this clinic"}


def test_the_last_admin_and_oneself_cannot_be_disabled(admin: Caller) -> None:
    other, _ = staff_admin.create_staff(
        admin, new_staff(username="second", email="second@clinic.example", role="admin", pools=[])
    )
    with pytest.raises(errors.Conflict):
        staff_admin.disable_staff(admin, admin.sub)

    disabled = staff_admin.disable_staff(admin, other.staff.sub)
    assert disabled.disabled
    assert user_store.get_account(other.staff.sub).disabled  # type: ignore[union-attr]

    second = Caller(sub=other.staff.sub, username="second", role=Role.ADMIN, display_name="S", request_id="r")
    with pytest.raises(errors.Conflict):  # the only active admin left
        staff_admin.disable_staff(second, admin.sub)
    with pytest.raises(errors.Conflict):
        staff_admin.update_staff(second, admin.sub, StaffUpdateIn(role="clinician"))

    enabled = staff_admin.enable_staff(admin, other.staff.sub)
    assert not enabled.disabled
    assert [a for a, _ in audit_actions()] == ["staff.enable", "staff.disable", "staff.create"]


def test_disabling_turns_off_the_sign_in(admin: Caller, user_pool: str) -> None:
    out, _ = staff_admin.create_staff(admin, new_staff())

    staff_admin.disable_staff(admin, out.staff.sub)

    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"])
    assert cognito.admin_get_user(UserPoolId=user_pool, Username="sam.lee")["Enabled"] is False
    staff_admin.enable_staff(admin, out.staff.sub)
    assert cognito.admin_get_user(UserPoolId=user_pool, Username="sam.lee")["Enabled"] is True


def test_reset_mfa_clears_the_flag_and_records_the_reason(admin: Caller) -> None:
    out, _ = staff_admin.create_staff(admin, new_staff())
    user_store.change_account(out.staff.sub, mfa_enabled=True)

    after = staff_admin.reset_mfa(admin, out.staff.sub, ResetMfaIn(reason="Phone lost, identity checked"))

    assert after.mfa_enabled is False
    assert user_store.get_account(out.staff.sub).mfa_enabled is False  # type: ignore[union-attr]
    latest = staff_admin.list_admin_audit(AdminAuditQuery()).items[0]
    assert (latest.action, latest.detail, latest.actor_sub) == (
        "staff.reset_mfa",
        "Phone lost, identity checked",
        admin.sub,
    )


def test_changing_the_role_moves_the_cognito_group(admin: Caller, user_pool: str) -> None:
    out, _ = staff_admin.create_staff(admin, new_staff())

    changed = staff_admin.update_staff(
        admin, out.staff.sub, StaffUpdateIn(role="billing", pools=["billing"], display_name="Samuel Lee")
    )

    assert (changed.role, changed.pools, changed.display_name) == (Role.BILLING, ["billing"], "Samuel Lee")
    assert groups_of(user_pool, "sam.lee") == ["billing"]
    latest = staff_admin.list_admin_audit(AdminAuditQuery()).items[0]
    assert latest.action == "staff.update"
    assert "front_desk -> billing" in latest.detail


def test_resend_invitation_works_until_the_first_sign_in(admin: Caller, user_pool: str) -> None:
    out, _ = staff_admin.create_staff(admin, new_staff())

    assert staff_admin.resend_invitation(admin, out.staff.sub).invitation_sent
    first, second = emails_to("sam@clinic.example")
    assert temporary_password_in(first.body) != temporary_password_in(second.body)

    boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"]).admin_set_user_password(
        UserPoolId=user_pool, Username="sam.lee", Password="Chosen-Password-1!", Permanent=True
    )
    with pytest.raises(errors.Conflict):
        staff_admin.resend_invitation(admin, out.staff.sub)


def test_the_staff_list_and_the_audit_page_without_gaps(admin: Caller) -> None:
    for n in range(5):
        staff_admin.create_staff(admin, new_staff(username=f"user{n}", email=f"u{n}@clinic.example"))

    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = staff_admin.list_staff(StaffListQuery(limit=2, cursor=cursor))
        seen += [m.username for m in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["boss", "user0", "user1", "user2", "user3", "user4"]

    first = staff_admin.list_admin_audit(AdminAuditQuery(limit=3))
    rest = staff_admin.list_admin_audit(AdminAuditQuery(limit=3, cursor=first.next_cursor))
    assert [e.target_username for e in first.items + rest.items] == [f"user{n}" for n in range(4, -1, -1)]


def test_temporary_passwords_meet_the_pool_policy() -> None:
    for _ in range(200):
        password = staff_admin.temporary_password()
        assert len(password) >= PASSWORD_POLICY["MinimumLength"]
        assert re.search(r"[A-Z]", password)
        assert re.search(r"[a-z]", password)
        assert re.search(r"\d", password)
        assert re.search(r"[^A-Za-z0-9]", password)


def _second_admin(admin: Caller) -> Caller:
    out, _ = staff_admin.create_staff(
        admin, new_staff(username="second", email="second@clinic.example", role="admin", pools=[])
    )
    return Caller(sub=out.staff.sub, username="second", role=Role.ADMIN, display_name="S", request_id="r-2")


def _active_admins() -> list[str]:
    members = staff_admin.list_staff(StaffListQuery()).items
    return [m.username for m in members if m.role is Role.ADMIN and not m.disabled]


REMOVALS: dict[str, Callable[[Caller, str], object]] = {
    "disable": staff_admin.disable_staff,
    "demote": lambda caller, sub: staff_admin.update_staff(caller, sub, StaffUpdateIn(role="clinician")),
}


@pytest.mark.parametrize(("first", "second"), [("disable", "disable"), ("disable", "demote")])
def test_two_admins_removing_each_other_at_once_leave_one_admin(
    admin: Caller, serialized_dynamodb: None, monkeypatch: pytest.MonkeyPatch, first: str, second: str
) -> None:
    other = _second_admin(admin)
    # Both read the other's account before either writes: the moment a check-then-write lets both through.
    both_read = threading.Barrier(2)
    reads = iter(range(2))
    real_get_staff = staff_store.get_staff

    def get_staff(sub: str) -> Any:
        member = real_get_staff(sub)
        if next(reads, None) is not None:
            both_read.wait(timeout=10)
        return member

    monkeypatch.setattr(staff_store, "get_staff", get_staff)
    outcomes: list[str] = []

    def remove(caller: Caller, target: str, how: str) -> None:
        try:
            REMOVALS[how](caller, target)
            outcomes.append("done")
        except errors.Conflict as refused:
            outcomes.append(refused.message)

    threads = [
        threading.Thread(target=remove, args=(admin, other.sub, first)),
        threading.Thread(target=remove, args=(other, admin.sub, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["done", "the clinic must keep at least one active administrator"]
    assert len(_active_admins()) == 1
    assert user_store.active_admin_count() == 1


def test_the_admin_count_starts_from_the_accounts_when_missing(admin: Caller) -> None:
    other = _second_admin(admin)
    # a table from before the count: it is made from the staff accounts when first needed
    aws.table().delete_item(Key=user_store.ADMIN_COUNT_KEY)

    staff_admin.disable_staff(admin, other.sub)

    assert user_store.active_admin_count() == 1
    with pytest.raises(errors.Conflict):
        staff_admin.disable_staff(other, admin.sub)
    staff_admin.enable_staff(admin, other.sub)
    staff_admin.update_staff(admin, other.sub, StaffUpdateIn(role="billing"))
    assert (user_store.active_admin_count(), _active_admins()) == (1, ["boss"])
    staff_admin.update_staff(admin, other.sub, StaffUpdateIn(role="admin"))
    assert (user_store.active_admin_count(), _active_admins()) == (2, ["boss", "second"])


def test_a_refused_removal_of_the_last_admin_leaves_their_sign_in_alone(
    admin: Caller, user_pool: str
) -> None:
    other = _second_admin(admin)
    staff_admin.disable_staff(admin, other.sub)

    with pytest.raises(errors.Conflict):
        staff_admin.disable_staff(other, admin.sub)

    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"])
    assert cognito.admin_get_user(UserPoolId=user_pool, Username="boss")["Enabled"] is True
