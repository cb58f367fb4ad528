"""Insurance on file: patients and staff keep it current; front desk and billing verify it.

Card images are the patient's own documents of the insurance card categories; any change to the
coverage makes it unverified again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from chalicelib.billing.models import (
    Insurance,
    InsuranceIn,
    InsuranceList,
    InsuranceOut,
    InsuranceUpdate,
    VerifyIn,
)
from chalicelib.billing.store import insurance as insurance_store
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.models import EntrySource
from chalicelib.core.observability import logger

_STALE = "this insurance was changed by someone else; reload it and try again"


def _check_card_images(caller: Caller, patient_id: str, body: InsuranceIn) -> None:
    """A card image must be an uploaded document of this patient, of the matching card side."""
    from chalicelib.documents import service as document_service

    for field, document_id, category in (
        ("card_front_document_id", body.card_front_document_id, "insurance_card_front"),
        ("card_back_document_id", body.card_back_document_id, "insurance_card_back"),
    ):
        if document_id is None:
            continue
        try:
            document = document_service.document_of(caller, patient_id, document_id)
        except errors.NotFound:
            raise errors.BadRequest("some fields are not valid", fields={field: "no such document"}) from None
        if document.status != "available" or document.category != category:
            raise errors.BadRequest(
                "some fields are not valid", fields={field: f"must be an uploaded {category} document"}
            )


def primary_of(patient_id: str) -> Insurance | None:
    """For other features (the caller's own action is the audited one): the active primary coverage."""
    # The store lists by priority, primary first.
    return next((i for i in insurance_store.list_for_patient(patient_id) if i.status == "active"), None)


def list_insurance(caller: Caller, patient_id: str) -> InsuranceList:
    found = [i for i in insurance_store.list_for_patient(patient_id) if i.status == "active"]
    audit.record(caller, patient_id=patient_id, action="insurance.list", target="insurance")
    return InsuranceList(items=[InsuranceOut.from_insurance(i) for i in found])


def add(caller: Caller, patient_id: str, body: InsuranceIn, *, now: datetime | None = None) -> InsuranceOut:
    _check_card_images(caller, patient_id, body)
    now = now or dynamo.utcnow()
    insurance = Insurance(
        id=dynamo.new_id("ins-"),
        patient_id=patient_id,
        **body.model_dump(),
        created_at=now,
        updated_at=now,
        updated_by_name=caller.display_name,
    )
    event = audit.event(caller, patient_id=patient_id, action="insurance.create", target=insurance.id)
    insurance_store.save(insurance, expected_version=None, audit=event)
    logger.info("insurance added", extra={"patient_id": patient_id, "insurance_id": insurance.id})
    return InsuranceOut.from_insurance(insurance)


def update(
    caller: Caller, patient_id: str, insurance_id: str, body: InsuranceUpdate, *, now: datetime | None = None
) -> InsuranceOut:
    current = _current(patient_id, insurance_id, body.version)
    _check_card_images(caller, patient_id, body)
    now = now or dynamo.utcnow()
    changed = Insurance.model_validate(  # validated, so the subscriber is a model again, not a dict
        {
            **current.model_dump(),
            **body.model_dump(exclude={"version"}),
            "verification": "unverified",  # new details need a new check
            "verified_by_name": None,
            "verified_at": None,
            "verification_note": None,
            "source": None,
            "updated_at": now,
            "updated_by_name": caller.display_name,
            "version": current.version + 1,
        }
    )
    return _save(caller, changed, current, "insurance.update")


def verify(
    caller: Caller, patient_id: str, insurance_id: str, body: VerifyIn, *, now: datetime | None = None
) -> InsuranceOut:
    current = _current(patient_id, insurance_id, body.version)
    now = now or dynamo.utcnow()
    checked = current.model_copy(
        update={
            "verification": body.result,
            "verified_by_name": caller.display_name,
            "verified_at": now,
            "verification_note": body.note,
            "updated_at": now,
            "updated_by_name": caller.display_name,
            "version": current.version + 1,
        }
    )
    return _save(caller, checked, current, "insurance.verify")


def remove(
    caller: Caller, patient_id: str, insurance_id: str, *, now: datetime | None = None
) -> InsuranceOut:
    """Coverage that ended stays on record (status removed); it leaves the list."""
    current = insurance_store.get(patient_id, insurance_id)
    if current.status == "removed":
        return InsuranceOut.from_insurance(current)
    now = now or dynamo.utcnow()
    removed = current.model_copy(
        update={
            "status": "removed",
            "updated_at": now,
            "updated_by_name": caller.display_name,
            "version": current.version + 1,
        }
    )
    return _save(caller, removed, current, "insurance.remove")


def _current(patient_id: str, insurance_id: str, version: int) -> Insurance:
    current = insurance_store.get(patient_id, insurance_id)
    if current.status == "removed":
        raise errors.Conflict("this insurance was removed")
    if current.version != version:
        raise errors.Conflict(_STALE)
    return current


def _save(caller: Caller, updated: Insurance, current: Insurance, action: str) -> InsuranceOut:
    event = audit.event(caller, patient_id=current.patient_id, action=action, target=current.id)
    try:
        insurance_store.save(updated, expected_version=current.version, audit=event)
    except dynamo.TransactionRefused:
        raise errors.Conflict(_STALE) from None
    return InsuranceOut.from_insurance(updated)


def accepted_from_checkin(
    caller: Caller, patient_id: str, card: dict[str, Any], *, source: EntrySource
) -> tuple[Insurance, list[dict[str, Any]], list[AuditEvent]]:
    """A card a patient gave at eCheck-in, as staff accepted it: the new primary coverage, unverified.

    The primary on file, if any, is removed (it stays on record). Returns the new coverage, the Puts
    and the audit events, for the caller's one transaction with its own decision. Raises BadRequest.
    """
    try:
        body = InsuranceIn.model_validate(card)
    except ValidationError as exc:
        raise errors.BadRequest(
            "this card can't be saved as written; add it on the billing page instead",
            fields={".".join(str(p) for p in e["loc"]): e["msg"] for e in exc.errors()},
        ) from None
    now = dynamo.utcnow()
    added = Insurance(
        id=dynamo.new_id("ins-"),
        patient_id=patient_id,
        **body.model_dump(),
        created_at=now,
        updated_at=now,
        updated_by_name=caller.display_name,
        source=source,
    )
    entries = [insurance_store.save_entry(added, expected_version=None)]
    events = [audit.event(caller, patient_id=patient_id, action="insurance.create", target=added.id)]
    current = primary_of(patient_id)
    if current is not None and current.priority == "primary":
        removed = current.model_copy(
            update={
                "status": "removed",
                "updated_at": now,
                "updated_by_name": caller.display_name,
                "version": current.version + 1,
            }
        )
        entries.append(insurance_store.save_entry(removed, expected_version=current.version))
        events.append(
            audit.event(caller, patient_id=patient_id, action="insurance.remove", target=current.id)
        )
    return added, entries, events
