"""Small helpers shared by the store modules: transactions, cursors, clocks and ids."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from chalicelib.core import aws
from chalicelib.core.config import settings
from chalicelib.core.errors import BadRequest, Conflict


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str = "") -> str:
    """Opaque, unguessable ids (128 bits): they never encode names or dates."""
    return f"{prefix}{secrets.token_hex(16)}"


def table_name() -> str:
    return settings().table_name


def put(item: dict[str, Any]) -> dict[str, Any]:
    """A TransactWriteItems Put entry."""
    return {"Put": {"TableName": table_name(), "Item": item}}


def transact(entries: Sequence[dict[str, Any]], *, conflict: str) -> None:
    """Write all entries or none; a failed condition becomes a Conflict with a generic message."""
    client = aws.dynamodb_client()
    try:
        client.transact_write_items(TransactItems=list(entries))
    except client.exceptions.TransactionCanceledException as exc:
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if "ConditionalCheckFailed" in reasons:
            raise Conflict(conflict) from None
        raise


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, pk: str, sk_prefix: str) -> dict[str, Any] | None:
    """Accept a cursor only if it points into the partition being read (no hopping to others)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise BadRequest("invalid cursor", fields={"cursor": "not a cursor from this list"}) from None
    if (
        not isinstance(key, dict)
        or set(key) != {"PK", "SK"}  # exactly the table's key: DynamoDB rejects anything else with a 500
        or key["PK"] != pk
        or not isinstance(key["SK"], str)
        or not key["SK"].startswith(sk_prefix)
    ):
        raise BadRequest("invalid cursor", fields={"cursor": "not a cursor from this list"})
    return key


def decode_index_cursor(
    cursor: str | None, *, gsi_pk: str, gsi_sk_prefix: str, pk_prefix: str
) -> dict[str, Any] | None:
    """The GSI1 twin of decode_cursor: a cursor from a GSI1 Query carries the table key and the index key,
    and is accepted only if it points into the index partition (and key prefix) being read."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise BadRequest("invalid cursor", fields={"cursor": "not a cursor from this list"}) from None
    if (
        not isinstance(key, dict)
        or set(key) != {"PK", "SK", "GSI1PK", "GSI1SK"}
        or not all(isinstance(value, str) for value in key.values())
        or key["GSI1PK"] != gsi_pk
        or not key["GSI1SK"].startswith(gsi_sk_prefix)
        or not key["PK"].startswith(pk_prefix)
    ):
        raise BadRequest("invalid cursor", fields={"cursor": "not a cursor from this list"})
    return key
