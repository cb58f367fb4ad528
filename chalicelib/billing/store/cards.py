"""The patient's billing profile (SK=BILLINGPROFILE): the processor's customer id and the saved card.

One item per patient. The customer id is written once (`set_customer` refuses to replace another);
the card fields are replaced whole when a new card is saved and removed when the patient removes it.
No card number or expiry is stored: the processor's payment method id, brand and last four only.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.billing.models import BillingProfile
from chalicelib.billing.store import keys as b
from chalicelib.core import aws, dynamo
from chalicelib.core.audit_log import AuditEvent


def get(patient_id: str) -> BillingProfile:
    item = b.get_item(patient_id, b.BILLING_PROFILE)
    return dynamo.parse_item(BillingProfile, item) if item else BillingProfile(patient_id=patient_id)


def set_customer(patient_id: str, customer_id: str) -> str:
    """Remember the customer; when another request got there first, theirs wins (returned)."""
    from botocore.exceptions import ClientError

    try:
        aws.table().update_item(
            Key=b.key(patient_id, b.BILLING_PROFILE),
            UpdateExpression="SET customer_id = :c, patient_id = :p",
            ConditionExpression="attribute_not_exists(customer_id) OR customer_id = :c",
            ExpressionAttributeValues={":c": customer_id, ":p": patient_id},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        existing = get(patient_id).customer_id
        assert existing is not None
        return existing
    return customer_id


def save_card(
    patient_id: str,
    *,
    payment_method: str,
    brand: str | None,
    last4: str | None,
    at: datetime,
    audit: AuditEvent,
) -> None:
    fields = {
        "payment_method": payment_method,
        "card_brand": brand,
        "card_last4": last4,
        "saved_at": at.isoformat(),
    }
    dynamo.transact_all(
        [
            b.update_entry(
                b.key(patient_id, b.BILLING_PROFILE),
                set_fields={k: v for k, v in fields.items() if v is not None},
                condition="attribute_exists(customer_id)",
            ),
            b.audit_entry(audit),
        ]
    )


def remove_card(patient_id: str, *, audit: AuditEvent) -> None:
    dynamo.transact_all(
        [
            b.update_entry(
                b.key(patient_id, b.BILLING_PROFILE),
                remove=("payment_method", "card_brand", "card_last4", "saved_at"),
                condition="attribute_exists(PK)",
            ),
            b.audit_entry(audit),
        ]
    )
