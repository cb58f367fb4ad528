"""'Download my record': the patient's record as a FHIR R4 Bundle, offered as a file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.records import export as export_service
else:
    export_service = lazy_module("chalicelib.records.export")

bp = Blueprint(__name__)
requires = access.guard(bp)


@bp.route("/patients/{patient_id}/export", methods=["GET"])
@requires(
    "record:export",
    summary="The whole record as a FHIR R4 Bundle (US Core where possible), as a file download",
)
def export_record(patient_id: str, *, caller: Caller) -> Response:
    bundle = export_service.export_record(caller, patient_id)
    stamp = bundle["timestamp"][:10]
    return Response(
        body=bundle,
        headers={
            "Content-Type": "application/fhir+json",
            "Content-Disposition": f'attachment; filename="health-record-{stamp}.json"',
        },
    )
