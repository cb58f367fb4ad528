"""Appointments: availability, slots, bookings, and what the browser may send and see about them.

Times are stored in UTC (fixed-width ISO strings so they sort) and shown in the clinic's time zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from chalicelib.core.i18n import Locale
from chalicelib.core.identity import Role
from chalicelib.core.models import (
    SCHEDULE_FIRST_DAY,
    InputModel,
    LocalScheduleDateTime,
    Model,
    MultiLine,
    PhoneNumber,
    ScheduleDate,
    ShortText,
    SingleLine,
)
from chalicelib.core.scheduling import BookingPolicy, Modality, Questionnaire, Slug

SlotStatus = Literal["open", "held", "booked", "blocked"]
# requested: waiting for staff; booked: confirmed; rescheduled: superseded by the appointment it moved to.
AppointmentStatus = Literal["requested", "booked", "cancelled", "declined", "rescheduled"]
ACTIVE_STATUSES: frozenset[str] = frozenset({"requested", "booked"})
CheckinStatus = Literal["not_started", "in_progress", "completed"]
# The day of a booked visit, marked by the front desk and clinicians: arrived -> roomed -> seen, or no-show.
VisitStep = Literal["arrived", "roomed", "seen", "no_show"]
# What the schedule shows: the visit's step, or what became of its booking.
VisitStatus = Literal["requested", "booked", "arrived", "roomed", "seen", "no_show", "cancelled"]

_SLOT_ID = re.compile(r"^(?P<provider>[a-z0-9][a-z0-9-]{1,38}[a-z0-9])\.(?P<start>\d{8}T\d{4}Z)$")


def utc_text(moment: datetime) -> str:
    """The one stored form of an instant: UTC, seconds precision, fixed width (so strings sort as time).

    isoformat, not strftime: strftime("%Y") leaves years before 1000 unpadded on Linux.
    """
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def slot_id(provider_id: str, start: datetime) -> str:
    utc = start.astimezone(UTC)
    return f"{provider_id}.{utc.year:04d}{utc:%m%dT%H%M}Z"


def parse_slot_id(value: str) -> tuple[str, datetime]:
    match = _SLOT_ID.fullmatch(value)
    if not match:
        raise ValueError("not a slot id")
    try:
        start = datetime.strptime(match["start"], "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError("not a slot id (bad date)") from None
    if start.year < SCHEDULE_FIRST_DAY.year or start.year > 2100:
        raise ValueError("not a slot id (bad date)")
    return match["provider"], start


def _valid_slot_id(value: str) -> str:
    parse_slot_id(value)
    return value


SlotId = Annotated[str, Field(max_length=64), AfterValidator(_valid_slot_id)]


# --- stored domain objects (extra keys such as PK/SK are ignored) ---


class _Stored(Model):
    model_config = ConfigDict(extra="ignore")


class AvailabilityTemplate(_Stored):
    """Every `weekdays` between `valid_from` and `valid_until`, slots of the visit type's length from
    `start_time` to `end_time`, local wall-clock time in the clinic's zone."""

    id: str
    provider_id: str
    visit_type_id: str
    weekdays: list[int]  # 0 = Monday
    start_time: time
    end_time: time
    valid_from: date
    valid_until: date | None = None
    created_at: datetime


class Block(_Stored):
    """Time a provider is not bookable (holiday, meeting). Open slots inside it are withdrawn."""

    id: str
    provider_id: str
    start: datetime
    end: datetime
    label: str


class Slot(_Stored):
    provider_id: str
    visit_type_id: str
    start: datetime
    end: datetime
    status: SlotStatus = "open"
    appointment_id: str | None = None
    patient_id: str | None = None
    template_id: str | None = None

    @property
    def id(self) -> str:
        return slot_id(self.provider_id, self.start)


class VisitEvent(_Stored):
    """One step of a visit's day: what, when, and the staff member who marked it."""

    status: VisitStep
    at: datetime
    by: str  # the staff member's account id
    by_name: str


class Appointment(_Stored):
    id: str
    patient_id: str
    patient_name: str  # for staff views; the appointment lives in the patient's partition anyway
    provider_id: str
    visit_type_id: str
    modality: Modality
    start: datetime
    end: datetime
    status: AppointmentStatus
    booked_at: datetime
    booked_by_role: Role
    cancelled_at: datetime | None = None
    cancelled_by_role: Role | None = None
    rescheduled_from: str | None = None
    rescheduled_to: str | None = None
    # The video visit's meeting (video.py): set once, by a conditional write, at the first join.
    meeting_id: str | None = None
    meeting_provider: Literal["simulated", "chime"] | None = None
    meeting_ended_at: datetime | None = None
    # The waiting room: the patient joined and waits; the clinician of the visit let them in.
    patient_waiting_at: datetime | None = None
    clinician_joined_at: datetime | None = None
    admitted_at: datetime | None = None
    checkin_status: CheckinStatus = "not_started"
    checkin_completed_at: datetime | None = None
    reminder_sent_at: datetime | None = None
    visit_status: VisitStep | None = None
    visit_events: list[VisitEvent] = Field(default_factory=list)
    version: int = 1

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


# --- input ---


def _hhmm(value: time) -> time:
    if value.second or value.microsecond or value.minute % 5:
        raise ValueError("use whole minutes in steps of 5")
    return value.replace(tzinfo=None)


LocalTime = Annotated[time, AfterValidator(_hhmm)]


class TemplateIn(InputModel):
    visit_type_id: Slug
    weekdays: Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(min_length=1, max_length=7)]
    start_time: LocalTime
    end_time: LocalTime
    valid_from: ScheduleDate
    valid_until: ScheduleDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> TemplateIn:
        if self.start_time >= self.end_time:
            raise ValueError("end_time must be after start_time")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until must not be before valid_from")
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError("weekdays must not repeat")
        return self


class BlockIn(InputModel):
    """Start and end in local clinic time when no offset is given."""

    start: LocalScheduleDateTime
    end: LocalScheduleDateTime
    label: ShortText = "Unavailable"

    @model_validator(mode="after")
    def _ordered(self) -> BlockIn:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("give both times with an offset, or both without")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class SlotSearchQuery(InputModel):
    visit_type: Slug | None = Field(None, description="Left out: the first type this patient may book online")
    provider: Slug | None = None
    # Sent as ?date=YYYY-MM-DD; named `first_day` here so the class body keeps the `date` type usable.
    first_day: ScheduleDate | None = Field(
        None, alias="date", description="First day to search (clinic time); today if left out"
    )
    days: Annotated[int, Field(ge=1, le=14)] = 7
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class BookIn(InputModel):
    slot_id: SlotId


class RescheduleIn(InputModel):
    slot_id: SlotId


class AppointmentListQuery(InputModel):
    when: Literal["upcoming", "past"] = "upcoming"
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048)] | None = None


# --- output ---


class ProviderOut(Model):
    id: str
    name: str
    credentials: str
    specialty: str


class VisitTypeOut(Model):
    id: str
    name: str
    description: str
    duration_minutes: int
    modality: Modality
    booking: BookingPolicy
    cancel_cutoff_hours: int
    can_book_online: bool = Field(description="The patient may book or request this type online")
    not_bookable_reason: str | None = None


class BookingOptionsOut(Model):
    language: Locale = Field(
        description="The language of the visit types' names, descriptions and not_bookable_reason: "
        "the one on screen (the request's Accept-Language)"
    )
    time_zone: str
    clinic_phone: str
    visit_types: list[VisitTypeOut]
    providers: list[ProviderOut]


class SlotOut(Model):
    id: str
    provider: ProviderOut
    visit_type_id: str
    starts_at: AwareDatetime = Field(description="In the clinic's time zone")
    ends_at: AwareDatetime
    modality: Modality


class SlotPage(Model):
    time_zone: str
    visit_type_id: str
    items: list[SlotOut]
    next_cursor: str | None = None


class JoinInfo(Model):
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    available_now: bool


class CheckinInfo(Model):
    status: CheckinStatus
    opens_at: AwareDatetime
    available_now: bool


class AppointmentOut(Model):
    id: str
    patient_id: str
    provider: ProviderOut
    visit_type: VisitTypeOut | None
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    time_zone: str
    modality: Modality
    status: AppointmentStatus
    cancel_deadline: AwareDatetime
    can_cancel: bool
    can_reschedule: bool
    rescheduled_from: str | None = None
    rescheduled_to: str | None = None
    join: JoinInfo | None = None
    checkin: CheckinInfo | None = None


class AppointmentPage(Model):
    items: list[AppointmentOut]
    next_cursor: str | None = None


# --- video visits ---

VideoProviderName = Literal["simulated", "chime"]


class JoinWindow(Model):
    opens_at: AwareDatetime = Field(description="In the clinic's time zone")
    closes_at: AwareDatetime


class MeetingOut(Model):
    """What the browser's meeting session needs (Chime's CreateMeeting answer, in our field names)."""

    meeting_id: str
    external_meeting_id: str
    media_region: str
    media_placement: dict[str, str]


class AttendeeOut(Model):
    """This participant's own seat in the meeting; the join token is theirs alone."""

    attendee_id: str
    external_user_id: str
    join_token: str


class VideoJoinOut(Model):
    provider: VideoProviderName = Field(description="Which meeting session the browser starts")
    state: Literal["waiting", "in_call"] = Field(
        description="waiting: the patient waits to be admitted (poll the status); in_call: join the meeting"
    )
    role: Literal["patient", "clinician"]
    window: JoinWindow
    clinic_phone: str = Field(description="To call if the connection fails")
    meeting: MeetingOut | None = None
    attendee: AttendeeOut | None = None


class VideoStatusOut(Model):
    state: Literal["not_started", "waiting", "in_call", "ended"]
    patient_waiting: bool = Field(description="The patient joined and waits to be admitted")
    admitted: bool
    clinician_joined: bool
    window: JoinWindow


# --- staff: availability ---


class SyncResult(Model):
    """What a sync did; `conflicts` are booked slots that templates or blocks no longer allow (staff act)."""

    created: int = 0
    opened: int = 0
    blocked: int = 0
    withdrawn: int = 0
    conflicts: list[str] = []


class AvailabilityOut(Model):
    provider_id: str
    time_zone: str
    templates: list[AvailabilityTemplate]
    blocks: list[Block]


class AvailabilityChangeOut(Model):
    availability: AvailabilityOut
    sync: SyncResult


# --- waitlist ---


class WaitlistIn(InputModel):
    any_provider: bool = Field(True, description="Also offer times with other providers")


class WaitlistEntryOut(Model):
    appointment_id: str
    visit_type_id: str
    any_provider: bool
    joined_at: AwareDatetime


class WaitlistLeftOut(Model):
    appointment_id: str
    waitlist: Literal["left"] = "left"


class WaitlistOffer(_Stored):
    id: str
    patient_id: str
    appointment_id: str
    provider_id: str
    visit_type_id: str
    start: datetime
    end: datetime
    offered_at: datetime
    expires_at: datetime
    status: Literal["open", "accepted"] = "open"


class WaitlistOfferOut(Model):
    id: str
    appointment_id: str
    slot_id: str
    provider: ProviderOut
    visit_type_id: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    expires_at: AwareDatetime


class WaitlistOffersOut(Model):
    items: list[WaitlistOfferOut]


# eCheck-in: what the patient confirms before a visit, and questionnaire answers shaped as FHIR
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SingleLine]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), SingleLine] | None
MemberText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), SingleLine]
# Each answer is checked against its question in the service; these bounds keep any answer storable.
Answer = (
    bool
    | Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
    | Annotated[str, StringConstraints(max_length=4000), MultiLine]
)
FormKey = Annotated[str, StringConstraints(min_length=1, max_length=64), SingleLine]


class CheckinInsuranceIn(InputModel):
    self_pay: bool = False
    carrier: OptionalText = None
    member_id: MemberText | None = None
    group_number: MemberText | None = None
    subscriber_name: OptionalText = None


class MedicationLine(InputModel):
    name: Text
    dose: OptionalText = None


class AllergyLine(InputModel):
    substance: Text
    reaction: OptionalText = None


class CheckinIn(InputModel):
    demographics_confirmed: bool = Field(
        description="The patient checked name, date of birth, address, phone"
    )
    insurance: CheckinInsuranceIn
    medications: Annotated[list[MedicationLine], Field(max_length=50)] = []
    no_medications: bool = False
    allergies: Annotated[list[AllergyLine], Field(max_length=50)] = []
    no_known_allergies: bool = False
    phone: PhoneNumber | None = Field(None, description="The phone the patient wants on file (optional)")
    email: Annotated[EmailStr, StringConstraints(max_length=254)] | None = Field(
        None, description="The email the patient wants on file (optional)"
    )
    answers: Annotated[
        dict[FormKey, Annotated[dict[FormKey, Answer], Field(max_length=200)]], Field(max_length=20)
    ] = Field(default_factory=dict, description="questionnaire id -> item link_id -> answer")

    @field_validator("phone", "email", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        # An emptied form field means "nothing to change", as in the patient profile.
        return None if isinstance(value, str) and not value.strip() else value


class DemographicsOut(Model):
    name: str
    birth_date: date
    phone: str | None
    email: str | None
    address: str | None


# What was submitted, read back as stored: the answers as FHIR R4 QuestionnaireResponses.


def _absent(value: object) -> bool:
    return value is None


def _left_out_when_absent(schema: dict[str, Any]) -> None:
    """The field is sent only when it holds a value: described without null and without a default."""
    schema.pop("default", None)
    present = [branch for branch in schema.pop("anyOf", []) if branch != {"type": "null"}]
    schema.update(*present)


def _given(alias: str | None = None) -> Any:
    return Field(None, alias=alias, exclude_if=_absent, json_schema_extra=_left_out_when_absent)


class FhirCoding(Model):
    code: str
    display: str


class FhirAnswer(Model):
    """One FHIR answer[x]: only the value that was given is sent."""

    model_config = ConfigDict(serialize_by_alias=True)

    value_boolean: bool | None = _given("valueBoolean")
    value_integer: int | None = _given("valueInteger")
    value_string: str | None = _given("valueString")
    value_date: date | None = _given("valueDate")
    value_coding: FhirCoding | None = _given("valueCoding")


class QuestionnaireResponseItem(Model):
    model_config = ConfigDict(serialize_by_alias=True)

    link_id: str = Field(alias="linkId")
    text: str
    answer: list[FhirAnswer]


class FhirReference(Model):
    reference: str


class ScoreExtension(Model):
    model_config = ConfigDict(serialize_by_alias=True)

    url: str
    value_integer: int = Field(alias="valueInteger")


class QuestionnaireResponseOut(Model):
    model_config = ConfigDict(serialize_by_alias=True)

    resource_type: Literal["QuestionnaireResponse"] = Field(alias="resourceType")
    id: str
    questionnaire: str = Field(description="Questionnaire/<id>|<version>")
    status: Literal["completed"]
    subject: FhirReference
    authored: AwareDatetime
    item: list[QuestionnaireResponseItem]
    extension: list[ScoreExtension] | None = _given()  # the total score, when the form is scored


class SubmittedInsurance(Model):
    self_pay: bool = False
    carrier: str | None = None
    member_id: str | None = None
    group_number: str | None = None
    subscriber_name: str | None = None


class SubmittedMedication(Model):
    name: str
    dose: str | None = None


class SubmittedAllergy(Model):
    substance: str
    reaction: str | None = None


class SubmittedContact(Model):
    phone: str | None = None
    email: str | None = None


class ConsentSignature(Model):
    """A consent signed at check-in: the typed name, when, and which text was signed: its version and the
    language it was shown in (signatures kept before languages were recorded were all in English)."""

    questionnaire_id: str
    questionnaire_version: str
    language: Locale = "en"
    signed_name: str
    signed_at: AwareDatetime


class CheckinSubmitted(Model):
    submitted_at: AwareDatetime
    submitted_by_role: Role
    demographics_confirmed: bool
    phone: str | None = None  # E.164, when the patient gave one
    email: str | None = None
    insurance: SubmittedInsurance
    medications: list[SubmittedMedication]
    no_medications: bool
    allergies: list[SubmittedAllergy]
    no_known_allergies: bool
    questionnaire_responses: list[QuestionnaireResponseOut]
    consents: list[ConsentSignature] = []


class CheckinOnFile(Model):
    """What the record holds now, so the form starts from it and the patient confirms or changes it."""

    insurance: SubmittedInsurance | None = Field(None, description="The primary insurance on file, if any")
    medications: list[SubmittedMedication]
    allergies: list[SubmittedAllergy]


class CheckinOut(Model):
    appointment_id: str
    status: CheckinStatus
    opens_at: AwareDatetime
    available_now: bool
    demographics: DemographicsOut
    questionnaires: list[Questionnaire]
    submitted: CheckinSubmitted | None = Field(None, description="What was submitted, if it was")
    on_file: CheckinOnFile | None = None


# The staff side of appointments: schedule views, the front-desk queue, request decisions.
# "<patient id>.<id>": staff routes carry both, so an item is found without knowing its time.
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,80}$")]


class ScheduleQuery(InputModel):
    provider: Slug | None = Field(None, description="Left out: the clinic's first provider")
    first_day: ScheduleDate | None = Field(None, alias="date", description="Clinic date; today if left out")
    days: Annotated[int, Field(ge=1, le=7)] = 1


class QueueQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class VisitEventOut(Model):
    status: VisitStep
    at: AwareDatetime
    by_name: str


class VisitStatusIn(InputModel):
    status: VisitStep
    version: Annotated[int, Field(ge=1)] | None = Field(
        None, description="The version the screen showed; left out: the current one"
    )


class VisitUndoIn(InputModel):
    version: Annotated[int, Field(ge=1, description="The version the screen showed (409 if stale)")]


class DayQuery(InputModel):
    first_day: ScheduleDate | None = Field(None, alias="date", description="Clinic date; today if left out")


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
    visit_status: VisitStatus = Field(description="The visit's step today, or cancelled")
    visit_events: list[VisitEventOut] = Field(default_factory=list)
    version: int = Field(description="Send it back when changing the status: a stale screen gets a 409")


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


class AcknowledgedOut(Model):
    ref: str
    status: Literal["done"] = "done"


class DecisionOut(Model):
    ref: str
    status: AppointmentStatus


# eCheck-in review: staff compare what the patient sent with what is on file, and accept it item by item.
ReviewKind = Literal["medication", "allergy", "insurance", "contact"]
ReviewChange = Literal["new", "changed", "same", "stopped"]
ReviewState = Literal["pending", "accepted", "declined"]


class ReviewItem(Model):
    id: str = Field(description="Stable for the same answer: a new answer is a new item")
    kind: ReviewKind
    change: ReviewChange = Field(
        description="same: it matches the record, nothing to accept; stopped: on file but left out"
    )
    action: Literal["add", "update", "stop", "none"] = Field(
        description="What accepting does to the record (none: nothing to accept)"
    )
    submitted: str = Field(description="What the patient sent, as one line")
    on_file: str | None = Field(description="What the record holds now, as one line (none: nothing)")
    state: ReviewState
    decided_by: str | None = None
    decided_at: AwareDatetime | None = None


class CheckinReviewOut(Model):
    appointment_id: str
    patient_id: str
    patient_name: str
    starts_at: AwareDatetime
    time_zone: str
    visit_type_name: str
    submitted_at: AwareDatetime
    submitted_by_role: Role
    self_pay: bool
    no_medications: bool
    no_known_allergies: bool
    items: list[ReviewItem]
    questionnaire_responses: list[QuestionnaireResponseOut]
    consents: list[ConsentSignature]


class ReviewDecisionIn(InputModel):
    decision: Literal["accept", "decline"]


class ReviewDecision(Model):
    """Stored: one per item decided (PK=PATIENT#<id>, SK=CHECKINREVIEW#<appointment>#<item>)."""

    model_config = ConfigDict(extra="ignore")

    appointment_id: str
    item_id: str
    decision: Literal["accepted", "declined"]
    decided_by: str
    decided_by_sub: str
    decided_at: datetime
    written_id: str | None = None  # the record entry or insurance it wrote


class DayVisit(Model):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    visit: ScheduledVisit


class ProviderDay(Model):
    provider: ProviderOut
    visits: list[DayVisit]


class DayOut(Model):
    date: date
    time_zone: str
    providers: list[ProviderDay]
    counts: dict[str, int] = Field(description="Visits by status across all providers")
