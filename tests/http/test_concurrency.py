"""Overlapping requests keep the portal's promises: checked afterwards from the data, not only the answers.

Each race sends its requests from separate threads, each with its own connection, released together.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.http.conftest import ALEX, Answer, Portal
from tests.local_portal import local_portal

MARIA = "p-8b3d7e21"
PATIENTS = {"alex": ALEX, "maria": MARIA}


def race(calls: list[Callable[[requests.Session], Answer]]) -> list[Answer]:
    """Run every call at the same moment, each on its own thread and connection."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[requests.Session], Answer]) -> Answer:
        with requests.Session() as session:
            start.wait()
            return call(session)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def open_slots(portal: Portal, visit_type: str = "follow-up", days_ahead: int = 0) -> list[dict[str, Any]]:
    found = portal.call("GET", f"/api/patients/{ALEX}/slots?visit_type={visit_type}&days=14", as_user="alex")
    assert found.status == 200, found.text
    return list(found.body["items"])


def appointments_of(portal: Portal, user: str) -> list[dict[str, Any]]:
    listed = portal.call("GET", f"/api/patients/{PATIENTS[user]}/appointments?limit=100", as_user=user)
    assert listed.status == 200, listed.text
    return list(listed.body["items"])


def booked_at(portal: Portal, starts_at: str) -> list[dict[str, Any]]:
    """Every booked appointment, of either demo patient, that starts at this time."""
    return [
        item
        for user in PATIENTS
        for item in appointments_of(portal, user)
        if item["starts_at"] == starts_at and item["status"] == "booked"
    ]


def test_twenty_bookings_of_one_slot_leave_exactly_one_appointment(portal: Portal) -> None:
    slot = open_slots(portal)[-1]
    users = ["alex", "maria"] * 10

    def book(user: str) -> Callable[[requests.Session], Answer]:
        return lambda session: portal.call(
            "POST",
            f"/api/patients/{PATIENTS[user]}/appointments",
            as_user=user,
            json_body={"slot_id": slot["id"]},
            session=session,
        )

    answers = race([book(user) for user in users])

    # One patient wins the slot; that patient's other attempts are retries of the same booking and get
    # it back (200), the other patient's all get 409.
    won = {answer.body["id"] for answer in answers if answer.status in (200, 201)}
    assert len(won) == 1, [a.text for a in answers]
    assert sum(answer.status == 201 for answer in answers) == 1
    assert sum(answer.status == 409 for answer in answers) == 10, [a.status for a in answers]
    in_slot = booked_at(portal, slot["starts_at"])
    assert [item["id"] for item in in_slot] == list(won)
    assert slot["id"] not in {item["id"] for item in open_slots(portal)}


def test_two_reschedules_of_one_appointment_move_it_once(portal: Portal) -> None:
    slots = open_slots(portal)
    first, second, third = slots[-4], slots[-6], slots[-8]
    booked = portal.call(
        "POST", f"/api/patients/{ALEX}/appointments", as_user="alex", json_body={"slot_id": first["id"]}
    )
    assert booked.status == 201, booked.text
    appointment_id = booked.body["id"]

    def move_to(slot: dict[str, Any]) -> Callable[[requests.Session], Answer]:
        return lambda session: portal.call(
            "POST",
            f"/api/patients/{ALEX}/appointments/{appointment_id}/reschedule",
            as_user="alex",
            json_body={"slot_id": slot["id"]},
            session=session,
        )

    answers = race([move_to(second), move_to(third)])

    assert sorted(answer.status for answer in answers) == [200, 409], [a.text for a in answers]
    moved = next(answer.body for answer in answers if answer.status == 200)
    target = second if moved["starts_at"] == second["starts_at"] else third
    loser = third if target is second else second
    assert [item["id"] for item in booked_at(portal, target["starts_at"])] == [moved["id"]]
    assert booked_at(portal, loser["starts_at"]) == []
    assert booked_at(portal, first["starts_at"]) == []
    still_open = {item["id"] for item in open_slots(portal)}
    assert loser["id"] in still_open
    assert first["id"] in still_open
    assert target["id"] not in still_open


def _statement(portal: Portal, statement_id: str) -> dict[str, Any]:
    found = portal.call("GET", f"/api/patients/{ALEX}/statements/{statement_id}", as_user="alex")
    assert found.status == 200, found.text
    return dict(found.body)


def _payments(portal: Portal) -> dict[str, dict[str, Any]]:
    listed = portal.call("GET", f"/api/patients/{ALEX}/payments", as_user="alex")
    assert listed.status == 200, listed.text
    return {item["id"]: item for item in listed.body["items"]}


def _pay(portal: Portal, statement_id: str, key: str, cents: int) -> Callable[[requests.Session], Answer]:
    """Start a payment, then confirm it with a card as the processor's script in the browser would."""
    body = {"statement_id": statement_id, "amount_cents": cents, "currency": "USD"}

    def pay(session: requests.Session) -> Answer:
        started = portal.call(
            "POST",
            f"/api/patients/{ALEX}/payments",
            as_user="alex",
            json_body=body,
            headers={"Idempotency-Key": key},
            session=session,
        )
        if started.status != 201 or not started.body.get("next_action"):
            return started
        secret = started.body["next_action"]["client_secret"]
        return portal.call(
            "POST",
            f"/api/patients/{ALEX}/payments/{started.body['id']}/simulated-confirmation",
            as_user="alex",
            json_body={"client_secret": secret, "card_token": "sim_tok_4242"},
            session=session,
        )

    return pay


def test_payments_with_different_keys_each_get_their_own_payment(portal: Portal) -> None:
    statement = "st-demo-alex-due"
    balance_before = _statement(portal, statement)["balance_cents"]
    answers = race([_pay(portal, statement, f"race-{uuid.uuid4()}", 100) for _ in range(10)])

    # One person's racing attempts replace each other's unconfirmed ones: some are refused (409), never
    # a 500, and every payment that went through is its own and counted once.
    paid = [
        answer.body for answer in answers if answer.status == 200 and answer.body["status"] == "succeeded"
    ]
    assert all(answer.status in (200, 409) for answer in answers), [a.text for a in answers]
    assert paid, [a.text for a in answers]
    assert len({payment["id"] for payment in paid}) == len(paid)  # nobody got another's receipt
    ledger = _payments(portal)
    assert all(ledger[payment["id"]]["status"] == "succeeded" for payment in paid)
    after = _statement(portal, statement)
    assert after["balance_cents"] + after["pending_cents"] == balance_before - 100 * len(paid)


def test_payments_with_one_key_charge_once(portal: Portal) -> None:
    statement = "st-demo-alex-overdue"
    balance_before = _statement(portal, statement)["balance_cents"]
    key = f"same-{uuid.uuid4()}"
    answers = race([_pay(portal, statement, key, 50) for _ in range(10)])

    paid = [
        answer.body for answer in answers if answer.status == 200 and answer.body["status"] == "succeeded"
    ]
    assert paid, [a.text for a in answers]
    # The others were told to retry (in progress), found it confirmed already, or got the very same
    # payment: never a second charge.
    assert all(answer.status in (200, 409) for answer in answers), [a.text for a in answers]
    assert {payment["id"] for payment in paid} == {paid[0]["id"]}
    assert _statement(portal, statement)["balance_cents"] == balance_before - 50
    assert (
        sum(
            1
            for p in _payments(portal).values()
            if p["statement_id"] == statement and p["amount_cents"] == 50
        )
        == 1
    )


@pytest.mark.parametrize("background_reads", [30])
def test_payments_keep_their_own_headers_among_other_requests(portal: Portal, background_reads: int) -> None:
    statement = "st-demo-alex-due"
    payments = [_pay(portal, statement, f"mixed-{uuid.uuid4()}", 10) for _ in range(10)]
    reads = [
        (lambda session: portal.call("GET", "/api/me", as_user="maria", session=session))
        for _ in range(background_reads)
    ]
    answers = race(payments + reads)

    for answer in answers[: len(payments)]:
        assert answer.status in (200, 409), answer.text
        assert answer.error_code != "bad_request", answer.text
    for answer in answers[len(payments) :]:
        assert answer.status == 200, answer.text
        assert answer.body["user"]["username"] == "maria"  # never another caller's identity


def test_two_refill_requests_for_one_medication_leave_one_open_request(portal: Portal) -> None:
    medication = "seed-p-4f1c2a9e-medication-2"
    pharmacies = portal.call("GET", f"/api/patients/{ALEX}/pharmacies", as_user="alex").body["items"]
    body = {"medication_id": medication, "pharmacy_id": pharmacies[0]["id"], "note": ""}

    def request_refill(session: requests.Session) -> Answer:
        return portal.call(
            "POST", f"/api/patients/{ALEX}/refill-requests", as_user="alex", json_body=body, session=session
        )

    answers = race([request_refill, request_refill, request_refill])

    created = [answer.body["id"] for answer in answers if answer.status == 201]
    assert sorted(answer.status for answer in answers) == [201, 409, 409], [a.text for a in answers]
    listed = portal.call("GET", f"/api/patients/{ALEX}/refill-requests", as_user="alex").body["items"]
    open_for_medication = [
        r["id"] for r in listed if r["medication_id"] == medication and r["status"] == "open"
    ]
    assert open_for_medication == created


def test_the_server_stops_within_five_seconds_of_sigterm_while_busy(tmp_path: Path) -> None:
    with local_portal(tmp_path) as process:
        portal = Portal(process)
        stop_requests = threading.Event()

        def keep_reading() -> None:
            with requests.Session() as session:
                while not stop_requests.is_set():
                    try:
                        portal.call("GET", f"/api/patients/{ALEX}/summary", as_user="alex", session=session)
                    except requests.RequestException:
                        return

        portal.token("alex")
        readers = [threading.Thread(target=keep_reading) for _ in range(8)]
        for reader in readers:
            reader.start()
        try:
            threading.Event().wait(2)  # busy now
            print(f"\nserver RSS while busy: {process.rss_mb():.0f} MB")
            seconds = process.stop()
        finally:
            stop_requests.set()
            for reader in readers:
                reader.join()
        print(f"stopped {seconds:.2f} s after SIGTERM")
        assert process.process.returncode is not None
        assert seconds < 5
