"""Staff administration: the staff accounts an administrator manages and the audit of what admins did."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field, StringConstraints, model_validator

from chalicelib.core.identity import Role
from chalicelib.core.models import InputModel, Model, MultiLine, PersonName, ScheduleDate, SingleLine
from chalicelib.patients.models import AccessLogEntryOut

StaffRole = Literal["clinician", "front_desk", "billing", "admin"]
# Cognito's own username rules, narrowed to what reads well on a sign-in page and in a URL-free list.
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$"),
]
PoolId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), SingleLine]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), MultiLine]
# What Cognito says about the sign-in: still on the temporary password of the invitation, or in use.
SignInStatus = Literal["invited", "active", "other"]


class StaffMember(Model):
    """One staff account as the list shows it (read from the account item)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: str
    username: str
    display_name: str
    role: Role
    pools: list[str] = []
    email: str | None = None
    disabled: bool = False
    mfa_enabled: bool = False


class StaffDetail(StaffMember):
    sign_in_status: SignInStatus


class StaffList(Model):
    items: list[StaffMember]
    next_cursor: str | None = None


class StaffListQuery(InputModel):
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class StaffCreateIn(InputModel):
    username: Username = Field(description="Sign-in name: 3-64 of a-z, 0-9, '.', '_' or '-'")
    display_name: PersonName
    email: EmailStr = Field(max_length=254, description="Where the invitation goes")
    role: StaffRole
    pools: list[PoolId] = Field(default=[], max_length=20, description="Care-team pool ids of the clinic")


class StaffCreated(Model):
    staff: StaffMember
    invitation_sent: bool


class StaffUpdateIn(InputModel):
    """Only what is sent changes."""

    display_name: PersonName | None = None
    role: StaffRole | None = None
    pools: list[PoolId] | None = Field(default=None, max_length=20)


class ResetMfaIn(InputModel):
    reason: Reason = Field(description="Why the authenticator is reset (kept in the admin audit)")


class StaffInvitationOut(Model):
    invitation_sent: bool


AdminAction = Literal[
    "staff.create",
    "staff.update",
    "staff.disable",
    "staff.enable",
    "staff.resend_invitation",
    "staff.reset_mfa",
    "patients.import",
    "access.review",
    "access.export",
    "access.privacy_report",
]


class AdminAuditEvent(Model):
    """Who did what to whose account, and when. Ids, usernames and names of staff only; never PHI.

    An import of patients names its run (target_sub: the run id, target_username: the file's name) and
    says what it did in counts (detail).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    at: datetime
    actor_sub: str
    actor_name: str
    action: AdminAction
    target_sub: str
    target_username: str
    detail: str = ""
    request_id: str


class AdminAuditList(Model):
    items: list[AdminAuditEvent]
    next_cursor: str | None = None


class AdminAuditQuery(InputModel):
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


# --- access review: who opened a patient's record --------------------------------------------------

_SUB_PATTERN = r"^[A-Za-z0-9._:@-]{1,200}$"
MAX_REVIEW_DAYS = 366


class AccessReviewQuery(InputModel):
    """Filters of an access review; dates are clinic days, both included."""

    actor: str | None = Field(
        default=None,
        pattern=_SUB_PATTERN,
        description="Only this staff member's (or person's) access, by sub",
    )
    from_day: ScheduleDate | None = Field(
        default=None, alias="from", description="First clinic day (YYYY-MM-DD)"
    )
    to_day: ScheduleDate | None = Field(default=None, alias="to", description="Last clinic day (YYYY-MM-DD)")
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)

    @model_validator(mode="after")
    def _range(self) -> AccessReviewQuery:
        if self.from_day and self.to_day and self.from_day > self.to_day:
            raise ValueError("'from' must not be after 'to'")
        return self


class AccessExportQuery(InputModel):
    actor: str | None = Field(default=None, pattern=_SUB_PATTERN)
    from_day: ScheduleDate | None = Field(default=None, alias="from")
    to_day: ScheduleDate | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _range(self) -> AccessExportQuery:
        if self.from_day and self.to_day and self.from_day > self.to_day:
            raise ValueError("'from' must not be after 'to'")
        return self


class AccessReviewEntry(AccessLogEntryOut):
    """One access to the record, for an administrator: the patient-facing entry plus the actor's id."""

    patient_id: str
    actor_sub: str


class AccessReviewPage(Model):
    items: list[AccessReviewEntry]
    next_cursor: str | None = None


class PrivacyReportQuery(InputModel):
    """The clinic days to look at (both included, at most a year) and a page of staff members."""

    from_day: ScheduleDate = Field(alias="from", description="First clinic day (YYYY-MM-DD)")
    to_day: ScheduleDate = Field(alias="to", description="Last clinic day (YYYY-MM-DD)")
    cursor: str | None = Field(default=None, max_length=2048)

    @model_validator(mode="after")
    def _range(self) -> PrivacyReportQuery:
        if self.from_day > self.to_day:
            raise ValueError("'from' must not be after 'to'")
        return self


class PrivacyReportExportQuery(InputModel):
    from_day: ScheduleDate = Field(alias="from")
    to_day: ScheduleDate = Field(alias="to")

    @model_validator(mode="after")
    def _range(self) -> PrivacyReportExportQuery:
        if self.from_day > self.to_day:
            raise ValueError("'from' must not be after 'to'")
        return self


class PrivacyFlag(Model):
    """A staff member who opened a patient's record with no visit between them in the year before."""

    staff_sub: str
    staff_name: str
    staff_role: Role
    patient_id: str
    accesses: int = Field(
        description="Accesses in the range with no visit in the year before (or 14 days after)"
    )
    first_at: datetime
    last_at: datetime
    what: list[str] = Field(description="What they did, up to five distinct actions")


class PrivacyReportPage(Model):
    items: list[PrivacyFlag]
    staff_checked: int = Field(description="Staff members this page looked at")
    incomplete_staff: list[str] = Field(
        default_factory=list,
        description="Staff (subs) with more accesses than one page reads: narrow the range",
    )
    next_cursor: str | None = None
