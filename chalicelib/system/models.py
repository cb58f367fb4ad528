"""Public, non-PHI endpoints: health and the clinic's contact details."""

from __future__ import annotations

from chalicelib.core.clinic import ClinicConfig, OpeningHours
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

    @classmethod
    def from_config(cls, clinic: ClinicConfig) -> ClinicOut:
        return cls(
            id=clinic.id,
            name=clinic.name,
            phone=clinic.phone,
            phone_display=clinic.phone_display,
            email=str(clinic.email),
            hours=clinic.hours,
            address=clinic.address,
            emergency_notice=clinic.emergency_notice,
            primary_color=clinic.branding.primary_color,
            logo_url=clinic.branding.logo_url,
        )
