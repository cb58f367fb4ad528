"""The patient's access log: every read and write of their data, newest first, one page at a time."""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core import audit_log, errors
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.patients import access_log, profiles
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed


def seed_events(patient_id: str, count: int) -> list[AuditEvent]:
    """Events an hour apart ending a day ago, written in random order; returned newest first."""
    newest = datetime.now(UTC) - timedelta(days=1)
    events = [
        AuditEvent(
            id=f"evt-{n:02d}",
            patient_id=patient_id,
            at=newest - timedelta(hours=n),
            actor_sub=f"sub-{n}",
            actor_name=f"Dr. {n}",
            actor_role=Role.CLINICIAN,
            action="profile.read",
            target="profile",
            request_id=f"req-{n}",
        )
        for n in range(count)
    ]
    for event in random.sample(events, k=len(events)):
        audit_log.put(event)
    return events


def cursor_for(key: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def test_events_are_listed_newest_first(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    patient = make_patient()
    seeded = seed_events(patient.id, 5)

    page = access_log.list_access_log(
        caller_for(acts_for={patient.id: "self"}), patient.id, limit=10, cursor=None
    )

    assert [item.id for item in page.items] == [e.id for e in seeded]
    assert page.items[0].actor_name == "Dr. 0"
    assert page.items[0].action_label == "Viewed profile"
    assert page.next_cursor is None


@pytest.mark.parametrize(("count", "limit"), [(7, 3), (6, 3), (1, 1), (5, 100)])
def test_paging_returns_every_event_exactly_once(
    count: int, limit: int, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    seeded = seed_events(patient.id, count)
    caller = caller_for(acts_for={patient.id: "self"})

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(count + 2):  # bounded: a cursor that never ends must fail the test, not hang it
        page = access_log.list_access_log(caller, patient.id, limit=limit, cursor=cursor)
        assert len(page.items) <= limit
        seen += [item.id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert cursor is None
    assert seen == [e.id for e in seeded]


def test_a_cursor_from_one_patients_log_is_refused_on_anothers(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    parent, child = make_patient(), make_patient()
    seed_events(parent.id, 3)
    seed_events(child.id, 3)
    caller = caller_for(acts_for={parent.id: "self", child.id: "caregiver"})
    parents_cursor = access_log.list_access_log(caller, parent.id, limit=1, cursor=None).next_cursor
    assert parents_cursor is not None
    child_log_before = audit_log.list_for_patient(child.id, limit=100, cursor=None)[0]

    with pytest.raises(errors.BadRequest) as caught:
        access_log.list_access_log(caller, child.id, limit=1, cursor=parents_cursor)

    assert caught.value.fields == {"cursor": "not a cursor from this list"}
    assert audit_log.list_for_patient(child.id, limit=100, cursor=None)[0] == child_log_before


PID = "p-cursor"


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        "a",
        cursor_for([1, 2]),
        cursor_for(f"PATIENT#{PID}"),
        cursor_for({"PK": f"PATIENT#{PID}", "SK": "PROFILE"}),
        cursor_for({"PK": f"PATIENT#{PID}"}),
        cursor_for({"PK": f"PATIENT#{PID}", "SK": "AUDIT#2026", "secret": "x"}),
    ],
    ids=["word", "punctuation", "short", "list", "string", "profile-item", "no-sk", "extra-key"],
)
def test_a_garbage_cursor_is_a_bad_request(
    cursor: str, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    make_patient(PID)
    seed_events(PID, 2)

    with pytest.raises(errors.BadRequest):
        access_log.list_access_log(caller_for(acts_for={PID: "self"}), PID, limit=5, cursor=cursor)


def test_reading_the_log_is_logged_and_shows_up_on_the_next_read(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    caller = caller_for(acts_for={patient.id: "self"}, sub="sub-me", name="Me Myself")
    profiles.get_profile(caller, patient.id)

    first = access_log.list_access_log(caller, patient.id, limit=10, cursor=None)
    second = access_log.list_access_log(caller, patient.id, limit=10, cursor=None)

    assert [item.action for item in first.items] == ["profile.read"]
    assert [item.action for item in second.items] == ["access_log.read", "profile.read"]
    newest = second.items[0]
    assert (newest.actor_name, newest.actor_role, newest.action_label) == (
        "Me Myself",
        Role.PATIENT,
        "Viewed access log",
    )


def test_an_admin_reading_the_log_is_shown_to_the_patient(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    admin = caller_for(Role.ADMIN, sub="sub-admin", name="Ada Admin")
    access_log.list_access_log(admin, patient.id, limit=10, cursor=None)

    page = access_log.list_access_log(
        caller_for(acts_for={patient.id: "self"}), patient.id, limit=10, cursor=None
    )

    assert [(i.actor_name, i.actor_role, i.action) for i in page.items] == [
        ("Ada Admin", Role.ADMIN, "access_log.read")
    ]


@pytest.mark.parametrize("target", ["another patient", "unknown id"])
def test_a_patient_cannot_read_another_patients_log(
    target: str, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = make_patient()
    other_id = make_patient().id if target == "another patient" else "p-does-not-exist"
    seed_events(other_id, 2)
    before = audit_log.list_for_patient(other_id, limit=100, cursor=None)[0]

    with pytest.raises(errors.NotFound):
        routed(
            access_log.list_access_log, caller_for(acts_for={me.id: "self"}), other_id, limit=10, cursor=None
        )

    assert audit_log.list_for_patient(other_id, limit=100, cursor=None)[0] == before


def test_staff_get_not_found_for_the_log_of_an_unknown_patient(caller_for: CallerFactory) -> None:
    with pytest.raises(errors.NotFound):
        routed(access_log.list_access_log, caller_for(Role.ADMIN), "p-does-not-exist", limit=10, cursor=None)

    assert audit_log.list_for_patient("p-does-not-exist", limit=100, cursor=None)[0] == []
