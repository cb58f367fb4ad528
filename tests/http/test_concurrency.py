"""Overlapping requests keep the portal's promises: checked afterwards from the data, not only the answers.

Each race sends its requests from separate threads, each with its own connection, released together.
"""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.appointments import store as appointment_store
from chalicelib.local.totp import current_code
from tests.http.conftest import ALEX, DEMO_PASSWORD, Answer, Portal
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


# --- accounts ---------------------------------------------------------------------------------------


def _cognito(portal: Portal) -> Any:
    import boto3

    config = portal.config["cognito"]
    return boto3.client("cognito-idp", endpoint_url=config["endpoint"], region_name=config["region"])


def _cognito_usernames(portal: Portal, *usernames: str) -> list[str]:
    """Which of these usernames Cognito knows."""
    pool = portal.config["cognito"]["userPoolId"]
    return [
        name
        for name in usernames
        if _cognito(portal).list_users(UserPoolId=pool, Filter=f'username = "{name}"')["Users"]
    ]


def _letters(n: int) -> str:
    return "".join(random.choice(string.ascii_lowercase) for _ in range(n))


def test_two_activations_of_one_code_make_one_account(portal: Portal) -> None:
    family = "Racer" + _letters(6)
    registered = portal.call(
        "POST",
        "/api/staff/registrations",
        as_user="frontdesk",
        json_body={
            "legal_name": {"given": "Robin", "family": family},
            "birth_date": "1990-04-12",
            "sex": "female",
            "address": {"line1": "1 Race St", "city": "Springfield", "state": "IL", "postal_code": "62704"},
        },
    )
    assert registered.status == 201, registered.text
    patient_id = registered.body["id"]
    invited = portal.call(
        "POST",
        f"/api/patients/{patient_id}/invitations",
        as_user="frontdesk",
        json_body={"delivery": "letter"},
    )
    assert invited.status == 201, invited.text
    facts = {"code": invited.body["code"], "birth_date": "1990-04-12", "second_fact": "62704"}
    usernames = [f"robin-{_letters(8)}", f"robin-{_letters(8)}"]

    def activate(username: str) -> Callable[[requests.Session], Answer]:
        body = {**facts, "username": username, "password": DEMO_PASSWORD}
        return lambda session: portal.call(
            "POST", "/api/activation/complete", json_body=body, session=session
        )

    answers = race([activate(name) for name in usernames])

    assert sorted(answer.status for answer in answers) == [201, 400], [a.text for a in answers]
    refused = next(answer for answer in answers if answer.status == 400)
    assert refused.error_code == "activation_refused"
    winner = next(answer.body["username"] for answer in answers if answer.status == 201)
    assert _cognito_usernames(portal, *usernames) == [winner]  # one sign-in, the winner's
    me = portal.call("GET", "/api/me", as_user=winner)
    assert [(p["id"], p["relationship"]) for p in me.body["patients"]] == [(patient_id, "self")]
    listed = portal.call("GET", f"/api/patients/{patient_id}/invitations", as_user="frontdesk")
    assert [item["status"] for item in listed.body["items"]] == ["used"]


def test_two_creations_of_one_staff_username_make_one_account(portal: Portal) -> None:
    username = f"race.{_letters(8)}"

    def create(email: str) -> Callable[[requests.Session], Answer]:
        body = {"username": username, "display_name": "Robin Race", "email": email, "role": "front_desk"}
        return lambda session: portal.call(
            "POST", "/api/admin/staff", as_user="admin", json_body=body, session=session
        )

    answers = race([create("robin.one@clinic.example"), create("robin.two@clinic.example")])

    assert sorted(answer.status for answer in answers) == [201, 409], [a.text for a in answers]
    created = next(answer.body["staff"] for answer in answers if answer.status == 201)
    assert _cognito_usernames(portal, username) == [username]
    cognito_user = _cognito(portal).admin_get_user(
        UserPoolId=portal.config["cognito"]["userPoolId"], Username=username
    )
    attributes = {a["Name"]: a["Value"] for a in cognito_user["UserAttributes"]}
    assert (attributes["sub"], attributes["email"]) == (created["sub"], created["email"])  # the same person
    listed = portal.call("GET", "/api/admin/staff?limit=100", as_user="admin")
    assert [m["sub"] for m in listed.body["items"] if m["username"] == username] == [created["sub"]]


def _proxy_state(portal: Portal) -> tuple[bool, bool]:
    """Whether maria's record lists alex as a caregiver, and whether alex's account may act for maria."""
    listed = portal.call("GET", f"/api/patients/{MARIA}/proxies", as_user="frontdesk")
    assert listed.status == 200, listed.text
    alex_sub = portal.call("GET", "/api/me", as_user="alex").body["user"]["sub"]
    on_record = any(grant["sub"] == alex_sub for grant in listed.body["items"])
    mine = portal.call("GET", "/api/me", as_user="alex").body["patients"]
    return on_record, [p["id"] for p in mine].count(MARIA) == 1


def test_caregiver_grants_and_revokes_at_once_stay_consistent(portal: Portal) -> None:
    alex_sub = portal.call("GET", "/api/me", as_user="alex").body["user"]["sub"]
    body = {"username": "alex", "relationship": "other", "verification_note": "ID checked at the desk (race)"}

    def grant(session: requests.Session) -> Answer:
        return portal.call(
            "POST", f"/api/patients/{MARIA}/proxies", as_user="frontdesk", json_body=body, session=session
        )

    def revoke(session: requests.Session) -> Answer:
        return portal.call(
            "DELETE", f"/api/patients/{MARIA}/proxies/{alex_sub}", as_user="frontdesk", session=session
        )

    try:
        answers = race([grant, grant])
        assert sorted(answer.status for answer in answers) == [201, 409], [a.text for a in answers]
        assert _proxy_state(portal) == (True, True)

        for _ in range(3):  # from granted, then from whatever each race left
            before, _ = _proxy_state(portal)
            granted, revoked = race([grant, revoke])
            # Whichever ran first, the other met its result: from granted, grant-then-revoke is (409, 204)
            # and revoke-then-grant (201, 204); from nothing, (201, 204) and (201, 404).
            outcome = (granted.status, revoked.status)
            assert outcome in ({(409, 204), (201, 204)} if before else {(201, 204), (201, 404)}), outcome
            expected = revoked.status == 404 or (before and granted.status == 201)
            assert _proxy_state(portal) == (expected, expected)  # both halves of the grant, or neither
    finally:
        portal.call("DELETE", f"/api/patients/{MARIA}/proxies/{alex_sub}", as_user="frontdesk")
    assert _proxy_state(portal) == (False, False)


def _another_admin(portal: Portal) -> tuple[str, str]:
    """A second administrator, signed in with an authenticator enrolled: (username, sub)."""
    username = f"admin.{_letters(8)}"
    body = {
        "username": username,
        "display_name": "Avery Admin",
        "email": f"{username}@clinic.example",
        "role": "admin",
    }
    created = portal.call("POST", "/api/admin/staff", as_user="admin", json_body=body)
    assert created.status == 201, created.text
    _cognito(portal).admin_set_user_password(
        UserPoolId=portal.config["cognito"]["userPoolId"],
        Username=username,
        Password=DEMO_PASSWORD,
        Permanent=True,
    )
    assert portal.call("POST", "/api/me/mfa/totp/setup", as_user=username).status == 200
    verified = portal.call(
        "POST", "/api/me/mfa/totp/verify", as_user=username, json_body={"code": current_code()}
    )
    assert verified.status == 200, verified.text
    return username, str(created.body["staff"]["sub"])


def _active_admins(portal: Portal, as_user: str) -> list[str]:
    listed = portal.call("GET", "/api/admin/staff?limit=100", as_user=as_user)
    assert listed.status == 200, listed.text
    return sorted(m["username"] for m in listed.body["items"] if m["role"] == "admin" and not m["disabled"])


@pytest.mark.parametrize("how", ["disable", "demote"])
def test_two_admins_removing_each_other_at_once_leave_one_admin(portal: Portal, how: str) -> None:
    # The demo admin and one more: the only two active administrators of the clinic.
    assert _active_admins(portal, "admin") == ["admin"]
    other, other_sub = _another_admin(portal)
    admin_sub = portal.call("GET", "/api/me", as_user="admin").body["user"]["sub"]

    def remove(actor: str, target: str, kind: str) -> Callable[[requests.Session], Answer]:
        if kind == "disable":
            return lambda session: portal.call(
                "POST", f"/api/admin/staff/{target}/disable", as_user=actor, session=session
            )
        return lambda session: portal.call(
            "PATCH",
            f"/api/admin/staff/{target}",
            as_user=actor,
            json_body={"role": "clinician"},
            session=session,
        )

    first, second = race([remove("admin", other_sub, "disable"), remove(other, admin_sub, how)])
    try:
        assert sorted((first.status, second.status)) == [200, 409], (first.text, second.text)
        refused = first if first.status == 409 else second
        assert refused.body["error"]["message"] == "the clinic must keep at least one active administrator"
        survivor = "admin" if first.status == 200 else other
        assert _active_admins(portal, survivor) == [survivor]
    finally:
        if second.status == 200:  # the demo admin was removed: the other admin puts them back
            restore = (
                portal.call("POST", f"/api/admin/staff/{admin_sub}/enable", as_user=other)
                if how == "disable"
                else portal.call(
                    "PATCH", f"/api/admin/staff/{admin_sub}", as_user=other, json_body={"role": "admin"}
                )
            )
            assert restore.status == 200, restore.text
            assert portal.call("POST", f"/api/admin/staff/{other_sub}/disable", as_user="admin").status == 200
    assert _active_admins(portal, "admin") == ["admin"]


def _video_join(portal: Portal, path: str, user: str) -> Callable[[requests.Session], Answer]:
    return lambda session: portal.call("POST", path, as_user=user, session=session)


@pytest.mark.parametrize("rounds", [10])
def test_patient_and_clinician_joining_at_once_share_one_meeting(portal: Portal, rounds: int) -> None:
    for _ in range(rounds):
        with portal.process.video_visit_now(ALEX, "Alex Morgan") as visit:
            path = f"/api/patients/{ALEX}/appointments/{visit.id}/video"
            waiting = portal.call("POST", f"{path}/join", as_user="alex")
            assert waiting.status == 200, waiting.text
            assert waiting.body["state"] == "waiting"
            admitted = portal.call("POST", f"{path}/admit", as_user="drrivera")
            assert admitted.status == 200, admitted.text
            assert admitted.body["admitted"]

            answers = race([_video_join(portal, f"{path}/join", user) for user in ("alex", "drrivera")])

            assert [answer.status for answer in answers] == [200, 200], [a.text for a in answers]
            assert {answer.body["state"] for answer in answers} == {"in_call"}
            meetings = {answer.body["meeting"]["meeting_id"] for answer in answers}
            assert len(meetings) == 1
            tokens = {answer.body["attendee"]["join_token"] for answer in answers}
            attendees = {answer.body["attendee"]["attendee_id"] for answer in answers}
            assert len(tokens) == 2
            assert len(attendees) == 2
            stored = portal.process.table().get_item(Key=appointment_store.appointment_key(visit))
            assert stored["Item"]["meeting_id"] in meetings


def _booked_visit_today(portal: Portal) -> dict[str, Any]:
    day = portal.call("GET", "/api/staff/day", as_user="frontdesk")
    assert day.status == 200, day.text
    visits = [v["visit"] for p in day.body["providers"] for v in p["visits"]]
    booked = [visit for visit in visits if visit["visit_status"] == "booked"]
    assert booked, "the demo clinic has booked visits today"
    return dict(booked[0])


def test_two_staff_marking_one_visit_arrived_at_once_mark_it_once(portal: Portal) -> None:
    visit = _booked_visit_today(portal)
    body = {"status": "arrived", "version": visit["version"]}

    def mark(user: str) -> Callable[[requests.Session], Answer]:
        return lambda session: portal.call(
            "POST", f"/api/staff/visits/{visit['ref']}/status", as_user=user, json_body=body, session=session
        )

    answers = race([mark("frontdesk"), mark("drrivera")])

    assert sorted(a.status for a in answers) == [200, 409], [a.text for a in answers]
    [winner] = [a.body for a in answers if a.status == 200]
    day = portal.call("GET", "/api/staff/day", as_user="frontdesk").body
    [shown] = [v["visit"] for p in day["providers"] for v in p["visits"] if v["visit"]["ref"] == visit["ref"]]
    assert shown["visit_status"] == "arrived"
    assert [e["status"] for e in shown["visit_events"]] == ["arrived"]
    assert shown["version"] == winner["version"]


# --- eCheck-in review ---------------------------------------------------------------------------------


def _checked_in_visit(portal: Portal, substance: str, medication: str) -> str:
    """Alex books a visit within the eCheck-in window and sends an allergy and a medication new to the
    record (unique names, so each race has its own items); returns the visit id."""
    now = datetime.now(UTC)
    soon = [
        s
        for s in open_slots(portal)
        if now + timedelta(hours=2) < datetime.fromisoformat(s["starts_at"]) < now + timedelta(days=6)
    ]
    booked = portal.call(
        "POST", f"/api/patients/{ALEX}/appointments", as_user="alex", json_body={"slot_id": soon[-1]["id"]}
    )
    assert booked.status == 201, booked.text
    visit_id = str(booked.body["id"])
    sent = portal.call(
        "PUT",
        f"/api/patients/{ALEX}/appointments/{visit_id}/checkin",
        as_user="alex",
        json_body={
            "demographics_confirmed": True,
            "insurance": {"self_pay": True},
            "medications": [{"name": medication, "dose": "5 mg"}],
            "allergies": [{"substance": substance, "reaction": "Hives"}],
            "answers": {"reason-for-visit": {"reason": "Follow-up", "since": "Two weeks"}},
        },
    )
    assert sent.status == 200, sent.text
    return visit_id


def _review_item(portal: Portal, visit_id: str, kind: str, submitted_prefix: str) -> dict[str, Any]:
    review = portal.call("GET", f"/api/staff/patients/{ALEX}/checkins/{visit_id}", as_user="frontdesk")
    assert review.status == 200, review.text
    [item] = [
        i for i in review.body["items"] if i["kind"] == kind and i["submitted"].startswith(submitted_prefix)
    ]
    return dict(item)


def _chart(portal: Portal) -> dict[str, Any]:
    summary = portal.call("GET", f"/api/patients/{ALEX}/summary", as_user="drrivera")
    assert summary.status == 200, summary.text
    return dict(summary.body)


def _audit_actions(portal: Portal, target: str, *, patient_id: str = ALEX) -> list[str]:
    """The actions of a patient's audit events on this target, read from the server's audit table."""
    import boto3
    from boto3.dynamodb.conditions import Key

    dynamodb: Any = boto3.resource("dynamodb", endpoint_url=portal.process.aws_url, region_name="us-east-1")
    [name] = [n for n in dynamodb.meta.client.list_tables()["TableNames"] if n.endswith("-audit")]
    query: dict[str, Any] = {"KeyConditionExpression": Key("PK").eq(f"PATIENT#{patient_id}")}
    actions: list[str] = []
    while True:
        page = dynamodb.Table(name).query(**query)
        actions += [str(i["action"]) for i in page["Items"] if i.get("target") == target]
        if "LastEvaluatedKey" not in page:
            return actions
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _decide(portal: Portal, path: str, user: str, decision: str) -> Callable[[requests.Session], Answer]:
    return lambda session: portal.call(
        "POST", path, as_user=user, json_body={"decision": decision}, session=session
    )


@pytest.mark.parametrize("rounds", [3])
def test_two_staff_accepting_one_checkin_allergy_at_once_write_it_once(portal: Portal, rounds: int) -> None:
    for _ in range(rounds):
        substance = f"Racemycin {_letters(6)}"
        visit_id = _checked_in_visit(portal, substance, f"Racetab {_letters(6)}")
        item = _review_item(portal, visit_id, "allergy", substance)
        path = f"/api/staff/patients/{ALEX}/checkins/{visit_id}/items/{item['id']}"

        answers = race(
            [_decide(portal, path, "frontdesk", "accept"), _decide(portal, path, "drrivera", "accept")]
        )

        # Both asked for the same outcome: the one decision is written once and both are shown it, with
        # who made it (a second accept is "done already", not an error).
        assert [a.status for a in answers] == [200, 200], [a.text for a in answers]
        shown = [next(i for i in a.body["items"] if i["id"] == item["id"]) for a in answers]
        assert {(i["state"], i["decided_by"]) for i in shown} == {("accepted", shown[0]["decided_by"])}
        entries = [a for a in _chart(portal)["allergies"] if a["substance"] == substance]
        assert len(entries) == 1, entries
        assert entries[0]["source"]["accepted_by"] == shown[0]["decided_by"]
        target = f"appointment:{visit_id}#{item['id']}"
        assert _audit_actions(portal, target).count("checkin_review.accept") == 1
        assert _review_item(portal, visit_id, "allergy", substance)["state"] == "accepted"


@pytest.mark.parametrize("rounds", [3])
def test_accept_and_decline_of_one_checkin_medication_at_once_one_wins(portal: Portal, rounds: int) -> None:
    for _ in range(rounds):
        medication = f"Racetab {_letters(6)}"
        visit_id = _checked_in_visit(portal, f"Racemycin {_letters(6)}", medication)
        item = _review_item(portal, visit_id, "medication", medication)
        path = f"/api/staff/patients/{ALEX}/checkins/{visit_id}/items/{item['id']}"

        accepted, declined = race(
            [_decide(portal, path, "frontdesk", "accept"), _decide(portal, path, "drrivera", "decline")]
        )

        assert sorted((accepted.status, declined.status)) == [200, 409], (accepted.text, declined.text)
        winner, loser = (accepted, declined) if accepted.status == 200 else (declined, accepted)
        state = "accepted" if winner is accepted else "declined"
        decided = next(i for i in winner.body["items"] if i["id"] == item["id"])
        assert decided["state"] == state
        assert loser.error_code == "conflict"
        assert loser.body["error"]["message"] == f"this item was already {state} by {decided['decided_by']}"
        on_chart = [m for m in _chart(portal)["medications"] if m["name"] == medication]
        assert len(on_chart) == (1 if state == "accepted" else 0), on_chart
        actions = _audit_actions(portal, f"appointment:{visit_id}#{item['id']}")
        assert sorted(a for a in actions if a != "checkin_review.read") == [
            f"checkin_review.{'accept' if state == 'accepted' else 'decline'}"
        ]
        assert _review_item(portal, visit_id, "medication", medication)["state"] == state


# --- scheduled jobs -----------------------------------------------------------------------------------

# The caregiver job's entry point as `python -m chalicelib.local.proxy_jobs` runs it, started at an agreed
# moment so that two runs overlap (two processes, one moto, as two scheduled invocations would).
_JOB_AT = """
import json, sys, time
from chalicelib.local.server import connect_to_running_portal
connect_to_running_portal(int(sys.argv[1]))
from chalicelib.proxies import service
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
print(json.dumps({"ended": service.end_grants_at_adulthood()}))
"""


def _emails_to(portal: Portal, address: str) -> int:
    """How many emails the server's SES (moto) has sent to this address."""
    data = requests.get(f"{portal.process.aws_url}/moto-api/data.json", timeout=30).json()
    return sum(
        address in (message.get("destinations") or {}).get("ToAddresses", [])
        for service in ("ses", "sesv2")
        for messages in data.get(service, {}).values()
        for message in messages
    )


def test_two_runs_of_the_grants_at_adulthood_job_at_once_end_the_grant_once(portal: Portal) -> None:
    from chalicelib.core.dynamo import utc_text
    from chalicelib.proxies import store as proxy_store

    # A teenager registered with an email, and Alex their parent on the record.
    born = datetime.now(UTC).date().replace(year=datetime.now(UTC).year - 17) - timedelta(days=30)
    teen_email = f"teen.{_letters(8)}@patients.example"
    registered = portal.call(
        "POST",
        "/api/staff/registrations",
        as_user="frontdesk",
        json_body={
            "legal_name": {"given": "Toby", "family": "Teen" + _letters(6)},
            "birth_date": born.isoformat(),
            "sex": "male",
            "email": teen_email,
            "address": {"line1": "1 Race St", "city": "Springfield", "state": "IL", "postal_code": "62704"},
        },
    )
    assert registered.status == 201, registered.text
    teen = registered.body["id"]
    granted = portal.call(
        "POST",
        f"/api/patients/{teen}/proxies",
        as_user="frontdesk",
        json_body={"username": "alex", "relationship": "parent", "verification_note": "Birth certificate"},
    )
    assert granted.status == 201, granted.text
    alex_sub = portal.call("GET", "/api/me", as_user="alex").body["user"]["sub"]
    assert teen in [p["id"] for p in portal.call("GET", "/api/me", as_user="alex").body["patients"]]

    # The teen came of age a minute ago (the job's clock is the real one): both halves say so.
    came_of_age = utc_text(datetime.now(UTC) - timedelta(minutes=1))
    table = portal.process.table()
    for key, index in (
        (proxy_store.proxy_key(teen, alex_sub), None),
        (proxy_store.acts_for_key(alex_sub, teen), f"{came_of_age}#{teen}#{alex_sub}"),
    ):
        assert "adult_at" in table.get_item(Key=key)["Item"], key
        update = "SET adult_at = :at, expires_at = :at" + (", GSI1SK = :index" if index else "")
        values = {":at": came_of_age, **({":index": index} if index else {})}
        table.update_item(Key=key, UpdateExpression=update, ExpressionAttributeValues=values)
    alex_email = "alex@patients.example"
    alex_emails_before = _emails_to(portal, alex_email)

    aws_port = portal.process.aws_url.rsplit(":", 1)[1]
    start_at = str(time.time() + 8)  # both have connected by then
    runs = [
        subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
            [sys.executable, "-c", _JOB_AT, aws_port, start_at],
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]

    ended = [json.loads(out.decode().strip().splitlines()[-1])["ended"] for out, _ in outputs]
    assert sorted(ended) == [0, 1], ended  # one run ended it; the other found it gone or lost the race
    on_record = portal.call("GET", f"/api/patients/{teen}/proxies", as_user="frontdesk")
    assert on_record.status == 200, on_record.text
    assert on_record.body["items"] == []
    assert teen not in [p["id"] for p in portal.call("GET", "/api/me", as_user="alex").body["patients"]]
    assert _audit_actions(portal, alex_sub, patient_id=teen).count("proxy.end") == 1
    assert _emails_to(portal, teen_email) == 1
    assert _emails_to(portal, alex_email) - alex_emails_before == 1
