"""Clinic configuration: one validated file per clinic, shared by the deployed stack and the local demo."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, EmailStr, Field, field_validator, model_validator

from chalicelib.models.common import Model

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")]
HexColour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class OpeningHours(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    days: Annotated[str, Field(min_length=1, max_length=40)]
    hours: Annotated[str, Field(min_length=1, max_length=40)]


class CareTeamPool(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=80)]


class Branding(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    primary_color: HexColour = "#0f5f8c"
    logo_url: str | None = None


class ClinicConfig(Model):
    """What a clinic tells us about itself. Nothing here is PHI."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    name: Annotated[str, Field(min_length=2, max_length=80)]
    domain: str | None = None
    time_zone: str
    phone: Annotated[str, Field(pattern=r"^\+[1-9]\d{6,14}$")]  # E.164, so tel: links work
    email: EmailStr
    hours: Annotated[list[OpeningHours], Field(min_length=1)]
    address: Annotated[str, Field(max_length=200)] | None = None
    emergency_notice: Annotated[str, Field(max_length=300)] = "If this is a medical emergency, call 911."
    branding: Branding = Field(default_factory=Branding)
    care_team_pools: list[CareTeamPool] = []

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown IANA time zone") from None
        return value

    @model_validator(mode="after")
    def _unique_pools(self) -> ClinicConfig:
        ids = [pool.id for pool in self.care_team_pools]
        if len(ids) != len(set(ids)):
            raise ValueError("care_team_pools ids must be unique")
        return self

    @property
    def phone_display(self) -> str:
        """North American numbers as (555) 010-0100; others as given."""
        match = re.fullmatch(r"\+1(\d{3})(\d{3})(\d{4})", self.phone)
        return f"({match[1]}) {match[2]}-{match[3]}" if match else self.phone


def load_clinic_file(path: Path) -> ClinicConfig:
    return ClinicConfig.model_validate_json(path.read_text(encoding="utf-8"))
