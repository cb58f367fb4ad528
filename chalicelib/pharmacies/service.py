"""A patient's saved pharmacies: listed, added and removed by the patient, caregivers or the front desk."""

from __future__ import annotations

from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.pharmacies import store as pharmacy_store
from chalicelib.pharmacies.models import MAX_PHARMACIES, Pharmacy, PharmacyIn, PharmacyList, PharmacyOut


def list_pharmacies(caller: Caller, patient_id: str) -> PharmacyList:
    pharmacies = pharmacy_store.list_for_patient(patient_id)
    audit.record(caller, patient_id=patient_id, action="pharmacy.list", target="pharmacies")
    return PharmacyList(items=[PharmacyOut.from_pharmacy(p) for p in pharmacies])


def add_pharmacy(caller: Caller, patient_id: str, body: PharmacyIn) -> PharmacyOut:
    if len(pharmacy_store.list_for_patient(patient_id)) >= MAX_PHARMACIES:
        raise errors.Conflict(
            "at most {most} pharmacies can be saved; remove one first", params={"most": MAX_PHARMACIES}
        )
    pharmacy = Pharmacy(
        id=dynamo.new_id(),
        patient_id=patient_id,
        **body.model_dump(),
        created_at=dynamo.utcnow(),
        created_by=caller.display_name,
    )
    event = audit.event(caller, patient_id=patient_id, action="pharmacy.create", target=pharmacy.id)
    pharmacy_store.create(pharmacy, audit=event)
    logger.info("pharmacy saved", extra={"patient_id": patient_id, "pharmacy_id": pharmacy.id})
    return PharmacyOut.from_pharmacy(pharmacy)


def remove_pharmacy(caller: Caller, patient_id: str, pharmacy_id: str) -> None:
    event = audit.event(caller, patient_id=patient_id, action="pharmacy.delete", target=pharmacy_id)
    try:
        pharmacy_store.delete(patient_id, pharmacy_id, audit=event)
    except errors.Conflict:  # the condition failed: there is no such pharmacy (any more)
        raise errors.NotFound("pharmacy not found") from None
    logger.info("pharmacy removed", extra={"patient_id": patient_id, "pharmacy_id": pharmacy_id})


# --- for other features: their own action is the audited one -------------------------------------


def pharmacy_of(patient_id: str, pharmacy_id: str) -> Pharmacy:
    return pharmacy_store.get(patient_id, pharmacy_id)
