"""Document metadata in DynamoDB and the files themselves in S3.

metadata  PK=PATIENT#<id>  SK=DOC#<document id>   (by id, so finalize and download are one GetItem;
          the list is one Query on DOC# sorted by upload time here: a chart holds tens of documents)
file      s3://<DOCUMENTS_BUCKET>/patients/<patient id>/documents/<document id>: ids only, never names
A pending item carries `ttl`, so an upload that is never finalized disappears by itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.schema import TTL_ATTRIBUTE, patient_pk
from chalicelib.documents.models import Document

DOC_PREFIX = "DOC#"
PENDING_LIFETIME = timedelta(days=1)


def s3_key(patient_id: str, document_id: str) -> str:
    return f"patients/{patient_id}/documents/{document_id}"


def document_key(patient_id: str, document_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{DOC_PREFIX}{document_id}"}


def bucket() -> str:
    return settings().documents_bucket


def create_pending(document: Document, *, now: datetime, audit: AuditEvent) -> None:
    entry = dynamo.put(
        {
            **document.model_dump(mode="json", exclude_none=True),
            TTL_ATTRIBUTE: int((now + PENDING_LIFETIME).timestamp()),
            **document_key(document.patient_id, document.id),
        }
    )
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    try:
        dynamo.transact([entry, audit_log.entry(audit)], conflict="this document already exists")
    except Conflict:
        # The id is fresh and random: if it exists, botocore retried our own write after a lost answer.
        key = document_key(document.patient_id, document.id)
        if aws.table().get_item(Key=key, ConsistentRead=True).get("Item") is None:
            raise


def set_confidential(patient_id: str, document_id: str, confidential: bool, *, audit: AuditEvent) -> None:
    """Mark or unmark one document confidential, with its audit event."""
    dynamo.transact(
        [
            {
                "Update": {
                    "TableName": dynamo.table_name(),
                    "Key": document_key(patient_id, document_id),
                    "UpdateExpression": "SET confidential = :confidential",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": {":confidential": confidential},
                }
            },
            audit_log.entry(audit),
        ],
        conflict="document not found",
    )


def get(patient_id: str, document_id: str) -> Document:
    found = aws.table().get_item(Key=document_key(patient_id, document_id)).get("Item")
    if found is None:
        raise NotFound("document not found")
    return dynamo.parse_item(Document, found)


def list_available(patient_id: str) -> list[Document]:
    """Every finalized document of a patient, newest first: one Query (pending ones filtered out)."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "FilterExpression": "#status = :available",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":pk": patient_pk(patient_id),
            ":prefix": DOC_PREFIX,
            ":available": "available",
        },
    }
    documents: list[Document] = []
    while True:
        response = aws.table().query(**kwargs)
        documents += dynamo.parse_items(Document, response.get("Items", []))
        if "LastEvaluatedKey" not in response:
            break
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    documents.sort(key=lambda d: d.uploaded_at or d.created_at, reverse=True)
    return documents


def mark_available(document: Document, *, size: int, now: datetime, audit: AuditEvent) -> None:
    """Pending -> available (and no longer expiring), with its audit event; only once."""
    dynamo.transact(
        [
            {
                "Update": {
                    "TableName": dynamo.table_name(),
                    "Key": document_key(document.patient_id, document.id),
                    # "size" is a reserved word in expressions, hence #size.
                    "UpdateExpression": (
                        "SET #status = :available, #size = :size, uploaded_at = :now REMOVE #ttl"
                    ),
                    "ConditionExpression": "#status = :pending",
                    "ExpressionAttributeNames": {"#status": "status", "#size": "size", "#ttl": TTL_ATTRIBUTE},
                    "ExpressionAttributeValues": {
                        ":available": "available",
                        ":pending": "pending",
                        ":size": size,
                        ":now": now.isoformat(),
                    },
                }
            },
            audit_log.entry(audit),
        ],
        conflict="this document was already finalized",
    )


def delete_pending(document: Document, *, audit: AuditEvent) -> None:
    """Forget a rejected upload: its item goes, its audit event stays."""
    dynamo.transact(
        [
            {
                "Delete": {
                    "TableName": dynamo.table_name(),
                    "Key": document_key(document.patient_id, document.id),
                    "ConditionExpression": "#status = :pending",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":pending": "pending"},
                }
            },
            audit_log.entry(audit),
        ],
        conflict="this document was already finalized",
    )


# --- S3 ------------------------------------------------------------------------------------------


def presigned_post(document: Document, *, expires_in: int) -> dict[str, Any]:
    """A form upload S3 itself checks: this key only, the declared type, exactly the declared size."""
    fields = {"Content-Type": document.content_type}
    conditions: list[Any] = [
        {"Content-Type": document.content_type},
        ["content-length-range", document.declared_size, document.declared_size],
    ]
    post: dict[str, Any] = aws.s3_client().generate_presigned_post(
        Bucket=bucket(), Key=document.s3_key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
    )
    return post


def head(document: Document) -> dict[str, Any] | None:
    """The stored object's metadata, or None if nothing was uploaded."""
    from botocore.exceptions import ClientError

    try:
        response: dict[str, Any] = aws.s3_client().head_object(Bucket=bucket(), Key=document.s3_key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return response


def first_bytes(document: Document, count: int = 16) -> bytes:
    response = aws.s3_client().get_object(Bucket=bucket(), Key=document.s3_key, Range=f"bytes=0-{count - 1}")
    data: bytes = response["Body"].read()
    return data


def delete_object(document: Document) -> None:
    aws.s3_client().delete_object(Bucket=bucket(), Key=document.s3_key)


def presigned_get(document: Document, *, expires_in: int) -> str:
    url: str = aws.s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket(),
            "Key": document.s3_key,
            "ResponseContentType": document.content_type,
            "ResponseContentDisposition": f'attachment; filename="{document.filename}"',
        },
        ExpiresIn=expires_in,
    )
    return url
