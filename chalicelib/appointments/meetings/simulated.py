"""Meetings and attendees kept in this process, with Chime's rules (the laptop's `make run`, and tests)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Literal

from chalicelib.appointments.meetings.provider import Attendee, Meeting, MeetingGone


@dataclass
class _SimulatedMeeting:
    meeting: Meeting
    state: Literal["active", "deleted"] = "active"
    attendees: dict[str, Attendee] = field(default_factory=dict)  # by external user id


class SimulatedMeetings:
    """The same contract as Chime, in memory: no media flows; the browser's simulated session stands in."""

    name: Literal["simulated"] = "simulated"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_token: dict[str, str] = {}
        self._meetings: dict[str, _SimulatedMeeting] = {}
        self.create_calls = 0  # how many meetings were really made (tests check idempotency)

    def create_meeting(self, *, request_token: str, external_meeting_id: str, media_region: str) -> Meeting:
        with self._lock:
            known = self._by_token.get(request_token)
            if known is not None:
                return self._meetings[known].meeting
            meeting = Meeting(
                meeting_id=f"sim-{secrets.token_hex(8)}",
                external_meeting_id=external_meeting_id,
                media_region=media_region,
                media_placement={"SignalingUrl": "simulated", "AudioHostUrl": "simulated"},
            )
            self._by_token[request_token] = meeting.meeting_id
            self._meetings[meeting.meeting_id] = _SimulatedMeeting(meeting)
            self.create_calls += 1
            return meeting

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        with self._lock:
            found = self._meetings.get(meeting_id)
            return found.meeting if found and found.state == "active" else None

    def create_attendee(self, meeting_id: str, external_user_id: str) -> Attendee:
        with self._lock:
            found = self._meetings.get(meeting_id)
            if found is None or found.state != "active":
                raise MeetingGone("this video visit has ended")
            # Like Chime: the same external user gets the same attendee back.
            attendee = found.attendees.get(external_user_id)
            if attendee is None:
                attendee = Attendee(
                    attendee_id=f"att-{secrets.token_hex(8)}",
                    external_user_id=external_user_id,
                    join_token=secrets.token_urlsafe(32),
                )
                found.attendees[external_user_id] = attendee
            return attendee

    def delete_meeting(self, meeting_id: str) -> bool:
        with self._lock:
            found = self._meetings.get(meeting_id)
            if found is None or found.state != "active":
                return False
            found.state = "deleted"
            found.attendees.clear()
            return True

    def attendees(self, meeting_id: str) -> list[Attendee]:
        with self._lock:
            found = self._meetings.get(meeting_id)
            return list(found.attendees.values()) if found else []
