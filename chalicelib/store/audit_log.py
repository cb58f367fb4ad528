"""Audit events live in the patient's partition (SK=AUDIT#<time>#<id>) and by actor on GSI1."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from chalicelib import aws
from chalicelib.models.audit import AuditEvent
from chalicelib.store import _dynamo
from chalicelib.store.schema import AUDIT_PREFIX, patient_pk


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
    start = _dynamo.decode_cursor(cursor, pk=pk, sk_prefix=AUDIT_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    events = [AuditEvent.model_validate(raw) for raw in response.get("Items", [])]
    return events, _dynamo.encode_cursor(response.get("LastEvaluatedKey"))
