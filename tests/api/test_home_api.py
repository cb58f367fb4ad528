"""The patient's home home: one request says what needs attention, as one audited read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core import audit_log, aws
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.home import service as home_service
from chalicelib.messaging import service as messaging
from chalicelib.messaging.models import ReplyIn
from tests.api.appointments_samples import video_visit_now, visit_in_two_days
from tests.api.billing_samples import make_statement
from tests.api.conftest import User, UserFactory
from tests.api.messages_samples import make_thread
from tests.api.records_samples import make_result

ADMIN = Caller(
    sub="sub-summary-admin",
    username="summary-admin",
    role=Role.ADMIN,  # admins reach every care-team pool
    display_name="Summary Admin",
    request_id="req-summary",
)


def _clinic_replies(patient_id: str) -> str:
    thread_id = make_thread(patient_id)
    messaging.reply(ADMIN, patient_id, thread_id, ReplyIn.model_validate({"body": "Your letter is ready."}))
    return thread_id


@pytest.fixture
def dynamodb_calls() -> Iterator[list[str]]:
    """The DynamoDB operations made while the test runs (every table shares one client)."""
    calls: list[str] = []
    events = aws.dynamodb_client().meta.events

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    events.register("before-call.dynamodb", count)
    yield calls
    events.unregister("before-call.dynamodb", count)


def test_an_empty_record_needs_nothing(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Ada Empty")
    got = api.http.get(f"/patients/{patient.patient_id}/home", headers=patient.auth)
    assert got.status_code == 200, got.body
    body = got.json_body
    assert body["new_results"] == 0
    assert body["unread_threads"] == 0
    assert body["balance"]["balance_cents"] == 0
    assert body["video_now"] == []
    assert body["checkin_due"] == []
    assert body["next_appointment"] is None


def test_summary_names_what_needs_attention_and_is_one_audited_read(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Bea Busy")
    pid = str(patient.patient_id)
    make_result(pid)
    make_result(pid)
    make_result(pid, held=True)  # not released yet: not "new" to the patient
    _clinic_replies(pid)
    make_thread(pid)  # the patient's own message, unanswered: nothing unread
    make_statement(pid, 4_500)
    video = video_visit_now(pid, minutes_from_now=3)
    checkin = visit_in_two_days(pid)
    before = {e.id for e in audit_log.list_for_patient(pid, limit=100, cursor=None)[0]}

    got = api.http.get(f"/patients/{pid}/home", headers=patient.auth)

    assert got.status_code == 200, got.body
    body = got.json_body
    assert body["new_results"] == 2
    assert body["unread_threads"] == 1
    assert body["balance"]["balance_cents"] == 4_500
    assert [a["id"] for a in body["video_now"]] == [video.id]
    assert checkin.id in [a["id"] for a in body["checkin_due"]]
    assert body["next_appointment"]["id"] == video.id
    after = audit_log.list_for_patient(pid, limit=100, cursor=None)[0]
    assert [(e.action, e.actor_sub) for e in after if e.id not in before] == [("home.read", patient.sub)]

    # Opening a result makes it no longer new.
    listed = api.http.get(f"/patients/{pid}/results", headers=patient.auth).json_body["items"]
    api.http.get(f"/patients/{pid}/results/{listed[0]['id']}", headers=patient.auth)
    again = api.http.get(f"/patients/{pid}/home", headers=patient.auth).json_body
    assert again["new_results"] == 1


def test_round_trips_to_dynamodb_are_five(make_user: UserFactory, dynamodb_calls: list[str]) -> None:
    patient = make_user(Role.PATIENT, name="Cy Count")
    pid = str(patient.patient_id)
    make_result(pid)
    make_statement(pid)
    visit_in_two_days(pid)
    caller = Caller(
        sub="sub-cy",
        username="cy",
        role=Role.PATIENT,
        display_name="Cy Count",
        request_id="req-count",
        acts_for={pid: "self"},
    )
    dynamodb_calls.clear()
    home_service.home(caller, pid)
    # results COUNT, unread COUNT, statements, upcoming appointments, and the one audit event
    assert sorted(dynamodb_calls) == ["PutItem", "Query", "Query", "Query", "Query"]


def test_another_patients_summary_is_not_found(api: Client, make_user: UserFactory) -> None:
    me = make_user(Role.PATIENT, name="Dee Mine")
    other = make_user(Role.PATIENT, name="Eve Other")
    theirs = api.http.get(f"/patients/{other.patient_id}/home", headers=me.auth)
    unknown = api.http.get("/patients/p-doesnotexist/home", headers=me.auth)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json_body["error"]["message"] == unknown.json_body["error"]["message"]


def test_staff_may_not_read_a_patients_home(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Fay Patient")
    doctor = make_user(Role.CLINICIAN, name="Dr. Gee")
    got = api.http.get(f"/patients/{patient.patient_id}/home", headers=doctor.auth)
    assert got.status_code == 403


def _grant(api: Client, desk: User, pid: str, carer: User, areas: list[str], access: str = "read") -> None:
    body = {
        "username": carer.username,
        "relationship": "spouse",
        "verification_note": "Photo ID checked at the desk",
        "scope": {"areas": areas, "access": access},
    }
    headers = {**desk.auth, "Content-Type": "application/json"}
    granted = api.http.post(f"/patients/{pid}/proxies", headers=headers, body=json.dumps(body).encode())
    assert granted.status_code == 201, granted.body


def test_a_scoped_caregiver_gets_only_the_areas_their_grant_covers(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Hal Helped")
    pid = str(patient.patient_id)
    make_result(pid)
    _clinic_replies(pid)
    make_statement(pid, 2_000)
    video = video_visit_now(pid, minutes_from_now=3)
    desk = make_user(Role.FRONT_DESK, name="Ivy Desk")
    billing_and_visits = make_user(Role.PATIENT, name="Jo Carer")
    messages_only = make_user(Role.PATIENT, name="Kit Carer")
    _grant(api, desk, pid, billing_and_visits, ["appointments", "billing"])
    _grant(api, desk, pid, messages_only, ["messages"])

    got = api.http.get(f"/patients/{pid}/home", headers=billing_and_visits.auth)
    assert got.status_code == 200, got.body
    body = got.json_body
    assert body["balance"]["balance_cents"] == 2_000
    assert [a["id"] for a in body["video_now"]] == [video.id]
    assert body["new_results"] is None  # not "no new results": not theirs to know
    assert body["unread_threads"] is None

    other = api.http.get(f"/patients/{pid}/home", headers=messages_only.auth).json_body
    assert other["unread_threads"] == 1
    assert (other["new_results"], other["balance"], other["video_now"], other["next_appointment"]) == (
        None,
        None,
        [],
        None,
    )

    # The patient themself still gets everything.
    own = api.http.get(f"/patients/{pid}/home", headers=patient.auth).json_body
    assert (own["new_results"], own["unread_threads"]) == (1, 1)
