"""Secure messaging between a patient (or their caregiver) and a care-team pool.

Who reaches a thread: patients through the guard's patient check (their own and those they act for);
staff only through membership of the thread's pool (admins: every pool). For anyone else a thread does
not exist: 404, the same answer as for an id that was never used.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.core import audit, audit_log, config, dynamo, errors, minors
from chalicelib.core.access import Caller, caller_locale
from chalicelib.core.clinic_settings import localize
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.messaging import store as message_store
from chalicelib.messaging.models import (
    MAX_ATTACHMENTS,
    MAX_BODY_CHARS,
    Attachment,
    CareTeamOut,
    CareTeamsOut,
    InboxPage,
    InboxState,
    Message,
    MessageOut,
    NewThreadIn,
    PoolOverviewOut,
    PoolsOut,
    ReplyIn,
    Side,
    Thread,
    ThreadDetailOut,
    ThreadOut,
    ThreadPage,
    UnreadOut,
)
from chalicelib.patients import profiles as patient_profiles

_NOT_FOUND = "conversation not found"
_CLOSED = "this conversation is closed; please start a new one if you need us"
_SAVE_ATTEMPTS = 3  # a thread changed by someone else in between is re-read and tried again
COUNT_CAP = 100  # inbox badges count up to this ("100+"), so a count never reads more than this


def pools() -> dict[str, str]:
    """The clinic's care-team pools, id -> name, in configured order."""
    return {pool.id: pool.name for pool in config.clinic().care_team_pools}


def care_teams() -> CareTeamsOut:
    return CareTeamsOut(
        emergency_notice=localize(config.clinic().emergency_notice, caller_locale(None)),
        max_body_chars=MAX_BODY_CHARS,
        max_attachments=MAX_ATTACHMENTS,
        pools=[CareTeamOut(id=pool_id, name=name) for pool_id, name in pools().items()],
    )


def side_of(caller: Caller) -> Side:
    return "patient" if caller.role is Role.PATIENT else "clinic"


def is_member(caller: Caller, pool_id: str) -> bool:
    return caller.role is Role.ADMIN or (caller.is_staff and pool_id in caller.pools)


def caller_pools(caller: Caller) -> list[str]:
    """The pools whose inboxes the caller sees, in the clinic's order."""
    return [pool_id for pool_id in pools() if is_member(caller, pool_id)]


def _out(thread: Thread, side: Side) -> ThreadOut:
    return ThreadOut.from_thread(thread, side=side, pool_name=pools().get(thread.pool_id, thread.pool_id))


def _visible(caller: Caller, thread: Thread | None) -> Thread:
    if thread is None or (caller.role is not Role.PATIENT and not is_member(caller, thread.pool_id)):
        raise errors.NotFound(_NOT_FOUND)
    if thread.confidential and minors.hides_confidential(caller, thread.patient_id):
        raise errors.NotFound(_NOT_FOUND)  # a teenager's parent: as if it did not exist
    return thread


def set_confidential(caller: Caller, patient_id: str, thread_id: str, confidential: bool) -> bool:
    """A clinician marks (or unmarks) one conversation confidential."""
    if message_store.get_thread(patient_id, thread_id) is None:
        raise errors.NotFound(_NOT_FOUND)
    action = "thread.mark_confidential" if confidential else "thread.unmark_confidential"
    event = audit.event(caller, patient_id=patient_id, action=action, target=thread_id)
    message_store.set_confidential(patient_id, thread_id, confidential, audit=event)
    logger.info(action, extra={"patient_id": patient_id, "thread_id": thread_id})
    return confidential


def load(caller: Caller, patient_id: str, thread_id: str) -> Thread:
    return _visible(caller, message_store.get_thread(patient_id, thread_id))


def _attachments(caller: Caller, patient_id: str, ids: list[str]) -> list[Attachment]:
    if not ids:
        return []
    from chalicelib.messaging import attachments as messaging_attachments

    return messaging_attachments.resolve(caller, patient_id, ids)


def _message(
    caller: Caller, thread_id: str, patient_id: str, body: str, at: datetime, attachments: list[Attachment]
) -> Message:
    return Message(
        id=dynamo.new_id(),
        thread_id=thread_id,
        patient_id=patient_id,
        side=side_of(caller),
        author_sub=caller.sub,
        author_name=caller.display_name,
        author_role=caller.role,
        sent_at=at,
        body=body,
        attachments=attachments,
    )


# --- the patient's side --------------------------------------------------------------------------


def list_threads(caller: Caller, patient_id: str, *, limit: int, cursor: str | None) -> ThreadPage:
    threads, next_cursor = message_store.list_for_patient(patient_id, limit=limit, cursor=cursor)
    # A teenager's parent is always told some may be private, never whether anything is (see records).
    some_hidden = minors.hides_confidential(caller, patient_id)
    shown = [thread for thread in threads if not thread.confidential] if some_hidden else threads
    audit.record(caller, patient_id=patient_id, action="thread.list", target="threads")
    return ThreadPage(
        items=[_out(t, "patient") for t in shown],
        next_cursor=next_cursor,
        some_hidden=some_hidden,
    )


def unread_count(caller: Caller, patient_id: str) -> UnreadOut:
    """Not audited: the web asks on every page for the navigation badge, the answer is a count that
    discloses no record content, and opening the list or a conversation is audited (thread.list,
    thread.read). Logged, it was half of a patient's access log."""
    hides = minors.hides_confidential(caller, patient_id)
    return UnreadOut(
        unread_threads=message_store.count_unread_for_patient(patient_id, without_confidential=hides)
    )


def unread_of(caller: Caller, patient_id: str) -> int:
    """Conversations with a clinic message the patient has not read (for another feature's audited read);
    a teenager's parent does not count the confidential ones."""
    hides = minors.hides_confidential(caller, patient_id)
    return message_store.count_unread_for_patient(patient_id, without_confidential=hides)


def start_thread(
    caller: Caller, patient_id: str, body: NewThreadIn, *, now: datetime | None = None
) -> ThreadDetailOut:
    """A new conversation with one pool: thread, list entry, first message and audit in one transaction."""
    if body.pool_id not in pools():
        raise errors.BadRequest(
            "some fields are not valid", fields={"pool_id": "not a care team of this clinic"}
        )
    now = now or dynamo.utcnow()
    profile = patient_profiles.profile_of(patient_id)
    thread_id = dynamo.new_id()
    attachments = _attachments(caller, patient_id, body.attachment_ids)
    first = _message(caller, thread_id, patient_id, body.body, now, attachments)
    thread = Thread(
        id=thread_id,
        patient_id=patient_id,
        patient_name=profile.display_name,
        pool_id=body.pool_id,
        subject=body.subject,
        created_at=now,
        last_message_at=now,
        last_from="patient",
        version=0,
    ).with_message("patient", now, [a.document_id for a in attachments])
    event = audit.event(caller, patient_id=patient_id, action="thread.create", target=thread_id)
    try:
        message_store.create_thread(thread, first, audit=event)
    except errors.Conflict:
        if not message_store.message_exists(first):  # else: our own write, retried after a lost answer
            raise
    logger.info("thread started", extra={"patient_id": patient_id, "thread_id": thread_id})
    return ThreadDetailOut(thread=_out(thread, "patient"), messages=[MessageOut.from_message(first)])


# --- both sides ----------------------------------------------------------------------------------


def open_thread(
    caller: Caller,
    patient_id: str,
    thread_id: str,
    *,
    limit: int,
    cursor: str | None,
    now: datetime | None = None,
) -> ThreadDetailOut:
    """A thread and one page of messages (one Query); opening it marks it read for the caller's side."""
    found, messages, next_cursor = message_store.open_thread(
        patient_id, thread_id, limit=limit, cursor=cursor
    )
    thread = _visible(caller, found)
    side = side_of(caller)
    event = audit.event(caller, patient_id=patient_id, action="thread.read", target=thread_id)
    if thread.unread_for(side):
        read = thread.read_by(side, now or dynamo.utcnow())
        try:
            message_store.save(read, expected_version=thread.version, audit=[event])
            thread = read
        except errors.Conflict:  # changed meanwhile: it stays unread until the next look; the read is logged
            audit_log.put(event)
    else:
        audit_log.put(event)
    return ThreadDetailOut(
        thread=_out(thread, side),
        messages=[
            MessageOut.from_message(m) for m in _without_hidden_attachments(caller, patient_id, messages)
        ],
        next_cursor=next_cursor,
    )


def _without_hidden_attachments(caller: Caller, patient_id: str, messages: list[Message]) -> list[Message]:
    """A confidential document attached to an ordinary conversation is left off for a teenager's parent."""
    from chalicelib.documents import service as document_service

    attached = {a.document_id for m in messages for a in m.attachments}
    hidden = document_service.hidden_ids(caller, patient_id, attached)
    if not hidden:
        return messages
    return [
        m.model_copy(update={"attachments": [a for a in m.attachments if a.document_id not in hidden]})
        for m in messages
    ]


def reply(
    caller: Caller, patient_id: str, thread_id: str, body: ReplyIn, *, now: datetime | None = None
) -> ThreadDetailOut:
    """Add a message to an open thread: message, thread, list entry and audit in one transaction."""
    thread = load(caller, patient_id, thread_id)
    if thread.status == "closed":
        raise errors.Conflict(_CLOSED)
    now = now or dynamo.utcnow()
    attachments = _attachments(caller, patient_id, body.attachment_ids)
    message = _message(caller, thread_id, patient_id, body.body, now, attachments)
    event = audit.event(caller, patient_id=patient_id, action="message.send", target=thread_id)
    side = side_of(caller)
    for attempt in range(_SAVE_ATTEMPTS):
        updated = thread.with_message(side, now, [a.document_id for a in attachments])
        try:
            message_store.save(
                updated, expected_version=thread.version, message=message, audit=[event], require_open=True
            )
            break
        except errors.Conflict:
            thread = load(caller, patient_id, thread_id)
            if message_store.message_exists(message):  # our own write, retried after a lost answer
                updated = thread
                break
            if thread.status == "closed":
                raise errors.Conflict(_CLOSED) from None
            if attempt == _SAVE_ATTEMPTS - 1:
                raise
    logger.info("message sent", extra={"patient_id": patient_id, "thread_id": thread_id, "side": side})
    # A teenager's address on file may be a parent's: a confidential conversation gets no email there.
    if side == "clinic" and not (updated.confidential and minors.is_teen(patient_id)):
        from chalicelib.messaging import email as messaging_email

        patient_profiles.notify_patient(patient_id, messaging_email.new_message_notice)
    return ThreadDetailOut(thread=_out(updated, side), messages=[MessageOut.from_message(message)])


# --- the clinic's side ---------------------------------------------------------------------------


def _change(
    caller: Caller, patient_id: str, thread_id: str, action: str, change: str, now: datetime | None
) -> ThreadOut:
    """Assign or close, re-reading and retrying if someone else changed the thread in between."""
    thread = load(caller, patient_id, thread_id)
    now = now or dynamo.utcnow()
    for attempt in range(_SAVE_ATTEMPTS):
        if thread.status == "closed":
            if change == "close":
                return _out(thread, "clinic")  # closing twice is not an error (a retried request)
            raise errors.Conflict("this conversation is closed")
        if change == "close":
            updated = thread.closed(now, caller.display_name)
        else:
            updated = thread.assigned_to(caller.sub, caller.display_name)
        event = audit.event(caller, patient_id=patient_id, action=action, target=thread_id)
        try:
            message_store.save(updated, expected_version=thread.version, audit=[event], require_open=True)
            break
        except errors.Conflict:
            if attempt == _SAVE_ATTEMPTS - 1:
                raise
            thread = load(caller, patient_id, thread_id)
    logger.info("thread changed", extra={"patient_id": patient_id, "thread_id": thread_id, "change": change})
    return _out(updated, "clinic")


def assign_to_me(
    caller: Caller, patient_id: str, thread_id: str, *, now: datetime | None = None
) -> ThreadOut:
    return _change(caller, patient_id, thread_id, "thread.assign", "assign", now)


def close(caller: Caller, patient_id: str, thread_id: str, *, now: datetime | None = None) -> ThreadOut:
    return _change(caller, patient_id, thread_id, "thread.close", "close", now)


def _pool_or_refuse(caller: Caller, pool_id: str) -> str:
    name = pools().get(pool_id)
    if name is None:
        raise errors.NotFound("care team not found")
    if not is_member(caller, pool_id):
        raise errors.Forbidden("you are not a member of this care team")
    return name


def inbox(caller: Caller, pool_id: str, state: InboxState, *, limit: int, cursor: str | None) -> InboxPage:
    """One tab of a pool's shared inbox (one GSI1 Query). Each patient on the page gets a logged read."""
    name = _pool_or_refuse(caller, pool_id)
    threads, next_cursor = message_store.inbox(pool_id, state, limit=limit, cursor=cursor)
    audit.record_many(
        caller,
        patient_ids=(t.patient_id for t in threads),
        action="inbox.read",
        target=f"inbox:{pool_id}",
    )
    return InboxPage(
        pool_id=pool_id,
        pool_name=name,
        state=state,
        items=[_out(t, "clinic") for t in threads],
        next_cursor=next_cursor,
    )


def pools_overview(caller: Caller) -> PoolsOut:
    """The caller's pools with unread and open counts, each capped (a "99+" badge): two bounded COUNT
    Queries per pool, whatever the size of the inbox. Counts only: no PHI, no audit event."""
    names = pools()
    return PoolsOut(
        count_cap=COUNT_CAP,
        items=[
            PoolOverviewOut(
                id=pool_id,
                name=names[pool_id],
                unread=message_store.count_inbox(pool_id, "unread", cap=COUNT_CAP),
                open=message_store.count_inbox(pool_id, "open", cap=COUNT_CAP),
            )
            for pool_id in caller_pools(caller)
        ],
    )


# --- for other features: their own action is the audited one -------------------------------------


def awaiting_reply(caller: Caller, *, limit: int) -> tuple[list[Thread], bool]:
    """Threads in the caller's pools waiting for the clinic's answer, unassigned or assigned to the caller
    (not those another colleague took), oldest wait first; and whether the list was cut at `limit`."""
    found: list[Thread] = []
    cut = False
    for pool_id in caller_pools(caller):
        states: tuple[InboxState, ...] = ("unread", "open")
        for state in states:
            threads = message_store.awaiting_reply(pool_id, state, limit=limit)
            cut = cut or len(threads) == limit
            found += [t for t in threads if t.assignee_sub in (None, caller.sub)]
    found.sort(key=lambda t: (t.waiting_since or t.last_message_at, t.id))
    return found[:limit], cut or len(found) > limit


def pool_name(pool_id: str) -> str:
    return pools().get(pool_id, pool_id)
