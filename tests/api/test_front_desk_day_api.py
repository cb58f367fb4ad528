"""The front desk's day: all providers' visits on one screen, and each visit's steps (arrived, roomed,
seen, no-show) marked from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.test import Client

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import Slot
from chalicelib.core.identity import Role
from tests.api.appointments_samples import booked_appointment
from tests.api.conftest import User, UserFactory


def _post(api: Client, user: User, path: str, body: Any = None) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    return api.http.post(path, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _mark(api: Client, user: User, ref: str, status: str, version: int | None = None) -> Any:
    body: dict[str, Any] = {"status": status}
    if version is not None:
        body["version"] = version
    return _post(api, user, f"/staff/visits/{ref}/status", body)


def test_a_visit_goes_arrived_roomed_seen_with_who_and_when_and_illegal_steps_are_409(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    doctor = make_user(Role.CLINICIAN, name="Dana Doctor")
    pid = alice.patient_id
    assert pid
    visit = booked_appointment(pid, at=datetime.now(UTC) - timedelta(days=2))
    ref = f"{pid}.{visit.id}"

    early = _mark(api, desk, ref, "seen")
    assert early.status_code == 409
    assert early.json_body["error"]["message"] == "this visit is booked; it cannot be marked seen now"

    arrived = _mark(api, desk, ref, "arrived")
    assert arrived.status_code == 200, arrived.body
    assert arrived.json_body["visit_status"] == "arrived"
    [event] = arrived.json_body["visit_events"]
    assert (event["status"], event["by_name"]) == ("arrived", "Sam Desk")
    roomed = _mark(api, doctor, ref, "roomed", version=arrived.json_body["version"])
    assert roomed.status_code == 200, roomed.body
    seen = _mark(api, doctor, ref, "seen")
    assert seen.status_code == 200, seen.body
    assert [e["status"] for e in seen.json_body["visit_events"]] == ["arrived", "roomed", "seen"]
    assert [e["by_name"] for e in seen.json_body["visit_events"]] == [
        "Sam Desk",
        "Dana Doctor",
        "Dana Doctor",
    ]

    again = _mark(api, desk, ref, "no_show")
    assert again.status_code == 409
    assert again.json_body["error"]["message"] == "this visit is seen; it cannot be marked a no-show now"

    # The patient's access log shows each step and who took it.
    log = api.http.get(f"/patients/{pid}/access-log", headers=alice.auth)
    if log.status_code == 200:
        actions = json.dumps(log.json_body)
        assert "visit.arrived" in actions or "Sam Desk" in actions


def test_a_stale_screen_gets_a_409_and_the_first_change_stands(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    other = make_user(Role.FRONT_DESK, name="Kim Desk")
    pid = alice.patient_id
    assert pid
    visit = booked_appointment(pid, at=datetime.now(UTC) - timedelta(days=2))
    ref = f"{pid}.{visit.id}"

    first = _mark(api, desk, ref, "arrived", version=visit.version)
    stale = _mark(api, other, ref, "no_show", version=visit.version)

    assert first.status_code == 200, first.body
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json_body["error"]["message"]
    day = common.local(visit.start).date()
    shown = api.http.get(f"/staff/day?date={day}", headers=desk.auth).json_body
    [mine] = [v["visit"] for p in shown["providers"] for v in p["visits"] if v["visit"]["id"] == visit.id]
    assert mine["visit_status"] == "arrived"


def test_cancelled_and_future_visits_cannot_be_marked_and_cancelled_shows_as_cancelled(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    future = booked_appointment(pid, days=5)
    cancelled = _post(api, desk, f"/patients/{pid}/appointments/{future.id}/cancel")
    assert cancelled.status_code == 200, cancelled.body
    later = booked_appointment(pid, days=6)

    refused = _mark(api, desk, f"{pid}.{future.id}", "arrived")
    too_early = _mark(api, desk, f"{pid}.{later.id}", "arrived")

    assert refused.status_code == 409
    assert refused.json_body["error"]["message"] == (
        "this visit is cancelled; only a booked visit can be marked arrived"
    )
    assert too_early.status_code == 409
    assert "on a later day" in too_early.json_body["error"]["message"]
    day = common.local(future.start).date()
    shown = api.http.get(f"/staff/day?date={day}", headers=desk.auth).json_body
    statuses = {v["visit"]["id"]: v["visit"]["visit_status"] for p in shown["providers"] for v in p["visits"]}
    assert statuses[future.id] == "cancelled"
    schedule = api.http.get(f"/staff/schedule?provider=dr-rivera&date={day}", headers=desk.auth).json_body
    [entry] = [
        e["appointment"]
        for e in schedule["days"][0]["entries"]
        if e["appointment"] and e["appointment"]["id"] == future.id
    ]
    assert entry["visit_status"] == "cancelled"


def test_an_arrived_patient_cannot_be_cancelled_online(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    soon = booked_appointment(pid, at=datetime.now(UTC) + timedelta(minutes=1))
    if common.local(soon.start).date() != common.today(datetime.now(UTC)):
        return  # just before midnight in clinic time: the visit falls on tomorrow
    assert _mark(api, desk, f"{pid}.{soon.id}", "arrived").status_code == 200
    cancel = _post(api, desk, f"/patients/{pid}/appointments/{soon.id}/cancel")
    assert cancel.status_code == 409
    assert cancel.json_body["error"]["message"] == "this visit is already marked arrived"


def test_the_day_lists_every_provider_in_one_query(api: Client, make_user: UserFactory) -> None:
    from chalicelib.core import aws

    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    at = datetime.now(UTC) + timedelta(days=40)
    rivera = booked_appointment(pid, at=at)
    start = rivera.start + timedelta(minutes=5)
    chen_slot = Slot(
        provider_id="dr-chen", visit_type_id="follow-up", start=start, end=start + timedelta(minutes=20)
    )
    assert appointment_store.put_slots([chen_slot]) == 1
    booked = _post(api, desk, f"/patients/{pid}/appointments", {"slot_id": chen_slot.id})
    assert booked.status_code == 201, booked.body
    day = common.local(rivera.start).date()

    calls: list[str] = []
    client = aws.dynamodb_resource().meta.client
    client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    try:
        api.http.get("/staff/providers", headers=desk.auth)  # what the guard itself reads
        guard = list(calls)
        calls.clear()
        shown = api.http.get(f"/staff/day?date={day}", headers=desk.auth)
    finally:
        client.meta.events.unregister("before-call.dynamodb.*")

    assert shown.status_code == 200, shown.body
    by_provider = {
        p["provider"]["id"]: [v["visit"]["id"] for v in p["visits"]] for p in shown.json_body["providers"]
    }
    assert rivera.id in by_provider["dr-rivera"]
    assert booked.json_body["id"] in by_provider["dr-chen"]
    assert "Scan" not in calls
    # Beyond the guard's reads: one Query for the day, one batch read of its visits (and the audit).
    assert calls.count("Query") == guard.count("Query") + 1, (guard, calls)
    assert calls.count("BatchGetItem") == 1, calls
    assert api.http.get(f"/staff/day?date={day}", headers=alice.auth).status_code == 403
    assert api.http.get("/staff/day?date=2024-13-01", headers=desk.auth).status_code == 400


def _undo(api: Client, user: User, ref: str, version: int) -> Any:
    return _post(api, user, f"/staff/visits/{ref}/undo", {"version": version})


def test_a_step_marked_by_mistake_is_undone_one_step_the_same_day(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Una Undo")
    desk = make_user(Role.FRONT_DESK, name="Sam Undo")
    pid = alice.patient_id
    assert pid
    ref = f"{pid}.{booked_appointment(pid, at=datetime.now(UTC) - timedelta(hours=1)).id}"

    nothing = _undo(api, desk, ref, 1)
    assert nothing.status_code == 409
    assert nothing.json_body["error"]["message"] == "this visit is booked; there is no step to undo"

    arrived = _mark(api, desk, ref, "arrived")
    assert arrived.status_code == 200, arrived.body
    roomed = _mark(api, desk, ref, "roomed")
    assert roomed.status_code == 200, roomed.body
    stale = _undo(api, desk, ref, arrived.json_body["version"])
    assert stale.status_code == 409
    back = _undo(api, desk, ref, roomed.json_body["version"])
    assert back.status_code == 200, back.body
    assert (back.json_body["visit_status"], [e["status"] for e in back.json_body["visit_events"]]) == (
        "arrived",
        ["arrived"],
    )
    booked = _undo(api, desk, ref, back.json_body["version"])
    assert booked.status_code == 200, booked.body
    assert (booked.json_body["visit_status"], booked.json_body["visit_events"]) == ("booked", [])
    no_show = _mark(api, desk, ref, "no_show")
    assert no_show.status_code == 200, no_show.body
    assert _undo(api, desk, ref, no_show.json_body["version"]).json_body["visit_status"] == "booked"
    assert _undo(api, alice, ref, no_show.json_body["version"] + 1).status_code == 403

    # A step marked on an earlier clinic day stays: it is no longer a slip of the finger.
    marked = _mark(api, desk, ref, "arrived")
    visit = appointment_store.find_appointment(pid, ref.split(".", 1)[1])
    assert visit is not None
    old = visit.model_copy(
        update={
            "visit_events": [
                visit.visit_events[0].model_copy(update={"at": datetime.now(UTC) - timedelta(days=2)})
            ]
        }
    )
    from chalicelib.core import dynamo

    dynamo.transact_all([appointment_store.replace_appointment_entry(old, expected_version=visit.version)])
    late = _undo(api, desk, ref, marked.json_body["version"])
    assert late.status_code == 409
    assert "can only be undone the same day" in late.json_body["error"]["message"]

    log = api.http.get(f"/patients/{pid}/access-log", headers=alice.auth).json_body["items"]
    assert sum(1 for e in log if "Sam Undo" in e["who"]) >= 5


def test_a_visit_marked_seen_or_no_show_later_today_is_no_longer_upcoming_for_the_patient(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    now = datetime.now(UTC)
    seen = booked_appointment(pid, at=now + timedelta(hours=1))
    missed = booked_appointment(pid, at=now + timedelta(hours=1))
    later = booked_appointment(pid, days=5)
    if common.local(max(seen.start, missed.start)).date() != common.today(now):
        return  # late evening in clinic time: the visits fall on tomorrow and cannot be marked today
    for step in ("arrived", "roomed", "seen"):
        assert _mark(api, desk, f"{pid}.{seen.id}", step).status_code == 200
    assert _mark(api, desk, f"{pid}.{missed.id}", "no_show").status_code == 200

    def listed(when: str) -> list[str]:
        page = api.http.get(f"/patients/{pid}/appointments?when={when}&limit=50", headers=alice.auth)
        assert page.status_code == 200, page.body
        return [a["id"] for a in page.json_body["items"]]

    # Both are over, though their booked times are still to come today: past, not upcoming.
    assert listed("upcoming") == [later.id]
    assert set(listed("past")) >= {seen.id, missed.id}
    home = api.http.get(f"/patients/{pid}/home", headers=alice.auth)
    assert home.status_code == 200, home.body
    assert home.json_body["next_appointment"]["id"] == later.id
    wait = _post(api, alice, f"/patients/{pid}/appointments/{seen.id}/waitlist", {"any_provider": True})
    assert wait.status_code == 409, wait.body
