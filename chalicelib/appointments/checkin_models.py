"""eCheck-in: what the patient confirms before a visit, and questionnaire answers shaped as FHIR
QuestionnaireResponse resources (R4: resourceType, questionnaire, status, subject, authored, item/answer)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, StringConstraints

from chalicelib.appointments.models import CheckinStatus
from chalicelib.core.models import InputModel, Model
from chalicelib.core.scheduling import Questionnaire

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None
Answer = bool | int | str


class InsuranceIn(InputModel):
    self_pay: bool = False
    carrier: OptionalText = None
    member_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    group_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
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
    insurance: InsuranceIn
    medications: Annotated[list[MedicationLine], Field(max_length=50)] = []
    no_medications: bool = False
    allergies: Annotated[list[AllergyLine], Field(max_length=50)] = []
    no_known_allergies: bool = False
    answers: dict[str, dict[str, Answer]] = Field(
        default_factory=dict, description="questionnaire id -> item link_id -> answer"
    )


class DemographicsOut(Model):
    name: str
    birth_date: date
    phone: str | None
    email: str | None
    address: str | None


class CheckinOut(Model):
    appointment_id: str
    status: CheckinStatus
    opens_at: AwareDatetime
    available_now: bool
    demographics: DemographicsOut
    questionnaires: list[Questionnaire]
    submitted: dict[str, Any] | None = Field(
        None, description="What was submitted: insurance, medications, allergies, FHIR QuestionnaireResponses"
    )
