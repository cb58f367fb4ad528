"""Small helpers shared by the store modules: transactions, cursors, clocks and ids."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chalicelib.core import aws
from chalicelib.core.config import settings
from chalicelib.core.errors import BadRequest, Conflict
from chalicelib.core.observability import logger

M = TypeVar("M", bound=BaseModel)


def utcnow() -> datetime:
    return datetime.now(UTC)


def utc_text(moment: datetime) -> str:
    """Fixed-width UTC text with microseconds: sorts as time in sort keys.

    isoformat, not strftime: strftime("%Y") leaves years before 1000 unpadded on Linux ("25-01-01").
    """
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def log_skipped(what: str, item: Mapping[str, Any], exc: Exception) -> None:
    """A stored item left out of a read or a job: its key and the error's type, never its content."""
    logger.warning(
        f"{what} skipped",
        extra={
            "pk": str(item.get("PK", "")),
            "sk": str(item.get("SK", "")),
            "error_type": type(exc).__name__,
        },
    )


def parse_or_skip(model: type[M], item: Mapping[str, Any]) -> M | None:
    """A stored item as its model, or None (logged by key and field names, never content) if it no
    longer fits: one damaged item must not take down every read and job that meets it."""
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        logger.warning(
            "stored item skipped: it does not match its model",
            extra={
                "model": model.__name__,
                "pk": str(item.get("PK", "")),
                "sk": str(item.get("SK", "")),
                # the model's own field names only: deeper parts of a location can be dict keys from data
                "fields": sorted({str(e["loc"][0]) for e in exc.errors(include_input=False) if e["loc"]}),
            },
        )
        return None


def parse_items(model: type[M], items: Iterable[Mapping[str, Any]]) -> list[M]:
    """Stored items as models, leaving out (and logging) any that no longer fit."""
    return [parsed for item in items if (parsed := parse_or_skip(model, item)) is not None]


def parse_item(model: type[M], item: Mapping[str, Any]) -> M:
    """One stored item as its model; a damaged one is a Conflict (a clear 409), not a crash."""
    parsed = parse_or_skip(model, item)
    if parsed is None:
        raise Conflict("this item's stored data is damaged and cannot be shown")
    return parsed


def new_id(prefix: str = "") -> str:
    """Opaque, unguessable ids (128 bits): they never encode names or dates."""
    return f"{prefix}{secrets.token_hex(16)}"


def table_name() -> str:
    return settings().table_name


def put(item: dict[str, Any]) -> dict[str, Any]:
    """A TransactWriteItems Put entry."""
    return {"Put": {"TableName": table_name(), "Item": item}}


class TransactionRefused(Exception):
    """A transaction's condition failed. `failed` holds the indexes of the entries whose condition did."""

    def __init__(self, failed: list[int]) -> None:
        super().__init__(f"condition failed on entries {failed}")
        self.failed = failed


def transact_all(entries: Sequence[dict[str, Any]], *, committed: Callable[[], bool] | None = None) -> None:
    """Write all entries or none; a failed condition raises TransactionRefused naming which entries failed.

    `committed` tells whether this very write is already in the table. botocore retries a transaction
    whose answer was lost (a slow answer past the read timeout); DynamoDB recognises the retry by its
    ClientRequestToken, but an emulator may not, and then our own first attempt refuses the retry. Such a
    refusal is a success. Without `committed`, a transaction that carries an audit event asks the audit
    table: the event's key is new to this write, so finding it means the whole write is in.
    """
    client = aws.dynamodb_client()
    try:
        client.transact_write_items(TransactItems=list(entries))
    except Exception as exc:
        if error_code(exc) != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in getattr(exc, "response", {}).get("CancellationReasons", [])]
        failed = [i for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"]
        if failed:
            already_in = committed or (lambda: _audit_event_written(client, entries, failed))
            if already_in():
                return
            raise TransactionRefused(failed) from None
        raise


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a failed call. Read from the answer, not tested by `client.exceptions` class:
    botocore builds those classes lazily, and two threads building them at once can raise one class and test
    for the other."""
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


def _audit_event_written(client: Any, entries: Sequence[dict[str, Any]], failed: list[int]) -> bool:
    """True if a refused transaction's own audit event is stored: only a first attempt of this very
    write can have put it there. The refusal must include that event's put (its key already taken)."""
    audit_table = settings().audit_table_name
    for index in failed:
        put = entries[index].get("Put")
        if put is None or put.get("TableName") != audit_table:
            continue
        key = {"PK": put["Item"]["PK"], "SK": put["Item"]["SK"]}
        found = client.get_item(TableName=audit_table, Key=key, ConsistentRead=True).get("Item")
        return found == put["Item"]
    return False


def transact(entries: Sequence[dict[str, Any]], *, conflict: str) -> None:
    """Write all entries or none; a failed condition becomes a Conflict with a generic message."""
    try:
        transact_all(entries)
    except TransactionRefused:
        raise Conflict(conflict) from None


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_key(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
    except (ValueError, TypeError):
        raise _bad_cursor() from None


def _bad_cursor() -> BadRequest:
    return BadRequest("invalid cursor", fields={"cursor": "not a cursor from this list"})


def decode_cursor(cursor: str | None, *, pk: str, sk_prefix: str) -> dict[str, Any] | None:
    """Accept a cursor only if it points into the partition being read (no hopping to others)."""
    if not cursor:
        return None
    key = _cursor_key(cursor)
    if (
        not isinstance(key, dict)
        or set(key) != {"PK", "SK"}  # exactly the table's key: DynamoDB rejects anything else with a 500
        or key["PK"] != pk
        or not isinstance(key["SK"], str)
        or not key["SK"].startswith(sk_prefix)
    ):
        raise _bad_cursor()
    return key


def decode_index_cursor(
    cursor: str | None, *, gsi_pk: str, gsi_sk_prefix: str = "", pk_prefix: str = "", sk_prefix: str = ""
) -> dict[str, Any] | None:
    """The GSI1 twin of decode_cursor: a cursor from a GSI1 Query carries the table key and the index key,
    and is accepted only if it points into the index partition (and key prefixes) being read."""
    if not cursor:
        return None
    key = _cursor_key(cursor)
    if (
        not isinstance(key, dict)
        or set(key) != {"PK", "SK", "GSI1PK", "GSI1SK"}
        or not all(isinstance(value, str) for value in key.values())
        or key["GSI1PK"] != gsi_pk
        or not key["GSI1SK"].startswith(gsi_sk_prefix)
        or not key["PK"].startswith(pk_prefix)
        or not key["SK"].startswith(sk_prefix)
    ):
        raise _bad_cursor()
    return key
