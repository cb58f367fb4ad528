"""Insurance on file: PK=PATIENT#<id>, SK=INSURANCE#<id>, replaced whole under a version check."""

from __future__ import annotations

from typing import Any

from chalicelib.billing.models import Insurance
from chalicelib.billing.store import keys as b
from chalicelib.core import dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import NotFound


def insurance_sk(insurance_id: str) -> str:
    return f"{b.INSURANCE_PREFIX}{insurance_id}"


def item(insurance: Insurance) -> dict[str, Any]:
    return {
        **insurance.model_dump(mode="json", exclude_none=True),
        **b.key(insurance.patient_id, insurance_sk(insurance.id)),
    }


def get(patient_id: str, insurance_id: str) -> Insurance:
    found = b.get_item(patient_id, insurance_sk(insurance_id))
    if found is None:
        raise NotFound("insurance not found")
    return dynamo.parse_item(Insurance, found)


def list_for_patient(patient_id: str) -> list[Insurance]:
    order = {"primary": 0, "secondary": 1, "tertiary": 2}
    found = dynamo.parse_items(Insurance, b.query_partition(patient_id, b.INSURANCE_PREFIX))
    return sorted(found, key=lambda i: (order[i.priority], i.created_at))


def save_entry(insurance: Insurance, *, expected_version: int | None) -> dict[str, Any]:
    """The Put of `save`, for a transaction another feature's write joins (its audit event included)."""
    entry = b.put_entry(item(insurance), new=expected_version is None)
    if expected_version is not None:
        entry["Put"]["ConditionExpression"] = "attribute_exists(PK) AND #version = :expected"
        entry["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
        entry["Put"]["ExpressionAttributeValues"] = {":expected": expected_version}
    return entry


def save(insurance: Insurance, *, expected_version: int | None, audit: AuditEvent) -> None:
    """Write the whole item with its audit event: new (expected_version None) or over that version."""
    dynamo.transact_all(
        [save_entry(insurance, expected_version=expected_version), b.audit_entry(audit)],
        committed=lambda: get(insurance.patient_id, insurance.id).model_dump() == insurance.model_dump(),
    )
