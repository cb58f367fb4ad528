"""Saved pharmacies: PK=PATIENT#<id>, SK=PHARMACY#<pharmacy id>. The list is one Query on the prefix."""

from __future__ import annotations

from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import NotFound
from chalicelib.core.schema import patient_pk
from chalicelib.pharmacies.models import Pharmacy

PHARMACY_PREFIX = "PHARMACY#"


def pharmacy_key(patient_id: str, pharmacy_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{PHARMACY_PREFIX}{pharmacy_id}"}


def get(patient_id: str, pharmacy_id: str) -> Pharmacy:
    item = aws.table().get_item(Key=pharmacy_key(patient_id, pharmacy_id)).get("Item")
    if item is None:
        raise NotFound("pharmacy not found")
    return dynamo.parse_item(Pharmacy, item)


def list_for_patient(patient_id: str) -> list[Pharmacy]:
    """All of a patient's saved pharmacies (a handful), oldest first: one Query."""
    response = aws.table().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": patient_pk(patient_id), ":prefix": PHARMACY_PREFIX},
    )
    pharmacies = dynamo.parse_items(Pharmacy, response.get("Items", []))
    return sorted(pharmacies, key=lambda p: p.created_at)


def create(pharmacy: Pharmacy, *, audit: AuditEvent) -> None:
    item: dict[str, Any] = {
        **pharmacy.model_dump(mode="json", exclude_none=True),
        **pharmacy_key(pharmacy.patient_id, pharmacy.id),
    }
    entry = dynamo.put(item)
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    dynamo.transact([entry, audit_log.entry(audit)], conflict="this pharmacy already exists")


def delete(patient_id: str, pharmacy_id: str, *, audit: AuditEvent) -> None:
    """Remove a saved pharmacy with its audit event; refill requests keep their own copy of it."""
    dynamo.transact(
        [
            {
                "Delete": {
                    "TableName": dynamo.table_name(),
                    "Key": pharmacy_key(patient_id, pharmacy_id),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            },
            audit_log.entry(audit),
        ],
        conflict="this pharmacy was already removed",
    )
