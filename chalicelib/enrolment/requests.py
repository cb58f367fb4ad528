"""Self-registration requests: a person asks to join (when the clinic allows it); the front desk decides.

Staff match a request to an existing record or register a new one, then invite from that record; or decline.
A request names a person (name, birth date, contact details), so staff reading one are audited like any
read of a patient's data: under the request's id while it is no patient's record, and the decision
under the patient it was matched or registered to.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.core import audit, config, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.enrolment import registration
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import (
    RegisteredPatient,
    RegistrationDecisionIn,
    RegistrationIn,
    RegistrationRequest,
    RegistrationRequestIn,
    RegistrationRequestList,
    RegistrationRequestOut,
    RegistrationRequestReceived,
)
from chalicelib.patients import profiles as profile_service


def submit(body: RegistrationRequestIn, *, now: datetime | None = None) -> RegistrationRequestReceived:
    """Queue a request for the front desk; a clinic that does not take them answers not found."""
    if not config.clinic().enrolment.self_registration:
        raise errors.NotFound("this clinic does not take registration requests online; please call us")
    request = RegistrationRequest(
        id=dynamo.new_id("rr-"),
        legal_name=body.legal_name,
        birth_date=body.birth_date,
        sex=body.sex,
        email=str(body.email),
        phone=body.phone,
        address=body.address,
        preferred_language=body.preferred_language,
        submitted_at=now or dynamo.utcnow(),
    )
    enrolment_store.create_request(request)
    logger.info("registration request received", extra={"request_id": request.id})
    return RegistrationRequestReceived()


def open_requests(caller: Caller, cursor: str | None) -> RegistrationRequestList:
    """The front desk's queue, oldest first."""
    requests, next_cursor = enrolment_store.open_requests(cursor)
    audit.record_many(
        caller,
        patient_ids=[request.id for request in requests],
        action="registration_request.list",
        target="registration-requests",
    )
    return RegistrationRequestList(
        items=[RegistrationRequestOut.model_validate(r.model_dump()) for r in requests],
        next_cursor=next_cursor,
    )


def decide(
    caller: Caller, request_id: str, body: RegistrationDecisionIn, *, now: datetime | None = None
) -> RegistrationRequestOut:
    """Match to an existing record, register a new patient from the request, or decline it."""
    now = now or dynamo.utcnow()
    request = enrolment_store.get_request(request_id)
    if request is None:
        raise errors.NotFound("registration request not found")
    if request.state != "open":
        raise errors.Conflict("this request was already decided")
    patient_id: str | None = None
    if body.decision == "match":
        if not body.patient_id:
            raise errors.BadRequest("choose the existing record", fields={"patient_id": "required to match"})
        profile_service.profile_of(body.patient_id)  # NotFound for an unknown record
        patient_id = body.patient_id
    elif body.decision == "register":
        registered: RegisteredPatient = registration.register_patient(
            caller,
            RegistrationIn(
                legal_name=request.legal_name,
                birth_date=request.birth_date,
                sex=request.sex,
                email=request.email,
                phone=request.phone,
                address=request.address,
                preferred_language=request.preferred_language,
            ),
            now=now,
        )
        patient_id = registered.id
    state = {"match": "matched", "register": "registered", "decline": "declined"}[body.decision]
    decided = request.model_copy(
        update={"state": state, "patient_id": patient_id, "decided_by": caller.sub, "decided_at": now}
    )
    event = audit.event(
        caller, patient_id=patient_id or request.id, action="registration_request.decide", target=request.id
    )
    enrolment_store.decide_request(decided, audit=event)
    logger.info("registration request decided", extra={"request_id": request.id, "decision": body.decision})
    return RegistrationRequestOut.model_validate(decided.model_dump())
