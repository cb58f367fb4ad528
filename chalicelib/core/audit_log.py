"""Audit events live in the patient's partition (SK=AUDIT#<time>#<id>) and by actor on GSI1."""

from __future__ import annotations

import time
from datetime import UTC
from typing import Any

from chalicelib.core import aws, dynamo
from chalicelib.core.audit_models import AuditEvent
from chalicelib.core.errors import InternalError
from chalicelib.core.schema import AUDIT_PREFIX, patient_pk


def item(event: AuditEvent) -> dict[str, Any]:
    at = event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # fixed width: sorts as time
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


def put_many(events: list[AuditEvent]) -> None:
    """Up to 25 events in one BatchWriteItem; throttled ones are retried, never dropped."""
    if not events:
        return
    if len(events) > 25:
        raise ValueError("at most 25 audit events per batch")
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
    events = [AuditEvent.model_validate(raw) for raw in response.get("Items", [])]
    return events, dynamo.encode_cursor(response.get("LastEvaluatedKey"))
