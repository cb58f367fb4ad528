"""Clinicians mark one item of a patient's chart confidential: a result, record entry, document or thread.

A confidential item is never shown to a teenager's parent or guardian (core/minors.py); each feature's
own service writes the mark with its audit event and leaves the item out of what such a parent is served.
"""

from __future__ import annotations

from chalicelib.core.access import Caller
from chalicelib.documents import service as document_service
from chalicelib.messaging import service as message_service
from chalicelib.records import service as record_service
from chalicelib.records.models import RECORD_KINDS, ConfidentialIn, ConfidentialOut
from chalicelib.results import service as result_service


def mark(caller: Caller, patient_id: str, body: ConfidentialIn) -> ConfidentialOut:
    if body.kind == "result":
        hidden = result_service.set_confidential(caller, patient_id, body.item_id, body.confidential)
    elif body.kind == "thread":
        hidden = message_service.set_confidential(caller, patient_id, body.item_id, body.confidential)
    elif body.kind == "document":
        hidden = document_service.set_confidential(caller, patient_id, body.item_id, body.confidential)
    else:
        kind = next(kind for kind in RECORD_KINDS if kind == body.kind)
        hidden = record_service.set_confidential(caller, patient_id, kind, body.item_id, body.confidential)
    return ConfidentialOut(
        kind=body.kind, item_id=body.item_id, confidential=body.confidential, hidden=hidden
    )
