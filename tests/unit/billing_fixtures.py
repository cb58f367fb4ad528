"""Shared helpers for the billing unit tests: staff, patients, statements, a Lambda context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.billing import statements as statement_service
from chalicelib.billing.models import StatementIn, StatementOut
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.conftest import CallerFactory, PatientFactory

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


@dataclass(frozen=True)
class Person:
    patient_id: str
    caller: Caller


def statement_body(
    charges: list[int] | None = None,
    *,
    insurance: int = 0,
    adjustments: int = 0,
    due: date | None = None,
) -> StatementIn:
    lines = [
        {"description": f"Office visit {i}", "code": "99213", "service_date": "2026-03-01", "charge_cents": c}
        for i, c in enumerate(charges or [15_000])
    ]
    return StatementIn.model_validate(
        {
            "lines": lines,
            "insurance_paid_cents": insurance,
            "adjustments_cents": adjustments,
            "due_date": (due or TODAY + timedelta(days=30)).isoformat(),
        }
    )


def make_person(make_patient: PatientFactory, caller_for: CallerFactory, n: int = 1) -> Person:
    profile = make_patient(email=f"patient{n}@example.org")
    return Person(profile.id, caller_for(Role.PATIENT, acts_for={profile.id: "self"}, sub=f"sub-patient-{n}"))


def billing_caller(caller_for: CallerFactory) -> Caller:
    return caller_for(Role.BILLING, sub="sub-billing", name="Jordan Billing")


StatementMaker = Callable[..., StatementOut]


def statement_maker(billing: Caller) -> StatementMaker:
    def make(patient_id: str, balance: int = 15_000, **kwargs: Any) -> StatementOut:
        return statement_service.post(billing, patient_id, statement_body([balance], **kwargs), now=NOW)

    return make


class FakeLambdaContext:
    """What Powertools reads from a Lambda context: the time left."""

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
