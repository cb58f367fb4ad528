"""The health record: the patient's summary, and clinicians adding and correcting its entries."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from chalicelib.core import audit, dynamo, errors, minors
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.models import EntrySource
from chalicelib.core.observability import logger
from chalicelib.records import store as record_store
from chalicelib.records.models import (
    STORED_MODELS,
    Allergy,
    HealthSummary,
    Immunization,
    Medication,
    Problem,
    Record,
    RecordIn,
    RecordKind,
    Visit,
)

_STATUS_ORDER = {"active": 0, "inactive": 1, "resolved": 2, "stopped": 3}


def get_summary(caller: Caller, patient_id: str) -> HealthSummary:
    """The whole record in one read, logged as one view of the record."""
    records = record_store.list_all(patient_id)
    shown = visible_to(caller, patient_id, records)
    audit.record(caller, patient_id=patient_id, action="record.read", target="summary")
    summary = summarize(patient_id, shown)
    # A teenager's parent is always told some is private (only the teen-safe parts are ever shown): whether
    # anything confidential exists is the teen's to tell.
    hidden = len(shown) < len(records) or minors.hides_confidential(caller, patient_id)
    return summary.model_copy(update={"some_hidden": hidden})


def visible_to(caller: Caller, patient_id: str, records: list[Record]) -> list[Record]:
    """What this caller may see of the record. A teenager's parent or guardian: never an entry marked
    confidential, and only the immunizations when the clinic opens those but not the whole record."""
    if not minors.hides_confidential(caller, patient_id):
        return records
    shown = [record for record in records if not record.confidential]
    if "health_record" not in minors.settings().teen_safe_areas:
        shown = [record for record in shown if isinstance(record, Immunization)]
    return shown


def set_confidential(
    caller: Caller, patient_id: str, kind: RecordKind, record_id: str, confidential: bool
) -> bool:
    """A clinician marks (or unmarks) one record entry confidential."""
    record_store.get(patient_id, kind, record_id, STORED_MODELS[kind])  # NotFound for an unknown entry
    action = f"{kind}.mark_confidential" if confidential else f"{kind}.unmark_confidential"
    event = audit.event(caller, patient_id=patient_id, action=action, target=record_id)
    record_store.set_confidential(patient_id, kind, record_id, confidential, audit=event)
    logger.info(action, extra={"patient_id": patient_id, "record_id": record_id})
    return confidential


def summarize(patient_id: str, records: list[Record]) -> HealthSummary:
    """Group and order entries the way a person reads them: current first, newest first."""
    problems = [r for r in records if isinstance(r, Problem)]
    medications = [r for r in records if isinstance(r, Medication)]
    allergies = [r for r in records if isinstance(r, Allergy)]
    immunizations = [r for r in records if isinstance(r, Immunization)]
    visits = [r for r in records if isinstance(r, Visit)]
    problems.sort(key=lambda p: (_STATUS_ORDER[p.status], p.name.casefold()))
    medications.sort(key=lambda m: (_STATUS_ORDER[m.status], m.name.casefold()))
    allergies.sort(key=lambda a: (_STATUS_ORDER[a.status], a.substance.casefold()))
    immunizations.sort(key=lambda i: (i.date, i.vaccine), reverse=True)
    visits.sort(key=lambda v: v.start, reverse=True)
    return HealthSummary(
        patient_id=patient_id,
        problems=problems,
        medications=medications,
        allergies=allergies,
        immunizations=immunizations,
        visits=visits,
    )


def create_record(caller: Caller, patient_id: str, kind: RecordKind, entry: RecordIn) -> Record:
    """Add an entry to a patient's record; the entry and its audit event are written together."""
    now = dynamo.utcnow()
    record = STORED_MODELS[kind].model_validate(
        {
            **entry.model_dump(mode="json"),
            "id": dynamo.new_id(),
            "patient_id": patient_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "updated_by": caller.display_name,
        }
    )
    event = audit.event(caller, patient_id=patient_id, action=f"{kind}.create", target=record.id)
    record_store.create(record, audit=event)
    logger.info(
        "record entry created", extra={"patient_id": patient_id, "kind": kind, "record_id": record.id}
    )
    return record


def update_record(
    caller: Caller, patient_id: str, kind: RecordKind, record_id: str, entry: RecordIn, *, version: int
) -> Record:
    """Replace an entry edited against `version`; a stale version is a Conflict."""
    model = STORED_MODELS[kind]
    current = record_store.get(patient_id, kind, record_id, model)
    if current.version != version:
        raise errors.Conflict("this entry was changed by someone else; reload it and try again")
    fields: dict[str, Any] = entry.model_dump(mode="json", exclude={"version"})
    updated = model.model_validate(
        {
            **fields,
            "id": current.id,
            "patient_id": patient_id,
            "version": current.version + 1,
            "created_at": current.created_at,
            "updated_at": dynamo.utcnow(),
            "updated_by": caller.display_name,
            "source": None,
            "confidential": current.confidential,
        }
    )
    event = audit.event(caller, patient_id=patient_id, action=f"{kind}.update", target=record_id)
    record_store.replace(updated, expected_version=current.version, audit=event)
    logger.info(
        "record entry updated", extra={"patient_id": patient_id, "kind": kind, "record_id": record_id}
    )
    return updated


# --- for other features: their own action is the audited one -------------------------------------


def records_of(patient_id: str) -> list[Record]:
    """Every record item of a patient (problems, medications, allergies, immunizations, visits)."""
    return record_store.list_all(patient_id)


def medication_of(patient_id: str, medication_id: str) -> Medication:
    return record_store.get_medication(patient_id, medication_id)


def accepted_from_checkin(
    caller: Caller,
    patient_id: str,
    kind: RecordKind,
    fields: dict[str, Any],
    *,
    source: EntrySource,
    replacing: Record | None = None,
) -> tuple[Record, dict[str, Any], AuditEvent]:
    """An entry a patient reported at eCheck-in, as staff accepted it: new, or over `replacing`.

    Returns the entry, its Put and its audit event: the caller writes them in one transaction with its
    own decision, so the record and the decision never disagree. Raises BadRequest for fields the record
    refuses.
    """
    model = STORED_MODELS[kind]
    now = dynamo.utcnow()
    base: dict[str, Any] = (
        replacing.model_dump(mode="json")
        if replacing
        else {"id": dynamo.new_id(), "patient_id": patient_id, "version": 0, "created_at": now}
    )
    try:
        record = model.model_validate(
            {
                **base,
                **fields,
                "version": base["version"] + 1,
                "updated_at": now,
                "updated_by": caller.display_name,
                "source": source.model_dump(mode="json"),
            }
        )
    except ValidationError as exc:
        raise errors.BadRequest(
            "the record refuses this entry as written; add it from the chart instead",
            fields={".".join(str(p) for p in e["loc"]): e["msg"] for e in exc.errors()},
        ) from None
    if replacing:
        entry = record_store.replace_entry(record, expected_version=replacing.version)
        action = f"{kind}.update"
    else:
        entry = record_store.create_entry(record)
        action = f"{kind}.create"
    return record, entry, audit.event(caller, patient_id=patient_id, action=action, target=record.id)
