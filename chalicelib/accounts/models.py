"""Who is signed in, and whose records they may open."""

from __future__ import annotations

from typing import Literal

from chalicelib.core.identity import Role
from chalicelib.core.models import Model

Relationship = Literal["self", "caregiver"]


class UserOut(Model):
    sub: str
    username: str
    display_name: str
    role: Role


class PatientRef(Model):
    id: str
    display_name: str
    relationship: Relationship


class MeOut(Model):
    user: UserOut
    patients: list[PatientRef]
