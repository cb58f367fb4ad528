"""Roles and the Cognito user pool definition shared by the CDK stack and the local bootstrap."""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    FRONT_DESK = "front_desk"
    BILLING = "billing"
    ADMIN = "admin"


# How a signed-in patient account relates to a patient it may act for.
Relationship = Literal["self", "caregiver"]

STAFF_ROLES: Final = frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN})

# A user in several groups acts with the most privileged one; Cognito group precedence says the same.
ROLE_PRECEDENCE: Final[tuple[Role, ...]] = (
    Role.ADMIN,
    Role.CLINICIAN,
    Role.FRONT_DESK,
    Role.BILLING,
    Role.PATIENT,
)

GROUP_DESCRIPTIONS: Final[dict[Role, str]] = {
    Role.PATIENT: "Patients and caregivers",
    Role.CLINICIAN: "Clinicians: results, records, refills, clinical messages",
    Role.FRONT_DESK: "Front desk: scheduling, demographics, check-in",
    Role.BILLING: "Billing: statements and payments",
    Role.ADMIN: "Clinic administrators",
}

PASSWORD_POLICY: Final = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 3,
}

# The SPA is a public client: no secret; password sign-in over TLS and refresh tokens.
CLIENT_AUTH_FLOWS: Final = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
ACCESS_TOKEN_MINUTES: Final = 15
ID_TOKEN_MINUTES: Final = 15
REFRESH_TOKEN_HOURS: Final = 12
