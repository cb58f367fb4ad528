"""Video visits over the API: one meeting per visit, a seat per participant, the waiting room, the window."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.appointments import meetings, video
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import Appointment
from chalicelib.core import aws, errors
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.api.appointments_samples import video_visit_now
from tests.api.conftest import User, UserFactory

POOL = "dr-rivera-team"  # dr-rivera's care-team pool in clinics/demo.json


@pytest.fixture(autouse=True)
def sim() -> Iterator[meetings.SimulatedMeetings]:
    meetings.simulated.cache_clear()
    yield meetings.simulated()
    meetings.simulated.cache_clear()


def _post(api: Client, user: User, path: str) -> Any:
    return api.http.post(path, headers={**user.auth, "Content-Type": "application/json"}, body=b"")


def _url(appointment: Appointment, action: str) -> str:
    return f"/patients/{appointment.patient_id}/appointments/{appointment.id}/video/{action}"


def _clinician(make_user: UserFactory, name: str = "Dr. Priya Rivera") -> User:
    clinician = make_user(Role.CLINICIAN, name=name)
    user_store.set_pools(clinician.sub, [POOL])
    return clinician


def _stored(appointment: Appointment) -> Appointment:
    found = appointment_store.find_appointment(appointment.patient_id, appointment.id)
    assert found is not None
    return found


def test_the_patient_waits_until_the_clinician_admits_then_both_are_in_one_meeting_with_own_seats(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = _clinician(make_user)
    assert alice.patient_id
    visit = video_visit_now(alice.patient_id, provider_id="dr-rivera")

    waiting = _post(api, alice, _url(visit, "join"))
    assert waiting.status_code == 200, waiting.body
    assert waiting.json_body["state"] == "waiting"
    assert waiting.json_body["meeting"] is None
    assert waiting.json_body["attendee"] is None
    seen_by_doctor = api.http.get(_url(visit, "status"), headers=doctor.auth).json_body
    assert (seen_by_doctor["state"], seen_by_doctor["patient_waiting"]) == ("waiting", True)

    doctor_in = _post(api, doctor, _url(visit, "join")).json_body
    admitted = _post(api, doctor, _url(visit, "admit"))
    assert admitted.status_code == 200, admitted.body
    assert api.http.get(_url(visit, "status"), headers=alice.auth).json_body["admitted"] is True
    alice_in = _post(api, alice, _url(visit, "join")).json_body

    assert (doctor_in["state"], alice_in["state"]) == ("in_call", "in_call")
    assert doctor_in["provider"] == "simulated"
    assert doctor_in["meeting"]["meeting_id"] == alice_in["meeting"]["meeting_id"]
    assert doctor_in["attendee"]["join_token"] != alice_in["attendee"]["join_token"]
    assert doctor_in["attendee"]["external_user_id"] == f"clinician-{doctor.sub}"
    assert alice_in["attendee"]["external_user_id"] == f"patient-{alice.sub}"
    assert _stored(visit).meeting_id == doctor_in["meeting"]["meeting_id"]
    log = api.http.get(
        f"/patients/{alice.patient_id}/access-log?limit=100&include_own=true", headers=alice.auth
    ).json_body
    actions = [entry["action"] for entry in log["items"]]
    assert {"video.wait", "video.join", "video.admit"} <= set(actions)


def test_simultaneous_first_joins_create_one_meeting_and_a_seat_each(
    make_user: UserFactory, sim: meetings.SimulatedMeetings, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = _clinician(make_user)
    assert alice.patient_id
    visit = video_visit_now(alice.patient_id, provider_id="dr-rivera", admitted=True)
    # Both requests have read the appointment (no meeting yet) before either creates one.
    both_read = threading.Barrier(2, timeout=10)
    create = sim.create_meeting

    def create_after_both_read(**kwargs: Any) -> meetings.Meeting:
        both_read.wait()
        return create(**kwargs)

    monkeypatch.setattr(sim, "create_meeting", create_after_both_read)
    callers = [
        Caller(sub=alice.sub, username=alice.username, role=Role.PATIENT, display_name="A", request_id="r1"),
        Caller(
            sub=doctor.sub,
            username=doctor.username,
            role=Role.CLINICIAN,
            display_name="D",
            request_id="r2",
            pools=frozenset({POOL}),
        ),
    ]
    answers: list[Any] = []

    def join(caller: Caller) -> None:
        answers.append(video.join(caller, visit.patient_id, visit.id))

    threads = [threading.Thread(target=join, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 2
    assert {answer.meeting.meeting_id for answer in answers} == {_stored(visit).meeting_id}
    assert sim.create_calls == 1
    assert len({answer.attendee.join_token for answer in answers}) == 2


def test_a_stranger_another_patient_and_the_front_desk_cannot_join(
    api: Client, make_user: UserFactory
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    bob = make_user(Role.PATIENT, name="Bob Beta")
    other_doctor = make_user(Role.CLINICIAN, name="Dr. Marcus Chen")  # not in dr-rivera's pool
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    assert alice.patient_id
    visit = video_visit_now(alice.patient_id, provider_id="dr-rivera", patient_waiting=True)

    for outsider in (bob, other_doctor):
        for action in ("join", "admit"):
            answer = _post(api, outsider, _url(visit, action))
            assert answer.status_code in (403, 404), answer.body
        assert _post(api, outsider, _url(visit, "join")).status_code == 404
        assert api.http.get(_url(visit, "status"), headers=outsider.auth).status_code == 404
    assert _post(api, desk, _url(visit, "join")).status_code == 403
    assert _post(api, alice, _url(visit, "admit")).status_code == 403  # the patient cannot let themself in
    assert _stored(visit).meeting_id is None
    assert _stored(visit).admitted_at is None


def test_outside_the_window_a_409_names_the_window(api: Client, make_user: UserFactory) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = _clinician(make_user)
    assert alice.patient_id
    early = video_visit_now(alice.patient_id, provider_id="dr-rivera", minutes_from_now=60)
    late = video_visit_now(alice.patient_id, provider_id="dr-rivera", minutes_from_now=-90)

    too_early = _post(api, doctor, _url(early, "join"))
    too_late = _post(api, alice, _url(late, "join"))

    for answer, visit in ((too_early, early), (too_late, late)):
        assert answer.status_code == 409, answer.body
        error = answer.json_body["error"]
        assert error["code"] == "outside_join_window"
        opens, closes = video.join_window(visit)
        assert error["fields"]["opens_at"].startswith(opens.astimezone(_zone()).isoformat()[:16])
        assert error["fields"]["closes_at"].startswith(closes.astimezone(_zone()).isoformat()[:16])
        assert "you can join from" in error["message"]
    assert "opens on" in too_early.json_body["error"]["message"]
    assert "closed on" in too_late.json_body["error"]["message"]
    assert _stored(early).meeting_id is None


def test_cancelling_the_visit_ends_its_meeting(
    api: Client, make_user: UserFactory, sim: meetings.SimulatedMeetings
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = _clinician(make_user)
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    assert alice.patient_id
    visit = video_visit_now(alice.patient_id, provider_id="dr-rivera", minutes_from_now=10, with_slot=True)
    meeting_id = _post(api, doctor, _url(visit, "join")).json_body["meeting"]["meeting_id"]
    assert sim.get_meeting(meeting_id) is not None

    cancelled = api.http.post(
        f"/patients/{alice.patient_id}/appointments/{visit.id}/cancel",
        headers={**desk.auth, "Content-Type": "application/json"},
        body=b"",
    )

    assert cancelled.status_code == 200, cancelled.body
    assert sim.get_meeting(meeting_id) is None
    assert sim.attendees(meeting_id) == []
    assert _stored(visit).meeting_ended_at is not None
    again = _post(api, doctor, _url(visit, "join"))
    assert again.status_code == 409
    assert api.http.get(_url(visit, "status"), headers=alice.auth).json_body["state"] == "ended"


def test_the_sweep_ends_meetings_whose_window_has_closed(
    make_user: UserFactory, sim: meetings.SimulatedMeetings
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    assert alice.patient_id
    visit = video_visit_now(alice.patient_id, provider_id="dr-rivera", minutes_from_now=-90)
    created = sim.create_meeting(
        request_token=visit.id, external_meeting_id=visit.id, media_region="us-east-1"
    )
    assert appointment_store.set_meeting(visit, meeting_id=created.meeting_id, provider="simulated")

    assert video.end_finished_meetings() >= 1

    assert sim.get_meeting(created.meeting_id) is None
    assert _stored(visit).meeting_ended_at is not None
    assert video.end_finished_meetings() == 0  # once


def _zone() -> Any:
    from chalicelib.appointments import clinic_time

    return clinic_time.zone()


def test_a_visit_cancelled_while_its_meeting_is_made_leaves_no_meeting_behind(
    make_user: UserFactory, sim: meetings.SimulatedMeetings, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = make_user(Role.PATIENT, name="Alice Alpha")
    doctor = _clinician(make_user)
    assert alice.patient_id
    visit = video_visit_now(alice.patient_id, provider_id="dr-rivera")
    create = sim.create_meeting
    made: list[meetings.Meeting] = []

    def create_then_cancelled(**kwargs: Any) -> meetings.Meeting:
        made.append(create(**kwargs))
        cancelled = visit.model_copy(update={"status": "cancelled", "version": visit.version + 1})
        aws.table().put_item(Item=appointment_store.appointment_item(cancelled))
        return made[-1]

    monkeypatch.setattr(sim, "create_meeting", create_then_cancelled)
    clinician = Caller(
        sub=doctor.sub,
        username=doctor.username,
        role=Role.CLINICIAN,
        display_name="D",
        request_id="r",
        pools=frozenset({POOL}),
    )

    with pytest.raises(errors.Conflict):
        video.join(clinician, visit.patient_id, visit.id)

    assert sim.get_meeting(made[0].meeting_id) is None
    assert _stored(visit).meeting_id is None
