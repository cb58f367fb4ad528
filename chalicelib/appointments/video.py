"""Virtual visits: a meeting per visit, one attendee per participant, and a waiting room.

The meeting (Amazon Chime SDK, or the simulated provider on a laptop; meetings.py) is created at the first
join, once: its request token is the appointment id, and its id is recorded on the appointment by a
conditional write, so two people joining at the same moment end up in the same meeting. Each participant
gets an attendee of their own (external user id: their role and account id), never a shared link.
Only the patient (or a caregiver acting for them) and the clinicians of the provider's care-team pool
may join, within the clinic's join window. The patient waits until a clinician admits them: until then
their join returns no meeting at all. The meeting is ended and deleted after the window, or when the
visit is cancelled or moved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import meetings
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import (
    Appointment,
    AttendeeOut,
    JoinWindow,
    MeetingOut,
    VideoJoinOut,
    VideoStatusOut,
)
from chalicelib.core import audit, config, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.core.observability import isolated, logger

Participant = Literal["patient", "clinician"]


# --- meetings ---


class OutsideJoinWindow(errors.Conflict):
    """Too early or too late to join; `fields` carry the window's times (ISO, clinic time zone)."""

    CODE = "outside_join_window"


def join_window(appointment: Appointment) -> tuple[datetime, datetime]:
    video = common.settings().video
    return (
        appointment.start - timedelta(minutes=video.join_before_minutes),
        appointment.start + timedelta(minutes=video.join_after_minutes),
    )


def _window_out(appointment: Appointment) -> JoinWindow:
    opens, closes = join_window(appointment)
    return JoinWindow(opens_at=common.local(opens), closes_at=common.local(closes))


def _shown(moment: datetime) -> str:
    return common.local(moment).strftime("%b %d at %I:%M %p").replace(" 0", " ")


def _participant(caller: Caller, appointment: Appointment) -> Participant:
    """The patient's side (the guard already checked the caller reaches this patient), or a clinician of
    the visit's provider. Anyone else is told the visit does not exist, as for another patient's."""
    if caller.role is Role.PATIENT:
        return "patient"
    if caller.role is Role.CLINICIAN:
        try:
            pool = common.provider(appointment.provider_id).care_team_pool
        except errors.NotFound:
            pool = None
        if pool is not None and pool in caller.pools:
            return "clinician"
    raise errors.NotFound("appointment not found")


def _require_video(appointment: Appointment) -> None:
    if appointment.modality != "video":
        raise errors.Conflict("this is not a video visit")
    if appointment.status != "booked":
        raise errors.Conflict("this appointment is {status}", params={"status": appointment.status})
    if appointment.meeting_ended_at is not None:
        raise errors.Conflict("this video visit has ended")


def _require_open(appointment: Appointment, now: datetime) -> None:
    opens, closes = join_window(appointment)
    if opens <= now < closes:
        return
    message = (
        f"the video visit opens on {_shown(opens)}"
        if now < opens
        else f"this video visit closed on {_shown(closes)}"
    )
    raise OutsideJoinWindow(
        f"{message}; you can join from {_shown(opens)} until {_shown(closes)}",
        fields={"opens_at": common.local(opens).isoformat(), "closes_at": common.local(closes).isoformat()},
    )


def _provider(appointment: Appointment) -> meetings.MeetingProvider:
    return meetings.provider_named(appointment.meeting_provider or common.settings().video.provider)


def _meeting_for(appointment: Appointment) -> meetings.Meeting:
    """The visit's meeting, created at the first join. Simultaneous first joins get the same meeting from
    the provider (same request token) and only one of them records it; a loser that got another meeting
    (the provider's token window had passed) deletes its own and uses the recorded one."""
    provider = _provider(appointment)
    if appointment.meeting_id is None:
        created = provider.create_meeting(
            request_token=appointment.id,
            external_meeting_id=appointment.id,
            media_region=config.settings().region,
        )
        if appointment_store.set_meeting(appointment, meeting_id=created.meeting_id, provider=provider.name):
            logger.info(
                "video meeting created",
                extra={"appointment_id": appointment.id, "meeting_id": created.meeting_id},
            )
            return created
        latest = appointment_service.load(appointment.patient_id, appointment.id)
        if latest.meeting_id == created.meeting_id:
            return created
        # Not recorded: the visit was cancelled or moved meanwhile, or another join recorded its own.
        provider.delete_meeting(created.meeting_id)
        _require_video(latest)
        appointment = latest
    if appointment.meeting_id is None:
        raise errors.Conflict("this appointment was changed; reload it and try again")
    found = provider.get_meeting(appointment.meeting_id)
    if found is None:
        raise meetings.MeetingGone("this video visit has ended")
    return found


def _arrive(caller: Caller, appointment: Appointment, *, field: str, action: str, now: datetime) -> None:
    """Mark the arrival and audit it, in one transaction (refused if the visit stopped being booked)."""
    dynamo.transact(
        [
            appointment_store.video_presence_entry(appointment, field=field, at=now),
            appointment_store.audit_entry(
                audit.event(
                    caller,
                    patient_id=appointment.patient_id,
                    action=action,
                    target=f"appointment:{appointment.id}",
                )
            ),
        ],
        conflict="this appointment was changed; reload it and try again",
    )


def join(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> VideoJoinOut:
    """Join the visit: a clinician enters the meeting; the patient waits until admitted, then enters."""
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    role = _participant(caller, appointment)
    _require_video(appointment)
    _require_open(appointment, now)
    answer = VideoJoinOut(
        provider=_provider(appointment).name,
        state="waiting",
        role=role,
        window=_window_out(appointment),
        clinic_phone=config.clinic().phone_display,
    )
    if role == "patient" and appointment.admitted_at is None:
        _arrive(caller, appointment, field="patient_waiting_at", action="video.wait", now=now)
        return answer
    meeting = _meeting_for(appointment)
    attendee = _provider(appointment).create_attendee(meeting.meeting_id, f"{role}-{caller.sub}")
    field = "clinician_joined_at" if role == "clinician" else "patient_waiting_at"
    _arrive(caller, appointment, field=field, action="video.join", now=now)
    logger.info(
        "video visit joined",
        extra={"appointment_id": appointment.id, "meeting_id": meeting.meeting_id, "as": role},
    )
    return answer.model_copy(
        update={
            "state": "in_call",
            "meeting": MeetingOut(
                meeting_id=meeting.meeting_id,
                external_meeting_id=meeting.external_meeting_id,
                media_region=meeting.media_region,
                media_placement=meeting.media_placement,
            ),
            "attendee": AttendeeOut(
                attendee_id=attendee.attendee_id,
                external_user_id=attendee.external_user_id,
                join_token=attendee.join_token,
            ),
        }
    )


def _status_out(appointment: Appointment, now: datetime) -> VideoStatusOut:
    closes = join_window(appointment)[1]
    state: Literal["not_started", "waiting", "in_call", "ended"]
    if appointment.status != "booked" or appointment.meeting_ended_at is not None or now >= closes:
        state = "ended"
    elif appointment.admitted_at is not None:
        state = "in_call"
    elif appointment.patient_waiting_at is not None:
        state = "waiting"
    else:
        state = "not_started"
    return VideoStatusOut(
        state=state,
        patient_waiting=state == "waiting",
        admitted=appointment.admitted_at is not None,
        clinician_joined=appointment.clinician_joined_at is not None,
        window=_window_out(appointment),
    )


def status(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> VideoStatusOut:
    """Polled by both sides during the visit: one read of the appointment item. Not audited: it shows no
    record content, and each join and admission already is (a poll every few seconds would bury the log)."""
    appointment = appointment_service.load(patient_id, appointment_id)
    _participant(caller, appointment)
    if appointment.modality != "video":
        raise errors.Conflict("this is not a video visit")
    return _status_out(appointment, now or dynamo.utcnow())


def admit(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> VideoStatusOut:
    """The clinician lets the waiting patient in (their next status poll says so, and they join)."""
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    if _participant(caller, appointment) != "clinician":
        raise errors.NotFound("appointment not found")
    _require_video(appointment)
    _require_open(appointment, now)
    if appointment.patient_waiting_at is None:
        raise errors.Conflict("the patient has not joined yet")
    if appointment.admitted_at is None:
        _arrive(caller, appointment, field="admitted_at", action="video.admit", now=now)
        appointment = appointment.model_copy(update={"admitted_at": now})
    return _status_out(appointment, now)


def end_meeting(appointment: Appointment, *, now: datetime | None = None) -> bool:
    """End and delete the visit's meeting, if it has one still running. True if this call ended it."""
    if appointment.meeting_id is None or appointment.meeting_ended_at is not None:
        return False
    ended = _provider(appointment).delete_meeting(appointment.meeting_id)
    appointment_store.mark_meeting_ended(appointment, at=now or dynamo.utcnow())
    logger.info(
        "video meeting ended",
        extra={"appointment_id": appointment.id, "meeting_id": appointment.meeting_id, "was_running": ended},
    )
    return ended


def end_meeting_quietly(appointment: Appointment) -> None:
    """After a cancel or move: the change stands even if the provider is unreachable (the sweep retries)."""
    try:
        end_meeting(appointment)
    except Exception as exc:  # the provider's failure must not undo the patient's cancellation
        logger.warning(
            "video meeting not ended",
            extra={"appointment_id": appointment.id, "error": type(exc).__name__},
        )


def end_finished_meetings(*, now: datetime | None = None) -> int:
    """The sweep: end the meetings of visits whose join window has closed in the last two days.

    One Query per provider on the schedule index; a visit cancelled whose meeting could not be ended then
    is ended here once its window has passed.
    """
    now = now or dynamo.utcnow()
    after = timedelta(minutes=common.settings().video.join_after_minutes)
    ended = 0
    for provider in config.clinic().providers:
        for appointment in appointment_store.provider_appointments(
            provider.id, now - after - timedelta(days=2), now - after
        ):
            if appointment.meeting_id is not None and appointment.meeting_ended_at is None:
                with isolated("video-sweep", appointment_id=appointment.id):
                    ended += end_meeting(appointment, now=now)
    return ended
