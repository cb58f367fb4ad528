"""Audit events live in the audit table (PK=PATIENT#<id>, SK=AUDIT#<time>#<id>) and by actor on its GSI1.

The audit table has the clinic table's key schema but its own grants: the app may add an event (PutItem,
never over an existing one) and read events (Query); it may not update or delete one, nor use
BatchWriteItem (which can delete). A write that changes patient data puts its event in the same
TransactWriteItems call (`entry`), which spans both tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import ConfigDict

from chalicelib.core import aws, dynamo
from chalicelib.core.config import settings
from chalicelib.core.errors import InternalError
from chalicelib.core.identity import Role
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
    # "caregiver" when the actor reached this record through a grant, not as the patient or staff.
    acting_as: Literal["caregiver"] | None = None


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
    aws.audit_table().put_item(Item=audit_item, ConditionExpression=NEW_ONLY)


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
    response = aws.audit_table().query(**kwargs)
    events = dynamo.parse_items(AuditEvent, response.get("Items", []))
    return events, dynamo.encode_cursor(response.get("LastEvaluatedKey"))
