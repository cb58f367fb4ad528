"""Billing emails: each says only that something is waiting in the portal (no amounts, no visits)."""

from __future__ import annotations

from chalicelib.core import notify
from chalicelib.core.i18n import DEFAULT_LOCALE, Locale


def new_statement(locale: Locale = DEFAULT_LOCALE) -> notify.Notice:
    return notify.patient_notice(
        "A new statement is ready from {clinic}",
        "A new statement is ready in your patient portal.",
        locale=locale,
    )


def receipt(locale: Locale = DEFAULT_LOCALE) -> notify.Notice:
    return notify.patient_notice(
        "Your payment receipt is ready from {clinic}",
        "Thank you. Your payment receipt is ready in your patient portal.",
        locale=locale,
    )


def installment_problem(locale: Locale = DEFAULT_LOCALE) -> notify.Notice:
    return notify.patient_notice(
        "A scheduled payment needs your attention from {clinic}",
        "A scheduled payment of your payment plan did not go through.",
        locale=locale,
    )
