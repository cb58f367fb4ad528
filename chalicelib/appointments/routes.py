"""A patient's appointments, addressed by patient id (patients, caregivers, and staff acting for them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron, Rate, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module
from chalicelib.core.observability import logger

if TYPE_CHECKING:
    from chalicelib.appointments import availability as availability_service
    from chalicelib.appointments import checkin as appointments_checkin
    from chalicelib.appointments import checkin_review
    from chalicelib.appointments import models as appointment_models
    from chalicelib.appointments import notices as appointments_notify
    from chalicelib.appointments import service as appointment_service
    from chalicelib.appointments import staff as staff_service
    from chalicelib.appointments import video as appointments_video
    from chalicelib.appointments import waitlist as appointments_waitlist
    from chalicelib.appointments.models import (
        AcknowledgedOut,
        AppointmentListQuery,
        AppointmentOut,
        AppointmentPage,
        AvailabilityChangeOut,
        AvailabilityOut,
        BlockIn,
        BookIn,
        BookingOptionsOut,
        CheckinIn,
        CheckinOut,
        CheckinReviewOut,
        DayOut,
        DayQuery,
        DecisionOut,
        ProvidersOut,
        QueueOut,
        QueueQuery,
        RescheduleIn,
        ReviewDecisionIn,
        ScheduledVisit,
        ScheduleOut,
        ScheduleQuery,
        SlotPage,
        SlotSearchQuery,
        TemplateIn,
        VideoJoinOut,
        VideoStatusOut,
        VisitStatusIn,
        VisitUndoIn,
        WaitlistEntryOut,
        WaitlistIn,
        WaitlistLeftOut,
        WaitlistOffersOut,
    )
else:
    appointment_service = lazy_module("chalicelib.appointments.service")
    appointments_video = lazy_module("chalicelib.appointments.video")
    appointments_waitlist = lazy_module("chalicelib.appointments.waitlist")
    appointments_checkin = lazy_module("chalicelib.appointments.checkin")
    checkin_review = lazy_module("chalicelib.appointments.checkin_review")
    staff_service = lazy_module("chalicelib.appointments.staff")
    availability_service = lazy_module("chalicelib.appointments.availability")
    appointments_notify = lazy_module("chalicelib.appointments.notices")
    appointment_models = lazy_module("chalicelib.appointments.models")


bp = Blueprint(__name__)
requires = access.requires

BASE = "/patients/{patient_id}/appointments"


@bp.route("/patients/{patient_id}/booking-options", methods=["GET"])
@requires(
    "appointment:read",
    returns=lambda: appointment_models.BookingOptionsOut,
    summary="Visit types (with whether this patient may book each online, and why not) and providers",
)
def booking_options(patient_id: str, *, caller: Caller) -> BookingOptionsOut:
    return appointment_service.booking_options(caller, patient_id)


@bp.route("/patients/{patient_id}/slots", methods=["GET"])
@requires(
    "appointment:book",
    query=lambda: appointment_models.SlotSearchQuery,
    returns=lambda: appointment_models.SlotPage,
    summary="Find a time: open slots of a visit type (any or one provider) over up to 14 days",
)
def search_slots(patient_id: str, *, caller: Caller, query: SlotSearchQuery) -> SlotPage:
    return appointment_service.search_slots(caller, patient_id, query)


@bp.route(BASE, methods=["GET"])
@requires(
    "appointment:read",
    query=lambda: appointment_models.AppointmentListQuery,
    returns=lambda: appointment_models.AppointmentPage,
    summary="Upcoming (soonest first) or past (latest first) appointments",
)
def list_appointments(patient_id: str, *, caller: Caller, query: AppointmentListQuery) -> AppointmentPage:
    return appointment_service.list_appointments(
        caller, patient_id, upcoming=query.when == "upcoming", limit=query.limit, cursor=query.cursor
    )


@bp.route(BASE, methods=["POST"])
@requires(
    "appointment:book",
    body=lambda: appointment_models.BookIn,
    returns=lambda: appointment_models.AppointmentOut,
    summary="Book (or request) a slot: 201, or 409 if someone else got it first; a retry returns 200",
    status=(201, 200),
    errors=(409,),
)
def book(patient_id: str, *, caller: Caller, body: BookIn) -> Response:
    booked = appointment_service.book(caller, patient_id, body.slot_id)
    return Response(
        body=booked.appointment.model_dump(mode="json"),
        status_code=201 if booked.created else 200,
        headers=dict(JSON_HEADERS),
    )


@bp.route(BASE + "/{appointment_id}", methods=["GET"])
@requires("appointment:read", returns=lambda: appointment_models.AppointmentOut, summary="One appointment")
def get_appointment(patient_id: str, appointment_id: str, *, caller: Caller) -> AppointmentOut:
    return appointment_service.get_appointment(caller, patient_id, appointment_id)


@bp.route(BASE + "/{appointment_id}/cancel", methods=["POST"])
@requires(
    "appointment:cancel",
    returns=lambda: appointment_models.AppointmentOut,
    summary="Cancel before the visit type's cutoff (staff: any time before the start); frees the slot",
    errors=(409,),
)
def cancel(patient_id: str, appointment_id: str, *, caller: Caller) -> AppointmentOut:
    return appointment_service.cancel(caller, patient_id, appointment_id)


@bp.route(BASE + "/{appointment_id}/reschedule", methods=["POST"])
@requires(
    "appointment:book",
    body=lambda: appointment_models.RescheduleIn,
    returns=lambda: appointment_models.AppointmentOut,
    summary="Move to another slot of the same visit type, atomically; returns the new appointment",
    errors=(409,),
)
def reschedule(patient_id: str, appointment_id: str, *, caller: Caller, body: RescheduleIn) -> AppointmentOut:
    return appointment_service.reschedule(caller, patient_id, appointment_id, body.slot_id)


@bp.route(BASE + "/{appointment_id}/calendar.ics", methods=["GET"])
@requires(
    "appointment:read",
    summary="The appointment as an iCalendar (.ics) file for the patient's calendar",
    media_type="text/calendar",
)
def calendar(patient_id: str, appointment_id: str, *, caller: Caller) -> Response:
    body = appointment_service.calendar_file(caller, patient_id, appointment_id)
    return Response(
        body=body,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'attachment; filename="appointment.ics"',
        },
    )


@bp.route(BASE + "/{appointment_id}/video/join", methods=["POST"])
@requires(
    "video:join",
    returns=lambda: appointment_models.VideoJoinOut,
    summary="Join the video visit: the clinician enters the meeting with an attendee of their own; the "
    "patient waits until admitted, then enters. 409 outside the join window (its times in `fields`)",
    errors=(409,),
)
def video_join(patient_id: str, appointment_id: str, *, caller: Caller) -> VideoJoinOut:
    return appointments_video.join(caller, patient_id, appointment_id)


@bp.route(BASE + "/{appointment_id}/video/status", methods=["GET"])
@requires(
    "video:join",
    returns=lambda: appointment_models.VideoStatusOut,
    summary="Who is waiting, admitted or present in the video visit (polled during the visit)",
    errors=(409,),
)
def video_status(patient_id: str, appointment_id: str, *, caller: Caller) -> VideoStatusOut:
    return appointments_video.status(caller, patient_id, appointment_id)


@bp.route(BASE + "/{appointment_id}/video/admit", methods=["POST"])
@requires(
    "video:admit",
    returns=lambda: appointment_models.VideoStatusOut,
    summary="The clinician of the visit lets the waiting patient in",
    errors=(409,),
)
def video_admit(patient_id: str, appointment_id: str, *, caller: Caller) -> VideoStatusOut:
    return appointments_video.admit(caller, patient_id, appointment_id)


@bp.route(BASE + "/{appointment_id}/waitlist", methods=["POST"])
@requires(
    "appointment:book",
    body=lambda: appointment_models.WaitlistIn,
    returns=lambda: appointment_models.WaitlistEntryOut,
    summary="Offer me an earlier time: wait for a freed slot of this visit type",
    errors=(409,),
)
def join_waitlist(
    patient_id: str, appointment_id: str, *, caller: Caller, body: WaitlistIn
) -> WaitlistEntryOut:
    return appointments_waitlist.join(caller, patient_id, appointment_id, body)


@bp.route(BASE + "/{appointment_id}/waitlist", methods=["DELETE"])
@requires(
    "appointment:book",
    summary="Stop waiting for an earlier time",
    returns=lambda: appointment_models.WaitlistLeftOut,
)
def leave_waitlist(patient_id: str, appointment_id: str, *, caller: Caller) -> WaitlistLeftOut:
    appointments_waitlist.leave(caller, patient_id, appointment_id)
    return appointment_models.WaitlistLeftOut(appointment_id=appointment_id)


@bp.route("/patients/{patient_id}/waitlist-offers", methods=["GET"])
@requires(
    "appointment:read",
    returns=lambda: appointment_models.WaitlistOffersOut,
    summary="Earlier times offered to this patient, still open",
)
def waitlist_offers(patient_id: str, *, caller: Caller) -> WaitlistOffersOut:
    return appointments_waitlist.list_offers(caller, patient_id)


@bp.route("/patients/{patient_id}/waitlist-offers/{offer_id}/accept", methods=["POST"])
@requires(
    "appointment:book",
    returns=lambda: appointment_models.AppointmentOut,
    summary="Take an offered earlier time: the appointment moves atomically; 409 if someone was faster",
    errors=(409,),
)
def accept_offer(patient_id: str, offer_id: str, *, caller: Caller) -> AppointmentOut:
    return appointments_waitlist.accept(caller, patient_id, offer_id)


@bp.route(BASE + "/{appointment_id}/checkin", methods=["GET"])
@requires(
    "appointment:read",
    returns=lambda: appointment_models.CheckinOut,
    summary="eCheck-in: the details to confirm, the visit's questionnaires, and what was submitted",
)
def get_checkin(patient_id: str, appointment_id: str, *, caller: Caller) -> CheckinOut:
    return appointments_checkin.get_checkin(caller, patient_id, appointment_id)


@bp.route(BASE + "/{appointment_id}/checkin", methods=["PUT"])
@requires(
    "checkin:submit",
    body=lambda: appointment_models.CheckinIn,
    returns=lambda: appointment_models.CheckinOut,
    summary="Submit eCheck-in (from 7 days before until the start); answers stored as QuestionnaireResponses",
    errors=(409,),
)
def submit_checkin(patient_id: str, appointment_id: str, *, caller: Caller, body: CheckinIn) -> CheckinOut:
    return appointments_checkin.submit(caller, patient_id, appointment_id, body)


# eCheck-in review: staff set what the patient sent beside the record and accept it item by item.
REVIEW = "/staff/patients/{patient_id}/checkins/{appointment_id}"


@bp.route(REVIEW, methods=["GET"])
@requires(
    "checkin_review:read",
    returns=lambda: appointment_models.CheckinReviewOut,
    summary="A visit's eCheck-in beside what is on file: each medication, allergy and insurance card",
)
def get_checkin_review(patient_id: str, appointment_id: str, *, caller: Caller) -> CheckinReviewOut:
    return checkin_review.get_review(caller, patient_id, appointment_id)


@bp.route(REVIEW + "/items/{item_id}", methods=["POST"])
@requires(
    "checkin_review:decide",
    body=lambda: appointment_models.ReviewDecisionIn,
    returns=lambda: appointment_models.CheckinReviewOut,
    summary="Accept an item into the record (an audited write noting this check-in) or decline it; once",
    errors=(409,),
)
def decide_checkin_item(
    patient_id: str, appointment_id: str, item_id: str, *, caller: Caller, body: ReviewDecisionIn
) -> CheckinReviewOut:
    return checkin_review.decide(caller, patient_id, appointment_id, item_id, body)


# Staff scheduling: providers' schedules, availability, the front-desk queue, request decisions.
PROVIDER = "/staff/providers/{provider_id}"


@bp.route("/staff/providers", methods=["GET"])
@requires(
    "schedule:read",
    returns=lambda: appointment_models.ProvidersOut,
    summary="The clinic's bookable providers",
)
def providers(*, caller: Caller) -> ProvidersOut:
    return staff_service.providers(caller)


@bp.route("/staff/schedule", methods=["GET"])
@requires(
    "schedule:read",
    query=lambda: appointment_models.ScheduleQuery,
    returns=lambda: appointment_models.ScheduleOut,
    summary="A provider's day or week: open and blocked slots, appointments with check-in and cancellations",
    errors=(404,),
)
def schedule(*, caller: Caller, query: ScheduleQuery) -> ScheduleOut:
    return staff_service.schedule(caller, query)


@bp.route("/staff/day", methods=["GET"])
@requires(
    "schedule:read",
    query=lambda: appointment_models.DayQuery,
    returns=lambda: appointment_models.DayOut,
    summary="All providers' visits of one clinic day, by provider, with each visit's status",
)
def clinic_day(*, caller: Caller, query: DayQuery) -> DayOut:
    return staff_service.day(caller, query.first_day)


@bp.route("/staff/visits/{visit_ref}/status", methods=["POST"])
@requires(
    "schedule:manage",
    body=lambda: appointment_models.VisitStatusIn,
    returns=lambda: appointment_models.ScheduledVisit,
    summary="Mark a booked visit arrived, roomed, seen or no-show (in that order; 409 if not next)",
    errors=(409,),
)
def set_visit_status(visit_ref: str, *, caller: Caller, body: VisitStatusIn) -> ScheduledVisit:
    return staff_service.set_visit_status(caller, visit_ref, body.status, version=body.version)


@bp.route("/staff/visits/{visit_ref}/undo", methods=["POST"])
@requires(
    "schedule:manage",
    body=lambda: appointment_models.VisitUndoIn,
    returns=lambda: appointment_models.ScheduledVisit,
    summary="Step a visit back one status marked by mistake, the same day it was marked (409 otherwise)",
    errors=(409,),
)
def undo_visit_status(visit_ref: str, *, caller: Caller, body: VisitUndoIn) -> ScheduledVisit:
    return staff_service.undo_visit_status(caller, visit_ref, version=body.version)


@bp.route("/staff/front-desk/queue", methods=["GET"])
@requires(
    "schedule:read",
    query=lambda: appointment_models.QueueQuery,
    returns=lambda: appointment_models.QueueOut,
    summary="Bookings, requests, moves and cancellations patients made online, not yet reviewed",
)
def queue(*, caller: Caller, query: QueueQuery) -> QueueOut:
    return staff_service.queue(caller, limit=query.limit, cursor=query.cursor)


@bp.route("/staff/front-desk/queue/{notice_ref}/done", methods=["POST"])
@requires(
    "schedule:manage",
    summary="Mark a queue item as reviewed (it leaves the queue)",
    returns=lambda: appointment_models.AcknowledgedOut,
)
def acknowledge(notice_ref: str, *, caller: Caller) -> AcknowledgedOut:
    staff_service.acknowledge(caller, notice_ref)
    return appointment_models.AcknowledgedOut(ref=notice_ref)


@bp.route("/staff/appointment-requests/{request_ref}/approve", methods=["POST"])
@requires(
    "schedule:manage",
    returns=lambda: appointment_models.DecisionOut,
    summary="Confirm a requested appointment",
    errors=(409,),
)
def approve(request_ref: str, *, caller: Caller) -> DecisionOut:
    return staff_service.approve(caller, request_ref)


@bp.route("/staff/appointment-requests/{request_ref}/decline", methods=["POST"])
@requires(
    "schedule:manage",
    returns=lambda: appointment_models.DecisionOut,
    summary="Decline a request; its time opens up again",
    errors=(409,),
)
def decline(request_ref: str, *, caller: Caller) -> DecisionOut:
    return staff_service.decline(caller, request_ref)


@bp.route(PROVIDER + "/availability", methods=["GET"])
@requires(
    "schedule:read",
    returns=lambda: appointment_models.AvailabilityOut,
    summary="A provider's weekly templates and blocked times",
)
def availability(provider_id: str, *, caller: Caller) -> AvailabilityOut:
    return availability_service.get_availability(caller, provider_id)


@bp.route(PROVIDER + "/templates", methods=["POST"])
@requires(
    "availability:manage",
    body=lambda: appointment_models.TemplateIn,
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Add a weekly template (local clinic times); slots for the booking window follow at once",
    errors=(409,),
)
def add_template(provider_id: str, *, caller: Caller, body: TemplateIn) -> AvailabilityChangeOut:
    return availability_service.add_template(caller, provider_id, body)


@bp.route(PROVIDER + "/templates/{template_id}", methods=["DELETE"])
@requires(
    "availability:manage",
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Remove a template; its open slots are withdrawn, booked ones are listed as conflicts",
    errors=(409,),
)
def remove_template(provider_id: str, template_id: str, *, caller: Caller) -> AvailabilityChangeOut:
    return availability_service.remove_template(caller, provider_id, template_id)


@bp.route(PROVIDER + "/blocks", methods=["POST"])
@requires(
    "availability:manage",
    body=lambda: appointment_models.BlockIn,
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Block time (holiday, meeting); open slots inside it stop being bookable",
    errors=(409,),
)
def add_block(provider_id: str, *, caller: Caller, body: BlockIn) -> AvailabilityChangeOut:
    return availability_service.add_block(caller, provider_id, body)


@bp.route(PROVIDER + "/blocks/{block_id}", methods=["DELETE"])
@requires(
    "availability:manage",
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Remove a block",
    errors=(409,),
)
def remove_block(provider_id: str, block_id: str, *, caller: Caller) -> AvailabilityChangeOut:
    return availability_service.remove_block(caller, provider_id, block_id)


# Scheduled appointment jobs (EventBridge rules, one Lambda each when deployed).
def run_hourly() -> dict[str, Any]:
    # Expired waitlist offers need no job: reads ignore them and DynamoDB's TTL deletes them.
    return {
        "reminders": appointments_notify.send_reminders(),
        "digest": appointments_notify.send_digest(),
        "video_meetings_ended": appointments_video.end_finished_meetings(),
    }


def run_daily() -> dict[str, Any]:
    synced = availability_service.sync_all()
    return {provider: result.created for provider, result in synced.items()}


@bp.schedule(
    Rate(1, unit=Rate.HOURS),
    name="appointment-hourly",
    description="Reminders, front-desk digest, ending finished video meetings",
)
def hourly(event: Any) -> None:
    logger.info("appointment hourly job", extra=run_hourly())


# 10:00 UTC is early morning in US time zones, before the front desk opens.
@bp.schedule(Cron(0, 10, "*", "*", "?", "*"), name="appointment-daily", description="Roll the slot window")
def daily(event: Any) -> None:
    logger.info("appointment daily job", extra={"slots_created": run_daily()})
