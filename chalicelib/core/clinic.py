"""Clinic configuration: one validated file per clinic, shared by the deployed stack and the local demo."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, EmailStr, Field, field_validator, model_validator

from chalicelib.core.clinic_settings import (
    BillingSettings,
    ClinicHours,
    ClinicLine,
    ClinicText,
    MinorsSettings,
    ResultCategory,
    default_result_categories,
)
from chalicelib.core.models import Model
from chalicelib.core.scheduling import (
    Provider,
    Questionnaire,
    SchedulingSettings,
    VisitType,
    check_scheduling_references,
)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")]
HexColour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
_HOSTNAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


# Abbreviations people write instead of a zone name (an abbreviation does not say when DST applies).
_ZONE_FOR_ABBREVIATION = {
    **dict.fromkeys(("PST", "PDT", "PT", "PACIFIC"), "America/Los_Angeles"),
    **dict.fromkeys(("MST", "MDT", "MT", "MOUNTAIN"), "America/Denver"),
    **dict.fromkeys(("CST", "CDT", "CT", "CENTRAL"), "America/Chicago"),
    **dict.fromkeys(("EST", "EDT", "ET", "EASTERN"), "America/New_York"),
    **dict.fromkeys(("AKST", "AKDT"), "America/Anchorage"),
    **dict.fromkeys(("HST",), "Pacific/Honolulu"),
    **dict.fromkeys(("AST", "ADT"), "America/Halifax"),
}


class OpeningHours(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    days: ClinicHours
    hours: ClinicHours


class CareTeamPool(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=80)]


class Branding(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    primary_color: HexColour = "#0f5f8c"
    logo_url: str | None = None


# --- infrastructure: how this clinic's own AWS stack is deployed (infrastructure/; the app ignores it) ---
LogRetentionDays = Literal[30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3653]


class DeploySettings(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A production stack holds real patients: `infrastructure check` refuses what cannot work there
    # (simulated payments, a free-mail sender, a domain without a certificate). Staging is for trying it.
    environment: Literal["staging", "production"] = "production"
    # CloudFront's WAF web ACL and certificate must live in us-east-1; one region keeps it one stack.
    region: Literal["us-east-1"] = "us-east-1"
    # ACM certificate (us-east-1) for `domain`; without it the portal is served on *.cloudfront.net.
    certificate_arn: (
        Annotated[str, Field(pattern=r"^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$")] | None
    ) = None
    alarm_email: EmailStr | None = None  # who hears about 5xx, errors, throttles (the clinic email if unset)
    # Cognito Plus plan: blocks compromised credentials and risky sign-ins; billed per monthly active user.
    threat_protection: bool = True
    tracing: bool = True  # AWS X-Ray on the API and functions
    waf_rate_limit: Annotated[int, Field(ge=100, le=100_000)] = 1000  # requests per IP per 5 minutes
    log_retention_days: LogRetentionDays = 365
    backup_retention_days: Annotated[int, Field(ge=7, le=3650)] = 35
    # A vault in another region (or account) that receives a copy of every daily backup.
    backup_copy_vault_arn: (
        Annotated[str, Field(pattern=r"^arn:aws:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$")]
        | None
    ) = None
    # Cognito sends invitations through SES once the sender identity is verified (a second deploy).
    cognito_email_via_ses: bool = False


class EnrolmentSettings(Model):
    """How people come into the portal: invitations, activation and self-registration requests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    invitation_days: Annotated[int, Field(ge=1, le=90)] = 14  # an activation code works this long
    # The second fact an activating person gives besides the birth date (the first is the code).
    second_fact: Literal["postal_code", "phone_last_four"] = "postal_code"
    # A public form where a person asks to be registered; the front desk decides each request.
    self_registration: bool = False


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
    address: ClinicLine | None = None
    emergency_notice: ClinicText = "If this is a medical emergency, call 911."
    branding: Branding = Field(default_factory=Branding)
    care_team_pools: list[CareTeamPool] = []
    # --- appointments: who can be booked, for what, under which rules (core/scheduling.py) ---
    providers: list[Provider] = []
    visit_types: list[VisitType] = []
    scheduling: SchedulingSettings = Field(default_factory=SchedulingSettings)
    questionnaires: list[Questionnaire] = []
    # --- infrastructure: the mail sender, and how this clinic's stack is deployed ---
    sender_email: EmailStr | None = None  # the SES "From" address (the clinic email if unset)
    deploy: DeploySettings = Field(default_factory=DeploySettings)
    # --- result categories and their wording (patients choose any delay, never the clinic)
    result_categories: list[ResultCategory] = Field(default_factory=default_result_categories)
    # --- currency, card processor, payment plan limits (core/clinic_settings.py)
    billing: BillingSettings = Field(default_factory=BillingSettings)
    # --- registration, invitations and activation
    enrolment: EnrolmentSettings = Field(default_factory=EnrolmentSettings)
    # --- what a parent's grant shows of a teenager's record (core/minors.py)
    minors: MinorsSettings = Field(default_factory=MinorsSettings)

    @field_validator("result_categories")
    @classmethod
    def _unique_result_categories(cls, value: list[ResultCategory]) -> list[ResultCategory]:
        if len({category.id for category in value}) != len(value):
            raise ValueError("result_categories ids must be unique")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        zone = _ZONE_FOR_ABBREVIATION.get(value.strip().upper())
        if zone:  # even where tzdata knows it (EST, MST, HST): those are fixed offsets, never DST
            raise ValueError(f"unknown IANA time zone; for {value} use {zone}")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown IANA time zone, expected a name such as America/Chicago") from None
        return value

    @model_validator(mode="after")
    def _unique_pools(self) -> ClinicConfig:
        ids = [pool.id for pool in self.care_team_pools]
        if len(ids) != len(set(ids)):
            raise ValueError("care_team_pools ids must be unique")
        return self

    @model_validator(mode="after")
    def _scheduling_references(self) -> ClinicConfig:
        check_scheduling_references(self.providers, self.visit_types, self.questionnaires)
        return self

    @field_validator("domain")
    @classmethod
    def _hostname(cls, value: str | None) -> str | None:  # it becomes a CloudFront alias
        if value is not None and not _HOSTNAME.fullmatch(value):
            raise ValueError("domain must be a host name such as portal.example.org")
        return value

    @model_validator(mode="after")
    def _unique_pool_names(self) -> ClinicConfig:  # the inbox picker shows names
        names = [pool.name.casefold() for pool in self.care_team_pools]
        if len(names) != len(set(names)):
            raise ValueError("care_team_pools names must be unique")
        return self

    @model_validator(mode="after")
    def _known_provider_pools(self) -> ClinicConfig:  # the clinicians who may join a provider's video visits
        ids = {pool.id for pool in self.care_team_pools}
        for provider in self.providers:
            if provider.care_team_pool is not None and provider.care_team_pool not in ids:
                raise ValueError(f"provider {provider.id} names an unknown care_team_pool")
        return self

    @model_validator(mode="after")
    def _certificate_needs_domain(self) -> ClinicConfig:
        if self.deploy.certificate_arn and not self.domain:
            raise ValueError("deploy.certificate_arn needs the clinic's domain")
        return self

    @property
    def mail_from(self) -> str:
        return str(self.sender_email or self.email)

    @property
    def phone_display(self) -> str:
        """North American numbers as (555) 010-0100; others as given."""
        match = re.fullmatch(r"\+1(\d{3})(\d{3})(\d{4})", self.phone)
        return f"({match[1]}) {match[2]}-{match[3]}" if match else self.phone


def load_clinic_file(path: Path) -> ClinicConfig:
    return ClinicConfig.model_validate_json(path.read_text(encoding="utf-8"))
