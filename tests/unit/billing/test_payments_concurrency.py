"""Ten payments at once: the same Idempotency-Key charges once; different ones never exceed
the balance. Threads share boto3 clients (thread-safe) and the in-process moto backend.

moto's DynamoDB does not isolate requests the way DynamoDB does (a refused transaction restores a
copy of the table taken when it started), so `serialized_dynamodb` runs one backend request at a time,
as DynamoDB's per-request atomicity guarantees. Our code still races freely between its reads and its
writes; only the transactions' conditions keep the money right.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.billing import payments as service
from chalicelib.billing.models import PaymentIn, PaymentOut
from chalicelib.billing.providers.simulated import SimulatedProvider
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import errors
from chalicelib.core.access import Caller
from tests.unit.billing.test_payments import pay
from tests.unit.billing_fixtures import (
    Person,
    statement_maker,
)

THREADS = 10


@pytest.fixture(autouse=True)
def _serialized(serialized_dynamodb: None) -> None:
    """Every test here races threads against moto (see tests/unit/conftest.py)."""


def _all_at_once(calls: list[Callable[[], PaymentOut]]) -> list[PaymentOut | errors.PortalError]:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], PaymentOut]) -> PaymentOut | errors.PortalError:
        barrier.wait()
        try:
            return call()
        except errors.PortalError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_ten_submissions_with_one_key_charge_once_and_all_get_the_same_answer(
    alex: Person, billing: Caller, simulated: SimulatedProvider
) -> None:
    statement = statement_maker(billing)(alex.patient_id, 15_000)
    body = PaymentIn(statement_id=statement.id, amount_cents=5_000, currency="USD")

    def submit() -> PaymentOut:
        return service.pay(alex.caller, alex.patient_id, body, idempotency_key="same-key-for-all-ten")

    answers = _all_at_once([submit] * THREADS)

    assert all(isinstance(a, PaymentOut) for a in answers), answers
    assert len({a.model_dump_json() for a in answers if isinstance(a, PaymentOut)}) == 1  # identical answers
    assert len(simulated.intents()) == 1
    first = answers[0]
    assert isinstance(first, PaymentOut)
    assert pay(alex, statement.id, 5_000, "same-key-for-all-ten").status == "succeeded"
    assert simulated.captured_cents() == 5_000
    assert len(payment_store.list_for_patient(alex.patient_id)) == 1
    s = statement_store.get(alex.patient_id, statement.id)
    assert (s.balance_cents, s.pending_cents, s.paid_cents) == (10_000, 0, 5_000)


def test_ten_different_payments_together_never_exceed_the_balance(
    alex: Person, billing: Caller, simulated: SimulatedProvider
) -> None:
    statement = statement_maker(billing)(alex.patient_id, 15_000)

    def submit(n: int) -> Callable[[], PaymentOut]:
        return lambda: pay(alex, statement.id, 4_000, f"different-key-{n:02d}")

    answers = _all_at_once([submit(n) for n in range(THREADS)])

    # Racing attempts of one person also replace each other's unconfirmed ones; what holds whatever
    # the interleaving: never more than the balance, and every cent accounted for.
    outcomes = Counter(a.status if isinstance(a, PaymentOut) else a.CODE for a in answers)
    assert 1 <= outcomes["succeeded"] <= 3, outcomes  # 3 x 4000 fit in 15000; a fourth never does
    taken = 4_000 * outcomes["succeeded"]
    assert simulated.captured_cents() == taken
    s = statement_store.get(alex.patient_id, statement.id)
    assert s.paid_cents == taken
    assert s.balance_cents + s.pending_cents + s.paid_cents == s.patient_responsibility_cents
    stored = payment_store.list_for_patient(alex.patient_id)
    assert sum(p.amount_cents for p in stored if p.status == "succeeded") == taken


def test_a_race_of_mixed_amounts_charges_exactly_what_fits(
    alex: Person, billing: Caller, simulated: SimulatedProvider
) -> None:
    statement = statement_maker(billing)(alex.patient_id, 10_000)
    amounts = [1_000, 2_500, 3_000, 4_000, 5_000, 1_500, 2_000, 3_500, 6_000, 500]

    def submit(n: int, amount: int) -> Callable[[], PaymentOut]:
        return lambda: pay(alex, statement.id, amount, f"mixed-key-{n:02d}")

    answers = _all_at_once([submit(n, a) for n, a in enumerate(amounts)])

    taken = sum(a.amount_cents for a in answers if isinstance(a, PaymentOut) and a.status == "succeeded")
    assert simulated.captured_cents() == taken <= 10_000
    s = statement_store.get(alex.patient_id, statement.id)
    assert s.paid_cents == taken
    assert s.paid_cents + s.pending_cents + s.balance_cents == 10_000
