"""The Amazon Chime SDK adapter against botocore's Stubber: the calls it makes, and its answers to errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.appointments import meetings

PLACEMENT = {
    "AudioHostUrl": "abc.k.m1.ue1.app.chime.aws:3478",
    "AudioFallbackUrl": "wss://haxrp.m1.ue1.app.chime.aws:443/calls/abc",
    "SignalingUrl": "wss://signal.m1.ue1.app.chime.aws/control/abc",
    "TurnControlUrl": "https://ccp.cp.ue1.app.chime.aws/v2/turn_sessions",
    "ScreenDataUrl": "wss://bitpw.m1.ue1.app.chime.aws:443/v2/screen/abc",
    "ScreenViewingUrl": "wss://bitpw.m1.ue1.app.chime.aws:443/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id=abc",
    "ScreenSharingUrl": "wss://bitpw.m1.ue1.app.chime.aws:443/v2/screen/abc",
    "EventIngestionUrl": "https://data.svc.ue1.ingest.chime.aws/v1/client-events",
}
MEETING_ID = "0b3f6f0e-7d8a-4c5e-9a61-2f1c6a0e9b11"


@pytest.fixture
def stubbed() -> Iterator[tuple[meetings.ChimeMeetings, Stubber]]:
    client = boto3.client(
        "chime-sdk-meetings", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        yield meetings.ChimeMeetings(client), stubber
        stubber.assert_no_pending_responses()


def _meeting() -> dict[str, Any]:
    return {
        "Meeting": {
            "MeetingId": MEETING_ID,
            "ExternalMeetingId": "apt-123",
            "MediaRegion": "us-east-1",
            "MediaPlacement": PLACEMENT,
        }
    }


def test_create_meeting_sends_the_appointment_as_request_token_and_region(
    stubbed: tuple[meetings.ChimeMeetings, Stubber],
) -> None:
    chime, stubber = stubbed
    stubber.add_response(
        "create_meeting",
        _meeting(),
        {"ClientRequestToken": "apt-123", "ExternalMeetingId": "apt-123", "MediaRegion": "us-east-1"},
    )

    meeting = chime.create_meeting(
        request_token="apt-123", external_meeting_id="apt-123", media_region="us-east-1"
    )

    assert meeting.meeting_id == MEETING_ID
    assert meeting.media_region == "us-east-1"
    assert meeting.media_placement["SignalingUrl"] == PLACEMENT["SignalingUrl"]


def test_each_participant_gets_an_attendee_of_their_own(
    stubbed: tuple[meetings.ChimeMeetings, Stubber],
) -> None:
    chime, stubber = stubbed
    for user, token in (("patient-sub-1", "tok-patient"), ("clinician-sub-2", "tok-clinician")):
        stubber.add_response(
            "create_attendee",
            {"Attendee": {"ExternalUserId": user, "AttendeeId": f"att-{user}", "JoinToken": token}},
            {"MeetingId": MEETING_ID, "ExternalUserId": user},
        )

    patient = chime.create_attendee(MEETING_ID, "patient-sub-1")
    clinician = chime.create_attendee(MEETING_ID, "clinician-sub-2")

    assert (patient.join_token, clinician.join_token) == ("tok-patient", "tok-clinician")
    assert "tok-patient" not in repr(patient)  # the join token never reaches a log line


def test_a_meeting_chime_no_longer_has_is_gone_not_an_error(
    stubbed: tuple[meetings.ChimeMeetings, Stubber],
) -> None:
    chime, stubber = stubbed
    stubber.add_client_error("get_meeting", "NotFoundException", http_status_code=404)
    stubber.add_client_error("create_attendee", "NotFoundException", http_status_code=404)
    stubber.add_client_error("delete_meeting", "NotFoundException", http_status_code=404)
    stubber.add_response("delete_meeting", {}, {"MeetingId": MEETING_ID})

    assert chime.get_meeting(MEETING_ID) is None
    with pytest.raises(meetings.MeetingGone):
        chime.create_attendee(MEETING_ID, "patient-sub-1")
    assert chime.delete_meeting(MEETING_ID) is False
    assert chime.delete_meeting(MEETING_ID) is True


def test_other_chime_failures_are_not_swallowed(stubbed: tuple[meetings.ChimeMeetings, Stubber]) -> None:
    from botocore.exceptions import ClientError

    chime, stubber = stubbed
    stubber.add_client_error("create_meeting", "ThrottlingException", http_status_code=429)

    with pytest.raises(ClientError):
        chime.create_meeting(request_token="apt-123", external_meeting_id="apt-123", media_region="us-east-1")


def test_the_simulated_provider_keeps_chimes_rules() -> None:
    sim = meetings.SimulatedMeetings()
    first = sim.create_meeting(request_token="apt-1", external_meeting_id="apt-1", media_region="us-east-1")
    again = sim.create_meeting(request_token="apt-1", external_meeting_id="apt-1", media_region="us-east-1")
    patient = sim.create_attendee(first.meeting_id, "patient-a")
    clinician = sim.create_attendee(first.meeting_id, "clinician-b")

    assert again == first
    assert sim.create_calls == 1
    assert sim.create_attendee(first.meeting_id, "patient-a") == patient
    assert patient.join_token != clinician.join_token
    assert sim.delete_meeting(first.meeting_id) is True
    assert sim.get_meeting(first.meeting_id) is None
    with pytest.raises(meetings.MeetingGone):
        sim.create_attendee(first.meeting_id, "patient-a")
    assert sim.delete_meeting(first.meeting_id) is False
