"""eCheck-in review: front desk and clinicians compare a visit's check-in with the record, item by item.

Each medication, allergy and insurance card the patient sent is one item, set beside what is on file
(new, changed, or the same); a medication on file the patient left off the list is offered as stopped,
and a phone or email unlike the profile's as a contact item. Accepting an item is the record's own
audited write (a medication or allergy entry, the primary insurance, the contact details) carrying its
source, in one transaction with the decision item; declining writes the decision alone. A decision
is written once, so accepting twice writes once.

An item's id is a hash of what the patient sent: an answer changed by a later check-in is a new item.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import (
    Appointment,
    CheckinReviewOut,
    CheckinSubmitted,
    ReviewChange,
    ReviewDecision,
    ReviewDecisionIn,
    ReviewItem,
    ReviewKind,
    SubmittedAllergy,
    SubmittedContact,
    SubmittedInsurance,
    SubmittedMedication,
)
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.models import EntrySource, phone_key
from chalicelib.core.observability import logger


def _item_id(kind: ReviewKind, *parts: str | None) -> str:
    text = "\x1f".join((p or "").strip().casefold() for p in parts)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _line(first: str, second: str | None) -> str:
    return f"{first} ({second})" if second else first


def _card_line(card: SubmittedInsurance) -> str:
    parts = [card.carrier or "", f"member {card.member_id}" if card.member_id else ""]
    if card.group_number:
        parts.append(f"group {card.group_number}")
    if card.subscriber_name:
        parts.append(f"holder {card.subscriber_name}")
    return ", ".join(p for p in parts if p)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


class _Candidate:
    """One item with what accepting it would write."""

    def __init__(
        self,
        item_id: str,
        kind: ReviewKind,
        change: ReviewChange,
        submitted: str,
        on_file: str | None,
        sent: SubmittedMedication | SubmittedAllergy | SubmittedInsurance | SubmittedContact,
        matched: Any = None,
        stop: bool = False,
    ) -> None:
        self.id = item_id
        self.kind = kind
        self.change = change
        self.submitted = submitted
        self.on_file = on_file
        self.sent = sent
        self.matched = matched  # the record entry it matched, if any
        self.stop = stop  # a medication on file the patient left off: accepting stops it

    @property
    def action(self) -> Literal["add", "update", "stop", "none"]:
        if self.change == "same":
            return "none"
        if self.stop:
            return "stop"
        return "add" if self.change == "new" else "update"


def _candidates(patient_id: str, sent: CheckinSubmitted) -> list[_Candidate]:
    from chalicelib.billing import insurance as billing_insurance
    from chalicelib.records import service as record_service
    from chalicelib.records.models import Allergy, Medication

    records = record_service.records_of(patient_id)
    medications = {m.name.strip().casefold(): m for m in records if isinstance(m, Medication) and m.is_active}
    allergies = {
        a.substance.strip().casefold(): a for a in records if isinstance(a, Allergy) and a.status == "active"
    }
    found: list[_Candidate] = []
    listed = {m.name.strip().casefold() for m in sent.medications}
    for name, kept in sorted(medications.items()):
        if name not in listed:
            found.append(
                _Candidate(
                    _item_id("medication", "stopped", kept.id),
                    "medication",
                    "stopped",
                    f"Not on the list sent: {_line(kept.name, kept.dose)}",
                    _line(kept.name, kept.dose),
                    SubmittedMedication(name=kept.name, dose=kept.dose),
                    kept,
                    stop=True,
                )
            )
    for med in sent.medications:
        on_med = medications.get(med.name.strip().casefold())
        med_change: ReviewChange = (
            "new" if on_med is None else "same" if not med.dose or _same(med.dose, on_med.dose) else "changed"
        )
        found.append(
            _Candidate(
                _item_id("medication", med.name, med.dose),
                "medication",
                med_change,
                _line(med.name, med.dose),
                _line(on_med.name, on_med.dose) if on_med else None,
                med,
                on_med,
            )
        )
    for allergy in sent.allergies:
        on_allergy = allergies.get(allergy.substance.strip().casefold())
        allergy_change: ReviewChange = (
            "new"
            if on_allergy is None
            else "same"
            if not allergy.reaction or _same(allergy.reaction, on_allergy.reaction)
            else "changed"
        )
        found.append(
            _Candidate(
                _item_id("allergy", allergy.substance, allergy.reaction),
                "allergy",
                allergy_change,
                _line(allergy.substance, allergy.reaction),
                _line(on_allergy.substance, on_allergy.reaction) if on_allergy else None,
                allergy,
                on_allergy,
            )
        )
    card = sent.insurance
    if not card.self_pay and card.carrier and card.member_id:
        primary = billing_insurance.primary_of(patient_id)
        on_card = (
            SubmittedInsurance(
                carrier=primary.payer_name,
                member_id=primary.member_id,
                group_number=primary.group_number,
                subscriber_name=primary.subscriber.name
                if primary.subscriber.relationship != "self"
                else None,
            )
            if primary
            else None
        )
        card_change: ReviewChange = (
            "new"
            if on_card is None
            else "same"
            if _same(card.carrier, on_card.carrier)
            and _same(card.member_id, on_card.member_id)
            and (not card.group_number or _same(card.group_number, on_card.group_number))
            else "changed"
        )
        found.append(
            _Candidate(
                _item_id("insurance", card.carrier, card.member_id, card.group_number, card.subscriber_name),
                "insurance",
                card_change,
                _card_line(card),
                _card_line(on_card) if on_card else None,
                card,
                primary,
            )
        )
    contact = _contact_candidate(patient_id, sent)
    if contact is not None:
        found.append(contact)
    return found


def _contact_line(phone: str | None, email: str | None) -> str | None:
    parts = [f"phone {phone}" if phone else "", f"email {email}" if email else ""]
    return ", ".join(p for p in parts if p) or None


def _contact_candidate(patient_id: str, sent: CheckinSubmitted) -> _Candidate | None:
    """The phone/email sent, beside the profile's: an item only when one of them differs."""
    from chalicelib.patients import profiles as patient_profiles

    if not sent.phone and not sent.email:
        return None
    profile = patient_profiles.profile_of(patient_id)
    phone_differs = bool(sent.phone) and phone_key(sent.phone or "") != phone_key(profile.phone or "")
    email_differs = bool(sent.email) and not _same(sent.email, profile.email)
    if not phone_differs and not email_differs:
        return None
    change: ReviewChange = "new" if not profile.phone and not profile.email else "changed"
    return _Candidate(
        _item_id("contact", sent.phone, sent.email),
        "contact",
        change,
        _contact_line(sent.phone, sent.email) or "",
        _contact_line(profile.phone, profile.email),
        SubmittedContact(phone=sent.phone, email=sent.email),
    )


def _submitted(patient_id: str, appointment_id: str) -> CheckinSubmitted:
    stored = appointment_store.get_checkin(patient_id, appointment_id)
    if stored is None:
        raise errors.NotFound("no eCheck-in was sent for this visit")
    return dynamo.parse_item(CheckinSubmitted, stored)


def _review(
    patient_id: str, appointment: Appointment, sent: CheckinSubmitted, decisions: list[ReviewDecision]
) -> CheckinReviewOut:
    decided = {d.item_id: d for d in decisions}
    items = []
    for c in _candidates(patient_id, sent):
        d = decided.get(c.id)
        items.append(
            ReviewItem(
                id=c.id,
                kind=c.kind,
                change=c.change,
                action=c.action,
                submitted=c.submitted,
                on_file=c.on_file,
                state=d.decision if d else "pending",
                decided_by=d.decided_by if d else None,
                decided_at=d.decided_at if d else None,
            )
        )
    try:
        visit_name = common.visit_type(appointment.visit_type_id).name
    except errors.NotFound:
        visit_name = appointment.visit_type_id
    return CheckinReviewOut(
        appointment_id=appointment.id,
        patient_id=patient_id,
        patient_name=appointment.patient_name,
        starts_at=common.local(appointment.start),
        time_zone=common.zone().key,
        visit_type_name=visit_name,
        submitted_at=sent.submitted_at,
        submitted_by_role=sent.submitted_by_role,
        self_pay=sent.insurance.self_pay,
        no_medications=sent.no_medications,
        no_known_allergies=sent.no_known_allergies,
        items=items,
        questionnaire_responses=sent.questionnaire_responses,
        consents=sent.consents,
    )


def get_review(caller: Caller, patient_id: str, appointment_id: str) -> CheckinReviewOut:
    appointment = appointment_service.load(patient_id, appointment_id)
    sent = _submitted(patient_id, appointment_id)
    review = _review(
        patient_id, appointment, sent, appointment_store.review_decisions(patient_id, appointment_id)
    )
    audit.record(
        caller, patient_id=patient_id, action="checkin_review.read", target=f"appointment:{appointment_id}"
    )
    return review


def _writes(
    caller: Caller, patient_id: str, candidate: _Candidate, source: EntrySource
) -> tuple[str, list[dict[str, Any]], list[AuditEvent]]:
    """What accepting writes: the record entry or the insurance, with their audit events."""
    from chalicelib.billing import insurance as billing_insurance
    from chalicelib.records import service as record_service

    sent = candidate.sent
    if isinstance(sent, SubmittedContact):
        from chalicelib.patients import profiles as patient_profiles

        profile, entries, event = patient_profiles.contact_from_checkin(
            caller, patient_id, phone=sent.phone, email=sent.email, source=source
        )
        return profile.id, entries, [event]
    if candidate.stop:
        fields: dict[str, Any] = {
            "status": "stopped",
            "end_date": common.local(source.accepted_at).date().isoformat(),
        }
        kind: Literal["medication", "allergy"] = "medication"
    elif isinstance(sent, SubmittedMedication):
        fields = (
            {"dose": sent.dose}
            if candidate.matched is not None
            else {
                "name": sent.name,
                "dose": sent.dose or "Not given",
                "instructions": "As the patient reported it at eCheck-in",
                "prescriber": "Reported by the patient",
                "start_date": common.local(source.accepted_at).date().isoformat(),
            }
        )
        kind = "medication"
    elif isinstance(sent, SubmittedAllergy):
        fields = (
            {"reaction": sent.reaction}
            if candidate.matched is not None
            else {"substance": sent.substance, "reaction": sent.reaction}
        )
        kind = "allergy"
    else:
        profile_name = _patient_name(patient_id)
        holder = sent.subscriber_name or profile_name
        card = {
            "payer_name": sent.carrier,
            "member_id": sent.member_id,
            "group_number": sent.group_number,
            "subscriber": {
                "name": holder,
                "relationship": "self" if _same(holder, profile_name) else "other",
            },
        }
        added, entries, events = billing_insurance.accepted_from_checkin(
            caller, patient_id, card, source=source
        )
        return added.id, entries, events
    record, entry, event = record_service.accepted_from_checkin(
        caller, patient_id, kind, fields, source=source, replacing=candidate.matched
    )
    return record.id, [entry], [event]


def _patient_name(patient_id: str) -> str:
    from chalicelib.patients import profiles as patient_profiles

    name = patient_profiles.profile_of(patient_id).legal_name
    return f"{name.given} {name.family}"


def decide(
    caller: Caller,
    patient_id: str,
    appointment_id: str,
    item_id: str,
    body: ReviewDecisionIn,
    *,
    now: datetime | None = None,
) -> CheckinReviewOut:
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    sent = _submitted(patient_id, appointment_id)
    wanted = "accepted" if body.decision == "accept" else "declined"
    decisions = appointment_store.review_decisions(patient_id, appointment_id)
    earlier = next((d for d in decisions if d.item_id == item_id), None)
    if earlier is not None:
        return _settled(caller, appointment, sent, earlier, wanted)
    candidate = next((c for c in _candidates(patient_id, sent) if c.id == item_id), None)
    if candidate is None or (wanted == "accepted" and candidate.change == "same"):
        # Someone may have decided it between our two reads, writing the record that made it "same"
        # (or, for a stopped medication, gone): their decision is the answer, as if we had come second.
        latest = appointment_store.review_decisions(patient_id, appointment_id)
        earlier = next((d for d in latest if d.item_id == item_id), None)
        if earlier is not None:
            return _settled(caller, appointment, sent, earlier, wanted)
    if candidate is None:
        raise errors.NotFound("no such item in this eCheck-in")
    if wanted == "accepted" and candidate.change == "same":
        raise errors.Conflict("this already matches the record; there is nothing to accept")
    decision = ReviewDecision(
        appointment_id=appointment_id,
        item_id=item_id,
        decision=wanted,
        decided_by=caller.display_name,
        decided_by_sub=caller.sub,
        decided_at=now,
    )
    entries: list[dict[str, Any]] = []
    events = [
        audit.event(
            caller,
            patient_id=patient_id,
            action=f"checkin_review.{body.decision}",
            target=f"appointment:{appointment_id}#{item_id}",
        )
    ]
    if wanted == "accepted":
        source = EntrySource(appointment_id=appointment_id, accepted_by=caller.display_name, accepted_at=now)
        written_id, entries, written_events = _writes(caller, patient_id, candidate, source)
        decision = decision.model_copy(update={"written_id": written_id})
        events.extend(written_events)
    try:
        dynamo.transact_all(
            [
                appointment_store.review_decision_entry(patient_id, decision),
                *entries,
                *(appointment_store.audit_entry(e) for e in events),
            ]
        )
    except dynamo.TransactionRefused as refused:
        if 0 not in refused.failed:  # the record changed under us, not the decision
            raise errors.Conflict(
                "the record changed while you were reviewing; reload and try again"
            ) from None
        latest = appointment_store.review_decisions(patient_id, appointment_id)
        earlier = next((d for d in latest if d.item_id == item_id), None)
        if earlier is None:
            raise errors.Conflict(
                "this item changed while you were reviewing; reload and try again"
            ) from None
        return _settled(caller, appointment, sent, earlier, wanted)
    logger.info(
        "checkin item decided",
        extra={
            "patient_id": patient_id,
            "appointment_id": appointment_id,
            "item_id": item_id,
            "decision": wanted,
        },
    )
    return _review(
        patient_id, appointment, sent, appointment_store.review_decisions(patient_id, appointment_id)
    )


def _settled(
    caller: Caller, appointment: Appointment, sent: CheckinSubmitted, earlier: ReviewDecision, wanted: str
) -> CheckinReviewOut:
    """A second decision of an item: the same one is answered as done (nothing written); the other, 409."""
    if earlier.decision != wanted:
        raise errors.Conflict(
            "this item was already {decision} by {who}",
            params={"decision": earlier.decision, "who": earlier.decided_by},
        )
    patient_id = appointment.patient_id
    review = _review(
        patient_id, appointment, sent, appointment_store.review_decisions(patient_id, appointment.id)
    )
    audit.record(
        caller, patient_id=patient_id, action="checkin_review.read", target=f"appointment:{appointment.id}"
    )
    return review
