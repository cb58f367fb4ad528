"""Appointments through the HTTP API: status codes, error shape, one happy path per route."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.test import Client
from icalendar import Calendar

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import Slot, slot_id
from chalicelib.core.identity import Role
from tests.api.appointments_samples import booked_appointment, open_slot
from tests.api.conftest import User, UserFactory


def _post(api: Client, user: User, path: str, body: Any = None) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    return api.http.post(path, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def test_find_book_list_calendar_cancel(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    slot = open_slot("new-patient", days=1)
    day = common.local(slot.start).date()  # the clinic's calendar day

    options = api.http.get(f"/patients/{pid}/booking-options", headers=alice.auth)
    found = api.http.get(
        f"/patients/{pid}/slots?visit_type=new-patient&date={day}&days=2", headers=alice.auth
    )
    booked = _post(api, alice, f"/patients/{pid}/appointments", {"slot_id": slot.id})
    again = _post(api, alice, f"/patients/{pid}/appointments", {"slot_id": slot.id})

    assert options.status_code == 200
    assert {v["id"]: v["can_book_online"] for v in options.json_body["visit_types"]}["new-patient"] is True
    assert found.status_code == 200, found.body
    assert slot.id in [s["id"] for s in found.json_body["items"]]
    assert booked.status_code == 201, booked.body
    appointment = booked.json_body
    assert (appointment["status"], appointment["can_cancel"]) == ("booked", True)
    assert (again.status_code, again.json_body["id"]) == (200, appointment["id"])  # a retry is idempotent

    listed = api.http.get(f"/patients/{pid}/appointments?when=upcoming", headers=alice.auth)
    assert [a["id"] for a in listed.json_body["items"]] == [appointment["id"]]

    ics = api.http.get(f"/patients/{pid}/appointments/{appointment['id']}/calendar.ics", headers=alice.auth)
    assert ics.status_code == 200
    assert ics.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in ics.headers["Content-Disposition"]
    [event] = Calendar.from_ical(ics.body).walk("VEVENT")
    assert event.decoded("DTSTART") == slot.start

    cancelled = _post(api, alice, f"/patients/{pid}/appointments/{appointment['id']}/cancel")
    assert (cancelled.status_code, cancelled.json_body["status"]) == (200, "cancelled")
    stored = appointment_store.get_slot(slot.provider_id, slot.start)
    assert stored is not None
    assert stored.status == "open"

    log = api.http.get(f"/patients/{pid}/access-log", headers=alice.auth).json_body
    actions = {entry["action"] for entry in log["items"]}
    assert {"appointment.book", "appointment.cancel", "appointment.calendar", "appointment.list"} <= actions


def _error(response: Any) -> tuple[int, str, str]:
    error = response.json_body["error"]
    return response.status_code, error["code"], error["message"]


def test_bad_input_is_a_clear_4xx_and_changes_nothing(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    other = make_user(Role.PATIENT, name="Bob Beta")
    pid = alice.patient_id
    assert pid
    assert other.patient_id
    now = datetime.now(UTC)

    past = Slot(
        provider_id="dr-rivera",
        visit_type_id="new-patient",
        start=(now - timedelta(days=1)).replace(second=0, microsecond=0),
        end=now - timedelta(days=1) + timedelta(minutes=40),
    )
    appointment_store.put_slots([past])
    blocked = open_slot("new-patient")
    appointment_store.set_slot_status(blocked, expected="open", new="blocked")
    taken = open_slot("new-patient")
    assert (
        _post(api, other, f"/patients/{other.patient_id}/appointments", {"slot_id": taken.id}).status_code
        == 201
    )
    follow_up = open_slot("follow-up")
    missing = slot_id("dr-rivera", now + timedelta(days=400))

    cases = {
        "past": (_post(api, alice, f"/patients/{pid}/appointments", {"slot_id": past.id}), 409, "passed"),
        "blocked": (
            _post(api, alice, f"/patients/{pid}/appointments", {"slot_id": blocked.id}),
            409,
            "not available",
        ),
        "taken": (_post(api, alice, f"/patients/{pid}/appointments", {"slot_id": taken.id}), 409, "taken"),
        "missing": (
            _post(api, alice, f"/patients/{pid}/appointments", {"slot_id": missing}),
            404,
            "does not exist",
        ),
        "not eligible": (
            _post(api, alice, f"/patients/{pid}/appointments", {"slot_id": follow_up.id}),
            403,
            "seen here before",
        ),
        "malformed slot": (
            _post(api, alice, f"/patients/{pid}/appointments", {"slot_id": "dr-rivera.20261399T2599Z"}),
            400,
            "not valid",
        ),
        "malformed date": (
            api.http.get(f"/patients/{pid}/slots?visit_type=new-patient&date=2026-02-30", headers=alice.auth),
            400,
            "not valid",
        ),
        "too many days": (
            api.http.get(f"/patients/{pid}/slots?visit_type=new-patient&days=60", headers=alice.auth),
            400,
            "not valid",
        ),
        "call only": (
            api.http.get(f"/patients/{pid}/slots?visit_type=minor-procedure", headers=alice.auth),
            403,
            "call the clinic",
        ),
    }
    for name, (response, status, words) in cases.items():
        got_status, _code, message = _error(response)
        assert (got_status, words in message) == (status, True), (name, response.body)
    fields = cases["malformed date"][0].json_body["error"]["fields"]
    assert set(fields) == {"date"}

    listed = api.http.get(f"/patients/{pid}/appointments", headers=alice.auth).json_body
    assert listed["items"] == []
    for slot in (past, follow_up):
        stored = appointment_store.get_slot(slot.provider_id, slot.start)
        assert stored is not None
        assert stored.status == "open"


def test_cancel_after_the_cutoff_is_409_and_staff_may_still_cancel(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    # About 12 hours ahead: inside the follow-up's 24 h cutoff.
    soon = booked_appointment(pid, at=datetime.now(UTC) + timedelta(hours=12), days=0)
    assert soon.start - datetime.now(UTC) < timedelta(hours=24)

    refused = _post(api, alice, f"/patients/{pid}/appointments/{soon.id}/cancel")
    status, code, message = _error(refused)
    assert (status, code) == (409, "conflict")
    assert "please call the clinic" in message
    assert (
        api.http.get(f"/patients/{pid}/appointments/{soon.id}", headers=alice.auth).json_body["status"]
        == "booked"
    )

    by_desk = _post(api, desk, f"/patients/{pid}/appointments/{soon.id}/cancel")
    assert (by_desk.status_code, by_desk.json_body["status"]) == (200, "cancelled")


def test_reschedule_through_the_api(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    pid = alice.patient_id
    assert pid
    current = booked_appointment(pid, days=2)
    target = open_slot("follow-up", days=3)

    moved = _post(api, alice, f"/patients/{pid}/appointments/{current.id}/reschedule", {"slot_id": target.id})

    assert moved.status_code == 200, moved.body
    assert moved.json_body["rescheduled_from"] == current.id
    old = api.http.get(f"/patients/{pid}/appointments/{current.id}", headers=alice.auth).json_body
    assert (old["status"], old["rescheduled_to"]) == ("rescheduled", moved.json_body["id"])


def test_staff_schedule_queue_and_request_decisions(api: Client, make_user: UserFactory) -> None:

    alice = make_user(Role.PATIENT, name="Alice Alpha")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    pid = alice.patient_id
    assert pid
    request = booked_appointment(pid, "annual-physical", status="requested")
    day = common.local(request.start).date()

    schedule = api.http.get(f"/staff/schedule?provider=dr-rivera&date={day}", headers=desk.auth)
    assert schedule.status_code == 200, schedule.body
    [entry] = [
        e
        for e in schedule.json_body["days"][0]["entries"]
        if e["appointment"] and e["appointment"]["id"] == request.id
    ]
    assert (entry["appointment"]["status"], entry["appointment"]["patient_name"]) == (
        "requested",
        "Sample Patient",
    )

    queue = api.http.get("/staff/front-desk/queue?limit=100", headers=desk.auth).json_body
    assert request.id in {item["appointment_id"] for item in queue["items"]}
    approved = _post(api, desk, f"/staff/appointment-requests/{pid}.{request.id}/approve")
    assert approved.json_body == {"ref": f"{pid}.{request.id}", "status": "booked"}
    again = _post(api, desk, f"/staff/appointment-requests/{pid}.{request.id}/approve")
    assert again.status_code == 409
    queue = api.http.get("/staff/front-desk/queue?limit=100", headers=desk.auth).json_body
    assert request.id not in {item["appointment_id"] for item in queue["items"]}
    assert api.http.get("/staff/schedule", headers=alice.auth).status_code == 403


def test_a_block_in_an_impossible_year_is_a_400_naming_the_field_and_availability_still_reads(
    api: Client, make_user: UserFactory
) -> None:
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    url = "/staff/providers/dr-rivera/blocks"

    typo = _post(api, desk, url, {"start": "0025-04-20T09:00", "end": "2025-04-20T10:00"})
    far = _post(api, desk, url, {"start": "0001-01-01T00:00:00Z", "end": "2031-02-03T13:00:00Z"})
    shown = api.http.get("/staff/providers/dr-rivera/availability", headers=desk.auth)

    for refused in (typo, far):
        assert refused.status_code == 400, refused.body
        assert list(refused.json_body["error"]["fields"]) == ["start"]
    assert shown.status_code == 200
    assert shown.json_body["blocks"] == []
