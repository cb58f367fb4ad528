"""Prescription refill requests: a patient asks, a clinician approves or denies with a note.

At most one open request per medication: enforced in DynamoDB by a guard item written in the same
transaction as the request (see refills/store.py), so two clicks or two caregivers cannot both succeed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from chalicelib.core.models import InputModel, Model, MultiLine, OpaqueId, SingleLine

RefillStatus = Literal["open", "approved", "denied"]
Decision = Literal["approve", "deny"]

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), MultiLine]
DecisionNote = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MultiLine]


class RefillIn(InputModel):
    medication_id: OpaqueId
    pharmacy_id: OpaqueId
    note: Note = ""


class PrescriptionIn(InputModel):
    """What an approval sends to the pharmacy: the drug, dose, quantity, refills and one saved pharmacy."""

    drug: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]
    dose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine]
    quantity: Annotated[int, Field(ge=1, le=1000, description="Units to dispense (tablets, mL...)")]
    refills: Annotated[int, Field(ge=0, le=11, description="Refills after this fill")]
    pharmacy_id: OpaqueId


class RefillDecisionIn(InputModel):
    decision: Decision
    note: DecisionNote = ""
    prescription: PrescriptionIn | None = Field(None, description="Required to approve")

    @model_validator(mode="after")
    def _denial_says_why(self) -> RefillDecisionIn:
        if self.decision == "deny" and not self.note:
            raise ValueError("say why the refill is denied: the patient reads this note")
        if self.decision == "approve" and self.prescription is None:
            raise ValueError("an approval needs the prescription: drug, dose, quantity, refills and pharmacy")
        return self


class PharmacySnapshot(Model):
    """The pharmacy as it was when the request was made (it may be removed from the profile later)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    name: str
    phone: str
    address: str


class Prescription(Model):
    """The approved prescription as sent (the pharmacy as it was then)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    drug: str
    dose: str
    quantity: int
    refills: int
    pharmacy: PharmacySnapshot
    ncpdp_id: str | None = None


class RefillRequest(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    patient_name: str
    medication_id: str
    medication_name: str
    medication_dose: str
    pharmacy: PharmacySnapshot
    note: str = ""
    status: RefillStatus = "open"
    requested_at: datetime
    requested_by_name: str
    decided_at: datetime | None = None
    decided_by_name: str | None = None
    decision_note: str | None = None
    prescription: Prescription | None = None
    version: int = 1


class RefillOut(Model):
    id: str
    patient_id: str
    patient_name: str
    medication_id: str
    medication_name: str
    medication_dose: str
    pharmacy: PharmacySnapshot
    note: str
    status: RefillStatus
    requested_at: datetime
    requested_by_name: str
    decided_at: datetime | None
    decided_by_name: str | None
    decision_note: str | None
    prescription: Prescription | None = None

    @classmethod
    def from_request(cls, request: RefillRequest) -> RefillOut:
        return cls.model_validate(request.model_dump(exclude={"version"}))


class PrescriptionSummaryOut(Model):
    """The printable prescription request for the pharmacy: what it needs to identify the patient and fill
    the prescription, nothing more (no notes, no other medications or conditions)."""

    request_id: str
    patient_name: str
    patient_birth_date: date
    drug: str
    dose: str
    quantity: int
    refills: int
    pharmacy: PharmacySnapshot
    ncpdp_id: str | None
    prescriber: str
    approved_at: datetime


class RefillPage(Model):
    items: list[RefillOut]
    next_cursor: str | None = None


# Query strings of refills/routes.py (kept here so that importing the routes creates no model).
class RefillPageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2048)] | None = None
