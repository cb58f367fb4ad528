"""Who is signed in, and whose records they may open."""

from __future__ import annotations

from chalicelib.core.identity import Relationship, Role
from chalicelib.core.models import Model


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
