"""Staff patient search: the query, what the directory holds, and the few fields a result shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from chalicelib.core.models import InputModel, Model
from chalicelib.patients.models import LegalName


class PatientSearchQuery(InputModel):
    q: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=80),
        Field(
            description="Family name (optionally 'family, given'), birth date (YYYY-MM-DD or MM/DD/YYYY) "
            "or patient id"
        ),
    ]
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class DirectoryEntry(Model):
    """A directory row as stored: the listed fields of a profile, nothing else."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    legal_name: LegalName
    preferred_name: str | None = None
    birth_date: date
    phone: str | None = None


class PatientMatch(Model):
    """One search result: enough to tell two patients apart, nothing more."""

    model_config = ConfigDict(extra="forbid")

    id: str
    display_name: str
    birth_date: date
    age: int
    phone_last_four: str | None


class PatientSearchPage(Model):
    matched_by: Literal["name", "birth_date", "id"]
    items: list[PatientMatch]
    next_cursor: str | None = None
