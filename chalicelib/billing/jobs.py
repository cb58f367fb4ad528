"""The billing jobs, run by the schedule or on demand: installments due, then payments left pending."""

from __future__ import annotations

from datetime import datetime

from chalicelib.billing import payments as payment_service
from chalicelib.billing import plans as plan_service
from chalicelib.billing.models import JobsRun


def run_all(*, now: datetime | None = None) -> JobsRun:
    charged, failed = plan_service.charge_due_installments(now=now)
    reconciled = payment_service.reconcile(now=now)
    return JobsRun(installments_charged=charged, installments_failed=failed, payments_reconciled=reconciled)
