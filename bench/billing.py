"""Billing for `make bench`: statements, ledger, payments (new and replayed), insurance, the work list.

Each filler patient owes one open statement, due within the next 90 days, so the billing work list's
index partition grows with the clinic while a page stays a page.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from bench.routes import Probe


def reads(pid: str, sid: str, patient: dict[str, str], billing: dict[str, str]) -> list[Probe]:
    def mine(path: str) -> Probe:
        return Probe("GET", f"/patients/{pid}{path}", "patient", patient, "/patients/{pid}" + path)

    return [
        mine("/statements"),
        Probe(
            "GET", f"/patients/{pid}/statements/{sid}", "patient", patient, "/patients/{pid}/statements/{sid}"
        ),
        mine("/ledger"),
        mine("/payments"),
        mine("/insurance"),
        Probe("GET", "/staff/billing/open-balances", "billing", billing, "/staff/billing/open-balances"),
    ]


def payments(pid: str, sid: str, patient: dict[str, str]) -> list[Probe]:
    """A new payment (reserve, create the intent), then the same request again (Powertools Idempotency)."""
    headers = {**patient, "Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
    body = {"statement_id": sid, "amount_cents": 100, "currency": "USD"}  # starts the intent; no card here
    path, label = f"/patients/{pid}/payments", "/patients/{pid}/payments"
    return [
        Probe("POST", path, "patient", headers, label, body=body),
        Probe("POST", path, "patient, same key again", headers, label, body=body),
    ]


def jobs(billing: dict[str, str]) -> Probe:
    return Probe("POST", "/staff/billing/run-jobs", "billing", billing, "/staff/billing/run-jobs")


def filler_items(n: int, pid: str, name: str, now: datetime) -> list[dict[str, Any]]:
    from chalicelib.billing.models import Statement, StatementLine
    from chalicelib.billing.store import statements as statement_store

    visit: date = (now - timedelta(days=20 + n % 60)).date()
    owed = 2_500 + n % 50 * 100
    statement = Statement(
        id=f"st-bench{n:05d}",
        number=f"S-BENCH-{n:05d}",
        patient_id=pid,
        patient_name=name,
        currency="USD",
        lines=[
            StatementLine(description="Office visit", code="99213", service_date=visit, charge_cents=owed)
        ],
        total_charges_cents=owed,
        insurance_paid_cents=0,
        adjustments_cents=0,
        patient_responsibility_cents=owed,
        balance_cents=owed,
        due_date=now.date() + timedelta(days=n % 90),
        status="open",
        posted_at=now - timedelta(days=n % 60),
        posted_by_name="Bench Billing",
    )
    return [statement_store.statement_item(statement)]
