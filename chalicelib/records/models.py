"""The health record: problems, medications, allergies, immunizations and visits with their summaries.

Each kind has an input model (what a clinician sends), an update model (the same plus the version the
edit was based on) and a stored model (the input plus ids and bookkeeping). Stored models are also what
the API returns: they hold nothing the patient may not see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from chalicelib.core.models import (
    ClinicalDate,
    ClinicalDateTime,
    EntrySource,
    InputModel,
    Model,
    MultiLine,
    PastClinicalDate,
    SingleLine,
)
from chalicelib.core.scheduling import Modality
from chalicelib.results.models import ComponentOut

RecordKind = Literal["problem", "medication", "allergy", "immunization", "visit"]
RECORD_KINDS: tuple[RecordKind, ...] = ("problem", "medication", "allergy", "immunization", "visit")

CodeSystem = Literal["snomed", "icd10", "rxnorm", "cvx", "loinc"]
CODE_SYSTEM_URIS: dict[str, str] = {
    "snomed": "http://snomed.info/sct",
    "icd10": "http://hl7.org/fhir/sid/icd-10-cm",
    "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "cvx": "http://hl7.org/fhir/sid/cvx",
    "loinc": "http://loinc.org",
}


Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), MultiLine]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), MultiLine]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MultiLine]
FollowUp = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), MultiLine]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000), MultiLine]


class Code(InputModel):
    """A standard code for a record (SNOMED CT, ICD-10-CM, RxNorm, CVX or LOINC)."""

    system: CodeSystem
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9.\-]{1,20}$")]


class _Stored(Model):
    """Bookkeeping every stored record carries."""

    id: str
    patient_id: str
    version: int = 1
    created_at: datetime
    updated_at: datetime
    updated_by: str  # display name of the clinician, shown as "entered by"
    source: EntrySource | None = None  # set when accepted from a visit's eCheck-in; a later edit clears it
    # Marked by a clinician: never shown to a teenager's parent or guardian (core/minors.py).
    confidential: bool = False


# --- problems ------------------------------------------------------------------------------------


class ProblemIn(InputModel):
    name: Name
    code: Code | None = None
    status: Literal["active", "resolved", "inactive"] = "active"
    onset_date: PastClinicalDate | None = None
    note: Note | None = None


class ProblemUpdate(ProblemIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class Problem(ProblemIn, _Stored):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["problem"] = "problem"


# --- medications ---------------------------------------------------------------------------------


class MedicationIn(InputModel):
    name: Name
    code: Code | None = None
    dose: Text100
    instructions: Text500
    prescriber: Text100
    start_date: PastClinicalDate
    end_date: ClinicalDate | None = None
    status: Literal["active", "stopped"] = "active"

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise ValueError("cannot be before the start date")
        return value


class MedicationUpdate(MedicationIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class Medication(MedicationIn, _Stored):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["medication"] = "medication"

    @property
    def is_active(self) -> bool:
        return self.status == "active"


# --- allergies -----------------------------------------------------------------------------------


class AllergyIn(InputModel):
    substance: Name
    code: Code | None = None
    reaction: Name | None = None
    severity: Literal["mild", "moderate", "severe"] | None = None
    status: Literal["active", "inactive", "resolved"] = "active"
    noted_date: PastClinicalDate | None = None


class AllergyUpdate(AllergyIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class Allergy(AllergyIn, _Stored):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["allergy"] = "allergy"


# --- immunizations -------------------------------------------------------------------------------


class ImmunizationIn(InputModel):
    vaccine: Name
    code: Code | None = None
    date: PastClinicalDate
    dose_number: Annotated[int, Field(ge=1, le=20)] | None = None


class ImmunizationUpdate(ImmunizationIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class Immunization(ImmunizationIn, _Stored):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["immunization"] = "immunization"


# --- visits and after-visit summaries ------------------------------------------------------------


class Diagnosis(InputModel):
    name: Name
    code: Code | None = None


class VisitIn(InputModel):
    """One visit and its after-visit summary (what the patient takes home)."""

    start: ClinicalDateTime
    visit_type: Literal["office", "telehealth", "urgent_care", "hospital"] = "office"
    reason: Text300
    provider: Text100
    location: Text100 | None = None
    diagnoses: Annotated[list[Diagnosis], Field(max_length=20)] = []
    instructions: LongText = ""
    follow_up: FollowUp = ""

    @field_validator("start")
    @classmethod
    def _start_not_in_future(cls, value: datetime) -> datetime:
        if value.date() > date.today():
            raise ValueError("a date in the future is not allowed here")
        return value


class VisitUpdate(VisitIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class Visit(VisitIn, _Stored):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["visit"] = "visit"


Record = Problem | Medication | Allergy | Immunization | Visit
RecordIn = ProblemIn | MedicationIn | AllergyIn | ImmunizationIn | VisitIn

STORED_MODELS: dict[str, type[Record]] = {
    "problem": Problem,
    "medication": Medication,
    "allergy": Allergy,
    "immunization": Immunization,
    "visit": Visit,
}


class HealthSummary(Model):
    """Everything in the record at once, as the summary page and the printable summary show it."""

    patient_id: str
    problems: list[Problem]
    medications: list[Medication]
    allergies: list[Allergy]
    immunizations: list[Immunization]
    visits: list[Visit]
    some_hidden: bool = Field(
        default=False,
        description=(
            "The caller is a teenager's parent or guardian: some may be private to the patient and left"
            " out (said whether or not anything is)"
        ),
    )


# --- the export: its outline for the API document (records/export.py builds it as FHIR JSON) -------


class FhirEntry(Model):
    full_url: str = Field(alias="fullUrl")
    resource: dict[str, Any] = Field(description="A FHIR R4 resource (US Core profiles where possible)")


class FhirBundleOut(Model):
    """'Download my record': a FHIR R4 Bundle of type collection, the patient's resource first."""

    resource_type: Literal["Bundle"] = Field(alias="resourceType")
    id: str
    meta: dict[str, str]
    type: Literal["collection"]
    timestamp: AwareDatetime
    entry: list[FhirEntry]


# --- the printable health summary (records/printable.py) -------------------------------------------


class PrintedResult(Model):
    """One released result as printed: its values with reference ranges and flags (codes, put in words
    by the page in the reader's language)."""

    id: str
    name: str
    category_label: str
    collected_at: datetime
    status: Literal["final", "preliminary", "corrected"]
    components: list[ComponentOut]
    comment: str | None


class PrintedAppointment(Model):
    """An upcoming appointment as printed: when, with whom, what kind of visit and how."""

    id: str
    starts_at: AwareDatetime
    time_zone: str
    provider: str
    visit_type: str | None
    modality: Modality


class PrintableHealthSummary(Model):
    """Everything the printed health summary shows, read once and audited like the export."""

    clinic_name: str
    clinic_phone: str
    generated_at: AwareDatetime
    patient_name: str
    birth_date: date
    problems: list[Problem]
    medications: list[Medication]
    allergies: list[Allergy]
    immunizations: list[Immunization]
    results: list[PrintedResult] = Field(description="The most recent released results, newest first")
    results_total: int = Field(description="How many released results there are in all")
    visits: list[Visit] = Field(description="The most recent past visits, newest first")
    visits_total: int
    upcoming: list[PrintedAppointment] | None = Field(
        description="Upcoming appointments; null when the caller's caregiver grant does not cover them"
    )


# --- confidential items: hidden from a teenager's parent or guardian ---------------------------------

ConfidentialKind = Literal[
    "result", "document", "thread", "problem", "medication", "allergy", "immunization", "visit"
]


class ConfidentialIn(InputModel):
    kind: ConfidentialKind
    item_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")]
    confidential: bool = Field(description="true: hide from a teenager's parent or guardian; false: show")


class ConfidentialOut(Model):
    kind: ConfidentialKind
    item_id: str
    confidential: bool
    hidden: bool = Field(description="Hidden from a teenager's parent or guardian (marked, or by category)")
