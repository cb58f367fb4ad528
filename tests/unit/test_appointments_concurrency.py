"""Many patients, one slot, all at once: exactly one booking wins, the rest get 409, the table agrees.

Threads share boto3 clients (thread-safe) and the in-process moto backend. moto's DynamoDB does not
serialize requests the way DynamoDB does: a refused TransactWriteItems restores a deep copy of the whole
table taken when it started, which can erase a transaction that committed meanwhile. The
`serialized_dynamodb` fixture gives moto the isolation real DynamoDB guarantees (each request atomic)
by running one backend request at a time; our code still races freely between its read and its write,
which is exactly what the transaction's condition must settle.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chalicelib.appointments import service
from chalicelib.appointments import store as appointment_store
from chalicelib.core import errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.appointments_fixtures import NOW, make_slot
from tests.unit.conftest import CallerFactory, PatientFactory

THREADS = 20


def _patients(make_patient: PatientFactory, caller_for: CallerFactory, n: int) -> list[tuple[str, Caller]]:
    people = []
    for i in range(n):
        patient = make_patient(f"p-race{i:02d}")
        people.append(
            (patient.id, caller_for(Role.PATIENT, acts_for={patient.id: "self"}, sub=f"sub-race{i}"))
        )
    return people


def _all_at_once(calls: list[Callable[[], Any]]) -> list[str]:
    """Start every call at the same instant; return "ok" or the error class name for each."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> str:
        barrier.wait()
        try:
            call()
        except errors.PortalError as exc:
            return f"{exc.STATUS_CODE}"
        return "ok"

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _appointments_for_slot(patient_ids: list[str], slot_start: Any) -> list[str]:
    found = []
    for pid in patient_ids:
        items, _ = appointment_store.list_appointments(pid, upcoming=True, now=NOW, limit=100, cursor=None)
        found += [a.id for a in items if a.start == slot_start and a.is_active]
    return found


@pytest.fixture
def racers(make_patient: PatientFactory, caller_for: CallerFactory) -> list[tuple[str, Caller]]:
    return _patients(make_patient, caller_for, THREADS)


def test_twenty_patients_book_one_slot_at_once(
    serialized_dynamodb: None, racers: list[tuple[str, Caller]]
) -> None:
    slot = make_slot()

    outcomes = _all_at_once(
        [functools.partial(service.book, caller, pid, slot.id, now=NOW) for pid, caller in racers]
    )

    assert Counter(outcomes) == {"ok": 1, "409": THREADS - 1}
    winner = racers[outcomes.index("ok")][0]
    stored = appointment_store.get_slot(slot.provider_id, slot.start)
    assert stored is not None
    assert (stored.status, stored.patient_id) == ("booked", winner)
    assert len(_appointments_for_slot([pid for pid, _ in racers], slot.start)) == 1


def test_two_patients_reschedule_into_one_slot_at_once(
    serialized_dynamodb: None, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    (a, a_caller), (b, b_caller) = _patients(make_patient, caller_for, 2)
    a_appt = service.book(a_caller, a, make_slot(days=5).id, now=NOW).appointment
    b_appt = service.book(b_caller, b, make_slot(days=6).id, now=NOW).appointment
    target = make_slot(days=2)

    outcomes = _all_at_once(
        [
            lambda: service.reschedule(a_caller, a, a_appt.id, target.id, now=NOW),
            lambda: service.reschedule(b_caller, b, b_appt.id, target.id, now=NOW),
        ]
    )

    assert sorted(outcomes) == ["409", "ok"]
    winner, loser = (a, b) if outcomes[0] == "ok" else (b, a)
    loser_appt = a_appt if loser == a else b_appt
    assert len(_appointments_for_slot([a, b], target.start)) == 1
    stored = appointment_store.get_slot(target.provider_id, target.start)
    assert stored is not None
    assert stored.patient_id == winner
    # The loser keeps their original appointment and slot, untouched.
    assert service.load(loser, loser_appt.id).status == "booked"
    kept = appointment_store.get_slot(loser_appt.provider.id, loser_appt.starts_at)
    assert kept is not None
    assert kept.appointment_id == loser_appt.id
