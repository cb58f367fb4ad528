"""The emails of messaging and refills. They say only that something is waiting: no PHI, ever.

No subject line, message text, medication, pharmacy, care-team name or patient name goes into an email:
a care-team pool such as "Behavioral health" would itself say something about the patient.
"""

from __future__ import annotations

from chalicelib.core import config, errors, notify
from chalicelib.core.aws import logger
from chalicelib.patients import store as patient_store


def _footer() -> str:
    clinic = config.clinic()
    return (
        "For your privacy this email does not include any health information.\n"
        f"Questions? Call us at {clinic.phone_display}. {clinic.emergency_notice}"
    )


def new_message_notice() -> notify.Notice:
    clinic = config.clinic()
    return notify.Notice(
        subject=f"You have a new message from {clinic.name}",
        text=(
            "You have a new message from your clinic. Sign in to read it:\n"
            f"{notify.portal_url()}\n\n{_footer()}"
        ),
    )


def refill_update_notice() -> notify.Notice:
    clinic = config.clinic()
    return notify.Notice(
        subject=f"An update from {clinic.name}",
        text=(
            "There is an update to your refill request. Sign in to see it:\n"
            f"{notify.portal_url()}\n\n{_footer()}"
        ),
    )


def digest_notice(counts: list[tuple[str, int, int]]) -> notify.Notice:
    """Staff digest: per pool, how many conversations wait unread and how many are open. Counts only."""
    clinic = config.clinic()
    lines = [f"- {name}: {unread} unread, {open_} open" for name, unread, open_ in counts]
    return notify.Notice(
        subject=f"{clinic.name}: your care-team inboxes today",
        text=(
            "Conversations waiting in your care-team inboxes:\n"
            + "\n".join(lines)
            + f"\n\nSign in to answer them:\n{notify.portal_url()}\n"
        ),
    )


def notify_patient(patient_id: str, notice: notify.Notice) -> bool:
    """Email the patient if they have an address and want email notices. Best effort, after the commit."""
    try:
        profile = patient_store.get_profile(patient_id)
    except errors.NotFound:
        return False
    if not profile.email or not profile.communication.email_notifications:
        return False
    sent = notify.send(profile.email, notice)
    logger.info("patient notice", extra={"patient_id": patient_id, "sent": sent})
    return sent
