"""Message attachments reuse the documents module: upload with its presigned POST and finalize (which checks
type, size and the file's first bytes), then name the finalized document ids in the message.

A download goes through the thread, not the documents routes, so that everyone who may read the thread
(including pool members whose role has no general document access) gets exactly its attachments.
"""

from __future__ import annotations

from chalicelib.core import audit, errors
from chalicelib.core.access import Caller
from chalicelib.documents import service as document_service
from chalicelib.documents.models import CONTENT_TYPES, MAX_BYTES, DocumentOut, DownloadOut
from chalicelib.messaging.models import Attachment

_REFUSED = "attach files uploaded to this patient's documents: PDF, JPEG or PNG, at most 10 MB each"


def resolve(caller: Caller, patient_id: str, document_ids: list[str]) -> list[Attachment]:
    """The finalized documents of this patient named by the caller; anything else is a 400."""
    attachments: list[Attachment] = []
    for document_id in dict.fromkeys(document_ids):
        try:
            document = document_service.document_of(caller, patient_id, document_id)
        except errors.NotFound:
            document = None
        size = document.size if document else None
        if (
            document is None
            or document.status != "available"
            or document.content_type not in CONTENT_TYPES
            or size is None
            or size > MAX_BYTES
        ):
            raise errors.BadRequest("some fields are not valid", fields={"attachment_ids": _REFUSED})
        attachments.append(
            Attachment(
                document_id=document.id,
                filename=document.filename,
                content_type=document.content_type,
                size=size,
            )
        )
    return attachments


def download(caller: Caller, patient_id: str, thread_id: str, document_id: str) -> DownloadOut:
    """A short-lived link to one attachment of a thread the caller may read; the download is logged."""
    from chalicelib.documents import service as document_service
    from chalicelib.messaging import service as messaging

    thread = messaging.load(caller, patient_id, thread_id)
    if document_id not in thread.attachment_ids:
        raise errors.NotFound("attachment not found")
    try:
        # A confidential document, asked for by a teenager's parent: the same answer as an unknown id.
        document = document_service.document_of(caller, patient_id, document_id)
    except errors.NotFound:
        raise errors.NotFound("attachment not found") from None
    if document.status != "available":
        raise errors.NotFound("attachment not found")
    expires_in = document_service.DOWNLOAD_SECONDS
    url = document_service.download_url(document, expires_in=expires_in)
    audit.record(caller, patient_id=patient_id, action="attachment.read", target=document_id)
    return DownloadOut(document=DocumentOut.from_document(document), url=url, expires_in=expires_in)
