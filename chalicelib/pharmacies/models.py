"""A patient's saved pharmacies: where refills are sent. Chosen by id when requesting a refill."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.core.models import InputModel, Model, PhoneNumber, ShortText
from chalicelib.patients.models import Address

MAX_PHARMACIES = 10


class PharmacyIn(InputModel):
    name: ShortText
    phone: PhoneNumber
    address: Address
    ncpdp_id: (
        Annotated[str, Field(pattern=r"^\d{7}$", description="The pharmacy's 7-digit NCPDP id")] | None
    ) = None


class Pharmacy(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    name: str
    phone: str
    address: Address
    ncpdp_id: str | None = None
    created_at: datetime
    created_by: str  # display name: a caregiver or the front desk may have added it

    @property
    def one_line(self) -> str:
        a = self.address
        street = f"{a.line1}, {a.line2}" if a.line2 else a.line1
        return f"{street}, {a.city}, {a.state} {a.postal_code}"


class PharmacyOut(Model):
    id: str
    name: str
    phone: str
    address: Address
    ncpdp_id: str | None
    created_at: datetime
    created_by: str

    @classmethod
    def from_pharmacy(cls, pharmacy: Pharmacy) -> PharmacyOut:
        return cls.model_validate(pharmacy.model_dump(exclude={"patient_id"}))


class PharmacyList(Model):
    items: list[PharmacyOut]
