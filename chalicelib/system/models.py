"""Public, non-PHI endpoints: health and the clinic's contact details."""

from __future__ import annotations

from pydantic import Field

from chalicelib.core.clinic import ClinicConfig, OpeningHours
from chalicelib.core.clinic_settings import localize
from chalicelib.core.i18n import Locale
from chalicelib.core.models import Model


class HealthOut(Model):
    status: str = "ok"


class ClinicOut(Model):
    id: str
    name: str
    phone: str
    phone_display: str
    email: str
    hours: list[OpeningHours]
    address: str | None
    emergency_notice: str
    primary_color: str
    logo_url: str | None
    language: Locale = Field("en", description="The language of the clinic's own text here (hours, notices)")

    @classmethod
    def from_config(cls, clinic: ClinicConfig, locale: Locale = "en") -> ClinicOut:
        """The clinic's details, its own text (hours, notice) in `locale` where the clinic wrote it so."""
        hours = [
            OpeningHours(days=localize(h.days, locale), hours=localize(h.hours, locale)) for h in clinic.hours
        ]
        # The notice marks the language: a clinic that wrote it in Spanish wrote its hours too.
        notice = localize(clinic.emergency_notice, locale)
        language: Locale = locale if notice != clinic.emergency_notice or locale == "en" else "en"
        return cls(
            id=clinic.id,
            name=clinic.name,
            phone=clinic.phone,
            phone_display=clinic.phone_display,
            email=str(clinic.email),
            hours=hours,
            address=localize(clinic.address, locale) if clinic.address else None,
            emergency_notice=notice,
            primary_color=clinic.branding.primary_color,
            logo_url=clinic.branding.logo_url,
            language=language,
        )
