"""The home page's contract: counts and the few appointments that need something from the patient."""

from __future__ import annotations

from chalicelib.appointments.models import AppointmentOut
from chalicelib.billing.models import BalanceSummary
from chalicelib.core.models import Model


class HomeOut(Model):
    patient_id: str
    # Each part is null (lists empty) when the caller's caregiver grant does not cover its area.
    new_results: int | None  # released and not opened yet
    unread_threads: int | None  # conversations with a clinic message not read yet
    balance: BalanceSummary | None
    # Booked video visits whose join window is open now (the page links to the device check).
    video_now: list[AppointmentOut]
    # Booked appointments whose eCheck-in is open and not completed (forms before the visit).
    checkin_due: list[AppointmentOut]
    next_appointment: AppointmentOut | None
