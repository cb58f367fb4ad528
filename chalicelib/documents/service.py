"""Documents: a presigned POST straight to S3, a finalize that checks what arrived, short-lived downloads.

A rejected upload leaves nothing behind: its object is deleted first, then its pending item (an item
without an object is harmless and rejected again; an object without an item would be an orphan).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chalicelib.core import audit, dynamo, errors, minors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.documents import store as document_store
from chalicelib.documents.models import (
    MAX_BYTES,
    Document,
    DocumentList,
    DocumentOut,
    DownloadOut,
    PresignedPost,
    UploadIn,
    UploadTicketOut,
    looks_like,
    sanitize_filename,
)

UPLOAD_SECONDS = 300
DOWNLOAD_SECONDS = 60


def start_upload(
    caller: Caller, patient_id: str, body: UploadIn, *, now: datetime | None = None
) -> UploadTicketOut:
    """Grant one upload of the declared type and size; the document stays pending until finalize."""
    now = now or dynamo.utcnow()
    document_id = dynamo.new_id()
    document = Document(
        id=document_id,
        patient_id=patient_id,
        category=body.category,
        filename=sanitize_filename(body.filename, body.content_type),
        content_type=body.content_type,
        declared_size=body.size,
        s3_key=document_store.s3_key(patient_id, document_id),
        created_at=now,
        uploaded_by=caller.display_name,
    )
    post = document_store.presigned_post(document, expires_in=UPLOAD_SECONDS)
    event = audit.event(caller, patient_id=patient_id, action="document.upload_start", target=document_id)
    document_store.create_pending(document, now=now, audit=event)
    logger.info("document upload granted", extra={"patient_id": patient_id, "document_id": document_id})
    return UploadTicketOut(
        document=DocumentOut.from_document(document),
        upload=PresignedPost(
            url=post["url"], fields=dict(post["fields"]), expires_in=UPLOAD_SECONDS, max_bytes=MAX_BYTES
        ),
    )


def _reject(
    caller: Caller, document: Document, error: errors.PortalError, *, uploaded: bool
) -> errors.PortalError:
    if uploaded:
        document_store.delete_object(document)
    event = audit.event(caller, patient_id=document.patient_id, action="document.reject", target=document.id)
    document_store.delete_pending(document, audit=event)
    logger.info(
        "document upload rejected",
        extra={"patient_id": document.patient_id, "document_id": document.id, "code": error.CODE},
    )
    return error


def finalize(
    caller: Caller, patient_id: str, document_id: str, *, now: datetime | None = None
) -> DocumentOut:
    """Check the stored object's real size and first bytes; accept it, or delete it with a clear reason."""
    now = now or dynamo.utcnow()
    document = document_store.get(patient_id, document_id)
    if document.status == "available":
        return DocumentOut.from_document(document)  # a retried finalize: already done
    stored = document_store.head(document)
    if stored is None:
        raise _reject(
            caller,
            document,
            errors.Conflict("no file was uploaded for this document; please start the upload again"),
            uploaded=False,
        )
    size = int(stored.get("ContentLength", 0))
    if size > MAX_BYTES:
        raise _reject(caller, document, errors.BadRequest("files can be at most 10 MB"), uploaded=True)
    if size != document.declared_size:
        raise _reject(
            caller,
            document,
            errors.BadRequest("the uploaded file is not the size that was declared; please try again"),
            uploaded=True,
        )
    if not looks_like(document.content_type, document_store.first_bytes(document)):
        raise _reject(
            caller,
            document,
            errors.UnsupportedMediaType("the file is not a real PDF, JPEG or PNG of the declared type"),
            uploaded=True,
        )
    event = audit.event(caller, patient_id=patient_id, action="document.upload", target=document_id)
    document_store.mark_available(document, size=size, now=now, audit=event)
    logger.info("document uploaded", extra={"patient_id": patient_id, "document_id": document_id})
    return DocumentOut.from_document(
        document.model_copy(update={"status": "available", "size": size, "uploaded_at": now})
    )


def list_documents(caller: Caller, patient_id: str) -> DocumentList:
    documents = document_store.list_available(patient_id)
    shown = visible_to(caller, patient_id, documents)
    audit.record(caller, patient_id=patient_id, action="document.list", target="documents")
    # A teenager's parent is always told some may be private, never whether anything is (see records).
    hidden = len(shown) < len(documents) or minors.hides_confidential(caller, patient_id)
    return DocumentList(items=[DocumentOut.from_document(d) for d in shown], some_hidden=hidden)


def visible_to(caller: Caller, patient_id: str, documents: list[Document]) -> list[Document]:
    """A teenager's parent or guardian never sees a document marked confidential."""
    if minors.hides_confidential(caller, patient_id):
        return [document for document in documents if not document.confidential]
    return documents


def set_confidential(caller: Caller, patient_id: str, document_id: str, confidential: bool) -> bool:
    """A clinician marks (or unmarks) one document confidential."""
    document_store.get(patient_id, document_id)  # NotFound for an unknown document
    action = "document.mark_confidential" if confidential else "document.unmark_confidential"
    event = audit.event(caller, patient_id=patient_id, action=action, target=document_id)
    document_store.set_confidential(patient_id, document_id, confidential, audit=event)
    logger.info(action, extra={"patient_id": patient_id, "document_id": document_id})
    return confidential


def download(caller: Caller, patient_id: str, document_id: str) -> DownloadOut:
    """A link valid for one minute; every one handed out is a logged read."""
    document = document_store.get(patient_id, document_id)
    if document.status != "available" or not visible_to(caller, patient_id, [document]):
        raise errors.NotFound("document not found")  # a confidential one, to a teen's parent: unknown
    url = document_store.presigned_get(document, expires_in=DOWNLOAD_SECONDS)
    audit.record(caller, patient_id=patient_id, action="document.read", target=document_id)
    return DownloadOut(document=DocumentOut.from_document(document), url=url, expires_in=DOWNLOAD_SECONDS)


# --- for other features: their own action is the audited one -------------------------------------


def document_of(caller: Caller, patient_id: str, document_id: str) -> Document:
    """A finalized or pending document, for a feature that links to one (an insurance card, an attachment).
    A confidential one, asked for by a teenager's parent, is NotFound like an unknown id."""
    document = document_store.get(patient_id, document_id)
    if not visible_to(caller, patient_id, [document]):
        raise errors.NotFound("document not found")
    return document


def hidden_ids(caller: Caller, patient_id: str, document_ids: Iterable[str]) -> set[str]:
    """Which of these documents this caller may not see (one Query, asked only of a teenager's parent)."""
    wanted = set(document_ids)
    if not wanted or not minors.hides_confidential(caller, patient_id):
        return set()
    return {d.id for d in document_store.list_available(patient_id) if d.confidential and d.id in wanted}


def documents_of(patient_id: str) -> list[Document]:
    """Every finalized document of a patient, newest first."""
    return document_store.list_available(patient_id)


def download_url(document: Document, *, expires_in: int) -> str:
    return document_store.presigned_get(document, expires_in=expires_in)
