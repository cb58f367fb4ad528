"""Scheduling configuration a clinic declares about itself: providers, visit types, policies, forms.

These live in the clinic file (chalicelib/core/clinic.py ClinicConfig), not in the table: they change with a
deploy, are the same for every patient, and contain no PHI. Availability (weekly templates, blocked
times) is data staff edit at run time and lives in the table (appointments/store.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field, model_validator

from chalicelib.core import i18n
from chalicelib.core.clinic_settings import ClinicLabel, ClinicLongText, ClinicQuestion, ClinicText, localize
from chalicelib.core.models import Model

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")]
Label = Annotated[str, Field(min_length=1, max_length=80)]

Modality = Literal["in_person", "video"]
# direct: the patient books; request: the patient asks, staff approve; call: shown, but booked by phone.
BookingPolicy = Literal["direct", "request", "call"]


class _Config(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provider(_Config):
    id: Slug
    name: Label
    credentials: Annotated[str, Field(max_length=40)] = ""
    specialty: Annotated[str, Field(max_length=80)] = ""
    # The care-team pool whose clinicians see this provider's video visits (join, admit). Without one, no
    # clinician may join them: who is "on the visit" is staff data an administrator manages (pools).
    care_team_pool: Slug | None = None


class Eligibility(_Config):
    """Who may book a visit type online. Staff booking for a patient is not bound by these."""

    established_only: bool = False  # has had a visit here before
    new_patients_only: bool = False
    min_age_years: Annotated[int, Field(ge=0, le=130)] | None = None
    max_age_years: Annotated[int, Field(ge=0, le=130)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Eligibility:
        if self.established_only and self.new_patients_only:
            raise ValueError("a visit type cannot be for established and new patients only at once")
        if (
            self.min_age_years is not None
            and self.max_age_years is not None
            and self.min_age_years > self.max_age_years
        ):
            raise ValueError("min_age_years is above max_age_years")
        return self


class VisitType(_Config):
    id: Slug
    name: ClinicLabel
    description: ClinicText = ""
    duration_minutes: Annotated[int, Field(ge=5, le=480)]
    modality: Modality = "in_person"
    booking: BookingPolicy = "direct"
    eligibility: Eligibility = Field(default_factory=Eligibility)
    # Patients may cancel or move online until this many hours before the start (unset: clinic default).
    cancel_cutoff_hours: Annotated[int, Field(ge=0, le=336)] | None = None
    questionnaires: list[Slug] = []  # eCheck-in forms, by Questionnaire id


class VideoSettings(_Config):
    """Virtual visits: who hosts the meeting, and when participants may join it."""

    # simulated: meetings and attendees kept in this process (laptop, tests); chime: Amazon Chime SDK.
    provider: Literal["simulated", "chime"] = "simulated"
    join_before_minutes: Annotated[int, Field(ge=0, le=120)] = 15  # before the start
    join_after_minutes: Annotated[int, Field(ge=5, le=240)] = 60  # after the start; the meeting then ends


class SchedulingSettings(_Config):
    booking_window_days: Annotated[int, Field(ge=1, le=180)] = 28  # slots exist this far ahead
    min_notice_minutes: Annotated[int, Field(ge=0, le=10080)] = 60  # no online booking closer than this
    cancel_cutoff_hours: Annotated[int, Field(ge=0, le=336)] = 24
    checkin_opens_days: Annotated[int, Field(ge=0, le=30)] = 7
    reminder_hours_before: Annotated[int, Field(ge=1, le=168)] = 24
    waitlist_offer_minutes: Annotated[int, Field(ge=5, le=1440)] = 120
    waitlist_offer_batch: Annotated[int, Field(ge=1, le=20)] = 3
    video: VideoSettings = Field(default_factory=VideoSettings)
    # Where the front-desk digest goes (the clinic's email when unset). Never receives PHI.
    front_desk_email: EmailStr | None = None


# --- eCheck-in questionnaires, shaped after FHIR Questionnaire (a subset) ---

ItemType = Literal["display", "string", "text", "boolean", "integer", "date", "choice", "signature"]


LinkId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]


class AnswerOption(_Config):
    code: LinkId
    display: ClinicLabel
    score: int | None = None  # e.g. PHQ-9 item scores


class EnableWhen(_Config):
    """Show an item only when earlier answers meet a condition (FHIR enableWhen, simplified).

    PHQ-9 uses it: items 3-9 appear when the PHQ-2 score (items 1-2) is 3 or more.
    """

    questions: Annotated[list[LinkId], Field(min_length=1, max_length=20)]
    score_at_least: int | None = None  # sum of the chosen options' scores
    answer_code: Annotated[str, Field(max_length=40)] | None = None  # the one question answered so

    @model_validator(mode="after")
    def _one_condition(self) -> EnableWhen:
        if (self.score_at_least is None) == (self.answer_code is None):
            raise ValueError("give exactly one of score_at_least and answer_code")
        if self.answer_code is not None and len(self.questions) != 1:
            raise ValueError("answer_code applies to exactly one question")
        return self


class QuestionnaireItem(_Config):
    link_id: LinkId
    text: ClinicQuestion
    type: ItemType
    required: bool = False
    options: list[AnswerOption] = []
    max_length: Annotated[int, Field(ge=1, le=4000)] = 1000
    must_be_true: bool = False  # consent checkboxes: only "yes" lets the form through
    enable_when: EnableWhen | None = None

    @model_validator(mode="after")
    def _options_only_for_choice(self) -> QuestionnaireItem:
        if (self.type == "choice") != bool(self.options):
            raise ValueError("choice items need options, and only choice items may have them")
        return self


class Questionnaire(_Config):
    id: Slug
    title: ClinicLabel
    description: ClinicLongText = ""
    # One version covers the text in every language: a signature keeps the version and the language.
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z.-]{1,20}$")] = "1"
    items: Annotated[list[QuestionnaireItem], Field(min_length=1)]

    def in_locale(self, locale: i18n.Locale) -> Questionnaire:
        """This form as a person reading `locale` sees it (English where the clinic wrote no translation)."""
        items = [
            item.model_copy(
                update={
                    "text": localize(item.text, locale),
                    "options": [
                        o.model_copy(update={"display": localize(o.display, locale)}) for o in item.options
                    ],
                }
            )
            for item in self.items
        ]
        return self.model_copy(
            update={
                "title": localize(self.title, locale),
                "description": localize(self.description, locale),
                "items": items,
            }
        )

    @model_validator(mode="after")
    def _unique_link_ids(self) -> Questionnaire:
        ids = [item.link_id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("questionnaire item link_ids must be unique")
        earlier: set[str] = set()
        for item in self.items:
            if item.enable_when and not set(item.enable_when.questions) <= earlier:
                raise ValueError("enable_when must refer to earlier items")
            earlier.add(item.link_id)
        return self


def check_scheduling_references(
    providers: list[Provider], visit_types: list[VisitType], questionnaires: list[Questionnaire]
) -> None:
    """Ids unique, and every questionnaire a visit type names exists. Raises ValueError."""
    for kind, ids in (
        ("providers", [p.id for p in providers]),
        ("visit_types", [v.id for v in visit_types]),
        ("questionnaires", [q.id for q in questionnaires]),
    ):
        if len(ids) != len(set(ids)):
            raise ValueError(f"{kind} ids must be unique")
    known = {q.id for q in questionnaires}
    for visit_type in visit_types:
        missing = set(visit_type.questionnaires) - known
        if missing:
            raise ValueError(f"visit type {visit_type.id} names unknown questionnaires")
