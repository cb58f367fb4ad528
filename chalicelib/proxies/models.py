"""Proxy (caregiver) access: who may act for a patient, granted by the front desk, revocable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field, StringConstraints, field_validator

from chalicelib.core.identity import AREAS, Access, Area, Role, Scope
from chalicelib.core.models import InputModel, Model, MultiLine, PersonName, ScheduleDate, SingleLine

# What the caregiver is to the patient. Access itself is always the "caregiver" Relationship; this is
# what the patient and the front desk see. Links written before it existed read as "other".
ProxyRelationship = Literal["parent", "guardian", "spouse", "adult_child", "other"]
ProxyStatus = Literal["active", "expired"]

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128), SingleLine]
VerificationNote = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), MultiLine
]


class ProxyScope(Model):
    """What a grant covers: the whole record ("full") or the areas chosen; "read" only looks."""

    areas: Literal["full"] | list[Area] = Field(
        default="full", description='"full" for the whole record, or the areas the caregiver may use'
    )
    access: Access = Field(default="act", description='"read": look only; "act": also act on their behalf')

    @field_validator("areas")
    @classmethod
    def _some_areas(cls, areas: Literal["full"] | list[Area]) -> Literal["full"] | list[Area]:
        if areas == "full":
            return areas
        if not areas:
            raise ValueError('choose at least one area, or "full"')
        return [area for area in AREAS if area in areas]  # one order, no repeats

    def to_scope(self) -> Scope:
        return Scope(areas=None if self.areas == "full" else frozenset(self.areas), access=self.access)

    @classmethod
    def of(cls, scope: Scope) -> ProxyScope:
        areas = "full" if scope.areas is None else [area for area in AREAS if area in scope.areas]
        return cls(areas=areas, access=scope.access)


class ProxyGrant(Model):
    """One caregiver link as stored on the patient's partition (PROXY#<sub>)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    patient_id: str
    sub: str
    display_name: str
    relationship: ProxyRelationship
    granted_at: datetime
    granted_by_role: Role | None = None
    expires_at: datetime | None = None
    scope: ProxyScope = ProxyScope()
    # A parent's or guardian's grant on a minor's record ends when the patient comes of age (local midnight).
    adult_at: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


class ProxyGrantIn(InputModel):
    username: Username
    relationship: ProxyRelationship
    expires_on: ScheduleDate | None = Field(
        default=None, description="Last day of access (clinic time zone); omit for no end date"
    )
    verification_note: VerificationNote = Field(
        description="How identity and authority were checked; kept in the audit trail only"
    )
    scope: ProxyScope = Field(default_factory=ProxyScope, description="What the caregiver may use")


class ProxyOut(Model):
    sub: str
    display_name: str
    relationship: ProxyRelationship
    granted_at: datetime
    granted_by_role: Role | None
    expires_at: datetime | None
    status: ProxyStatus
    scope: ProxyScope

    @classmethod
    def from_grant(cls, grant: ProxyGrant, now: datetime) -> ProxyOut:
        return cls(
            sub=grant.sub,
            display_name=grant.display_name,
            relationship=grant.relationship,
            granted_at=grant.granted_at,
            granted_by_role=grant.granted_by_role,
            expires_at=grant.expires_at,
            status="active" if grant.is_active(now) else "expired",
            scope=grant.scope,
        )


class ProxyList(Model):
    items: list[ProxyOut]


# --- the patient's own invitations and changes ---

CaregiverEmail = Annotated[EmailStr, StringConstraints(max_length=254)]
# Invitation codes as printed (K7RX-M3QD-WP) or typed loosely; enrolment normalizes them.
InvitationCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=4, max_length=40), SingleLine
]


class CaregiverInviteIn(InputModel):
    """An adult patient asks someone to help with their care: by email, with a scope and an end date."""

    caregiver_name: PersonName
    email: CaregiverEmail
    relationship: ProxyRelationship
    scope: ProxyScope
    expires_on: ScheduleDate | None = Field(
        default=None, description="Last day of access (clinic time zone); omit for no end date"
    )


class CaregiverInvitationOut(Model):
    id: str
    caregiver_name: str
    email: str
    relationship: ProxyRelationship
    scope: ProxyScope
    access_ends_at: datetime | None
    created_at: datetime
    expires_at: datetime = Field(description="When the invitation's code stops working")
    email_sent: bool


class PendingInvitationOut(Model):
    """An invitation the patient sent that nobody has accepted yet (it may have run out: `status`)."""

    id: str
    caregiver_name: str
    email: str = Field(description="The address typed, masked for the screen (a•••@example.org)")
    relationship: ProxyRelationship
    scope: ProxyScope
    access_ends_at: datetime | None
    created_at: datetime
    expires_at: datetime = Field(description="When the invitation's code stops working")
    status: Literal["pending", "expired"] = Field(
        description="expired: the code no longer works (also after too many wrong tries); cancel it"
    )


class PendingInvitationList(Model):
    items: list[PendingInvitationOut]


class ProxyUpdateIn(InputModel):
    """A new scope and end date for an existing grant (the whole grant is restated)."""

    scope: ProxyScope
    expires_on: ScheduleDate | None = Field(
        default=None, description="Last day of access (clinic time zone); omit for no end date"
    )


class InvitationAcceptIn(InputModel):
    code: InvitationCode


class AcceptedOut(Model):
    patient_id: str
    scope: ProxyScope
