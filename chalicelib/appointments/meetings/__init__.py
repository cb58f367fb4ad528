"""Video meeting providers: one Protocol (provider.py), two implementations.

`ChimeMeetings` speaks to Amazon Chime SDK Meetings; `SimulatedMeetings` keeps meetings and attendees in
this process with the same rules (laptop `make run`, tests): a meeting is created once per request token,
an attendee once per external user id, and a deleted meeting takes no attendees. The service (video.py)
chooses one from the clinic file and never sees which it talks to.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from chalicelib.appointments.meetings.chime import ChimeMeetings
from chalicelib.appointments.meetings.provider import Attendee, Meeting, MeetingGone, MeetingProvider
from chalicelib.appointments.meetings.simulated import SimulatedMeetings

__all__ = [
    "Attendee",
    "ChimeMeetings",
    "Meeting",
    "MeetingGone",
    "MeetingProvider",
    "SimulatedMeetings",
    "chime",
    "provider_named",
    "simulated",
]


@cache
def simulated() -> SimulatedMeetings:
    """One simulated provider per process, so every request of the local server sees the same meetings."""
    return SimulatedMeetings()


@cache
def chime() -> ChimeMeetings:
    return ChimeMeetings()


def provider_named(name: Literal["simulated", "chime"]) -> MeetingProvider:
    return chime() if name == "chime" else simulated()
