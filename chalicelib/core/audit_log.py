"""Audit events live in the patient's partition (SK=AUDIT#<time>#<id>) and by actor on GSI1."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from pydantic import ConfigDict

from chalicelib.core import aws, dynamo
from chalicelib.core.errors import InternalError
from chalicelib.core.identity import Role
from chalicelib.core.models import Model
from chalicelib.core.schema import AUDIT_PREFIX, patient_pk

BATCH_SIZE: Final = 25  # BatchWriteItem's limit


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


def put(event: AuditEvent) -> None:
    aws.table().put_item(Item=item(event))


def put_many(events: Sequence[AuditEvent]) -> None:
    """Events in BatchWriteItem calls of 25; throttled ones are retried, never dropped."""
    for start in range(0, len(events), BATCH_SIZE):
        _put_batch(events[start : start + BATCH_SIZE])


def _put_batch(events: Sequence[AuditEvent]) -> None:
    if not events:
        return
    name = dynamo.table_name()
    request: dict[str, Any] = {name: [{"PutRequest": {"Item": item(event)}} for event in events]}
    for attempt in range(5):
        request = aws.dynamodb_resource().batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        if not request:
            return
        time.sleep(0.05 * 2**attempt)
    # An unlogged read of patient data is not allowed to succeed quietly.
    raise InternalError("the access could not be recorded; please try again")


def list_for_patient(
    patient_id: str, *, limit: int, cursor: str | None
) -> tuple[list[AuditEvent], str | None]:
    """Newest first, one Query per page."""
    pk = patient_pk(patient_id)
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": pk, ":prefix": AUDIT_PREFIX},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=AUDIT_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    events = dynamo.parse_items(AuditEvent, response.get("Items", []))
    return events, dynamo.encode_cursor(response.get("LastEvaluatedKey"))
