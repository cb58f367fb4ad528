"""Staff accounts in Cognito and in the table, and the admin audit.

Items (the account items themselves belong to core/users):
- staff list entry: PK=USER#<sub>, SK=STAFF, GSI1PK=STAFF / GSI1SK=<username>, written with the account
  (users.account_items), so the list is one GSI1 Query a page plus one BatchGetItem of the account items.
- admin audit event, in the audit table (core/audit_log.py: added, never changed): PK=ADMIN_AUDIT,
  SK=<time>#<id>, newest first by SK. Written in the same transaction as the account change it describes.

Cognito is addressed by username (what the account item keeps); the user's group is its role.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from chalicelib.core import audit_log, aws, dynamo, errors
from chalicelib.core import users as user_store
from chalicelib.core.config import settings
from chalicelib.core.identity import Role
from chalicelib.core.schema import PROFILE_SK, user_pk
from chalicelib.staff_admin.models import AdminAuditEvent, StaffMember

ADMIN_AUDIT_PK: Final = "ADMIN_AUDIT"
USER_PREFIX: Final = "USER#"
BATCH_GET_LIMIT: Final = 100


# --- Cognito ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """A Cognito user as far as staff administration cares."""

    sub: str
    email: str | None
    status: str  # FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED
    enabled: bool


def _sign_in_of(attributes: Sequence[Mapping[str, str]], status: str, enabled: bool) -> SignIn:
    values = {str(a["Name"]): str(a["Value"]) for a in attributes}
    return SignIn(sub=values["sub"], email=values.get("email"), status=status, enabled=enabled)


def _pool_id() -> str:
    return settings().user_pool_id


def create_sign_in(*, username: str, email: str, temporary_password: str) -> SignIn | None:
    """Create the Cognito user without Cognito's own email (we send the invitation); None if the
    username is already taken."""
    cognito = aws.cognito_client()
    try:
        user = cognito.admin_create_user(
            UserPoolId=_pool_id(),
            Username=username,
            TemporaryPassword=temporary_password,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
        )["User"]
    except cognito.exceptions.UsernameExistsException:
        return None
    return _sign_in_of(user["Attributes"], str(user["UserStatus"]), bool(user["Enabled"]))


def get_sign_in(username: str) -> SignIn | None:
    cognito = aws.cognito_client()
    try:
        user = cognito.admin_get_user(UserPoolId=_pool_id(), Username=username)
    except cognito.exceptions.UserNotFoundException:
        return None
    return _sign_in_of(user["UserAttributes"], str(user["UserStatus"]), bool(user["Enabled"]))


def set_temporary_password(username: str, password: str) -> None:
    """A new temporary password: the next sign-in must choose a permanent one."""
    aws.cognito_client().admin_set_user_password(
        UserPoolId=_pool_id(), Username=username, Password=password, Permanent=False
    )


def set_group(username: str, role: Role, *, previous: Role | None = None) -> None:
    """Put the user in the role's group (and out of the previous role's): the group is the role."""
    cognito = aws.cognito_client()
    cognito.admin_add_user_to_group(UserPoolId=_pool_id(), Username=username, GroupName=role.value)
    if previous is not None and previous is not role:
        cognito.admin_remove_user_from_group(
            UserPoolId=_pool_id(), Username=username, GroupName=previous.value
        )


def disable_sign_in(username: str) -> None:
    """Refuse new sign-ins and revoke every refresh token (live access tokens: the account's flag)."""
    aws.cognito_client().admin_disable_user(UserPoolId=_pool_id(), Username=username)
    revoke_refresh_tokens(username)


def revoke_refresh_tokens(username: str) -> None:
    """No new tokens from the user's sessions (AdminUserGlobalSignOut): they sign in again, and the new
    tokens carry their current group. Their live access tokens run out within minutes; meanwhile the guard
    reads their role and state from the account item."""
    aws.cognito_client().admin_user_global_sign_out(UserPoolId=_pool_id(), Username=username)


def enable_sign_in(username: str) -> None:
    aws.cognito_client().admin_enable_user(UserPoolId=_pool_id(), Username=username)


def turn_off_authenticator(username: str) -> None:
    aws.cognito_client().admin_set_user_mfa_preference(
        UserPoolId=_pool_id(),
        Username=username,
        SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
    )


# --- the table ----------------------------------------------------------------------------------


def _member(item: Mapping[str, Any]) -> dict[str, Any]:
    return {**item, "sub": str(item["PK"]).removeprefix(USER_PREFIX)}


def _accounts(subs: Sequence[str]) -> dict[str, StaffMember]:
    """The account items of these staff, by sub: BatchGetItem in chunks, unprocessed keys retried."""
    found: dict[str, StaffMember] = {}
    name = dynamo.table_name()
    for start in range(0, len(subs), BATCH_GET_LIMIT):
        keys = [{"PK": user_pk(sub), "SK": PROFILE_SK} for sub in subs[start : start + BATCH_GET_LIMIT]]
        request: dict[str, Any] = {name: {"Keys": keys}}
        while request:
            response = aws.dynamodb_resource().batch_get_item(RequestItems=request)
            items = response.get("Responses", {}).get(name, [])
            for member in dynamo.parse_items(StaffMember, (_member(item) for item in items)):
                found[member.sub] = member
            request = response.get("UnprocessedKeys") or {}
    return found


def list_staff(*, limit: int, cursor: str | None) -> tuple[list[StaffMember], str | None]:
    """A page of staff accounts by username: one GSI1 Query and one BatchGetItem."""
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :index",
        "ExpressionAttributeValues": {":index": user_store.STAFF_INDEX},
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=user_store.STAFF_INDEX, pk_prefix=USER_PREFIX, sk_prefix=user_store.STAFF_SK
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    subs = [str(item["sub"]) for item in response.get("Items", [])]
    accounts = _accounts(subs)
    return [accounts[sub] for sub in subs if sub in accounts], dynamo.encode_cursor(
        response.get("LastEvaluatedKey")
    )


def get_staff(sub: str) -> StaffMember | None:
    item = aws.table().get_item(Key={"PK": user_pk(sub), "SK": PROFILE_SK}).get("Item")
    if item is None or item.get("role") in (None, Role.PATIENT.value):
        return None
    return dynamo.parse_item(StaffMember, _member(item))


def _audit_item(event: AdminAuditEvent) -> dict[str, Any]:
    return {
        **event.model_dump(mode="json"),
        "PK": ADMIN_AUDIT_PK,
        "SK": f"{dynamo.utc_text(event.at)}#{event.id}",
    }


def create_account(
    *,
    sub: str,
    username: str,
    display_name: str,
    role: Role,
    pools: Sequence[str],
    email: str,
    audit: AdminAuditEvent,
) -> None:
    """The username lookup, the account, its staff list entry and the audit event, all or nothing.

    The username must be free or already this user's (a retry), and the account must not exist yet.
    """
    created = user_store.create_account(
        sub=sub,
        username=username,
        display_name=display_name,
        role=role,
        pools=pools,
        email=email,
        also=[audit_log.put_entry(_audit_item(audit))],
    )
    if not created:
        raise errors.Conflict("this username is already taken")


def ensure_listed(sub: str, username: str) -> None:
    """Put an existing staff account on the staff list (one written before the list existed)."""
    aws.table().put_item(Item=user_store.staff_entry(sub, username))


def change_account(
    member: StaffMember,
    *,
    audit: AdminAuditEvent,
    role: Role | None = None,
    disabled: bool | None = None,
    mfa_enabled: bool | None = None,
    display_name: str | None = None,
    pools: Sequence[str] | None = None,
) -> None:
    """Change the account as read (`member`) through core/users' one writer, with the audit event in the
    same transaction."""
    user_store.change_account(
        member.sub,
        before=member,
        role=role,
        disabled=disabled,
        mfa_enabled=mfa_enabled,
        display_name=display_name,
        pools=pools,
        also=[audit_log.put_entry(_audit_item(audit))],
    )


def audit_entry(audit: AdminAuditEvent) -> dict[str, Any]:
    """The admin audit event as a TransactWriteItems entry (to go with the patient's own event)."""
    return audit_log.put_entry(_audit_item(audit))


def record(audit: AdminAuditEvent) -> None:
    """An admin action that changed nothing in the table (a resent invitation)."""
    audit_log.put_item(_audit_item(audit))


def list_audit(*, limit: int, cursor: str | None) -> tuple[list[AdminAuditEvent], str | None]:
    """Newest first, one Query a page."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk",
        "ExpressionAttributeValues": {":pk": ADMIN_AUDIT_PK},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    start = dynamo.decode_cursor(cursor, pk=ADMIN_AUDIT_PK, sk_prefix="")
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.audit_table().query(**kwargs)
    events = dynamo.parse_items(AdminAuditEvent, response.get("Items", []))
    return events, dynamo.encode_cursor(response.get("LastEvaluatedKey"))
