"""The billing jobs, run by the schedule or on demand: installments due, then payments left pending."""

from __future__ import annotations

from datetime import datetime

from chalicelib.models.billing import JobsRun
from chalicelib.services import payments as payment_service
from chalicelib.services import payments_plans as plan_service


def run_all(*, now: datetime | None = None) -> JobsRun:
    charged, failed = plan_service.charge_due_installments(now=now)
    reconciled = payment_service.reconcile(now=now)
    return JobsRun(installments_charged=charged, installments_failed=failed, payments_reconciled=reconciled)
