"""Test results, their release to the patient, and the patient's own release preferences.

Release rules (21st Century Cures Act, 45 CFR 171): a result is released to the patient as soon as it is
entered. Only two things can delay it, each bounded in time: the patient's own choice for a category
("let my clinician review these with me first", up to a maximum wait they pick), and a clinician's hold of
one result with a documented reason (the "preventing harm" exception). A clinic configures categories and
their wording, never a blanket delay.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)

from chalicelib.core.clinic_settings import CategoryId
from chalicelib.core.models import (
    ClinicalDateTime,
    InputModel,
    Model,
    MultiLine,
    ScheduleDateTime,
    SingleLine,
)

LoincCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,7}-[0-9]$")]
Number = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=18, decimal_places=6)]

MAX_HOLD_DAYS = 30  # an individual hold is time-limited; longer needs a new, documented decision


# --- patient preferences -------------------------------------------------------------------------


class CategoryPreference(InputModel):
    review_first: bool = False
    max_wait_days: Annotated[int, Field(ge=1, le=30)] = 7


class ResultPreferences(Model):
    """The patient's choices, stored in their own item (PATIENT#<id> / PREFS#RESULTS)."""

    model_config = ConfigDict(extra="ignore")

    patient_id: str
    categories: dict[str, CategoryPreference] = {}
    version: int = 0  # 0: never saved
    updated_at: datetime | None = None
    updated_by: str | None = None


class ResultPreferencesIn(InputModel):
    version: Annotated[
        int, Field(ge=0, description="The version you edited (0 the first time; 409 if stale)")
    ]
    categories: Annotated[dict[CategoryId, CategoryPreference], Field(max_length=30)]


class CategoryPreferenceOut(Model):
    id: str
    label: str
    description: str
    review_first_prompt: str
    allow_review_first: bool
    max_wait_days_limit: int
    review_first: bool
    max_wait_days: int


class ResultPreferencesOut(Model):
    version: int
    categories: list[CategoryPreferenceOut]
    updated_at: datetime | None = None


# --- results and their components ----------------------------------------------------------------

Flag = Literal["normal", "low", "high", "critical_low", "critical_high", "abnormal"]

FLAG_TEXT: dict[str, str] = {
    "normal": "Within the normal range",
    "low": "Below the normal range",
    "high": "Above the normal range",
    "critical_low": "Far below the normal range (critical)",
    "critical_high": "Far above the normal range (critical)",
    "abnormal": "Outside the normal result",
}

_SEVERITY: dict[str | None, int] = {
    None: 0,
    "normal": 0,
    "abnormal": 1,
    "low": 1,
    "high": 1,
    "critical_low": 2,
    "critical_high": 2,
}


class ComponentIn(InputModel):
    """One measured or reported value of a result (a LOINC-coded observation)."""

    code: LoincCode | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SingleLine]
    value: Number | None = None
    value_text: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), MultiLine]
        | None
    ) = None
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), SingleLine] | None = None
    ref_low: Number | None = None
    ref_high: Number | None = None
    ref_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80), SingleLine] | None = (
        None
    )
    critical_low: Number | None = None
    critical_high: Number | None = None
    flag: Flag | None = None  # the lab's own interpretation; computed from the ranges when left out

    @model_validator(mode="after")
    def _consistent(self) -> ComponentIn:
        if (self.value is None) == (self.value_text is None):
            raise ValueError("give either a numeric value or a text value")
        measured = any(v is not None for v in (self.unit, self.ref_low, self.ref_high))
        if measured and self.value is None:
            raise ValueError("a number is required for a value with a unit or a reference range")
        if self.ref_low is not None and self.ref_high is not None and self.ref_low > self.ref_high:
            raise ValueError("ref_low cannot be above ref_high")
        return self

    def resolved_flag(self) -> Flag | None:
        """The lab's flag if it sent one, else what the reference and critical ranges say."""
        if self.flag is not None or self.value is None:
            return self.flag
        value = self.value
        if self.critical_low is not None and value < self.critical_low:
            return "critical_low"
        if self.critical_high is not None and value > self.critical_high:
            return "critical_high"
        if self.ref_low is not None and value < self.ref_low:
            return "low"
        if self.ref_high is not None and value > self.ref_high:
            return "high"
        if self.ref_low is not None or self.ref_high is not None:
            return "normal"
        return None


class Component(ComponentIn):
    model_config = ConfigDict(extra="ignore")


class HoldIn(InputModel):
    """A clinician's hold of one result: why (documented harm) and until when (at most 30 days)."""

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=1000), MultiLine
    ]
    until: ScheduleDateTime


class Hold(Model):
    reason: str
    until: datetime
    by_sub: str
    by_name: str
    at: datetime


class ResultIn(InputModel):
    """A result as a clinician enters it (or as an import file provides it)."""

    category: CategoryId
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]
    code: LoincCode | None = None
    collected_at: ClinicalDateTime
    status: Literal["final", "preliminary", "corrected"] = "final"
    ordered_by: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), SingleLine] | None
    ) = None
    performer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), SingleLine] | None = (
        None
    )
    components: Annotated[list[ComponentIn], Field(min_length=1, max_length=60)]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MultiLine] | None = (
        None
    )
    hold: HoldIn | None = None

    @field_validator("collected_at")
    @classmethod
    def _not_in_future(cls, value: datetime) -> datetime:
        if value > datetime.now(UTC):
            raise ValueError("a collection time in the future is not allowed")
        return value


class Result(Model):
    """A result as stored. `visible_from` is the moment the patient may see it (entry time by default)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    patient_id: str
    category: str
    name: str
    code: str | None = None
    collected_at: datetime
    status: Literal["final", "preliminary", "corrected"] = "final"
    ordered_by: str | None = None
    performer: str | None = None
    components: list[Component]
    source: Literal["entered", "fhir_import", "csv_import"] = "entered"
    entered_at: datetime
    entered_by: str
    visible_from: datetime
    review_wait_until: datetime | None = None  # the patient's own "review first" choice
    hold: Hold | None = None
    released_at: datetime | None = None  # set when a clinician or the clock ended a delay
    released_by: str | None = None
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    comment: str | None = None
    comment_at: datetime | None = None
    opened_at: datetime | None = None  # first opened by the patient or a caregiver: "new" until then
    notified_at: datetime | None = None
    # Marked by a clinician: never shown to a teenager's parent or guardian (core/minors.py).
    confidential: bool = False
    version: int = 1

    def is_visible(self, now: datetime) -> bool:
        return self.visible_from <= now

    def release_state(self, now: datetime) -> Literal["released", "held", "awaiting_review"]:
        if self.is_visible(now):
            return "released"
        if self.hold is not None and self.hold.until > now:
            return "held"
        return "awaiting_review"

    def worst_flag(self) -> Flag | None:
        flags = [c.resolved_flag() for c in self.components]
        return max(flags, key=lambda f: _SEVERITY[f], default=None)


# --- what callers see ----------------------------------------------------------------------------


class ComponentOut(Model):
    code: str | None
    name: str
    value: float | None
    value_text: str | None
    unit: str | None
    ref_low: float | None
    ref_high: float | None
    ref_text: str | None
    flag: Flag | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def flag_text(self) -> str | None:
        """The flag in plain words, shown next to the number."""
        return FLAG_TEXT[self.flag] if self.flag else None

    @classmethod
    def from_component(cls, component: Component) -> ComponentOut:
        def num(value: Decimal | None) -> float | None:
            return float(value) if value is not None else None

        return cls(
            code=component.code,
            name=component.name,
            value=num(component.value),
            value_text=component.value_text,
            unit=component.unit,
            ref_low=num(component.ref_low),
            ref_high=num(component.ref_high),
            ref_text=component.ref_text,
            flag=component.resolved_flag(),
        )


class ReleaseOut(Model):
    """Staff only: where a result is in its release."""

    state: Literal["released", "held", "awaiting_review"]
    visible_from: datetime
    review_wait_until: datetime | None
    hold_reason: str | None
    hold_until: datetime | None
    held_by: str | None
    released_at: datetime | None
    released_by: str | None
    notified_at: datetime | None


class ResultSummaryOut(Model):
    id: str
    name: str
    category: str
    category_label: str
    collected_at: datetime
    status: str
    is_new: bool
    reviewed: bool
    has_comment: bool
    abnormal_count: int
    worst_flag: Flag | None
    release: ReleaseOut | None = None
    confidential: bool = Field(
        default=False, description="Hidden from a teenager's parent or guardian (marked, or by category)"
    )


class ResultOut(ResultSummaryOut):
    code: str | None
    ordered_by: str | None
    performer: str | None
    components: list[ComponentOut]
    reviewed_at: datetime | None
    reviewed_by: str | None
    comment: str | None
    comment_at: datetime | None


class ResultPage(Model):
    items: list[ResultSummaryOut]
    next_cursor: str | None = None
    some_hidden: bool = Field(
        default=False,
        description=(
            "The caller is a teenager's parent or guardian: some may be private to the patient and left"
            " out (said whether or not anything is)"
        ),
    )


class TrendPoint(Model):
    result_id: str
    collected_at: datetime
    value: float
    unit: str | None
    ref_low: float | None
    ref_high: float | None
    flag: Flag | None


class TrendComponent(Model):
    code: str
    name: str
    unit: str | None
    count: int


class TrendOut(Model):
    code: str | None
    name: str | None
    unit: str | None
    points: list[TrendPoint]  # oldest first, ready to draw
    available: list[TrendComponent] = []  # without a code: every component that can be charted


class ReviewIn(InputModel):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MultiLine] | None = (
        None
    )
    release: bool = Field(False, description="Also release the result to the patient now")


class ResultImportIn(InputModel):
    format: Literal["fhir", "csv"]
    content: Annotated[str, Field(min_length=1, max_length=512_000)]
    category: CategoryId | None = Field(None, description="CSV only: category for rows that name none")


class ImportOut(Model):
    imported: int
    result_ids: list[str]


class WorkListItem(Model):
    result_id: str
    patient_id: str
    patient_name: str
    name: str
    category: str
    collected_at: datetime
    entered_at: datetime
    state: Literal["released", "held", "awaiting_review"]
    visible_from: datetime
    hold_reason: str | None
    hold_until: datetime | None
    held_by: str | None


class UnreviewedResult(Model):
    """A result waiting for a clinician's review, as the queue lists it (kept on the result's pointer)."""

    model_config = ConfigDict(extra="ignore")

    result_id: str
    patient_id: str
    name: str
    category: str
    collected_at: datetime
    entered_at: datetime
    worst_flag: Flag | None
    abnormal_count: int


class WorkListPage(Model):
    items: list[WorkListItem]
    next_cursor: str | None = None


# Query strings of results/routes.py (kept here so that importing the routes creates no model).
class ResultPageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class TrendQuery(InputModel):
    code: LoincCode | None = None
