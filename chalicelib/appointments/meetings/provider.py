"""The meeting provider contract: what a video visit needs from any provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from chalicelib.core import errors


@dataclass(frozen=True)
class Meeting:
    meeting_id: str
    external_meeting_id: str
    media_region: str
    # Where the browser's media goes (audio host, signaling, TURN control...): the SDK needs it whole.
    media_placement: dict[str, str]


@dataclass(frozen=True)
class Attendee:
    attendee_id: str
    external_user_id: str
    join_token: str = field(repr=False)  # a bearer secret for one participant; never logged or stored


class MeetingGone(errors.Conflict):
    """The provider no longer has this meeting (ended, deleted, or expired)."""

    CODE = "meeting_gone"


class MeetingProvider(Protocol):
    @property
    def name(self) -> Literal["simulated", "chime"]: ...

    def create_meeting(self, *, request_token: str, external_meeting_id: str, media_region: str) -> Meeting:
        """Create the meeting, or return the one this request token already created."""
        ...

    def get_meeting(self, meeting_id: str) -> Meeting | None: ...

    def create_attendee(self, meeting_id: str, external_user_id: str) -> Attendee:
        """Raises MeetingGone if the meeting no longer exists."""
        ...

    def delete_meeting(self, meeting_id: str) -> bool:
        """End the meeting for everyone; False if it was already gone."""
        ...
