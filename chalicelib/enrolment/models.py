"""Registration, invitations, activation and self-registration requests: inputs, outputs, stored items."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from chalicelib.core.i18n import Locale
from chalicelib.core.identity import Role
from chalicelib.core.models import BirthDate, InputModel, Model, PersonName, PhoneNumber, SingleLine
from chalicelib.patients.models import Address, Language, Sex
from chalicelib.proxies.models import ProxyRelationship, ProxyScope

Mrn = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
]
Email = Annotated[EmailStr, StringConstraints(max_length=254)]
InvitationKind = Literal["self", "caregiver"]
Delivery = Literal["email", "letter"]
InvitationStatus = Literal["pending", "used", "revoked", "expired", "locked"]

# Codes are typed from paper: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. Grouped for reading ("K7RX-M3QD-WP").
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 10
MAX_ATTEMPTS = 5


def normalize_code(text: str) -> str:
    """What a person typed, as stored: upper case, without the spaces and dashes between groups."""
    return re.sub(r"[\s-]", "", text).upper()


ActivationCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), SingleLine
]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=128, pattern=r"^[A-Za-z0-9._@+-]+$"),
    Field(description="Letters, digits and . _ @ + - (an email address is fine)"),
]
SecondFact = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
    SingleLine,
    Field(description="The clinic's second fact: the ZIP code on file, or the last four digits of the phone"),
]


def _password(value: str) -> str:
    if len(value) < 12:
        raise ValueError("use at least 12 characters")
    if not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)):
        raise ValueError("use upper- and lower-case letters and a number")
    if not re.search(r"[^A-Za-z0-9]", value):
        raise ValueError("use at least one symbol")
    return value


# --- registration ------------------------------------------------------------------------------------


class LegalNameIn(InputModel):
    given: PersonName
    family: PersonName


class RegistrationIn(InputModel):
    legal_name: LegalNameIn
    birth_date: BirthDate
    sex: Sex
    phone: PhoneNumber | None = None
    email: Email | None = None
    address: Address | None = None
    mrn: Mrn | None = Field(default=None, description="The clinic's medical record number, if it has one")
    preferred_language: Language | None = Field(default=None, description="English when left out")
    not_a_duplicate: bool = Field(
        default=False,
        description="The front desk checked that a patient with the same name and birth date is someone else",
    )

    @field_validator("phone", "email", "mrn", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class RegisteredPatient(Model):
    id: str
    display_name: str
    created: bool = Field(description="False when the MRN was already registered (an importer's re-run)")


class DuplicateOut(Model):
    """The existing record a registration would have doubled (answered with 409)."""

    id: str
    display_name: str
    matched_by: Literal["mrn", "name_and_birth_date"]


# --- invitations ---------------------------------------------------------------------------------------


class InvitationIn(InputModel):
    kind: InvitationKind = "self"
    delivery: Delivery
    email: Email | None = Field(default=None, description="Where to send it; the patient's email if omitted")
    caregiver_name: PersonName | None = None
    relationship: ProxyRelationship | None = None

    @field_validator("email", "caregiver_name", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class Invitation(Model):
    """One invitation as stored on the patient's partition (INVITE#<id>); the code only as a hash."""

    model_config = ConfigDict(extra="ignore")

    id: str
    patient_id: str
    kind: InvitationKind
    delivery: Delivery
    email: str | None = None
    caregiver_name: str | None = None
    relationship: ProxyRelationship | None = None
    code_hash: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    state: Literal["pending", "used", "revoked"] = "pending"
    failed_attempts: int = 0
    claimed_username: str | None = None
    account_sub: str | None = None
    used_at: datetime | None = None
    # A caregiver invitation a patient made themself: the grant's scope and end, and who invited.
    scope: ProxyScope | None = None
    access_ends_at: datetime | None = None
    invited_by_role: Role | None = None

    def status(self, now: datetime) -> InvitationStatus:
        if self.state != "pending":
            return self.state
        if self.failed_attempts >= MAX_ATTEMPTS:
            return "locked"
        return "expired" if now >= self.expires_at else "pending"


class InvitationOut(Model):
    id: str
    kind: InvitationKind
    delivery: Delivery
    email: str | None
    caregiver_name: str | None
    relationship: ProxyRelationship | None
    created_at: datetime
    expires_at: datetime
    status: InvitationStatus
    locked: bool = Field(description="Too many wrong answers: the code no longer works; send a new one")
    failed_attempts: int

    @classmethod
    def from_invitation(cls, invitation: Invitation, now: datetime) -> InvitationOut:
        status = invitation.status(now)
        return cls(
            id=invitation.id,
            kind=invitation.kind,
            delivery=invitation.delivery,
            email=invitation.email,
            caregiver_name=invitation.caregiver_name,
            relationship=invitation.relationship,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            status=status,
            locked=status == "locked",
            failed_attempts=invitation.failed_attempts,
        )


class IssuedInvitation(Model):
    """A new invitation with its code: shown once (email sent, or the letter printed) and never again."""

    invitation: InvitationOut
    code: str = Field(description="Grouped for reading, e.g. K7RX-M3QD-WP")
    email_sent: bool
    letter_html: str | None = Field(
        default=None, description="The printable activation letter (letter delivery)"
    )


class InvitationList(Model):
    items: list[InvitationOut]


# --- activation (public) -------------------------------------------------------------------------------


class ActivationCheckIn(InputModel):
    code: ActivationCode
    birth_date: BirthDate
    second_fact: SecondFact


class ActivationCompleteIn(ActivationCheckIn):
    username: Username
    # Any characters (a passphrase may hold anything); the pool's policy, checked before Cognito sees it.
    password: Annotated[str, StringConstraints(max_length=256), AfterValidator(_password)]
    preferred_language: Locale | None = Field(
        None, description="The language of the page; saved as the patient's preferred language"
    )


class ActivationCheckOut(Model):
    ok: Literal[True] = True
    kind: InvitationKind
    first_name: str = Field(
        description="Whose invitation it is (the patient's or the caregiver's first name)"
    )


class ActivationOut(Model):
    username: str
    patient_id: str


class ActivationSettingsOut(Model):
    second_fact: Literal["postal_code", "phone_last_four"]
    self_registration: bool


# --- self-registration requests --------------------------------------------------------------------------


class RegistrationRequestIn(InputModel):
    legal_name: LegalNameIn
    birth_date: BirthDate
    sex: Sex
    email: Email
    phone: PhoneNumber | None = None
    address: Address | None = None
    preferred_language: Locale | None = Field(
        None, description="The language of the page; the new patient's preferred language if registered"
    )

    @field_validator("phone", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class RegistrationRequest(Model):
    model_config = ConfigDict(extra="ignore")

    id: str
    legal_name: LegalNameIn
    birth_date: date
    sex: Sex
    email: str
    phone: str | None = None
    address: Address | None = None
    preferred_language: Locale | None = None
    submitted_at: datetime
    state: Literal["open", "matched", "registered", "declined"] = "open"
    patient_id: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None


class RegistrationRequestReceived(Model):
    received: Literal[True] = True


class RegistrationRequestOut(RegistrationRequest):
    pass


class RegistrationRequestList(Model):
    items: list[RegistrationRequestOut]
    next_cursor: str | None = None


class RegistrationDecisionIn(InputModel):
    decision: Literal["match", "register", "decline"]
    patient_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{1,200}$")] | None = Field(
        default=None, description="The existing record (decision 'match')"
    )


class PageQuery(InputModel):
    cursor: Annotated[str, Field(max_length=2048)] | None = None


# --- bulk import of existing patients ----------------------------------------------------------------

ImportFormat = Literal["csv", "fhir"]
PatientRef = Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{1,200}$")]
# One request carries one chunk of a file: a Lambda call has 30 s and the body 1 MB.
MAX_IMPORT_ROWS = 500
MAX_INVITES_PER_REQUEST = 100


class PatientImportIn(InputModel):
    format: ImportFormat
    content: Annotated[str, Field(min_length=1, max_length=900_000)] = Field(
        description="CSV text with its header line, or a FHIR R4 Bundle of Patient resources (JSON)"
    )
    first_row: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description=(
            "Where this chunk starts in the whole file, so the report names the file's own rows: CSV, the "
            "line number of the first row after the header (default 2); FHIR, the first entry's number "
            "(default 1)"
        ),
    )
    dry_run: bool = Field(default=True, description="Check and report only; nothing is written")
    file_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SingleLine]
        | None
    ) = Field(default=None, description="The file's name, for the admin audit")


class ImportRejected(Model):
    row: int = Field(description="The CSV line number, or the Bundle entry number")
    reason: str


class ImportExisting(Model):
    row: int
    patient_id: str
    matched_by: Literal["mrn", "name_and_birth_date"]


class ImportCreated(Model):
    row: int
    patient_id: str
    has_email: bool = Field(description="An invitation can be emailed to this patient")


class PatientImportOut(Model):
    dry_run: bool
    numbered_by: Literal["line", "entry"] = Field(description="What `row` counts: CSV lines or entries")
    read: int = Field(description="Rows in this chunk (blank CSV lines left out)")
    accepted: int = Field(description="Rows that are valid: new patients plus those already registered")
    new: int = Field(description="Patients created (or, in a dry run, that would be created)")
    new_with_email: int
    created: list[ImportCreated] = Field(description="The patients created (empty in a dry run)")
    already_registered: list[ImportExisting]
    rejected: list[ImportRejected]


class ImportInvitationsIn(InputModel):
    patient_ids: list[PatientRef] = Field(min_length=1, max_length=MAX_INVITES_PER_REQUEST)


class ImportNotInvited(Model):
    patient_id: str
    reason: str


class ImportInvitationsOut(Model):
    sent: list[str]
    not_sent: list[ImportNotInvited] = Field(
        description="Skipped: no email, nothing to activate with, or sent before"
    )
    remaining: list[str] = Field(
        description="Not tried yet (this call's time ran out, or today's sending quota): send them again"
    )
    quota_left: int | None = Field(description="Emails SES still allows in the last 24 hours; null: no limit")
    max_per_second: float = Field(description="SES's sending rate, the pace invitations go out at")
