"""Secure messaging: a patient's conversations (threads) with a care-team pool, and their messages.

A thread's state changes only through the pure transitions on `Thread` (a message from either side, a
read, an assignment, closing); the store writes the result under the version it was computed from, so
two people acting at once never overwrite each other's change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from chalicelib.core.identity import Role
from chalicelib.core.models import InputModel, Model, MultiLine, OpaqueId, SingleLine

MAX_BODY_CHARS = 10_000
MAX_SUBJECT_CHARS = 120
MAX_ATTACHMENTS = 5

ThreadStatus = Literal["open", "closed"]
InboxState = Literal["unread", "open", "closed"]
Side = Literal["patient", "clinic"]  # who wrote: the patient (or their caregiver), or someone at the clinic

MessageBody = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS), MultiLine
]
Subject = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SUBJECT_CHARS), SingleLine
]
PoolId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")]
AttachmentIds = Annotated[list[OpaqueId], Field(max_length=MAX_ATTACHMENTS)]


# --- input ---------------------------------------------------------------------------------------


class NewThreadIn(InputModel):
    """A patient starts a conversation with one care-team pool."""

    pool_id: PoolId
    subject: Subject
    body: MessageBody
    attachment_ids: AttachmentIds = Field(
        default=[], description="Ids of documents uploaded (and finalized) through the documents routes"
    )


class ReplyIn(InputModel):
    body: MessageBody
    attachment_ids: AttachmentIds = Field(
        default=[], description="Ids of documents uploaded (and finalized) through the documents routes"
    )


# --- stored --------------------------------------------------------------------------------------


class Attachment(Model):
    """A finalized document shown with a message; the file stays where the documents module put it."""

    model_config = ConfigDict(extra="ignore")

    document_id: str
    filename: str
    content_type: str
    size: int


class Message(Model):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    thread_id: str
    patient_id: str
    side: Side
    author_sub: str
    author_name: str
    author_role: Role
    sent_at: datetime
    body: str
    attachments: list[Attachment] = []


class Thread(Model):
    """The thread's metadata item: what the inbox, the patient's list and every permission check read."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    patient_id: str
    patient_name: str  # as it was when the thread started: the inbox shows it without another read
    pool_id: str
    subject: str
    status: ThreadStatus = "open"
    created_at: datetime
    last_message_at: datetime
    last_from: Side
    message_count: int = 0
    # The first patient message the clinic has not answered yet: what "oldest waiting first" sorts by.
    waiting_since: datetime | None = None
    unread_by_patient: bool = False
    unread_by_clinic: bool = False
    patient_read_at: datetime | None = None
    clinic_read_at: datetime | None = None
    assignee_sub: str | None = None
    assignee_name: str | None = None
    closed_at: datetime | None = None
    closed_by_name: str | None = None
    # Marked by a clinician: never shown to a teenager's parent or guardian (core/minors.py).
    confidential: bool = False
    # Documents attached to any message here: a download is allowed only for these (one GetItem to check).
    attachment_ids: list[str] = []
    version: int = 1

    @property
    def inbox_state(self) -> InboxState:
        if self.status == "closed":
            return "closed"
        return "unread" if self.unread_by_clinic else "open"

    def unread_for(self, side: Side) -> bool:
        return self.unread_by_patient if side == "patient" else self.unread_by_clinic

    def _next(self, **changes: object) -> Thread:
        return self.model_copy(update={**changes, "version": self.version + 1})

    def with_message(self, side: Side, at: datetime, attachment_ids: Sequence[str] = ()) -> Thread:
        """After a message: the other side has something unread; the author has read everything."""
        attached = [*self.attachment_ids, *(a for a in attachment_ids if a not in self.attachment_ids)]
        if side == "patient":
            return self._next(
                attachment_ids=attached,
                message_count=self.message_count + 1,
                last_message_at=at,
                last_from=side,
                waiting_since=self.waiting_since or at,
                unread_by_clinic=True,
                unread_by_patient=False,
                patient_read_at=at,
            )
        return self._next(
            attachment_ids=attached,
            message_count=self.message_count + 1,
            last_message_at=at,
            last_from=side,
            waiting_since=None,  # answered
            unread_by_patient=True,
            unread_by_clinic=False,
            clinic_read_at=at,
        )

    def read_by(self, side: Side, at: datetime) -> Thread:
        if side == "patient":
            return self._next(unread_by_patient=False, patient_read_at=at)
        return self._next(unread_by_clinic=False, clinic_read_at=at)

    def assigned_to(self, sub: str, name: str) -> Thread:
        return self._next(assignee_sub=sub, assignee_name=name)

    def closed(self, at: datetime, by_name: str) -> Thread:
        return self._next(status="closed", closed_at=at, closed_by_name=by_name, waiting_since=None)


# --- output --------------------------------------------------------------------------------------


class AttachmentOut(Model):
    document_id: str
    filename: str
    content_type: str
    size: int


class MessageOut(Model):
    id: str
    sent_at: datetime
    side: Side
    author_name: str
    author_role: Role
    body: str = Field(description="Plain text: show it as text, never as HTML")
    attachments: list[AttachmentOut]

    @classmethod
    def from_message(cls, message: Message) -> MessageOut:
        return cls(
            id=message.id,
            sent_at=message.sent_at,
            side=message.side,
            author_name=message.author_name,
            author_role=message.author_role,
            body=message.body,
            attachments=[AttachmentOut.model_validate(a.model_dump()) for a in message.attachments],
        )


class ThreadOut(Model):
    """One conversation as a list row or a page header; `unread` is for the side that is looking."""

    id: str
    patient_id: str
    patient_name: str
    pool_id: str
    pool_name: str
    subject: str
    status: ThreadStatus
    inbox_state: InboxState
    created_at: datetime
    last_message_at: datetime
    last_from: Side
    message_count: int
    unread: bool
    other_side_read_at: datetime | None = Field(
        description="When the other side last read the conversation (a read receipt)"
    )
    waiting_since: datetime | None
    assignee_name: str | None
    closed_at: datetime | None
    confidential: bool = Field(
        default=False, description="Marked by a clinician: hidden from a teenager's parent or guardian"
    )

    @classmethod
    def from_thread(cls, thread: Thread, *, side: Side, pool_name: str) -> ThreadOut:
        return cls(
            id=thread.id,
            patient_id=thread.patient_id,
            patient_name=thread.patient_name,
            pool_id=thread.pool_id,
            pool_name=pool_name,
            subject=thread.subject,
            status=thread.status,
            inbox_state=thread.inbox_state,
            created_at=thread.created_at,
            last_message_at=thread.last_message_at,
            last_from=thread.last_from,
            message_count=thread.message_count,
            unread=thread.unread_for(side),
            other_side_read_at=thread.clinic_read_at if side == "patient" else thread.patient_read_at,
            waiting_since=thread.waiting_since,
            assignee_name=thread.assignee_name,
            closed_at=thread.closed_at,
            confidential=thread.confidential,
        )


class ThreadDetailOut(Model):
    """A conversation opened: its header and one page of messages, oldest first."""

    thread: ThreadOut
    messages: list[MessageOut]
    next_cursor: str | None = None


class ThreadPage(Model):
    items: list[ThreadOut]
    next_cursor: str | None = None
    some_hidden: bool = Field(
        default=False,
        description=(
            "The caller is a teenager's parent or guardian: some may be private to the patient and left"
            " out (said whether or not anything is)"
        ),
    )


class UnreadOut(Model):
    unread_threads: int


class InboxPage(Model):
    pool_id: str
    pool_name: str
    state: InboxState
    items: list[ThreadOut]
    next_cursor: str | None = None


class PoolOverviewOut(Model):
    id: str
    name: str
    unread: int = Field(description="Open conversations with a patient message nobody at the clinic has read")
    open: int = Field(description="Other open conversations")


class PoolsOut(Model):
    count_cap: int = Field(description="Counts stop here: show a count equal to it as 'N+'")
    items: list[PoolOverviewOut]


class CareTeamOut(Model):
    id: str
    name: str


class CareTeamsOut(Model):
    """What the compose screen shows: who can be written to, the emergency notice and the length limit."""

    emergency_notice: str
    max_body_chars: int
    max_attachments: int
    pools: list[CareTeamOut]


class DigestOut(Model):
    sent: int = Field(description="Staff members emailed")
    pools: dict[str, int] = Field(description="Waiting (unread + open) conversations per pool")


# Query strings of messaging/routes.py (kept here so that importing the routes creates no model).
class ThreadPageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class MessagePageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class InboxQuery(InputModel):
    state: InboxState = "unread"
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2048)] | None = None
