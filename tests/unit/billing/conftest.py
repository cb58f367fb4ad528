"""Fixtures every billing test shares: the simulated card provider, a billing clerk, Alex, a poster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.unit.billing_fixtures import (
    FakeLambdaContext,
    Person,
    StatementMaker,
    billing_caller,
    make_person,
    statement_maker,
)
from tests.unit.conftest import CallerFactory, PatientFactory

if TYPE_CHECKING:
    from chalicelib.billing.providers.simulated import SimulatedProvider
    from chalicelib.core.access import Caller


@pytest.fixture(autouse=True)
def simulated() -> Iterator[SimulatedProvider]:
    """A fresh simulated provider, and the Lambda context Powertools idempotency needs."""
    from chalicelib.billing.providers.simulated import SimulatedProvider
    from chalicelib.core import idempotency

    provider = SimulatedProvider.shared()
    provider.reset()
    idempotency.register_lambda_context(FakeLambdaContext())
    yield provider
    idempotency.register_lambda_context(None)


@pytest.fixture
def billing(caller_for: CallerFactory) -> Caller:
    return billing_caller(caller_for)


@pytest.fixture
def alex(make_patient: PatientFactory, caller_for: CallerFactory) -> Person:
    return make_person(make_patient, caller_for, 1)


@pytest.fixture
def post(billing: Caller) -> StatementMaker:
    return statement_maker(billing)
