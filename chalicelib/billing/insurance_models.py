"""Insurance on file (issue 4): payer, plan, member and group numbers, subscriber, card images.

Card images are documents (issue 6's documents module) of category insurance_card_front/back: the
insurance item holds their ids only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from chalicelib.core.models import InputModel, Model, OpaqueId

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
MemberNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]{0,29}$")
]
Priority = Literal["primary", "secondary", "tertiary"]
Relationship = Literal["self", "spouse", "parent", "child", "other"]
Verification = Literal["unverified", "verified", "rejected"]


class Subscriber(InputModel):
    name: Name
    relationship: Relationship = "self"
    birth_date: date | None = None


class InsuranceIn(InputModel):
    payer_name: Name
    plan_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    member_id: MemberNumber
    group_number: MemberNumber | None = None
    priority: Priority = "primary"
    subscriber: Subscriber
    card_front_document_id: OpaqueId | None = None
    card_back_document_id: OpaqueId | None = None


class InsuranceUpdate(InsuranceIn):
    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]


class VerifyIn(InputModel):
    result: Literal["verified", "rejected"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    version: Annotated[int, Field(ge=1)]


class Insurance(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    payer_name: str
    plan_name: str | None = None
    member_id: str
    group_number: str | None = None
    priority: Priority
    subscriber: Subscriber
    card_front_document_id: str | None = None
    card_back_document_id: str | None = None
    status: Literal["active", "removed"] = "active"
    verification: Verification = "unverified"
    verified_by_name: str | None = None
    verified_at: datetime | None = None
    verification_note: str | None = None
    created_at: datetime
    updated_at: datetime
    updated_by_name: str
    version: int = 1


class InsuranceOut(Model):
    id: str
    payer_name: str
    plan_name: str | None = None
    member_id: str
    group_number: str | None = None
    priority: Priority
    subscriber: Subscriber
    card_front_document_id: str | None = None
    card_back_document_id: str | None = None
    status: Literal["active", "removed"]
    verification: Verification
    verified_by_name: str | None = None
    verified_at: datetime | None = None
    verification_note: str | None = None
    updated_at: datetime
    updated_by_name: str
    version: int

    @classmethod
    def from_insurance(cls, insurance: Insurance) -> InsuranceOut:
        return cls.model_validate(insurance.model_dump(exclude={"patient_id", "created_at"}))


class InsuranceList(Model):
    items: list[InsuranceOut]
