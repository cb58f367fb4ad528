"""Powertools objects every module shares: structured logs (ids and event names, never PHI) and metrics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="clinic-portal")
metrics = Metrics(namespace="ClinicPortal", service="clinic-portal")


@contextmanager
def isolated(job: str, **ids: str) -> Iterator[None]:
    """One provider's, patient's or item's share of a scheduled job: if it fails, log the job, the ids and
    the exception's type (never its text, which may quote stored data) and let the run go on to the next.

    Deliberately broad: whatever one damaged item or one stuck provider raises must not stop the slots,
    reminders, charges or emails of everyone after it.
    """
    try:
        yield
    except Exception as exc:
        logger.warning("job item failed", extra={"job": job, **ids, "error_type": type(exc).__name__})
