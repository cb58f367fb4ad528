"""Scheduled appointment jobs (EventBridge rules, one Lambda each when deployed).

Locally, run them on demand: `python -m chalicelib.local.appointment_jobs` (see that module).
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Cron, Rate

from chalicelib.core.aws import logger

bp = Blueprint(__name__)


def run_hourly() -> dict[str, Any]:
    from chalicelib.appointments import notices as appointments_notify

    # Expired waitlist offers need no job: reads ignore them and DynamoDB's TTL deletes them.
    return {"reminders": appointments_notify.send_reminders(), "digest": appointments_notify.send_digest()}


def run_daily() -> dict[str, Any]:
    from chalicelib.appointments import availability as appointments_availability

    synced = appointments_availability.sync_all()
    return {provider: result.created for provider, result in synced.items()}


@bp.schedule(
    Rate(1, unit=Rate.HOURS), name="appointment-hourly", description="Reminders and front-desk digest"
)
def hourly(event: Any) -> None:
    logger.info("appointment hourly job", extra=run_hourly())


# 10:00 UTC is early morning in US time zones, before the front desk opens.
@bp.schedule(Cron(0, 10, "*", "*", "?", "*"), name="appointment-daily", description="Roll the slot window")
def daily(event: Any) -> None:
    logger.info("appointment daily job", extra={"slots_created": run_daily()})
