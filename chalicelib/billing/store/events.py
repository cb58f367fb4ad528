"""Webhook events already handled (PK=WEBHOOK#<provider>, SK=EVENT#<id>), kept past the provider's retries.

An event is remembered after its effects are written; every effect is itself conditional (a payment
closes once, a refund id is recorded once), so an event handled but not yet remembered, delivered
again, changes nothing either.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.core import aws

KEEP = timedelta(days=30)  # Stripe retries a webhook for up to three days


def _key(provider: str, event_id: str) -> dict[str, str]:
    return {"PK": f"WEBHOOK#{provider}", "SK": f"EVENT#{event_id}"}


def seen(provider: str, event_id: str) -> bool:
    item = aws.table().get_item(Key=_key(provider, event_id), ConsistentRead=True).get("Item")
    return item is not None


def remember(provider: str, event_id: str, *, kind: str, at: datetime) -> None:
    aws.table().put_item(
        Item={
            **_key(provider, event_id),
            "type": kind,
            "handled_at": at.isoformat(),
            "ttl": int((at + KEEP).timestamp()),
        }
    )
