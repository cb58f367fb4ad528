"""Prescription refill requests: from the patient's active medications to a saved pharmacy, decided by a
clinician with a note. The patient gets a "sign in to see it" email when it is decided."""

from __future__ import annotations

from datetime import datetime

from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.patients import profiles as patient_profiles
from chalicelib.pharmacies import service as pharmacy_service
from chalicelib.pharmacies.models import Pharmacy
from chalicelib.records import service as record_service
from chalicelib.records.models import Medication
from chalicelib.refills import store as refill_store
from chalicelib.refills.models import (
    PharmacySnapshot,
    Prescription,
    PrescriptionSummaryOut,
    RefillDecisionIn,
    RefillIn,
    RefillOut,
    RefillPage,
    RefillRequest,
)


def _invalid(field: str, message: str) -> errors.BadRequest:
    return errors.BadRequest("some fields are not valid", fields={field: message})


def _active_medication(patient_id: str, medication_id: str) -> Medication:
    try:
        medication = record_service.medication_of(patient_id, medication_id)
    except errors.NotFound:  # another patient's medication looks exactly like one that does not exist
        raise _invalid("medication_id", "not a medication on this patient's list") from None
    if not medication.is_active:
        raise _invalid(
            "medication_id",
            "this medication was stopped, so it cannot be refilled; send your care team a message instead",
        )
    return medication


def _saved_pharmacy(patient_id: str, pharmacy_id: str) -> Pharmacy:
    try:
        return pharmacy_service.pharmacy_of(patient_id, pharmacy_id)
    except errors.NotFound:
        raise _invalid("pharmacy_id", "not one of this patient's saved pharmacies") from None


def request_refill(
    caller: Caller, patient_id: str, body: RefillIn, *, now: datetime | None = None
) -> RefillOut:
    """One open request per medication: the request, its guard item and the audit event in one write."""
    medication = _active_medication(patient_id, body.medication_id)
    pharmacy = _saved_pharmacy(patient_id, body.pharmacy_id)
    profile = patient_profiles.profile_of(patient_id)
    request = RefillRequest(
        id=dynamo.new_id(),
        patient_id=patient_id,
        patient_name=profile.display_name,
        medication_id=medication.id,
        medication_name=medication.name,
        medication_dose=medication.dose,
        pharmacy=PharmacySnapshot(
            id=pharmacy.id, name=pharmacy.name, phone=pharmacy.phone, address=pharmacy.one_line
        ),
        note=body.note,
        requested_at=now or dynamo.utcnow(),
        requested_by_name=caller.display_name,
    )
    event = audit.event(caller, patient_id=patient_id, action="refill.create", target=request.id)
    try:
        refill_store.create(request, audit=event)
    except errors.Conflict:
        if refill_store.open_request_id(patient_id, medication.id) != request.id:
            raise
        # else: our own write, retried after a lost answer
    logger.info("refill requested", extra={"patient_id": patient_id, "refill_id": request.id})
    return RefillOut.from_request(request)


def list_refills(caller: Caller, patient_id: str, *, limit: int, cursor: str | None) -> RefillPage:
    requests, next_cursor = refill_store.list_for_patient(patient_id, limit=limit, cursor=cursor)
    audit.record(caller, patient_id=patient_id, action="refill.list", target="refill-requests")
    return RefillPage(items=[RefillOut.from_request(r) for r in requests], next_cursor=next_cursor)


def decide(
    caller: Caller,
    patient_id: str,
    request_id: str,
    body: RefillDecisionIn,
    *,
    now: datetime | None = None,
) -> RefillOut:
    """Approve or deny an open request; the decision, the guard's removal and the audit are one write."""
    request = refill_store.get(patient_id, request_id)
    if request.status != "open":
        raise errors.Conflict("this refill request was already decided; reload to see the decision")
    prescription = None
    if body.decision == "approve" and body.prescription is not None:
        try:
            pharmacy = pharmacy_service.pharmacy_of(patient_id, body.prescription.pharmacy_id)
        except errors.NotFound:
            raise _invalid("prescription.pharmacy_id", "not one of this patient's saved pharmacies") from None
        prescription = Prescription(
            drug=body.prescription.drug,
            dose=body.prescription.dose,
            quantity=body.prescription.quantity,
            refills=body.prescription.refills,
            pharmacy=PharmacySnapshot(
                id=pharmacy.id, name=pharmacy.name, phone=pharmacy.phone, address=pharmacy.one_line
            ),
            ncpdp_id=pharmacy.ncpdp_id,
        )
    decided = request.model_copy(
        update={
            "status": "approved" if body.decision == "approve" else "denied",
            "decided_at": now or dynamo.utcnow(),
            "decided_by_name": caller.display_name,
            "decision_note": body.note or None,
            "prescription": prescription,
            "version": request.version + 1,
        }
    )
    action = "refill.approve" if body.decision == "approve" else "refill.deny"
    event = audit.event(caller, patient_id=patient_id, action=action, target=request_id)
    try:
        refill_store.decide(decided, expected_version=request.version, audit=event)
    except errors.Conflict:
        if refill_store.get(patient_id, request_id) != decided:  # else: ours, retried after a lost answer
            raise
    logger.info("refill decided", extra={"patient_id": patient_id, "refill_id": request_id, "action": action})
    from chalicelib.messaging import email as messaging_email

    patient_profiles.notify_patient(patient_id, messaging_email.refill_update_notice)
    return RefillOut.from_request(decided)


def work_list(caller: Caller, *, limit: int, cursor: str | None) -> RefillPage:
    """Open requests, oldest first (one GSI1 Query); each patient on the page gets a logged read."""
    requests, next_cursor = refill_store.list_open(limit=limit, cursor=cursor)
    audit.record_many(
        caller,
        patient_ids=(r.patient_id for r in requests),
        action="refill.worklist",
        target="refill-work-list",
    )
    return RefillPage(items=[RefillOut.from_request(r) for r in requests], next_cursor=next_cursor)


def prescription_summary(caller: Caller, patient_id: str, request_id: str) -> PrescriptionSummaryOut:
    """The printable request for the pharmacy, for an approved refill only."""
    request = refill_store.get(patient_id, request_id)
    if request.status != "approved" or request.prescription is None or request.decided_at is None:
        raise errors.Conflict("only an approved refill with its prescription can be printed")
    profile = patient_profiles.profile_of(patient_id)
    audit.record(caller, patient_id=patient_id, action="refill.print", target=request_id)
    rx = request.prescription
    return PrescriptionSummaryOut(
        request_id=request.id,
        patient_name=f"{profile.legal_name.given} {profile.legal_name.family}",
        patient_birth_date=profile.birth_date,
        drug=rx.drug,
        dose=rx.dose,
        quantity=rx.quantity,
        refills=rx.refills,
        pharmacy=rx.pharmacy,
        ncpdp_id=rx.ncpdp_id,
        prescriber=request.decided_by_name or "",
        approved_at=request.decided_at,
    )


# --- for other features: their own action is the audited one -------------------------------------


def open_requests(*, limit: int) -> tuple[list[RefillRequest], bool]:
    """The oldest open requests, and whether there are more."""
    requests, next_cursor = refill_store.list_open(limit=limit, cursor=None)
    return requests, next_cursor is not None


def count_open(*, cap: int) -> int:
    return refill_store.count_open(cap=cap)
