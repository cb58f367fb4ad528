"""Security events on an account (created on first sign-in, MFA enrolled or turned off, signed out).

They concern a person's sign-in, not a patient's data, so they live in the account's own partition of the
audit table (`ACCOUNT_AUDIT#<sub>`, newest last) and, like every audit event, by actor on GSI1
(`ACTOR#<sub>`): the compliance view of "everything this user did" lists them with their patient reads
and writes. Like every audit event, they are added and read, never changed (core/audit_log.py).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.identity import Role

ACCOUNT_AUDIT_PREFIX = "ACCOUNT_AUDIT#"


def item(
    *, account_sub: str, actor_sub: str, actor_role: Role, action: str, request_id: str
) -> dict[str, Any]:
    """One event: who (actor), what (action), when, on whom (account). Never names or codes."""
    event_id = dynamo.new_id()
    at = dynamo.utc_text(dynamo.utcnow())
    return {
        "PK": f"{ACCOUNT_AUDIT_PREFIX}{account_sub}",
        "SK": f"AUDIT#{at}#{event_id}",
        "GSI1PK": f"ACTOR#{actor_sub}",
        "GSI1SK": f"{at}#{event_id}",
        "id": event_id,
        "account_sub": account_sub,
        "actor_sub": actor_sub,
        "actor_role": actor_role.value,
        "action": action,
        "at": at,
        "request_id": request_id,
    }


def entry(
    *, account_sub: str, actor_sub: str, actor_role: Role, action: str, request_id: str
) -> dict[str, Any]:
    """The event as a TransactWriteItems entry, written with the account change it describes."""
    return audit_log.put_entry(
        item(
            account_sub=account_sub,
            actor_sub=actor_sub,
            actor_role=actor_role,
            action=action,
            request_id=request_id,
        )
    )


def record(*, account_sub: str, actor_sub: str, actor_role: Role, action: str, request_id: str) -> None:
    """Write one event on its own (an action that changed nothing in the table, such as a sign-out)."""
    audit_log.put_item(
        item(
            account_sub=account_sub,
            actor_sub=actor_sub,
            actor_role=actor_role,
            action=action,
            request_id=request_id,
        )
    )


def list_for_account(account_sub: str) -> list[dict[str, object]]:
    """The account's events, oldest first (one Query)."""
    response = aws.audit_table().query(
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": f"{ACCOUNT_AUDIT_PREFIX}{account_sub}"},
    )
    return [dict(item) for item in response.get("Items", [])]
