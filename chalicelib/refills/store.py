"""Refill requests in the patient's partition, the clinicians' open list on GSI1, and the guard items.

request  PK=PATIENT#<id>  SK=REFILL#<requested at>#<request>      the patient's list: newest first
         GSI1 REFILLS#OPEN / <requested at>#<patient>#<request>    only while open: oldest first
guard    PK=PATIENT#<id>  SK=REFILL_OPEN#<medication>             exists while a request for it is open

The guard is put with attribute_not_exists in the same transaction as the request, and deleted in the
same transaction as the decision: "one open request per medication" holds under any concurrency.
(REFILL_OPEN# does not begin with REFILL#, so the patient's list never sees the guards.)
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.dynamo import utc_text
from chalicelib.core.errors import NotFound
from chalicelib.core.schema import PATIENT_PREFIX, patient_pk
from chalicelib.refills.models import RefillRequest

REFILL_PREFIX = "REFILL#"
GUARD_PREFIX = "REFILL_OPEN#"
OPEN_INDEX = "REFILLS#OPEN"

DUPLICATE = "there is already an open refill request for this medication; your care team will answer it soon"


def refill_sk(request: RefillRequest) -> str:
    return f"{REFILL_PREFIX}{utc_text(request.requested_at)}#{request.id}"


def guard_key(patient_id: str, medication_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{GUARD_PREFIX}{medication_id}"}


def item(request: RefillRequest) -> dict[str, Any]:
    fields: dict[str, Any] = {**request.model_dump(mode="json", exclude_none=True)}
    if request.status == "open":
        fields["GSI1PK"] = OPEN_INDEX
        fields["GSI1SK"] = f"{utc_text(request.requested_at)}#{request.patient_id}#{request.id}"
    return {**fields, "PK": patient_pk(request.patient_id), "SK": refill_sk(request)}


def create(request: RefillRequest, *, audit: AuditEvent) -> None:
    """The request, its guard and the audit event: all or nothing (a second open request is a Conflict)."""
    guard = dynamo.put(
        {
            "request_id": request.id,
            "request_sk": refill_sk(request),
            **guard_key(request.patient_id, request.medication_id),
        }
    )
    guard["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    entry = dynamo.put(item(request))
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    dynamo.transact([guard, entry, audit_log.entry(audit)], conflict=DUPLICATE)


def decide(decided: RefillRequest, *, expected_version: int, audit: AuditEvent) -> None:
    """Write the decision if the request is still open and unchanged; its guard goes in the same step."""
    entry = dynamo.put(item(decided))
    entry["Put"].update(
        ConditionExpression="#status = :open AND #version = :expected",
        ExpressionAttributeNames={"#status": "status", "#version": "version"},
        ExpressionAttributeValues={":open": "open", ":expected": expected_version},
    )
    guard = {
        "Delete": {
            "TableName": dynamo.table_name(),
            "Key": guard_key(decided.patient_id, decided.medication_id),
            "ConditionExpression": "request_id = :id",
            "ExpressionAttributeValues": {":id": decided.id},
        }
    }
    dynamo.transact(
        [entry, guard, audit_log.entry(audit)],
        conflict="this refill request was already decided; reload to see the decision",
    )


def open_request_id(patient_id: str, medication_id: str) -> str | None:
    """The id of the open request for this medication, if any (from its guard item)."""
    found = aws.table().get_item(Key=guard_key(patient_id, medication_id)).get("Item")
    return str(found["request_id"]) if found else None


def get(patient_id: str, request_id: str) -> RefillRequest:
    """One request by id: a Query on the patient's REFILL# items filtered by id (a patient has few)."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "FilterExpression": "id = :id",
        "ExpressionAttributeValues": {
            ":pk": patient_pk(patient_id),
            ":prefix": REFILL_PREFIX,
            ":id": request_id,
        },
    }
    while True:
        response = aws.table().query(**kwargs)
        for found in response.get("Items", []):
            return dynamo.parse_item(RefillRequest, found)
        if "LastEvaluatedKey" not in response:
            raise NotFound("refill request not found")
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def list_for_patient(
    patient_id: str, *, limit: int, cursor: str | None
) -> tuple[list[RefillRequest], str | None]:
    """The patient's requests, newest first: one Query per page."""
    pk = patient_pk(patient_id)
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": pk, ":prefix": REFILL_PREFIX},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=REFILL_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    requests = dynamo.parse_items(RefillRequest, response.get("Items", []))
    return requests, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def list_open(*, limit: int, cursor: str | None) -> tuple[list[RefillRequest], str | None]:
    """The clinicians' work list: open requests, oldest first, one GSI1 Query per page."""
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :gpk",
        "ExpressionAttributeValues": {":gpk": OPEN_INDEX},
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=OPEN_INDEX, pk_prefix=PATIENT_PREFIX, sk_prefix=REFILL_PREFIX
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    requests = dynamo.parse_items(RefillRequest, response.get("Items", []))
    return requests, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def count_open(*, cap: int) -> int:
    """How many requests wait for a decision: one capped COUNT Query on the open index."""
    response = aws.table().query(
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :gpk",
        ExpressionAttributeValues={":gpk": OPEN_INDEX},
        Select="COUNT",
        Limit=cap,
    )
    return min(int(response.get("Count", 0)), cap)
