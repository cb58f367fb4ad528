"""Waitlist entries and offers.

entry  PK=PATIENT#<patient>  SK=WAITLIST#<appointment>  GSI1 WAITLIST#<visit type> / <joined at>#<appointment>
offer  PK=PATIENT#<patient>  SK=OFFER#<id>              (ttl: DynamoDB deletes it a day after it expires)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from chalicelib.appointments.models import WaitlistOffer, utc_text
from chalicelib.appointments.store import _query_all
from chalicelib.core import aws, dynamo
from chalicelib.core.schema import GSI1, TTL_ATTRIBUTE, patient_pk

WAITLIST_PREFIX: Final = "WAITLIST#"
OFFER_PREFIX: Final = "OFFER#"


def entry_key(patient_id: str, appointment_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{WAITLIST_PREFIX}{appointment_id}"}


def join_entry(
    *,
    patient_id: str,
    appointment_id: str,
    visit_type_id: str,
    provider_id: str,
    start: datetime,
    any_provider: bool,
    at: datetime,
) -> dict[str, Any]:
    entry = dynamo.put(
        {
            "patient_id": patient_id,
            "appointment_id": appointment_id,
            "visit_type_id": visit_type_id,
            "provider_id": provider_id,
            "appointment_start": utc_text(start),
            "any_provider": any_provider,
            "joined_at": utc_text(at),
            **entry_key(patient_id, appointment_id),
            "GSI1PK": f"WAITLIST#{visit_type_id}",
            "GSI1SK": f"{utc_text(at)}#{appointment_id}",
        }
    )
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def leave_entry(patient_id: str, appointment_id: str) -> dict[str, Any]:
    """Remove an entry if there is one (no condition: cancelling an appointment clears it in passing)."""
    return {"Delete": {"TableName": dynamo.table_name(), "Key": entry_key(patient_id, appointment_id)}}


def get_entry(patient_id: str, appointment_id: str) -> dict[str, Any] | None:
    item = aws.table().get_item(Key=entry_key(patient_id, appointment_id)).get("Item")
    return dict(item) if item else None


def waiting_for(visit_type_id: str) -> list[dict[str, Any]]:
    """Everyone waiting for an earlier visit of this type, first come first served: one GSI1 Query."""
    return list(
        _query_all(
            {
                "IndexName": GSI1,
                "KeyConditionExpression": "GSI1PK = :pk",
                "ExpressionAttributeValues": {":pk": f"WAITLIST#{visit_type_id}"},
            }
        )
    )


def offer_key(patient_id: str, offer_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{OFFER_PREFIX}{offer_id}"}


def put_offer(offer: WaitlistOffer) -> None:
    item = {
        **offer.model_dump(mode="json"),
        **{name: utc_text(getattr(offer, name)) for name in ("start", "end", "offered_at", "expires_at")},
        **offer_key(offer.patient_id, offer.id),
        TTL_ATTRIBUTE: int((offer.expires_at + timedelta(days=1)).timestamp()),
    }
    aws.table().put_item(Item=item)


def get_offer(patient_id: str, offer_id: str) -> WaitlistOffer | None:
    item = aws.table().get_item(Key=offer_key(patient_id, offer_id), ConsistentRead=True).get("Item")
    return WaitlistOffer.model_validate(item) if item else None


def open_offers(patient_id: str, *, now: datetime) -> list[WaitlistOffer]:
    items = _query_all(
        {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "FilterExpression": "#status = :open AND expires_at > :now",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":pk": patient_pk(patient_id),
                ":prefix": OFFER_PREFIX,
                ":open": "open",
                ":now": utc_text(now),
            },
        }
    )
    return sorted((WaitlistOffer.model_validate(i) for i in items), key=lambda o: o.start)


def accept_offer_entry(offer: WaitlistOffer, *, now: datetime) -> dict[str, Any]:
    """Part of the move transaction: the offer is still open and not expired."""
    return {
        "Update": {
            "TableName": dynamo.table_name(),
            "Key": offer_key(offer.patient_id, offer.id),
            "ConditionExpression": "#status = :open AND expires_at > :now",
            "UpdateExpression": "SET #status = :accepted",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":open": "open", ":now": utc_text(now), ":accepted": "accepted"},
        }
    }
