"""Proxy (caregiver) access: who may act for a patient, granted by the front desk, revocable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from chalicelib.core.identity import Role
from chalicelib.core.models import InputModel, Model, MultiLine, ScheduleDate, SingleLine

# What the caregiver is to the patient. Access itself is always the "caregiver" Relationship; this is
# what the patient and the front desk see. Links written before it existed read as "other".
ProxyRelationship = Literal["parent", "guardian", "spouse", "adult_child", "other"]
ProxyStatus = Literal["active", "expired"]

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128), SingleLine]
VerificationNote = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), MultiLine
]


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


class ProxyOut(Model):
    sub: str
    display_name: str
    relationship: ProxyRelationship
    granted_at: datetime
    granted_by_role: Role | None
    expires_at: datetime | None
    status: ProxyStatus

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
        )


class ProxyList(Model):
    items: list[ProxyOut]
