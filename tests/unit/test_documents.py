"""Documents: only PDF/JPEG/PNG up to 10 MB, pending until finalize checks the real bytes, and a rejected
upload leaves nothing behind. Uploads here are put_object calls standing in for the browser's form POST
(the API tests do the real presigned POST against the moto server)."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from chalicelib.core import audit_log, aws, errors
from chalicelib.core.access import Caller
from chalicelib.documents import service as documents
from chalicelib.documents import store as document_store
from chalicelib.documents.models import UploadIn, sanitize_filename
from chalicelib.patients.models import PatientProfile
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

BUCKET = "portal-unit-documents"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def bucket(aws_backend: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUMENTS_BUCKET", BUCKET)
    aws.reset_caches()
    boto3.client("s3", region_name=os.environ["AWS_DEFAULT_REGION"]).create_bucket(Bucket=BUCKET)


def objects() -> list[str]:
    listed = boto3.client("s3", region_name=os.environ["AWS_DEFAULT_REGION"]).list_objects_v2(Bucket=BUCKET)
    return [o["Key"] for o in listed.get("Contents", [])]


def upload(ticket: Any, data: bytes) -> None:
    """What the browser's form POST does: put the bytes at the granted key with the granted type."""
    boto3.client("s3", region_name=os.environ["AWS_DEFAULT_REGION"]).put_object(
        Bucket=BUCKET,
        Key=ticket.upload.fields["key"],
        Body=data,
        ContentType=ticket.upload.fields["Content-Type"],
    )


@pytest.fixture
def patient(make_patient: PatientFactory) -> PatientProfile:
    return make_patient()


@pytest.fixture
def me(patient: PatientProfile, caller_for: CallerFactory) -> Caller:
    return caller_for(acts_for={patient.id: "self"}, sub="sub-me", name="Pat Self")


def start(
    me: Caller, patient_id: str, data: bytes, content_type: str = "application/pdf", **extra: Any
) -> Any:
    body = UploadIn.model_validate(
        {"filename": "../Insurance card.pdf", "content_type": content_type, "size": len(data), **extra}
    )
    return documents.start_upload(me, patient_id, body)


def test_upload_finalize_list_and_download(patient: PatientProfile, me: Caller) -> None:
    ticket = start(me, patient.id, PDF, category="insurance_card_front")

    assert ticket.document.status == "pending"
    key = ticket.upload.fields["key"]
    assert key == f"patients/{patient.id}/documents/{ticket.document.id}"  # ids only, never the file name
    assert "Insurance" not in ticket.upload.url + key
    assert documents.list_documents(me, patient.id).items == []  # pending is not listed

    upload(ticket, PDF)
    done = documents.finalize(me, patient.id, ticket.document.id)

    assert (done.status, done.size, done.filename) == ("available", len(PDF), "Insurance card.pdf")
    assert documents.finalize(me, patient.id, ticket.document.id).status == "available"  # a retry is fine
    [listed] = documents.list_documents(me, patient.id).items
    assert listed.category_label == "Insurance card (front)"
    link = documents.download(me, patient.id, ticket.document.id)
    assert link.expires_in == 60
    assert "response-content-disposition=attachment" in link.url
    events, _ = audit_log.list_for_patient(patient.id, limit=20, cursor=None)
    assert {"document.upload_start", "document.upload", "document.list", "document.read"} <= {
        e.action for e in events
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"content_type": "application/x-msdownload"}, "content_type"),
        ({"content_type": "text/html"}, "content_type"),
        ({"size": 10 * 1024 * 1024 + 1}, "size"),
        ({"size": 0}, "size"),
        ({"filename": ""}, "filename"),
    ],
)
def test_wrong_type_or_size_is_refused_before_anything_is_written(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        UploadIn.model_validate({"filename": "a.pdf", "content_type": "application/pdf", "size": 10, **data})
    assert field in {str(e["loc"][0]) for e in raised.value.errors()}


def test_finalize_without_an_upload_is_a_clear_conflict_and_leaves_nothing(
    patient: PatientProfile, me: Caller
) -> None:
    ticket = start(me, patient.id, PDF)

    with pytest.raises(errors.Conflict, match="no file was uploaded"):
        documents.finalize(me, patient.id, ticket.document.id)

    with pytest.raises(errors.NotFound):
        document_store.get(patient.id, ticket.document.id)
    assert objects() == []


@pytest.mark.parametrize(
    ("declared", "actual", "error"),
    [
        ("application/pdf", b"MZ\x90\x00 this is an exe" + b"\x00" * 30, errors.UnsupportedMediaType),
        ("image/png", PDF, errors.UnsupportedMediaType),
        ("image/jpeg", PNG, errors.UnsupportedMediaType),
    ],
)
def test_bytes_that_are_not_the_declared_type_are_deleted(
    patient: PatientProfile, me: Caller, declared: str, actual: bytes, error: type[Exception]
) -> None:
    ticket = start(me, patient.id, actual, content_type=declared)
    upload(ticket, actual)

    with pytest.raises(error):
        documents.finalize(me, patient.id, ticket.document.id)

    assert objects() == []
    with pytest.raises(errors.NotFound):
        document_store.get(patient.id, ticket.document.id)
    events, _ = audit_log.list_for_patient(patient.id, limit=20, cursor=None)
    assert "document.reject" in {e.action for e in events}


def test_a_file_of_another_size_than_declared_is_deleted(patient: PatientProfile, me: Caller) -> None:
    ticket = start(me, patient.id, PDF)
    upload(ticket, PDF + b"more bytes than declared")
    with pytest.raises(errors.BadRequest, match="size"):
        documents.finalize(me, patient.id, ticket.document.id)
    assert objects() == []


def test_someone_elses_documents_are_not_found(
    patient: PatientProfile, me: Caller, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    ticket = start(me, patient.id, PDF)
    upload(ticket, PDF)
    documents.finalize(me, patient.id, ticket.document.id)
    other = make_patient()
    stranger = caller_for(acts_for={other.id: "self"}, sub="sub-other")
    for call in (
        lambda: routed(documents.download, stranger, patient.id, ticket.document.id),
        lambda: routed(documents.download, stranger, other.id, ticket.document.id),
        lambda: routed(documents.finalize, stranger, patient.id, ticket.document.id),
        lambda: routed(documents.list_documents, stranger, patient.id),
    ):
        with pytest.raises(errors.NotFound):
            call()


@pytest.mark.parametrize(
    ("raw", "content_type", "expected"),
    [
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ('evil"; filename=x.exe\r\n.pdf', "application/pdf", "evil_ filename_x.exe.pdf"),
        ("Card FRONT.JPEG", "image/jpeg", "Card FRONT.jpeg"),
        ("scan", "image/png", "scan.png"),
        ("...", "application/pdf", "document.pdf"),
    ],
)
def test_filenames_are_sanitized(raw: str, content_type: str, expected: str) -> None:
    assert sanitize_filename(raw, content_type) == expected
