"""Every physical name starts with the clinic id, so two clinics can share one AWS account."""

from __future__ import annotations

from aws_cdk import aws_logs as logs

from chalicelib.core.clinic import ClinicConfig


def stack_name(clinic: ClinicConfig) -> str:
    return f"clinic-portal-{clinic.id}"


def physical(clinic: ClinicConfig, what: str) -> str:
    return f"{clinic.id}-portal-{what}"


def retention(days: int) -> logs.RetentionDays:
    """CDK's RetentionDays member for a number of days the clinic file allows."""
    by_days = {
        30: "ONE_MONTH",
        60: "TWO_MONTHS",
        90: "THREE_MONTHS",
        120: "FOUR_MONTHS",
        150: "FIVE_MONTHS",
        180: "SIX_MONTHS",
        365: "ONE_YEAR",
        400: "THIRTEEN_MONTHS",
        545: "EIGHTEEN_MONTHS",
        731: "TWO_YEARS",
        1096: "THREE_YEARS",
        1827: "FIVE_YEARS",
        2192: "SIX_YEARS",
        2557: "SEVEN_YEARS",
        2922: "EIGHT_YEARS",
        3653: "TEN_YEARS",
    }
    return getattr(logs.RetentionDays, by_days[days])
