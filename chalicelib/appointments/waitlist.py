"""Waitlist ("offer me an earlier time").

A patient with a booked appointment joins the waitlist for its visit type. When a slot of that type frees
up (a cancellation, a move, a declined request), the first `waitlist_offer_batch` waiting patients whose
appointment is later than that slot get an offer by email (no PHI), valid `waitlist_offer_minutes`.
Accepting moves their appointment in one transaction (the slot's condition decides: the first to accept
gets it; the others get a 409 and keep what they had).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments import store as waitlist_store
from chalicelib.appointments.models import (
    AppointmentOut,
    WaitlistEntryOut,
    WaitlistIn,
    WaitlistOffer,
    WaitlistOfferOut,
    WaitlistOffersOut,
    slot_id,
    utc_text,
)
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger


def join(
    caller: Caller, patient_id: str, appointment_id: str, body: WaitlistIn, *, now: datetime | None = None
) -> WaitlistEntryOut:
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    if appointment.status != "booked" or appointment.start <= now or appointment.visit_status is not None:
        raise errors.Conflict("only a booked, upcoming appointment can wait for an earlier time")
    entries = [
        waitlist_store.join_entry(
            patient_id=patient_id,
            appointment_id=appointment.id,
            visit_type_id=appointment.visit_type_id,
            provider_id=appointment.provider_id,
            start=appointment.start,
            any_provider=body.any_provider,
            at=now,
        ),
        appointment_store.audit_entry(
            audit.event(
                caller, patient_id=patient_id, action="waitlist.join", target=f"appointment:{appointment.id}"
            )
        ),
    ]
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        raise errors.Conflict("this appointment is already on the waitlist") from None
    return WaitlistEntryOut(
        appointment_id=appointment.id,
        visit_type_id=appointment.visit_type_id,
        any_provider=body.any_provider,
        joined_at=common.local(now),
    )


def leave(caller: Caller, patient_id: str, appointment_id: str) -> None:
    if waitlist_store.get_entry(patient_id, appointment_id) is None:
        raise errors.NotFound("this appointment is not on the waitlist")
    dynamo.transact_all(
        [
            waitlist_store.leave_entry(patient_id, appointment_id),
            appointment_store.audit_entry(
                audit.event(
                    caller,
                    patient_id=patient_id,
                    action="waitlist.leave",
                    target=f"appointment:{appointment_id}",
                )
            ),
        ]
    )


def offer_freed_slot(*, provider_id: str, start: datetime, now: datetime) -> int:
    """Offer a slot that just became free to the first waiting patients it would move earlier."""
    from chalicelib.appointments import notices as appointments_notify

    slot = appointment_store.get_slot(provider_id, start)
    settings = common.settings()
    if (
        slot is None
        or slot.status != "open"
        or slot.start < now + timedelta(minutes=settings.min_notice_minutes)
    ):
        return 0
    chosen = [
        entry
        for entry in waitlist_store.waiting_for(slot.visit_type_id)
        if str(entry["appointment_start"]) > utc_text(slot.start)
        and (entry.get("any_provider", True) or entry["provider_id"] == provider_id)
    ][: settings.waitlist_offer_batch]
    for entry in chosen:
        offer = WaitlistOffer(
            id=dynamo.new_id("ofr-"),
            patient_id=str(entry["patient_id"]),
            appointment_id=str(entry["appointment_id"]),
            provider_id=provider_id,
            visit_type_id=slot.visit_type_id,
            start=slot.start,
            end=slot.end,
            offered_at=now,
            expires_at=now + timedelta(minutes=settings.waitlist_offer_minutes),
        )
        waitlist_store.put_offer(offer)
        appointments_notify.offer_available(offer.patient_id)
    if chosen:
        logger.info("waitlist offers made", extra={"provider_id": provider_id, "offers": len(chosen)})
    return len(chosen)


def _offer_out(offer: WaitlistOffer) -> WaitlistOfferOut:
    return WaitlistOfferOut(
        id=offer.id,
        appointment_id=offer.appointment_id,
        slot_id=slot_id(offer.provider_id, offer.start),
        provider=common.provider_out(offer.provider_id),
        visit_type_id=offer.visit_type_id,
        starts_at=common.local(offer.start),
        ends_at=common.local(offer.end),
        expires_at=common.local(offer.expires_at),
    )


def list_offers(caller: Caller, patient_id: str, *, now: datetime | None = None) -> WaitlistOffersOut:
    offers = waitlist_store.open_offers(patient_id, now=now or dynamo.utcnow())
    # An offer for a visit the clinic has started (arrived) or closed (seen, no-show) cannot be taken.
    started = {
        o.appointment_id
        for o in offers
        if (a := appointment_store.find_appointment(patient_id, o.appointment_id)) is not None
        and a.visit_status is not None
    }
    return WaitlistOffersOut(items=[_offer_out(o) for o in offers if o.appointment_id not in started])


def accept(caller: Caller, patient_id: str, offer_id: str, *, now: datetime | None = None) -> AppointmentOut:
    """Move the appointment to the offered time, atomically; the first of those offered to accept wins."""
    now = now or dynamo.utcnow()
    offer = waitlist_store.get_offer(patient_id, offer_id)
    if offer is None:
        raise errors.NotFound("offer not found")
    if offer.status != "open" or offer.expires_at <= now:
        raise errors.Conflict("this offer has expired")
    current = appointment_service.load(patient_id, offer.appointment_id)
    if current.status != "booked" or current.start <= now or current.visit_status is not None:
        raise errors.Conflict("the appointment this offer was for has changed")
    target = appointment_store.get_slot(offer.provider_id, offer.start)
    if target is None or target.status != "open":
        raise errors.Conflict("someone else has already taken this time")
    moved = appointment_service.move_entries(
        caller,
        current,
        target,
        not_before=now,
        now=now,
        action="waitlist.accept",
        extra=[waitlist_store.accept_offer_entry(offer, now=now)],
    )
    appointment_service.end_video_meeting(current)
    return appointment_service.appointment_out(moved, now=now)
