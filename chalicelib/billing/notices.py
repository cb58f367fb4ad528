"""Billing emails: each says only that something is waiting in the portal (no amounts, no visits)."""

from __future__ import annotations

from chalicelib.core import config, notify


def _notice(subject: str, first_line: str) -> notify.Notice:
    return notify.patient_notice(f"{subject} from {config.clinic().name}", first_line)


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
