"""The billing jobs, run by the schedule or on demand: installments due, then payments left open."""

from __future__ import annotations

from datetime import datetime

from chalicelib.billing import payments as payment_service
from chalicelib.billing import plans as plan_service
from chalicelib.billing import webhooks
from chalicelib.billing.models import JobsRun


def run_all(*, now: datetime | None = None) -> JobsRun:
    delivered = webhooks.deliver_simulated()  # demo clinics: the simulated processor's webhooks
    charged, failed = plan_service.charge_due_installments(now=now)
    reconciled = payment_service.reconcile(now=now)
    delivered += webhooks.deliver_simulated()
    return JobsRun(
        installments_charged=charged,
        installments_failed=failed,
        payments_reconciled=reconciled,
        events_delivered=delivered,
    )
