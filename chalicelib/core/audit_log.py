"""Audit events live in the audit table (PK=PATIENT#<id>, SK=AUDIT#<time>#<id>) and by actor on its GSI1.

The audit table has the clinic table's key schema but its own grants: the app may add an event (PutItem,
never over an existing one) and read events (Query); it may not update or delete one, nor use
BatchWriteItem (which can delete). A write that changes patient data puts its event in the same
TransactWriteItems call (`entry`), which spans both tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from pydantic import ConfigDict

from chalicelib.core import aws, dynamo
from chalicelib.core.config import settings
from chalicelib.core.errors import InternalError
from chalicelib.core.identity import Relationship, Role
from chalicelib.core.models import Model
from chalicelib.core.schema import AUDIT_PREFIX, patient_pk

TRANSACTION_SIZE: Final = 100  # TransactWriteItems' limit
NEW_ONLY: Final = "attribute_not_exists(PK)"  # an event is added, never written over another


class AuditEvent(Model):
    """One read or write of a patient's data. Holds ids and names of actors, never record contents."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    at: datetime
    actor_sub: str
    actor_name: str
    actor_role: Role
    action: str
    target: str
    request_id: str
    # A patient-role actor's tie to the record ("self" or "caregiver"); None for staff and older events.
    actor_relationship: Relationship | None = None


def item(event: AuditEvent) -> dict[str, Any]:
    at = dynamo.utc_text(event.at)
    return {
        **event.model_dump(mode="json"),
        "PK": patient_pk(event.patient_id),
        "SK": f"{AUDIT_PREFIX}{at}#{event.id}",
        # Compliance view: everything one user touched, newest first, in one Query.
        "GSI1PK": f"ACTOR#{event.actor_sub}",
        "GSI1SK": f"{at}#{event.id}",
    }


def put_entry(audit_item: dict[str, Any]) -> dict[str, Any]:
    """A TransactWriteItems Put of any audit item (patient, account or admin event) into the audit table."""
    return {
        "Put": {"TableName": settings().audit_table_name, "Item": audit_item, "ConditionExpression": NEW_ONLY}
    }


def entry(event: AuditEvent) -> dict[str, Any]:
    """The event as a TransactWriteItems entry, to join the transaction of the change it describes."""
    return put_entry(item(event))


def put_item(audit_item: dict[str, Any]) -> None:
    table = aws.audit_table()
    try:
        table.put_item(Item=audit_item, ConditionExpression=NEW_ONLY)
    except Exception as exc:
        if dynamo.error_code(exc) != "ConditionalCheckFailedException":
            raise
        # A retry of a put that landed but timed out on the way back (ids are 128-bit random): the very
        # same event is stored, so it is recorded. Anything else there is a clash, never overwritten.
        key = {"PK": audit_item["PK"], "SK": audit_item["SK"]}
        stored = table.get_item(Key=key, ConsistentRead=True).get("Item")
        if stored != audit_item:
            raise InternalError("the access could not be recorded; please try again") from None


def put(event: AuditEvent) -> None:
    put_item(item(event))


def put_many(events: Sequence[AuditEvent]) -> None:
    """Events in transactions of up to 100 (not BatchWriteItem, which the app may not use on this table)."""
    for start in range(0, len(events), TRANSACTION_SIZE):
        chunk = events[start : start + TRANSACTION_SIZE]
        try:
            dynamo.transact_all([entry(event) for event in chunk])
        except dynamo.TransactionRefused:
            # Ids are 128-bit random: a clash means something is wrong; an unlogged read must not pass.
            raise InternalError("the access could not be recorded; please try again") from None


# A filtered page reads on until it is full: at most this many Query calls once it holds something, so a
# request stays bounded, but a page is never empty while more events exist.
MAX_QUERIES_PER_PAGE: Final = 8
_TABLE_KEY: Final = ("PK", "SK")
_INDEX_KEY: Final = ("PK", "SK", "GSI1PK", "GSI1SK")


def _filtered_page(
    kwargs: dict[str, Any], *, limit: int, key_names: tuple[str, ...]
) -> tuple[list[AuditEvent], str | None]:
    """Query page after page with the FilterExpression in kwargs until `limit` events are found.

    DynamoDB applies Limit before the filter, so one Query can come back empty with more to read. The
    cursor is the key of the last event returned (or the last key read when nothing was cut off).
    """
    events: list[AuditEvent] = []
    queries = 0
    while True:
        response = aws.audit_table().query(**kwargs)
        queries += 1
        items = response.get("Items", [])
        last_key = response.get("LastEvaluatedKey")
        for position, raw in enumerate(items):
            events.extend(dynamo.parse_items(AuditEvent, [raw]))
            if len(events) >= limit:
                more = last_key is not None or position < len(items) - 1
                cut = {name: raw[name] for name in key_names}
                return events, dynamo.encode_cursor(cut) if more else None
        if last_key is None:
            return events, None
        if events and queries >= MAX_QUERIES_PER_PAGE:
            return events, dynamo.encode_cursor(last_key)
        kwargs = {**kwargs, "ExclusiveStartKey": last_key}


def _time_bounds(prefix: str, since: datetime | None, until: datetime | None) -> tuple[str, str]:
    """Sort-key bounds for events at or after `since` and before `until` (fixed-width UTC text)."""
    low = prefix + (dynamo.utc_text(since) if since else "")
    high = prefix + (dynamo.utc_text(until) if until else "~")
    return low, high


def list_for_patient(
    patient_id: str,
    *,
    limit: int,
    cursor: str | None,
    exclude_actor: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """Newest first: one Query on the patient's partition (a time range is a key condition); leaving out
    one actor's events, or keeping only one actor's, is a filter on that Query, read on until the page
    is full."""
    pk = patient_pk(patient_id)
    low, high = _time_bounds(AUDIT_PREFIX, since, until)
    values: dict[str, Any] = {":pk": pk, ":low": low, ":high": high}
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :low AND :high",
        "ScanIndexForward": False,
        # Read a little more than a page when a filter may drop some, to save round trips.
        "Limit": limit if exclude_actor is None and actor is None else max(limit, 50),
    }
    if exclude_actor is not None:
        kwargs["FilterExpression"] = "actor_sub <> :actor"
        values[":actor"] = exclude_actor
    elif actor is not None:
        kwargs["FilterExpression"] = "actor_sub = :actor"
        values[":actor"] = actor
    kwargs["ExpressionAttributeValues"] = values
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=AUDIT_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    return _filtered_page(kwargs, limit=limit, key_names=_TABLE_KEY)


def list_for_actor(
    actor_sub: str,
    *,
    limit: int,
    cursor: str | None,
    since: datetime | None = None,
    until: datetime | None = None,
    newest_first: bool = True,
) -> tuple[list[AuditEvent], str | None]:
    """One person's accesses to patients' data in a time range: a GSI1 Query on `ACTOR#<sub>`.

    Account security events share the index partition; only patient events (PK `PATIENT#...`) are kept.
    """
    gsi_pk = f"ACTOR#{actor_sub}"
    low, high = _time_bounds("", since, until)
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :gsi AND GSI1SK BETWEEN :low AND :high",
        "FilterExpression": "begins_with(PK, :patient)",
        "ExpressionAttributeValues": {":gsi": gsi_pk, ":low": low, ":high": high, ":patient": patient_pk("")},
        "ScanIndexForward": not newest_first,
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=gsi_pk, pk_prefix=patient_pk(""), sk_prefix=AUDIT_PREFIX
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    return _filtered_page(kwargs, limit=limit, key_names=_INDEX_KEY)
