"""Portal accounts (one per Cognito user) and the patients each may act for.

Items: the account (USER#<sub> / PROFILE), its username and email lookups, the staff list entry, the
acts-for links, and the count of active administrators (ACCOUNTS / ACTIVE_ADMINS). Every write that makes
or unmakes an active administrator (create, role change, turned off or on) moves that count in the same
transaction, and one that would take it below one is refused by its condition: the clinic always keeps
an administrator, however many admins act at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Protocol

from chalicelib.core import aws, dynamo, errors
from chalicelib.core.identity import AREAS, FULL_SCOPE, STAFF_ROLES, Area, Relationship, Role, Scope
from chalicelib.core.observability import logger
from chalicelib.core.schema import ACTS_FOR_PREFIX, PROFILE_SK, PROXY_PREFIX, patient_pk, user_pk

# The grant relationships under which a teenager's confidentiality rules apply.
PARENTAL: Final = frozenset({"parent", "guardian"})


@dataclass(frozen=True)
class Account:
    sub: str
    username: str
    display_name: str
    role: Role | None
    acts_for: dict[str, Relationship] = field(default_factory=dict)
    # What each caregiver grant covers, by patient id (a patient's own record is never scoped).
    scopes: dict[str, Scope] = field(default_factory=dict)
    # The patients this account's grant names it parent or guardian of (teenagers' rules: core/minors.py).
    parental: frozenset[str] = frozenset()
    # --- the care-team pools a staff member answers for, and where digests go ---
    pools: tuple[str, ...] = ()
    email: str | None = None
    # Tokens issued before this epoch second are refused: Cognito access tokens are verified
    # offline and live 15 minutes, so signing out must also be recorded where every request looks.
    signed_out_at: int | None = None
    # A TOTP authenticator is enrolled in Cognito (kept here because every request reads this item and
    # Cognito's access token does not say how the user signed in); staff need it to reach any data.
    mfa_enabled: bool = False
    # An administrator turned the account off (Cognito refuses its sign-in; this refuses its live tokens).
    disabled: bool = False
    # The portal language an account without a record of its own chose (staff, caregivers); a patient's
    # own language lives on their record, where the clinic's letters read it too.
    language: str | None = None


def get_account(sub: str) -> Account | None:
    """The account and its patient links in one Query on the user's partition."""
    response = aws.table().query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": user_pk(sub)}
    )
    items: list[dict[str, Any]] = response.get("Items", [])
    profile = next((item for item in items if item["SK"] == PROFILE_SK), None)
    if profile is None:
        return None
    now = dynamo.utcnow()
    links = [item for item in items if str(item["SK"]).startswith(ACTS_FOR_PREFIX)]
    links = [item for item in links if not _expired(item, now)]
    acts_for: dict[str, Relationship] = {str(item["patient_id"]): item["relationship"] for item in links}
    scopes = {
        str(item["patient_id"]): scope_of(item) for item in links if item["relationship"] == "caregiver"
    }
    parental = frozenset(
        str(item["patient_id"])
        for item in links
        if item["relationship"] == "caregiver" and item.get("proxy_relationship") in PARENTAL
    )
    return Account(
        sub=sub,
        username=str(profile["username"]),
        display_name=str(profile["display_name"]),
        role=Role(profile["role"]) if profile.get("role") else None,
        acts_for=acts_for,
        scopes=scopes,
        parental=parental,
        pools=tuple(str(pool) for pool in profile.get("pools") or ()),
        email=str(profile["email"]) if profile.get("email") else None,
        signed_out_at=int(profile["signed_out_at"]) if profile.get("signed_out_at") else None,
        mfa_enabled=bool(profile.get("mfa_enabled")),
        disabled=bool(profile.get("disabled")),
        language=str(profile["language"]) if profile.get("language") else None,
    )


def scope_of(link: dict[str, Any]) -> Scope:
    """A grant's stored scope; none stored (grants from before scopes) is the whole record. Anything
    unreadable narrows rather than widens: an unknown area is dropped, an unknown access reads as "read"."""
    stored = link.get("scope_areas")
    access = link.get("scope_access", "act")
    if stored is None and access == "act":
        return FULL_SCOPE
    areas: frozenset[Area] | None = None
    if stored is not None:
        areas = frozenset(area for area in AREAS if area in set(stored))
    return Scope(areas=areas, access="act" if access == "act" else "read")


def scope_fields(scope: Scope) -> dict[str, Any]:
    """The attributes a grant stores for its scope (none for the whole record with act-on-behalf)."""
    fields: dict[str, Any] = {}
    if scope.areas is not None:
        fields["scope_areas"] = sorted(scope.areas)
    if scope.access != "act":
        fields["scope_access"] = scope.access
    return fields


def _expired(link: dict[str, Any], now: datetime) -> bool:
    """A caregiver grant past its end stops working at once: every request reads the account afresh."""
    expires_at = link.get("expires_at")
    return bool(expires_at) and datetime.fromisoformat(str(expires_at)) <= now


# Accounts by username (front desk grants proxy access by username): one small item per account, so the
# lookup is a GetItem. Cognito usernames here are case-insensitive (infrastructure/login.py), so lower-case.
USERNAME_PREFIX = "USERNAME#"
USERNAME_SK = "ACCOUNT"


def username_key(username: str) -> dict[str, str]:
    return {"PK": f"{USERNAME_PREFIX}{username.strip().lower()}", "SK": USERNAME_SK}


def find_by_username(username: str) -> Account | None:
    """The account signed in as `username`, or None."""
    item = aws.table().get_item(Key=username_key(username)).get("Item")
    return get_account(str(item["sub"])) if item else None


def record_sign_out(sub: str, at: int) -> None:
    """End every session of this user issued before `at` (epoch seconds); never moves backwards."""
    from botocore.exceptions import ClientError

    try:
        aws.table().update_item(
            Key={"PK": user_pk(sub), "SK": PROFILE_SK},
            UpdateExpression="SET signed_out_at = :at",
            ConditionExpression=(
                "attribute_exists(PK) AND (attribute_not_exists(signed_out_at) OR signed_out_at < :at)"
            ),
            ExpressionAttributeValues={":at": at},
        )
    except ClientError as exc:
        # Already signed out at this second or later (a retry, or another device): nothing to do.
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


# staff who belong to a care-team pool are listed on GSI1 under this key, so the
# daily digest finds its recipients with one Query (no Scan of the accounts).
POOL_MEMBERS_INDEX = "POOL_MEMBERS"


def _pool_fields(sub: str, pools: Sequence[str], email: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if email:
        fields["email"] = email
    if pools:
        fields.update(pools=sorted(set(pools)), GSI1PK=POOL_MEMBERS_INDEX, GSI1SK=user_pk(sub))
    return fields


# Accounts by email ("forgot username"): one small item per account under the lower-cased address, so
# the lookup is one Query. Several accounts may share an address (a parent and their own account).
EMAIL_PREFIX = "EMAIL#"


def email_key(email: str, sub: str) -> dict[str, str]:
    return {"PK": f"{EMAIL_PREFIX}{email.strip().lower()}", "SK": user_pk(sub)}


# Every staff account is listed on GSI1 under this key (the staff administration list, one Query a page).
# Its own small item, because the account item's GSI1 already says which care-team pools it belongs to.
STAFF_INDEX = "STAFF"
STAFF_SK = "STAFF"


def staff_entry(sub: str, username: str) -> dict[str, Any]:
    return {
        "sub": sub,
        "username": username,
        "PK": user_pk(sub),
        "SK": STAFF_SK,
        "GSI1PK": STAFF_INDEX,
        "GSI1SK": username.strip().lower(),
    }


def account_items(
    *,
    sub: str,
    username: str,
    display_name: str,
    role: Role,
    pools: Sequence[str] = (),
    email: str | None = None,
) -> list[dict[str, Any]]:
    """The items of a new account: username lookup, email lookup, account, and for staff their entry in the
    staff list."""
    items = [
        {"sub": sub, **username_key(username)},
        *([{"sub": sub, "username": username, **email_key(email, sub)}] if email else []),
        {
            "username": username,
            "display_name": display_name,
            "role": role.value,
            **_pool_fields(sub, pools, email),
            "PK": user_pk(sub),
            "SK": PROFILE_SK,
        },
    ]
    if role in STAFF_ROLES:
        items.append(staff_entry(sub, username))
    return items


def put_account(
    *,
    sub: str,
    username: str,
    display_name: str,
    role: Role,
    pools: Sequence[str] = (),
    email: str | None = None,
) -> None:
    """Create the account, or bring an existing one's name, pools and email up to date (a seed run again,
    an activation's retry). What the account's life wrote is never touched: turned off, the authenticator,
    the sign-out mark; nor is its role, which changes only with the admin rules."""
    if create_account(
        sub=sub, username=username, display_name=display_name, role=role, pools=pools, email=email
    ):
        return
    entries: list[dict[str, Any]] = []
    account_at = 0
    for item in account_items(
        sub=sub, username=username, display_name=display_name, role=role, pools=pools, email=email
    ):
        if item["SK"] == PROFILE_SK:
            account_at = len(entries)
            entries.append(_refresh_entry(item, role=role, email=email, pools=pools))
            continue
        entry = dynamo.put(item)
        if item["SK"] == USERNAME_SK:
            entry["Put"].update(
                ConditionExpression="attribute_not_exists(PK) OR #sub = :sub",
                ExpressionAttributeNames={"#sub": "sub"},
                ExpressionAttributeValues={":sub": sub},
            )
        entries.append(entry)
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused as refused:
        if account_at in refused.failed:
            raise errors.Conflict("this account exists with another role") from None
        raise errors.Conflict("this username is already taken") from None


def _refresh_entry(
    item: dict[str, Any], *, role: Role, email: str | None, pools: Sequence[str]
) -> dict[str, Any]:
    """An Update of an existing account item to `item`'s names, email and pools, leaving every other
    attribute as it is; refused unless the account has this role."""
    values: dict[str, Any] = {
        ":username": item["username"],
        ":name": item["display_name"],
        ":role": role.value,
    }
    sets = ["username = :username", "display_name = :name"]
    removes: list[str] = []
    if email:
        sets.append("email = :email")
        values[":email"] = email
    else:
        removes.append("email")
    if pools:
        sets += ["pools = :pools", "GSI1PK = :index", "GSI1SK = :sk"]
        values.update({":pools": item["pools"], ":index": item["GSI1PK"], ":sk": item["GSI1SK"]})
    else:
        removes += ["pools", "GSI1PK", "GSI1SK"]
    return {
        "Update": {
            "TableName": dynamo.table_name(),
            "Key": {"PK": item["PK"], "SK": item["SK"]},
            "UpdateExpression": "SET "
            + ", ".join(sets)
            + (" REMOVE " + ", ".join(removes) if removes else ""),
            "ConditionExpression": "attribute_exists(PK) AND #role = :role",
            "ExpressionAttributeNames": {"#role": "role"},
            "ExpressionAttributeValues": values,
        }
    }


# The number of active (not turned off) administrators, in one item (see the module docstring).
ADMIN_COUNT_KEY: Final = {"PK": "ACCOUNTS", "SK": "ACTIVE_ADMINS"}
ADMIN_COUNT: Final = "active_admins"
BATCH_GET_LIMIT: Final = 100


class LastAdmin(errors.Conflict):
    def __init__(self) -> None:
        super().__init__("the clinic must keep at least one active administrator")


def _active_admin(role: Role | None, disabled: bool) -> int:
    return 1 if role is Role.ADMIN and not disabled else 0


def _admin_count_entry(delta: int) -> dict[str, Any]:
    """Move the count by `delta`; it must exist, and a removal must leave at least one."""
    values: dict[str, Any] = {":delta": delta}
    condition = "attribute_exists(#count)"
    if delta < 0:
        condition += " AND #count >= :need"
        values[":need"] = 1 - delta
    return {
        "Update": {
            "TableName": dynamo.table_name(),
            "Key": dict(ADMIN_COUNT_KEY),
            "UpdateExpression": "ADD #count :delta",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#count": ADMIN_COUNT},
            "ExpressionAttributeValues": values,
        }
    }


def active_admin_count() -> int | None:
    """The count as stored (None before it was first needed)."""
    item = aws.table().get_item(Key=ADMIN_COUNT_KEY, ConsistentRead=True).get("Item")
    return None if item is None else int(item[ADMIN_COUNT])


def _count_active_admins() -> int:
    """Active administrators counted from the staff list: one GSI1 Query a page, strongly consistent reads
    of their accounts."""
    subs: list[str] = []
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :index",
        "ExpressionAttributeValues": {":index": STAFF_INDEX},
    }
    while True:
        response = aws.table().query(**kwargs)
        subs += [str(item["sub"]) for item in response.get("Items", [])]
        if "LastEvaluatedKey" not in response:
            break
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    count = 0
    name = dynamo.table_name()
    for start in range(0, len(subs), BATCH_GET_LIMIT):
        keys = [{"PK": user_pk(sub), "SK": PROFILE_SK} for sub in subs[start : start + BATCH_GET_LIMIT]]
        request: dict[str, Any] = {
            name: {
                "Keys": keys,
                "ConsistentRead": True,
                "ProjectionExpression": "#role, disabled",
                "ExpressionAttributeNames": {"#role": "role"},
            }
        }
        while request:
            response = aws.dynamodb_resource().batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(name, []):
                role = item.get("role")
                count += _active_admin(Role(role) if role in set(Role) else None, bool(item.get("disabled")))
            request = response.get("UnprocessedKeys") or {}
    return count


def _start_admin_count() -> None:
    """The count's first value, counted from the accounts: on the first admin's first request, or on a
    table from before the count. Written only while absent; every write that moves the count needs it to
    exist, so none can land between this count and its write."""
    from botocore.exceptions import ClientError

    count = _count_active_admins()
    try:
        aws.table().put_item(
            Item={**ADMIN_COUNT_KEY, ADMIN_COUNT: count}, ConditionExpression="attribute_not_exists(PK)"
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return
    logger.info("admin count started", extra={"active_admins": count})


def _transact_counting_admins(entries: Sequence[dict[str, Any]], delta: int) -> None:
    """Write `entries` and move the admin count by `delta` in one transaction.

    LastAdmin when only the count's condition failed and the count exists (a removal of the last one);
    TransactionRefused, as from dynamo.transact_all, when another entry's condition failed.
    """
    if delta == 0:
        dynamo.transact_all(entries)
        return
    count_at = len(entries)
    for _ in range(2):  # the second time with the count started
        try:
            dynamo.transact_all([*entries, _admin_count_entry(delta)])
            return
        except dynamo.TransactionRefused as refused:
            if refused.failed != [count_at]:
                raise
            if active_admin_count() is not None:
                raise LastAdmin from None
            _start_admin_count()
    raise LastAdmin


def create_account(
    *,
    sub: str,
    username: str,
    display_name: str,
    role: Role,
    pools: Sequence[str] = (),
    email: str | None = None,
    also: Sequence[dict[str, Any]] = (),
) -> bool:
    """Write a new account's items (`account_items`) and `also` (its audit event) in one transaction.

    Returns False, having written nothing, when the account exists already (a retry, or two first
    requests at once). The username must be free or already this account's; someone else's is a Conflict.
    """
    entries: list[dict[str, Any]] = []
    account_at = 0
    for item in account_items(
        sub=sub, username=username, display_name=display_name, role=role, pools=pools, email=email
    ):
        entry = dynamo.put(item)
        if item["SK"] == USERNAME_SK:
            entry["Put"].update(
                ConditionExpression="attribute_not_exists(PK) OR #sub = :sub",
                ExpressionAttributeNames={"#sub": "sub"},
                ExpressionAttributeValues={":sub": sub},
            )
        elif item["SK"] == PROFILE_SK:
            entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
            account_at = len(entries)
        entries.append(entry)
    try:
        _transact_counting_admins([*entries, *also], _active_admin(role, disabled=False))
    except dynamo.TransactionRefused as refused:
        if account_at in refused.failed:
            return False
        raise errors.Conflict("this username is already taken") from None
    return True


def sign_in_email(username: str) -> str | None:
    """The address Cognito holds for this user (the first admin's account is made from their sign-in)."""
    from botocore.exceptions import ClientError

    from chalicelib.core.config import settings

    try:
        user = aws.cognito_client().admin_get_user(UserPoolId=settings().user_pool_id, Username=username)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "UserNotFoundException":
            return None
        raise
    attributes = {str(a["Name"]): str(a["Value"]) for a in user.get("UserAttributes", [])}
    return attributes.get("email") or None


def usernames_for_email(email: str) -> list[str]:
    """The usernames of the accounts that still carry this address (a changed address is left out)."""
    address = email.strip().lower()
    response = aws.table().query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": f"{EMAIL_PREFIX}{address}"}
    )
    names: list[str] = []
    for item in response.get("Items", []):
        account = get_account(str(item.get("sub", "")))
        if account and account.email and account.email.strip().lower() == address and not account.disabled:
            names.append(account.username)
    return sorted(set(names))


class AccountState(Protocol):
    """An account as read before a change of its role or of whether it is turned off."""

    @property
    def role(self) -> Role | None: ...

    @property
    def disabled(self) -> bool: ...


def change_account(
    sub: str,
    *,
    before: AccountState | None = None,
    role: Role | None = None,
    disabled: bool | None = None,
    mfa_enabled: bool | None = None,
    display_name: str | None = None,
    pools: Sequence[str] | None = None,
    language: str | None = None,
    also: Sequence[dict[str, Any]] = (),
) -> None:
    """The one writer of an existing account's role, flags, name and pools, in one transaction with
    `also` (the audit event of the change).

    A change of role or of turned off is made only from the state read (`before`): an account someone
    changed meanwhile is a Conflict, never overwritten blind.
    """
    sets: list[str] = []
    removes: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    conditions = ["attribute_exists(PK)"]
    admins_delta = 0
    if role is not None or disabled is not None:
        if before is None or before.role is None:
            raise ValueError("a change of role or of turned off needs the account as read")
        admins_delta = _active_admin(
            role or before.role, before.disabled if disabled is None else disabled
        ) - _active_admin(before.role, before.disabled)
        names["#role"] = "role"
        values[":was_role"] = before.role.value
        values[":true"] = True
        conditions.append("#role = :was_role")
        conditions.append(
            "disabled = :true" if before.disabled else "(attribute_not_exists(disabled) OR disabled <> :true)"
        )
    if role is not None:
        sets.append("#role = :role")
        values[":role"] = role.value
    if disabled is not None:
        sets.append("disabled = :disabled")
        values[":disabled"] = disabled
    if mfa_enabled is not None:
        sets.append("mfa_enabled = :mfa")
        values[":mfa"] = mfa_enabled
    if display_name is not None:
        sets.append("display_name = :name")
        values[":name"] = display_name
    if language is not None:
        sets.append("#language = :language")
        names["#language"] = "language"
        values[":language"] = language
    if pools is not None and pools:
        sets += ["pools = :pools", "GSI1PK = :index", "GSI1SK = :sk"]
        values.update({":pools": sorted(set(pools)), ":index": POOL_MEMBERS_INDEX, ":sk": user_pk(sub)})
    elif pools is not None:
        removes += ["pools", "GSI1PK", "GSI1SK"]
    if not sets and not removes:
        raise ValueError("nothing to change")
    update: dict[str, Any] = {
        "TableName": dynamo.table_name(),
        "Key": {"PK": user_pk(sub), "SK": PROFILE_SK},
        "UpdateExpression": " ".join(
            part
            for part in (
                "SET " + ", ".join(sets) if sets else "",
                "REMOVE " + ", ".join(removes) if removes else "",
            )
            if part
        ),
        "ConditionExpression": " AND ".join(conditions),
    }
    if names:
        update["ExpressionAttributeNames"] = names
    if values:
        update["ExpressionAttributeValues"] = values
    try:
        _transact_counting_admins([{"Update": update}, *also], admins_delta)
    except dynamo.TransactionRefused:
        raise errors.Conflict("this account was changed meanwhile; reload it and try again") from None


def set_pools(sub: str, pools: Sequence[str], *, email: str | None = None) -> None:
    """Replace a staff member's care-team pools (an empty list takes them off every pool)."""
    key = {"PK": user_pk(sub), "SK": PROFILE_SK}
    if pools:
        values = {":pools": sorted(set(pools)), ":index": POOL_MEMBERS_INDEX, ":sk": user_pk(sub)}
        if email:
            values[":email"] = email
        aws.table().update_item(
            Key=key,
            UpdateExpression="SET pools = :pools, GSI1PK = :index, GSI1SK = :sk"
            + (", email = :email" if email else ""),
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues=values,
        )
    else:
        aws.table().update_item(
            Key=key,
            UpdateExpression="REMOVE pools, GSI1PK, GSI1SK",
            ConditionExpression="attribute_exists(PK)",
        )


def list_pool_members() -> list[Account]:
    """Every staff account that belongs to at least one pool: one GSI1 Query (paged past 1 MB)."""
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :index",
        "ExpressionAttributeValues": {":index": POOL_MEMBERS_INDEX},
    }
    members: list[Account] = []
    while True:
        response = aws.table().query(**kwargs)
        for item in response.get("Items", []):
            try:
                members.append(
                    Account(
                        sub=str(item["PK"]).removeprefix("USER#"),
                        username=str(item["username"]),
                        display_name=str(item["display_name"]),
                        role=Role(item["role"]) if item.get("role") else None,
                        pools=tuple(str(pool) for pool in item.get("pools") or ()),
                        email=str(item["email"]) if item.get("email") else None,
                    )
                )
            except (KeyError, ValueError) as exc:  # one damaged account must not hide every other member
                dynamo.log_skipped("stored account", item, exc)
        if "LastEvaluatedKey" not in response:
            return members
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def link_patient(*, sub: str, patient_id: str, relationship: Relationship, scope: Scope = FULL_SCOPE) -> None:
    """Let a user act for a patient: both sides written together so neither can exist alone."""
    granted_at = dynamo.utcnow().isoformat()
    scoped = scope_fields(scope) if relationship == "caregiver" else {}
    dynamo.transact(
        [
            dynamo.put(
                {
                    "patient_id": patient_id,
                    "relationship": relationship,
                    "granted_at": granted_at,
                    **scoped,
                    "PK": user_pk(sub),
                    "SK": f"{ACTS_FOR_PREFIX}{patient_id}",
                }
            ),
            dynamo.put(
                {
                    "sub": sub,
                    "relationship": relationship,
                    "granted_at": granted_at,
                    **scoped,
                    "PK": patient_pk(patient_id),
                    "SK": f"{PROXY_PREFIX}{sub}",
                    "GSI1PK": user_pk(sub),
                    "GSI1SK": f"{PROXY_PREFIX}{patient_id}",
                }
            ),
        ],
        conflict="access grant could not be written",
    )


def patient_exists(patient_id: str) -> bool:
    """Whether a patient record exists: staff reach any existing patient (the guard asks this)."""
    key = {"PK": patient_pk(patient_id), "SK": PROFILE_SK}
    return aws.table().get_item(Key=key, ProjectionExpression="PK").get("Item") is not None


def own_preferred_language(account_patients: Mapping[str, Relationship]) -> str | None:
    """The saved preferred language of the patient who is this account ("self" link), read only when an
    answer needs it (an error message in their language); None for a caregiver-only account."""
    own = next((pid for pid, rel in account_patients.items() if rel == "self"), None)
    language = profile_field(own, "preferred_language") if own else None
    return language if isinstance(language, str) else None


def profile_field(patient_id: str, name: str) -> object | None:
    """One attribute of a patient's profile, read alone (the guard's checks need no more)."""
    item = (
        aws.table()
        .get_item(Key={"PK": patient_pk(patient_id), "SK": PROFILE_SK}, ProjectionExpression=name)
        .get("Item")
    )
    return item.get(name) if item else None
