"""Patient demographics and contact information."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from chalicelib.core.models import InputModel, Model, PhoneNumber, ShortText

US_STATES = frozenset(
    (
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
        "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI"
    ).split()
)

Language = Literal["en", "es", "zh", "vi", "ko", "tl", "ar", "fr", "ru", "ht", "pt", "de"]
ContactMethod = Literal["email", "phone", "sms", "portal"]


def _us_state(value: str) -> str:
    if value not in US_STATES:
        raise ValueError("not a US state or territory code")
    return value


StateCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_us_state)]


def _zip_code(value: str) -> str:
    if not re.fullmatch(r"\d{5}(-\d{4})?", value):
        raise ValueError("enter a 5-digit ZIP code (or ZIP+4)")
    return value


PostalCode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_zip_code)]


class LegalName(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    given: str
    family: str


class Address(InputModel):
    line1: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    state: StateCode
    postal_code: PostalCode
    country: Literal["US"] = "US"


class EmergencyContact(InputModel):
    name: ShortText
    relationship: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    phone: PhoneNumber


class CommunicationPreferences(InputModel):
    email_notifications: bool = True
    sms_notifications: bool = False
    preferred_contact_method: ContactMethod = "portal"


class PatientProfile(Model):
    """A patient's demographics as stored and as shown to those allowed to see them."""

    model_config = ConfigDict(extra="ignore")

    id: str
    legal_name: LegalName
    birth_date: date
    preferred_name: str | None = None
    pronouns: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    preferred_language: Language = "en"
    emergency_contact: EmergencyContact | None = None
    communication: CommunicationPreferences = Field(default_factory=CommunicationPreferences)
    version: int = 1
    updated_at: datetime

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.legal_name.given} {self.legal_name.family}"


class ProfileUpdate(InputModel):
    """A partial update. Fields left out stay as they are; null clears an optional field.

    Legal name and birth date are not here on purpose: changing them is a front-desk identity task.
    """

    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]
    preferred_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = None
    pronouns: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] | None = None
    phone: PhoneNumber | None = None
    email: Annotated[EmailStr, StringConstraints(max_length=254)] | None = None
    address: Address | None = None
    preferred_language: Language | None = None
    emergency_contact: EmergencyContact | None = None
    communication: CommunicationPreferences | None = None

    @field_validator("preferred_name", "pronouns", "phone", "email", mode="before")
    @classmethod
    def _blank_clears(cls, value: object) -> object:
        # A form field emptied by the user arrives as "": that means "remove it", not "invalid".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("preferred_language", "communication", mode="before")
    @classmethod
    def _not_clearable(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be changed but not removed")
        return value

    def changes(self) -> dict[str, object]:
        """Only what the client sent (address and emergency contact are replaced whole)."""
        return self.model_dump(include=self.model_fields_set - {"version"}, mode="json")
