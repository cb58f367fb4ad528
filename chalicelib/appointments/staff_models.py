"""The staff side of appointments: schedule views, the front-desk queue, request decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from chalicelib.appointments.models import AppointmentStatus, CheckinStatus, ProviderOut
from chalicelib.core.models import InputModel, Model
from chalicelib.core.scheduling import Modality, Slug

# "<patient id>.<id>": staff routes carry both, so an item is found without knowing its time.
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,80}$")]


class ScheduleQuery(InputModel):
    provider: Slug | None = Field(None, description="Left out: the clinic's first provider")
    first_day: date | None = Field(None, alias="date", description="Clinic date; today if left out")
    days: Annotated[int, Field(ge=1, le=7)] = 1


class QueueQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class ScheduledVisit(Model):
    id: str
    ref: str = Field(description="patient_id.appointment_id, for staff actions")
    patient_id: str
    patient_name: str
    visit_type_id: str
    visit_type_name: str
    modality: Modality
    status: AppointmentStatus
    checkin_status: CheckinStatus
    booked_by_role: str


class ScheduleEntry(Model):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    kind: Literal["open", "blocked", "appointment"]
    slot_id: str | None = None
    visit_type_id: str | None = None
    appointment: ScheduledVisit | None = None


class ScheduleDay(Model):
    date: date
    entries: list[ScheduleEntry]
    booked: int
    open: int
    cancelled: int
    checked_in: int


class ScheduleOut(Model):
    provider: ProviderOut
    time_zone: str
    days: list[ScheduleDay]


class ProvidersOut(Model):
    time_zone: str
    providers: list[ProviderOut]


NoticeKind = Literal["booked", "requested", "cancelled", "rescheduled"]


class QueueItem(Model):
    ref: str
    kind: NoticeKind
    at: AwareDatetime
    patient_id: str
    patient_name: str
    appointment_id: str
    appointment_ref: str
    provider: ProviderOut
    visit_type_id: str
    starts_at: AwareDatetime


class QueueOut(Model):
    items: list[QueueItem]
    next_cursor: str | None = None


class DecisionOut(Model):
    ref: str
    status: AppointmentStatus
