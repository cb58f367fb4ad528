"""Documents a patient or the clinic uploads: insurance cards, forms, outside records.

A document is "pending" from the moment an upload is granted until `finalize` has checked the stored
object's real size and first bytes; only then is it listed and downloadable.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from chalicelib.core.models import FileName, InputModel, Model

MAX_BYTES = 10 * 1024 * 1024

DocumentCategory = Literal["insurance_card_front", "insurance_card_back", "form", "outside_record", "other"]
CATEGORY_LABELS: dict[str, str] = {
    "insurance_card_front": "Insurance card (front)",
    "insurance_card_back": "Insurance card (back)",
    "form": "Form",
    "outside_record": "Record from another provider",
    "other": "Other document",
}

# The types we accept, with the file's first bytes ("magic numbers") that prove it.
CONTENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "application/pdf": (".pdf", (b"%PDF-",)),
    "image/jpeg": (".jpg", (b"\xff\xd8\xff",)),
    "image/png": (".png", (b"\x89PNG\r\n\x1a\n",)),
}


def sanitize_filename(raw: str, content_type: str) -> str:
    """A name safe to show and to put in a Content-Disposition header: no paths, quotes or controls.

    The name is only ever stored in DynamoDB and echoed in download headers; S3 keys never contain it.
    """
    name = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"[^A-Za-z0-9 ._()-]+", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._")
    extension = CONTENT_TYPES[content_type][0]
    stem = name[: -len(name.rsplit(".", 1)[-1]) - 1] if "." in name else name
    if name.lower().endswith(extension) or (extension == ".jpg" and name.lower().endswith(".jpeg")):
        stem, extension = name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1].lower()
    stem = stem.strip(" ._")[:96] or "document"
    return f"{stem}{extension}"


def looks_like(content_type: str, first_bytes: bytes) -> bool:
    return any(first_bytes.startswith(magic) for magic in CONTENT_TYPES[content_type][1])


class UploadIn(InputModel):
    filename: FileName
    content_type: str
    size: int = Field(description="The file's size in bytes (at most 10 MB); the upload must match it")
    category: DocumentCategory = "other"

    @field_validator("content_type")
    @classmethod
    def _accepted_type(cls, value: str) -> str:
        value = value.strip().lower()
        if value == "image/jpg":
            value = "image/jpeg"
        if value not in CONTENT_TYPES:
            raise ValueError("only PDF, JPEG and PNG files can be uploaded")
        return value

    @field_validator("size")
    @classmethod
    def _within_limit(cls, value: int) -> int:
        if value < 1:
            raise ValueError("the file is empty")
        if value > MAX_BYTES:
            raise ValueError("files can be at most 10 MB")
        return value


class Document(Model):
    model_config = ConfigDict(extra="ignore")

    id: str
    patient_id: str
    category: DocumentCategory
    filename: str
    content_type: str
    declared_size: int
    size: int | None = None
    status: Literal["pending", "available"] = "pending"
    s3_key: str
    created_at: datetime
    uploaded_at: datetime | None = None
    uploaded_by: str  # display name: patients see who added a document to their chart
    # Marked by a clinician: never shown to a teenager's parent or guardian (core/minors.py).
    confidential: bool = False

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]


class DocumentOut(Model):
    id: str
    category: DocumentCategory
    category_label: str
    filename: str
    content_type: str
    size: int | None
    status: Literal["pending", "available"]
    uploaded_at: datetime | None
    uploaded_by: str
    confidential: bool = Field(
        description="Marked by a clinician: a teenager's parent or guardian is never sent this document"
    )

    @classmethod
    def from_document(cls, document: Document) -> DocumentOut:
        return cls(
            id=document.id,
            category=document.category,
            category_label=document.category_label,
            filename=document.filename,
            content_type=document.content_type,
            size=document.size,
            status=document.status,
            uploaded_at=document.uploaded_at,
            uploaded_by=document.uploaded_by,
            confidential=document.confidential,
        )


class PresignedPost(Model):
    url: str
    fields: dict[str, str]
    expires_in: int
    max_bytes: int


class UploadTicketOut(Model):
    """Where and how the browser uploads the file (a form POST straight to S3), then calls finalize."""

    document: DocumentOut
    upload: PresignedPost


class DocumentList(Model):
    items: list[DocumentOut]
    some_hidden: bool = Field(
        default=False,
        description=(
            "The caller is a teenager's parent or guardian: some may be private to the patient and left"
            " out (said whether or not anything is)"
        ),
    )


class DownloadOut(Model):
    document: DocumentOut
    url: str
    expires_in: int
