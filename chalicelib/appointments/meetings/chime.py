"""Amazon Chime SDK Meetings through boto3 `chime-sdk-meetings` (the client made lazily, in core/aws.py)."""

from __future__ import annotations

from typing import Any, Literal

from chalicelib.appointments.meetings.provider import Attendee, Meeting, MeetingGone


class ChimeMeetings:
    name: Literal["chime"] = "chime"

    def __init__(self, client: Any = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            from chalicelib.core import aws

            self._client = aws.chime_meetings_client()
        return self._client

    @staticmethod
    def _not_found(exc: Exception) -> bool:
        from botocore.exceptions import ClientError

        return isinstance(exc, ClientError) and exc.response["Error"]["Code"] in {
            "NotFoundException",
            "ResourceNotFoundException",
        }

    @staticmethod
    def _meeting(raw: dict[str, Any]) -> Meeting:
        return Meeting(
            meeting_id=raw["MeetingId"],
            external_meeting_id=raw.get("ExternalMeetingId", ""),
            media_region=raw["MediaRegion"],
            media_placement={k: v for k, v in raw.get("MediaPlacement", {}).items() if isinstance(v, str)},
        )

    def create_meeting(self, *, request_token: str, external_meeting_id: str, media_region: str) -> Meeting:
        # ClientRequestToken makes this idempotent: a retry or a simultaneous first join gets the same one.
        response = self.client.create_meeting(
            ClientRequestToken=request_token, ExternalMeetingId=external_meeting_id, MediaRegion=media_region
        )
        return self._meeting(response["Meeting"])

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        try:
            response = self.client.get_meeting(MeetingId=meeting_id)
        except Exception as exc:
            if self._not_found(exc):
                return None
            raise
        return self._meeting(response["Meeting"])

    def create_attendee(self, meeting_id: str, external_user_id: str) -> Attendee:
        try:
            response = self.client.create_attendee(MeetingId=meeting_id, ExternalUserId=external_user_id)
        except Exception as exc:
            if self._not_found(exc):
                raise MeetingGone("this video visit has ended") from None
            raise
        raw = response["Attendee"]
        return Attendee(
            attendee_id=raw["AttendeeId"], external_user_id=raw["ExternalUserId"], join_token=raw["JoinToken"]
        )

    def delete_meeting(self, meeting_id: str) -> bool:
        try:
            self.client.delete_meeting(MeetingId=meeting_id)
        except Exception as exc:
            if self._not_found(exc):
                return False
            raise
        return True
