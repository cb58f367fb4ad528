"""Portal accounts (one per Cognito user) and the patients each may act for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib import aws
from chalicelib.identity import Role
from chalicelib.models.account import Relationship
from chalicelib.store import _dynamo
from chalicelib.store.schema import ACTS_FOR_PREFIX, PROFILE_SK, PROXY_PREFIX, patient_pk, user_pk


@dataclass(frozen=True)
class Account:
    sub: str
    username: str
    display_name: str
    role: Role | None
    acts_for: dict[str, Relationship] = field(default_factory=dict)


def get_account(sub: str) -> Account | None:
    """The account and its patient links in one Query on the user's partition."""
    response = aws.table().query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": user_pk(sub)}
    )
    items: list[dict[str, Any]] = response.get("Items", [])
    profile = next((item for item in items if item["SK"] == PROFILE_SK), None)
    if profile is None:
        return None
    acts_for: dict[str, Relationship] = {
        str(item["patient_id"]): item["relationship"]
        for item in items
        if str(item["SK"]).startswith(ACTS_FOR_PREFIX)
    }
    return Account(
        sub=sub,
        username=str(profile["username"]),
        display_name=str(profile["display_name"]),
        role=Role(profile["role"]) if profile.get("role") else None,
        acts_for=acts_for,
    )


def put_account(*, sub: str, username: str, display_name: str, role: Role) -> None:
    aws.table().put_item(
        Item={
            "username": username,
            "display_name": display_name,
            "role": role.value,
            "PK": user_pk(sub),
            "SK": PROFILE_SK,
        }
    )


def link_patient(*, sub: str, patient_id: str, relationship: Relationship) -> None:
    """Let a user act for a patient: both sides written together so neither can exist alone."""
    granted_at = _dynamo.utcnow().isoformat()
    _dynamo.transact(
        [
            _dynamo.put(
                {
                    "patient_id": patient_id,
                    "relationship": relationship,
                    "granted_at": granted_at,
                    "PK": user_pk(sub),
                    "SK": f"{ACTS_FOR_PREFIX}{patient_id}",
                }
            ),
            _dynamo.put(
                {
                    "sub": sub,
                    "relationship": relationship,
                    "granted_at": granted_at,
                    "PK": patient_pk(patient_id),
                    "SK": f"{PROXY_PREFIX}{sub}",
                    "GSI1PK": user_pk(sub),
                    "GSI1SK": f"{PROXY_PREFIX}{patient_id}",
                }
            ),
        ],
        conflict="access grant could not be written",
    )
