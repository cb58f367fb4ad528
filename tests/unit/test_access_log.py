"""The patient's access log: every read and write of their data, newest first, one page at a time."""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core import audit_log, errors
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Relationship, Role
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

    first = access_log.list_access_log(caller, patient.id, limit=10, cursor=None, include_own=True)
    second = access_log.list_access_log(caller, patient.id, limit=10, cursor=None, include_own=True)

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


# --- others first: the caller's own reads are left out unless asked for ---------------------------------


def _event(
    patient_id: str, n: int, *, sub: str, name: str, role: Role, relationship: Relationship | None = None
) -> AuditEvent:
    return AuditEvent(
        id=f"evt-{n:03d}",
        patient_id=patient_id,
        at=datetime.now(UTC) - timedelta(days=1, minutes=n),
        actor_sub=sub,
        actor_name=name,
        actor_role=role,
        action="record.read",
        target="summary",
        request_id=f"req-{n}",
        actor_relationship=relationship,
    )


def test_the_default_view_leaves_out_the_callers_own_reads_and_the_toggle_brings_them_back(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    me = caller_for(acts_for={patient.id: "self"}, sub="sub-me", name="Pat Patient")
    audit_log.put(_event(patient.id, 1, sub="sub-ana", name="Dr Ana Rivera", role=Role.CLINICIAN))
    audit_log.put(
        _event(patient.id, 2, sub="sub-me", name="Pat Patient", role=Role.PATIENT, relationship="self")
    )
    audit_log.put(
        _event(patient.id, 3, sub="sub-alex", name="Alex Morgan", role=Role.PATIENT, relationship="caregiver")
    )

    others = access_log.list_access_log(me, patient.id, limit=10, cursor=None)
    everything = access_log.list_access_log(me, patient.id, limit=10, cursor=None, include_own=True)

    assert [item.who for item in others.items] == ["Dr Ana Rivera, clinician", "Alex Morgan, as caregiver"]
    assert not any(item.mine for item in others.items)
    # the toggle: the caller's own event and the first read of the log itself
    assert [(item.who, item.mine) for item in everything.items] == [
        ("Pat Patient, patient", True),
        ("Dr Ana Rivera, clinician", False),
        ("Pat Patient, patient", True),
        ("Alex Morgan, as caregiver", False),
    ]


def test_a_caregiver_sees_the_patients_own_reads_but_not_their_own(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    caregiver = caller_for(acts_for={patient.id: "caregiver"}, sub="sub-alex", name="Alex Morgan")
    profiles.get_profile(caregiver, patient.id)
    audit_log.put(
        _event(patient.id, 1, sub="sub-pat", name="Pat Patient", role=Role.PATIENT, relationship="self")
    )

    page = access_log.list_access_log(caregiver, patient.id, limit=10, cursor=None)

    assert [item.who for item in page.items] == ["Pat Patient, patient"]
    own = access_log.list_access_log(caregiver, patient.id, limit=10, cursor=None, include_own=True)
    assert "Alex Morgan, as caregiver" in [item.who for item in own.items]


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_paging_past_many_own_reads_never_returns_an_empty_page_while_staff_entries_remain(
    limit: int, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    me = caller_for(acts_for={patient.id: "self"}, sub="sub-me", name="Pat Patient")
    # 7 staff reads, each behind a run of 60 of the patient's own (more than one Query's worth)
    staff_ids: list[str] = []
    n = 0
    for block in range(7):
        for _ in range(60):
            n += 1
            audit_log.put(_event(patient.id, n, sub="sub-me", name="Pat Patient", role=Role.PATIENT))
        n += 1
        audit_log.put(_event(patient.id, n, sub=f"sub-staff-{block}", name="Dr Staff", role=Role.CLINICIAN))
        staff_ids.append(f"evt-{n:03d}")

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(20):
        page = access_log.list_access_log(me, patient.id, limit=limit, cursor=cursor)
        assert page.items, "an empty page while staff entries remain"
        assert len(page.items) <= limit
        seen += [item.id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert cursor is None
    assert seen == staff_ids


def test_an_audit_put_retried_after_it_landed_counts_as_recorded_and_a_clash_is_refused() -> None:
    event = seed_events("p-retried", 1)[0]
    item = audit_log.item(event)
    audit_log.put_item(item)  # the retry of a put whose answer was lost: the same event is there
    assert [e.id for e in audit_log.list_for_patient("p-retried", limit=10, cursor=None)[0]] == [event.id]
    with pytest.raises(errors.InternalError):
        audit_log.put_item({**item, "action": "something.else"})
