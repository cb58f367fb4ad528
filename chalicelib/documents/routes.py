"""Documents: upload (presigned POST to S3, then finalize), list, and short-lived download links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.documents import models as document_models
    from chalicelib.documents import service as document_service
    from chalicelib.documents.models import DocumentList, DocumentOut, DownloadOut, UploadIn
else:
    document_models = lazy_module("chalicelib.documents.models")
    document_service = lazy_module("chalicelib.documents.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/documents", methods=["GET"])
@requires(
    "document:read", returns=lambda: document_models.DocumentList, summary="Uploaded documents, newest first"
)
def list_documents(patient_id: str, *, caller: Caller) -> DocumentList:
    return document_service.list_documents(caller, patient_id)


@bp.route("/patients/{patient_id}/documents", methods=["POST"])
@requires(
    "document:upload",
    body=lambda: document_models.UploadIn,
    returns=lambda: document_models.UploadTicketOut,
    summary="Start an upload (PDF, JPEG or PNG, at most 10 MB): POST the file to the returned form",
    status=201,
)
def start_upload(patient_id: str, *, caller: Caller, body: UploadIn) -> Response:
    ticket = document_service.start_upload(caller, patient_id, body)
    return Response(body=ticket.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/documents/{document_id}/finalize", methods=["POST"])
@requires(
    "document:upload",
    returns=lambda: document_models.DocumentOut,
    summary="Check the uploaded file (real size and type); a file that is not what was declared is deleted",
    errors=(400, 409, 415),
)
def finalize_upload(patient_id: str, document_id: str, *, caller: Caller) -> DocumentOut:
    return document_service.finalize(caller, patient_id, document_id)


@bp.route("/patients/{patient_id}/documents/{document_id}", methods=["GET"])
@requires(
    "document:read",
    returns=lambda: document_models.DownloadOut,
    summary="A download link valid for one minute",
)
def download(patient_id: str, document_id: str, *, caller: Caller) -> DownloadOut:
    return document_service.download(caller, patient_id, document_id)
