"""What every appointments service needs from the clinic file: providers, visit types, the time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.appointments.models import Appointment, ProviderOut, VisitTypeOut
from chalicelib.core import config, errors, i18n
from chalicelib.core.clinic_settings import localize
from chalicelib.core.scheduling import Provider, SchedulingSettings, VisitType


def zone() -> ZoneInfo:
    return ZoneInfo(config.clinic().time_zone)


def settings() -> SchedulingSettings:
    return config.clinic().scheduling


def local(moment: datetime) -> datetime:
    """An instant as the clinic's wall clock shows it (aware, with the right offset on either side of DST)."""
    return moment.astimezone(zone())


def local_day_start(day: date) -> datetime:
    """Midnight of a clinic-local day, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=zone())


def today(now: datetime) -> date:
    return local(now).date()


def provider(provider_id: str) -> Provider:
    found = next((p for p in config.clinic().providers if p.id == provider_id), None)
    if found is None:
        raise errors.NotFound("provider not found")
    return found


def visit_type(visit_type_id: str) -> VisitType:
    found = next((v for v in config.clinic().visit_types if v.id == visit_type_id), None)
    if found is None:
        raise errors.NotFound("visit type not found")
    return found


def provider_out(provider_id: str) -> ProviderOut:
    try:
        found = provider(provider_id)
    except errors.NotFound:  # a provider since removed from the clinic file: still show the booking
        return ProviderOut(id=provider_id, name="Former provider", credentials="", specialty="")
    return ProviderOut(id=found.id, name=found.name, credentials=found.credentials, specialty=found.specialty)


def cancel_cutoff(visit: VisitType) -> timedelta:
    hours = visit.cancel_cutoff_hours
    return timedelta(hours=settings().cancel_cutoff_hours if hours is None else hours)


def cancel_deadline(appointment: Appointment) -> datetime:
    try:
        visit = visit_type(appointment.visit_type_id)
    except errors.NotFound:
        return appointment.start - timedelta(hours=settings().cancel_cutoff_hours)
    return appointment.start - cancel_cutoff(visit)


def visit_type_out(
    visit: VisitType, *, can_book: bool = True, reason: str | None = None, locale: i18n.Locale = "en"
) -> VisitTypeOut:
    """A visit type in `locale`: its name and description as the clinic wrote them in that language."""
    return VisitTypeOut(
        id=visit.id,
        name=localize(visit.name, locale),
        description=localize(visit.description, locale),
        duration_minutes=visit.duration_minutes,
        modality=visit.modality,
        booking=visit.booking,
        cancel_cutoff_hours=int(cancel_cutoff(visit).total_seconds() // 3600),
        can_book_online=can_book,
        not_bookable_reason=reason,
    )
