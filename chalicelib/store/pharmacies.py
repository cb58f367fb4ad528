"""Saved pharmacies: PK=PATIENT#<id>, SK=PHARMACY#<pharmacy id>. The list is one Query on the prefix."""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.errors import NotFound
from chalicelib.models.audit import AuditEvent
from chalicelib.models.pharmacies import Pharmacy
from chalicelib.store import _dynamo, audit_log
from chalicelib.store.schema import patient_pk

PHARMACY_PREFIX = "PHARMACY#"


def pharmacy_key(patient_id: str, pharmacy_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{PHARMACY_PREFIX}{pharmacy_id}"}


def get(patient_id: str, pharmacy_id: str) -> Pharmacy:
    item = aws.table().get_item(Key=pharmacy_key(patient_id, pharmacy_id)).get("Item")
    if item is None:
        raise NotFound("pharmacy not found")
    return Pharmacy.model_validate(item)


def list_for_patient(patient_id: str) -> list[Pharmacy]:
    """All of a patient's saved pharmacies (a handful), oldest first: one Query."""
    response = aws.table().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": patient_pk(patient_id), ":prefix": PHARMACY_PREFIX},
    )
    pharmacies = [Pharmacy.model_validate(item) for item in response.get("Items", [])]
    return sorted(pharmacies, key=lambda p: p.created_at)


def create(pharmacy: Pharmacy, *, audit: AuditEvent) -> None:
    item: dict[str, Any] = {
        **pharmacy.model_dump(mode="json", exclude_none=True),
        **pharmacy_key(pharmacy.patient_id, pharmacy.id),
    }
    entry = _dynamo.put(item)
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    _dynamo.transact([entry, _dynamo.put(audit_log.item(audit))], conflict="this pharmacy already exists")


def delete(patient_id: str, pharmacy_id: str, *, audit: AuditEvent) -> None:
    """Remove a saved pharmacy with its audit event; refill requests keep their own copy of it."""
    _dynamo.transact(
        [
            {
                "Delete": {
                    "TableName": _dynamo.table_name(),
                    "Key": pharmacy_key(patient_id, pharmacy_id),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            },
            _dynamo.put(audit_log.item(audit)),
        ],
        conflict="this pharmacy was already removed",
    )
