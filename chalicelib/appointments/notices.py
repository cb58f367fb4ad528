"""Appointment email: reminders, request answers, the front-desk digest. Never PHI in an email.

A message says that something is waiting and where to sign in; no names, times, providers or visit types.
Sending is best effort after the change is committed (chalicelib/core/notify.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import Appointment
from chalicelib.core import config, notify
from chalicelib.core.observability import isolated, logger
from chalicelib.patients import profiles as patient_profiles


def request_decided(patient_id: str) -> bool:
    return patient_profiles.notify_patient(
        patient_id,
        lambda locale: notify.patient_notice(
            "An update on your appointment request at {clinic}",
            "Your appointment request has an answer.",
            locale=locale,
        ),
    )


def appointment_changed(patient_id: str) -> bool:
    """A booking, a move or a cancellation, by the patient or the staff: the patient hears of it (if their
    communication preferences allow email), with nothing about which visit or when."""
    return patient_profiles.notify_patient(
        patient_id,
        lambda locale: notify.patient_notice(
            "Your appointment at {clinic} has changed", "Your appointment has changed.", locale=locale
        ),
    )


def offer_available(patient_id: str) -> bool:
    minutes = common.settings().waitlist_offer_minutes
    return patient_profiles.notify_patient(
        patient_id,
        lambda locale: notify.patient_notice(
            "An earlier appointment time may be available at {clinic}",
            "An earlier time has opened up. The offer is held for about {minutes} minutes, "
            "and the first person to accept it gets it.",
            locale=locale,
            minutes=minutes,
        ),
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """Email patients whose booked visit starts in about `reminder_hours_before` hours, once each.

    Runs hourly; looks two hours wide so a late or skipped run still reminds, and marks each appointment
    (conditionally) so overlapping runs never send twice. One Query per provider on GSI1.
    """
    now = now or datetime.now(tz=common.zone())
    ahead = timedelta(hours=common.settings().reminder_hours_before)
    start, end = now + ahead - timedelta(hours=1), now + ahead + timedelta(hours=1)
    sent = 0
    for provider in config.clinic().providers:
        with isolated("reminders", provider_id=provider.id):
            for appointment in appointment_store.provider_appointments(provider.id, start, end):
                with isolated("reminders", provider_id=provider.id, appointment_id=appointment.id):
                    sent += _remind(appointment, now=now)
    logger.info("appointment reminders sent", extra={"count": sent})
    return sent


def _remind(appointment: Appointment, *, now: datetime) -> bool:
    if appointment.status != "booked" or appointment.reminder_sent_at is not None:
        return False
    if not appointment_store.mark_reminded(appointment, at=now):
        return False  # another run got there first
    return patient_profiles.notify_patient(
        appointment.patient_id,
        lambda locale: notify.patient_notice(
            "Appointment reminder from {clinic}",
            "You have an appointment coming up in about a day. You can check in online, "
            "and cancel or change it in the portal if your plans have changed.",
            locale=locale,
        ),
    )


_LABELS = {
    "booked": "new booking(s)",
    "requested": "appointment request(s) waiting for approval",
    "rescheduled": "rescheduled appointment(s)",
    "cancelled": "cancellation(s)",
}


def send_digest(*, now: datetime | None = None) -> dict[str, int]:
    """Email the front desk how many patient-initiated changes arrived since the last digest (counts only)."""
    now = now or datetime.now(tz=common.zone())
    since = appointment_store.digest_sent_through() or "0"  # "0" sorts before every timestamp
    notices = appointment_store.notices_since(since)
    counts = Counter(str(n["kind"]) for n in notices)
    if notices:
        clinic = config.clinic()
        to = str(clinic.scheduling.front_desk_email or clinic.email)
        lines = [f"  {count} {_LABELS.get(kind, kind)}" for kind, count in sorted(counts.items())]
        notify.send(
            to,
            notify.Notice(
                subject=f"Front-desk queue: {len(notices)} new item(s)",
                text="Since the last digest, patients made these changes online:\n"
                + "\n".join(lines)
                + f"\n\nOpen the front-desk queue in the portal to review them:\n{notify.portal_url()}\n",
            ),
        )
        appointment_store.record_digest_sent(through=max(str(n["GSI1SK"]) for n in notices), at=now)
    return dict(counts)
