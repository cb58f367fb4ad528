"""Powertools objects every module shares: structured logs (ids and event names, never PHI) and metrics."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="clinic-portal")
metrics = Metrics(namespace="ClinicPortal", service="clinic-portal")
