"""Health record entries: PK=PATIENT#<id>, SK=REC#<KIND>#<record id>, one item per entry.

The whole record of a patient is one Query on the SK prefix REC#; one entry is one GetItem.
"""

from __future__ import annotations

from typing import Any, TypeVar

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.schema import patient_pk
from chalicelib.records.models import STORED_MODELS, Medication, Record, RecordKind

RECORD_PREFIX = "REC#"

R = TypeVar("R", bound=Record)

# One sentence per kind, so each can be said in the patient's language (core/i18n.py).
NOT_FOUND: dict[RecordKind, str] = {
    "problem": "problem not found",
    "medication": "medication not found",
    "allergy": "allergy not found",
    "immunization": "immunization not found",
    "visit": "visit not found",
}


def record_sk(kind: RecordKind, record_id: str) -> str:
    return f"{RECORD_PREFIX}{kind.upper()}#{record_id}"


def record_key(patient_id: str, kind: RecordKind, record_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": record_sk(kind, record_id)}


def item(record: Record) -> dict[str, Any]:
    # Keys go last so that nothing in the payload can move the item.
    return {**record.model_dump(mode="json"), **record_key(record.patient_id, record.kind, record.id)}


def get(patient_id: str, kind: RecordKind, record_id: str, model: type[R]) -> R:
    found = aws.table().get_item(Key=record_key(patient_id, kind, record_id)).get("Item")
    if found is None:
        raise NotFound(NOT_FOUND[kind])
    return dynamo.parse_item(model, found)


def get_medication(patient_id: str, medication_id: str) -> Medication:
    """One medication of a patient (refill requests ask "is this an active medication of this patient")."""
    return get(patient_id, "medication", medication_id, Medication)


def set_confidential(
    patient_id: str, kind: RecordKind, record_id: str, confidential: bool, *, audit: AuditEvent
) -> None:
    """Mark or unmark one entry confidential, with its audit event."""
    dynamo.transact(
        [
            {
                "Update": {
                    "TableName": dynamo.table_name(),
                    "Key": record_key(patient_id, kind, record_id),
                    "UpdateExpression": "SET confidential = :confidential",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": {":confidential": confidential},
                }
            },
            audit_log.entry(audit),
        ],
        conflict=f"{kind} not found",
    )


def list_all(patient_id: str) -> list[Record]:
    """Every entry of the record: one Query (more pages only for records over 1 MB)."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": patient_pk(patient_id), ":prefix": RECORD_PREFIX},
    }
    records: list[Record] = []
    while True:
        response = aws.table().query(**kwargs)
        for item in response.get("Items", []):
            model = STORED_MODELS.get(str(item.get("kind")))
            if model is not None:
                parsed = dynamo.parse_or_skip(model, item)
                if parsed is not None:
                    records.append(parsed)
        if "LastEvaluatedKey" not in response:
            return records
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def create_entry(record: Record) -> dict[str, Any]:
    """The Put of a new entry, for a transaction that also holds its audit event."""
    entry = dynamo.put(item(record))
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def replace_entry(record: Record, *, expected_version: int) -> dict[str, Any]:
    """The Put replacing an entry saved at expected_version, for a transaction with its audit event."""
    entry = dynamo.put(item(record))
    entry["Put"]["ConditionExpression"] = "attribute_exists(PK) AND #version = :expected"
    entry["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
    entry["Put"]["ExpressionAttributeValues"] = {":expected": expected_version}
    return entry


def create(record: Record, *, audit: AuditEvent) -> None:
    entry = create_entry(record)
    try:
        dynamo.transact([entry, audit_log.entry(audit)], conflict="this entry already exists")
    except Conflict:
        # The id is fresh and random: if it exists, botocore retried our own write after a lost answer.
        key = record_key(record.patient_id, record.kind, record.id)
        if aws.table().get_item(Key=key, ConsistentRead=True).get("Item") is None:
            raise


def replace(record: Record, *, expected_version: int, audit: AuditEvent) -> None:
    """Replace an entry if nobody saved it since expected_version, together with its audit event."""
    dynamo.transact(
        [replace_entry(record, expected_version=expected_version), audit_log.entry(audit)],
        conflict="this entry was changed by someone else; reload it and try again",
    )
