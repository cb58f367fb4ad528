"""Virtual visits: the join link, from a pluggable video provider.

The default provider appends the appointment's own random token (256 bits, made at booking, stored only
on the appointment) to the clinic's configured base URL, so links cannot be guessed from ids or times.
A clinic with a real video vendor plugs in another `VideoProvider` (e.g. one that creates a meeting by API).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments.models import Appointment, JoinLinkOut
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller


class VideoProvider(Protocol):
    def join_url(self, appointment: Appointment) -> str: ...


class BaseUrlVideoProvider:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def join_url(self, appointment: Appointment) -> str:
        if not appointment.video_token:
            raise errors.Conflict("this visit has no video room")
        return f"{self.base_url}{appointment.video_token}"


def video_provider() -> VideoProvider:
    base_url = common.settings().video_base_url
    if not base_url:
        raise errors.NotFound("video visits are not set up at this clinic")
    return BaseUrlVideoProvider(base_url)


def join(caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None) -> JoinLinkOut:
    """The link, only for a booked video visit, from `join_opens_minutes` before the start until the end."""
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    if appointment.modality != "video":
        raise errors.Conflict("this is not a video visit")
    if appointment.status != "booked":
        raise errors.Conflict(f"this appointment is {appointment.status}")
    opens = appointment.start - timedelta(minutes=common.settings().join_opens_minutes)
    if now < opens:
        when = common.local(opens).strftime("%b %d at %I:%M %p").replace(" 0", " ")
        raise errors.Conflict(f"the video visit opens on {when}")
    if now >= appointment.end:
        raise errors.Conflict("this video visit has ended")
    url = video_provider().join_url(appointment)
    audit.record(
        caller, patient_id=patient_id, action="appointment.join", target=f"appointment:{appointment.id}"
    )
    return JoinLinkOut(url=url, closes_at=common.local(appointment.end))
