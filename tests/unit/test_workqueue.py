"""The clinician's work queue: unreviewed results ordered critical, then abnormal, then the rest, oldest
first within each; reviewing takes a result off the queue in the same write; concurrent reviews cannot
both win; open refills and conversations waiting for a reply join it; the counts read no patient data."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.messaging import service as messaging
from chalicelib.messaging.models import NewThreadIn
from chalicelib.patients.models import PatientProfile
from chalicelib.results import service as results
from chalicelib.results import store as result_store
from chalicelib.results.models import ResultIn, ReviewIn
from chalicelib.workqueue import service as workqueue
from tests.unit.conftest import CallerFactory, PatientFactory

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def result_in(name: str, value: float, *, days_ago: int, comment: str | None = None) -> ResultIn:
    data: dict[str, Any] = {
        "category": "lab",
        "name": name,
        "collected_at": (NOW - timedelta(days=days_ago)).isoformat(),
        "components": [
            {
                "name": "Potassium",
                "value": value,
                "unit": "mmol/L",
                "ref_low": 3.5,
                "ref_high": 5.1,
                "critical_low": 2.5,
                "critical_high": 6.5,
            }
        ],
    }
    if comment:
        data["comment"] = comment
    return ResultIn.model_validate(data)


@pytest.fixture
def patient(make_patient: PatientFactory) -> PatientProfile:
    return make_patient()


@pytest.fixture
def doctor() -> Caller:
    return Caller(
        sub="sub-doc",
        username="doc",
        role=Role.CLINICIAN,
        display_name="Dr. Rivera",
        request_id="r",
        pools=frozenset({"dr-rivera-team"}),
    )


def queue_names(doctor: Caller) -> list[str]:
    return [r.name for r in workqueue.work_queue(doctor, limit=50, cursor=None).results]


def test_the_queue_is_critical_then_abnormal_then_the_rest_oldest_first(
    patient: PatientProfile, doctor: Caller
) -> None:
    for name, value, days_ago in [
        ("normal old", 4.0, 9),
        ("high new", 5.6, 1),
        ("critical new", 7.0, 1),
        ("high old", 5.9, 5),
        ("normal new", 4.2, 2),
        ("critical old", 2.0, 3),
    ]:
        results.create_result(doctor, patient.id, result_in(name, value, days_ago=days_ago), now=NOW)

    assert queue_names(doctor) == [
        "critical old",
        "critical new",
        "high old",
        "high new",
        "normal old",
        "normal new",
    ]
    queue = workqueue.work_queue(doctor, limit=50, cursor=None)
    assert [r.priority for r in queue.results] == ["critical"] * 2 + ["abnormal"] * 2 + ["normal"] * 2
    assert queue.results[0].flag_text == "Far below the normal range (critical)"
    assert queue.results[0].patient_name == patient.display_name
    assert (queue.counts.results, queue.counts.results_abnormal) == (6, 4)


def test_pages_follow_the_same_order(patient: PatientProfile, doctor: Caller) -> None:
    for i in range(5):
        results.create_result(doctor, patient.id, result_in(f"high {i}", 5.5, days_ago=9 - i), now=NOW)
    first = workqueue.work_queue(doctor, limit=3, cursor=None)
    second = workqueue.work_queue(doctor, limit=3, cursor=first.results_next_cursor)
    assert [r.name for r in first.results + second.results] == [f"high {i}" for i in range(5)]


def test_reviewing_takes_a_result_off_the_queue_and_the_patient_sees_the_comment(
    patient: PatientProfile, doctor: Caller, caller_for: CallerFactory
) -> None:
    high = results.create_result(doctor, patient.id, result_in("high", 5.6, days_ago=1), now=NOW)
    results.create_result(doctor, patient.id, result_in("normal", 4.0, days_ago=1), now=NOW)
    commented = results.create_result(
        doctor, patient.id, result_in("entered with comment", 5.6, days_ago=1, comment="Fine."), now=NOW
    )

    assert commented.reviewed  # entered with a comment: reviewed already, never queued
    assert queue_names(doctor) == ["high", "normal"]
    results.review(doctor, patient.id, high.id, ReviewIn(comment="Eat a banana a day."), now=NOW)

    assert queue_names(doctor) == ["normal"]
    me = caller_for(acts_for={patient.id: "self"}, sub="sub-pat")
    seen = results.get_result(me, patient.id, high.id, now=NOW)
    assert (seen.reviewed, seen.reviewed_by, seen.comment) == (True, "Dr. Rivera", "Eat a banana a day.")
    events, _ = audit_log.list_for_patient(patient.id, limit=50, cursor=None)
    assert ("queue.read", "sub-doc") in [(e.action, e.actor_sub) for e in events]
    assert ("result.review", high.id) in [(e.action, e.target) for e in events]


def test_two_clinicians_reviewing_at_once_cannot_both_write(
    patient: PatientProfile, doctor: Caller, serialized_dynamodb: None
) -> None:
    created = results.create_result(doctor, patient.id, result_in("high", 5.6, days_ago=1), now=NOW)
    other = Caller(sub="sub-2", username="two", role=Role.CLINICIAN, display_name="Dr. Two", request_id="r2")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def review(caller: Caller, comment: str) -> None:
        barrier.wait()
        try:
            results.review(caller, patient.id, created.id, ReviewIn(comment=comment), now=NOW)
            outcomes.append("ok")
        except errors.Conflict:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=review, args=(doctor, "Comment one.")),
        threading.Thread(target=review, args=(other, "Comment two.")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    stored = results.get_result(doctor, patient.id, created.id, now=NOW)
    assert stored.comment in ("Comment one.", "Comment two.")
    # Both read "unreviewed": one write wins, the other is refused (or, if the second read came after
    # the first write, it was a deliberate change of the comment and also succeeds).
    assert outcomes.count("ok") >= 1
    assert len(outcomes) == 2
    assert queue_names(doctor) == []


def test_the_losing_review_gets_the_same_answer_or_a_conflict(
    patient: PatientProfile, doctor: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = results.create_result(doctor, patient.id, result_in("high", 5.6, days_ago=1), now=NOW)
    stale = result_store.get(patient.id, created.id)  # what a second clinician's request read
    results.review(doctor, patient.id, created.id, ReviewIn(comment="Same."), now=NOW)
    other = Caller(sub="sub-2", username="two", role=Role.CLINICIAN, display_name="Dr. Two", request_id="r2")
    real_get = result_store.get

    def read_stale_first() -> None:
        reads = iter([stale])
        monkeypatch.setattr(result_store, "get", lambda pid, rid: next(reads, None) or real_get(pid, rid))

    read_stale_first()
    same = results.review(other, patient.id, created.id, ReviewIn(comment="Same."), now=NOW)
    assert (same.comment, same.reviewed_by) == ("Same.", "Dr. Rivera")

    read_stale_first()
    with pytest.raises(errors.Conflict, match=r"Dr\. Rivera reviewed this result meanwhile"):
        results.review(other, patient.id, created.id, ReviewIn(comment="Different."), now=NOW)
    assert real_get(patient.id, created.id).comment == "Same."


def test_refills_and_waiting_conversations_join_the_queue(
    patient: PatientProfile, doctor: Caller, caller_for: CallerFactory
) -> None:
    me = caller_for(acts_for={patient.id: "self"}, sub="sub-pat", name="Pat")
    pool = "dr-rivera-team"
    waiting = messaging.start_thread(
        me,
        patient.id,
        NewThreadIn.model_validate({"pool_id": pool, "subject": "Dizzy", "body": "Since Monday"}),
    )
    colleague = Caller(
        sub="sub-2",
        username="two",
        role=Role.CLINICIAN,
        display_name="Dr. Two",
        request_id="r2",
        pools=frozenset({pool}),
    )
    taken = messaging.start_thread(
        me, patient.id, NewThreadIn.model_validate({"pool_id": pool, "subject": "Rash", "body": "On my arm"})
    )
    messaging.assign_to_me(colleague, patient.id, taken.thread.id)

    queue = workqueue.work_queue(doctor, limit=50, cursor=None)
    assert [t.subject for t in queue.threads] == ["Dizzy"]
    assert queue.threads[0].thread_id == waiting.thread.id
    assert queue.counts.threads == 1
    assert [t.subject for t in workqueue.work_queue(colleague, limit=50, cursor=None).threads] == [
        "Dizzy",
        "Rash",
    ]
