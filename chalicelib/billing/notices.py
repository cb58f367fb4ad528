"""Billing emails: each says only that something is waiting in the portal (no amounts, no visits)."""

from __future__ import annotations

from chalicelib.core import config, errors, notify
from chalicelib.patients import store as patient_store


def _notice(subject: str, first_line: str) -> notify.Notice:
    clinic = config.clinic()
    return notify.Notice(
        subject=f"{subject} from {clinic.name}",
        text=(
            f"{first_line} Sign in to your patient portal to see it:\n"
            f"{notify.portal_url()}\n\n"
            "For your privacy this email does not include any health or billing details.\n"
            f"Questions? Call us at {clinic.phone_display}."
        ),
    )


def new_statement() -> notify.Notice:
    return _notice("A new statement is ready", "A new statement is ready in your patient portal.")


def receipt() -> notify.Notice:
    return _notice(
        "Your payment receipt is ready", "Thank you. Your payment receipt is ready in your patient portal."
    )


def installment_problem() -> notify.Notice:
    return _notice(
        "A scheduled payment needs your attention",
        "A scheduled payment of your payment plan did not go through.",
    )


def send_to_patient(patient_id: str, notice: notify.Notice) -> bool:
    """Best effort, after the change is committed; patients who turned emails off get none."""
    try:
        profile = patient_store.get_profile(patient_id)
    except errors.NotFound:
        return False
    if not profile.email or not profile.communication.email_notifications:
        return False
    return notify.send(profile.email, notice)
