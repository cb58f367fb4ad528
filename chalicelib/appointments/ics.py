"""An appointment as an iCalendar file (RFC 5545), written by hand: one event, UTC times, no library.

Lines end in CRLF and are folded at 75 octets; text values escape backslash, semicolon, comma and newline.
The event says where and with whom, never why (no reason for visit, no clinical detail).
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments.models import Appointment
from chalicelib.core import config, errors
from chalicelib.core.clinic_settings import localize
from chalicelib.core.i18n import Locale, text

_STATUS = {"booked": "CONFIRMED", "requested": "TENTATIVE"}


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
            limit = 74  # continuation lines start with one space
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}{utc:%m%dT%H%M%S}Z"  # the year padded by hand: strftime's %Y may not pad it


def render(appointment: Appointment, *, now: datetime, locale: Locale = "en") -> str:
    """The event, its words in `locale` (the patient's language), the clinic's visit name too."""
    clinic = config.clinic()
    provider = common.provider_out(appointment.provider_id)
    try:
        visit_name = localize(common.visit_type(appointment.visit_type_id).name, locale)
    except errors.NotFound:  # a visit type since removed from the clinic file
        visit_name = text("Appointment", locale)
    who = f"{provider.name}, {provider.credentials}" if provider.credentials else provider.name
    if appointment.modality == "video":
        location = text("Video visit: join from the patient portal", locale)
    else:
        location = localize(clinic.address, locale) if clinic.address else clinic.name
    description = text(
        "{visit} with {who}. Check in, join or change this appointment in the {clinic} patient portal. "
        "Questions: {phone}.",
        locale,
        visit=visit_name,
        who=who,
        clinic=clinic.name,
        phone=clinic.phone_display,
    )
    summary = text("{visit} at {clinic}", locale, visit=visit_name, clinic=clinic.name)
    lang = "" if locale == "en" else f";LANGUAGE={locale}"
    host = clinic.domain or f"{clinic.id}.clinic-portal"
    status = _STATUS.get(appointment.status, "CANCELLED")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Clinic Portal//Appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.id}@{host}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(appointment.start)}",
        f"DTEND:{_stamp(appointment.end)}",
        f"SUMMARY{lang}:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION{lang}:{escape_text(description)}",
        f"STATUS:{status}",
        f"SEQUENCE:{appointment.version - 1}",
        "TRANSP:OPAQUE",
    ]
    if appointment.status in ("booked", "requested"):
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION{lang}:{escape_text(text('Appointment at {clinic}', locale, clinic=clinic.name))}",
            "TRIGGER:-PT1H",
            "END:VALARM",
        ]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
