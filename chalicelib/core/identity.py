"""Roles and the Cognito user pool definition shared by the CDK stack and the local bootstrap."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from chalicelib.core.errors import FieldMessage


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    FRONT_DESK = "front_desk"
    BILLING = "billing"
    ADMIN = "admin"


# How a signed-in patient account relates to a patient it may act for.
Relationship = Literal["self", "caregiver"]

# The parts of a record a caregiver grant may be limited to, and whether it may only look or also act.
Area = Literal["appointments", "messages", "billing", "health_record", "documents", "refills"]
AREAS: Final[tuple[Area, ...]] = typing.get_args(Area)
Access = Literal["read", "act"]


@dataclass(frozen=True)
class Scope:
    """What one caregiver grant covers. `areas` None is the whole record (every grant made before scopes
    existed reads so); `access` "read" lets the caregiver look but never change or send anything."""

    areas: frozenset[Area] | None = None
    access: Access = "act"

    @property
    def full(self) -> bool:
        return self.areas is None


FULL_SCOPE: Final = Scope()

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
# Cognito's longest password (and the longest we accept anywhere).
PASSWORD_MAX_LENGTH: Final = 256

# Each rule of the policy as the words a person reads ("Your password needs ..."), checked as Cognito
# counts: Basic Latin letters and digits; a symbol is anything else but a space (the web checks the same).
_POLICY_RULES: Final = (
    ("RequireUppercase", "an uppercase letter", re.compile(r"[A-Z]")),
    ("RequireLowercase", "a lowercase letter", re.compile(r"[a-z]")),
    ("RequireNumbers", "a number", re.compile(r"[0-9]")),
    ("RequireSymbols", "a symbol", re.compile(r"[^A-Za-z0-9\s]")),
)


def _at_least() -> FieldMessage:
    return FieldMessage("at least {count} characters", {"count": PASSWORD_POLICY["MinimumLength"]})


def password_policy_rules() -> list[str]:
    """The pool's policy, rule by rule: what every new password needs."""
    rules: list[str] = [_at_least()]
    rules.extend(words for setting, words, _ in _POLICY_RULES if PASSWORD_POLICY[setting])
    return rules


def rules_sentence(rules: list[str]) -> str:
    """Rules as one phrase: "at least 12 characters, a number and a symbol". Built of templates, so the
    whole phrase can be said in the caller's language (core/access.py translates filled-in values)."""
    if len(rules) == 1:
        return rules[0]
    listed: str = rules[0]
    for rule in rules[1:-1]:
        listed = FieldMessage("{listed}, {rule}", {"listed": listed, "rule": rule})
    return FieldMessage("{listed} and {last}", {"listed": listed, "last": rules[-1]})


def password_problems(password: str) -> list[str]:
    """The rules of the pool's policy this password breaks (empty when it meets them all)."""
    problems: list[str] = []
    if len(password) < int(PASSWORD_POLICY["MinimumLength"]):
        problems.append(_at_least())
    problems.extend(
        words
        for setting, words, rule in _POLICY_RULES
        if PASSWORD_POLICY[setting] and not rule.search(password)
    )
    return problems


# The SPA is a public client: no secret; password sign-in over TLS and refresh tokens.
CLIENT_AUTH_FLOWS: Final = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
ACCESS_TOKEN_MINUTES: Final = 15
ID_TOKEN_MINUTES: Final = 15
REFRESH_TOKEN_HOURS: Final = 12
