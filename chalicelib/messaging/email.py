"""The emails of messaging and refills. They say only that something is waiting: no PHI, ever.

No subject line, message text, medication, pharmacy, care-team name or patient name goes into an email:
a care-team pool such as "Behavioral health" would itself say something about the patient.
"""

from __future__ import annotations

from chalicelib.core import config, notify
from chalicelib.core.i18n import DEFAULT_LOCALE, Locale


def new_message_notice(locale: Locale = DEFAULT_LOCALE) -> notify.Notice:
    return notify.patient_notice(
        "You have a new message from {clinic}",
        "You have a new message from your clinic.",
        sign_in_to="read it",
        locale=locale,
    )


def refill_update_notice(locale: Locale = DEFAULT_LOCALE) -> notify.Notice:
    return notify.patient_notice(
        "An update from {clinic}", "There is an update to your refill request.", locale=locale
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
