"""Threads and messages in the patient's partition.

thread      PK=PATIENT#<id>  SK=THREAD#<thread>                    the metadata (status, pool, read state...)
            GSI1 INBOX#<pool>#<unread|open|closed> / <sort>#<thread>  the care team's shared inbox
message     PK=PATIENT#<id>  SK=THREAD#<thread>#MSG#<time>#<message>
list entry  PK=PATIENT#<id>  SK=PTHREAD#<thread>                   a copy of the header for the patient's list
            GSI1 PTHREADS#<patient> / <last message time>#<thread>   newest activity first

Opening a thread is one Query on begins_with(SK, THREAD#<thread>): the metadata sorts first, then the
messages oldest first. The patient's list needs its own small item because a Query on THREAD# would also
return every message, and the thread's own GSI1 entry is the inbox. Both copies of the header are written
in the same transaction, always from one `Thread` value.

Inbox sort keys: "0#<waiting since>" for threads waiting on the clinic (oldest first), "1#<last message>"
for threads waiting on the patient, "<closed at>" for closed ones (read newest first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.dynamo import utc_text
from chalicelib.core.schema import PATIENT_PREFIX, patient_pk
from chalicelib.messaging.models import InboxState, Message, Thread

THREAD_PREFIX = "THREAD#"
LIST_PREFIX = "PTHREAD#"
MSG_INFIX = "#MSG#"


def thread_sk(thread_id: str) -> str:
    return f"{THREAD_PREFIX}{thread_id}"


def thread_key(patient_id: str, thread_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": thread_sk(thread_id)}


def message_prefix(thread_id: str) -> str:
    return f"{thread_sk(thread_id)}{MSG_INFIX}"


def message_key(message: Message) -> dict[str, str]:
    return {
        "PK": patient_pk(message.patient_id),
        "SK": f"{message_prefix(message.thread_id)}{utc_text(message.sent_at)}#{message.id}",
    }


def inbox_pk(pool_id: str, state: InboxState) -> str:
    return f"INBOX#{pool_id}#{state}"


def patient_list_pk(patient_id: str) -> str:
    return f"PTHREADS#{patient_id}"


def _inbox_sort(thread: Thread) -> str:
    if thread.status == "closed":
        return f"{utc_text(thread.closed_at or thread.last_message_at)}#{thread.id}"
    if thread.waiting_since is not None:
        return f"0#{utc_text(thread.waiting_since)}#{thread.id}"
    return f"1#{utc_text(thread.last_message_at)}#{thread.id}"


def thread_item(thread: Thread) -> dict[str, Any]:
    return {
        **thread.model_dump(mode="json"),
        "GSI1PK": inbox_pk(thread.pool_id, thread.inbox_state),
        "GSI1SK": _inbox_sort(thread),
        **thread_key(thread.patient_id, thread.id),  # keys last: nothing in the payload can move the item
    }


def list_item(thread: Thread) -> dict[str, Any]:
    return {
        **thread.model_dump(mode="json"),
        "GSI1PK": patient_list_pk(thread.patient_id),
        "GSI1SK": f"{utc_text(thread.last_message_at)}#{thread.id}",
        "PK": patient_pk(thread.patient_id),
        "SK": f"{LIST_PREFIX}{thread.id}",
    }


def message_item(message: Message) -> dict[str, Any]:
    return {**message.model_dump(mode="json"), **message_key(message)}


# --- writes --------------------------------------------------------------------------------------


def _put_new(item: dict[str, Any]) -> dict[str, Any]:
    entry = dynamo.put(item)
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def _put_thread(thread: Thread, *, expected_version: int, require_open: bool) -> dict[str, Any]:
    entry = dynamo.put(thread_item(thread))
    condition = "#version = :expected"
    names = {"#version": "version"}
    values: dict[str, Any] = {":expected": expected_version}
    if require_open:
        condition += " AND #status = :open"
        names["#status"] = "status"
        values[":open"] = "open"
    entry["Put"].update(
        ConditionExpression=condition, ExpressionAttributeNames=names, ExpressionAttributeValues=values
    )
    return entry


def create_thread(thread: Thread, first: Message, *, audit: AuditEvent) -> None:
    """The thread, its list entry, its first message and the audit event: all or nothing."""
    dynamo.transact(
        [
            _put_new(thread_item(thread)),
            dynamo.put(list_item(thread)),
            _put_new(message_item(first)),
            audit_log.entry(audit),
        ],
        conflict="this conversation already exists",
    )


def save(
    thread: Thread,
    *,
    expected_version: int,
    audit: Sequence[AuditEvent],
    message: Message | None = None,
    require_open: bool = False,
    update_list: bool = True,
) -> None:
    """Write a thread's new state if nobody changed it since `expected_version` (else Conflict).

    With a message, the message is written in the same transaction, so a message never exists without
    the thread counting it, and never lands in a thread that was closed meanwhile.
    """
    entries = [_put_thread(thread, expected_version=expected_version, require_open=require_open)]
    if update_list:
        entries.append(dynamo.put(list_item(thread)))
    if message is not None:
        entries.append(_put_new(message_item(message)))
    entries += [audit_log.entry(event) for event in audit]
    dynamo.transact(entries, conflict="this conversation was changed by someone else; please try again")


# --- reads ---------------------------------------------------------------------------------------


def message_exists(message: Message) -> bool:
    """Did this very message land? (A transaction retried after a lost answer fails its condition.)"""
    found = aws.table().get_item(Key=message_key(message), ProjectionExpression="PK").get("Item")
    return found is not None


def get_thread(patient_id: str, thread_id: str) -> Thread | None:
    item = aws.table().get_item(Key=thread_key(patient_id, thread_id)).get("Item")
    return dynamo.parse_item(Thread, item) if item else None


def open_thread(
    patient_id: str, thread_id: str, *, limit: int, cursor: str | None
) -> tuple[Thread | None, list[Message], str | None]:
    """The thread and one page of its messages, oldest first.

    The first page is one Query (metadata + messages). A later page needs the metadata for the
    permission check, so it costs a GetItem besides the Query.
    """
    pk = patient_pk(patient_id)
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=message_prefix(thread_id))
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": pk},
    }
    if start is None:
        kwargs["ExpressionAttributeValues"][":prefix"] = thread_sk(thread_id)
        kwargs["Limit"] = limit + 1  # the metadata item plus a page of messages
        response = aws.table().query(**kwargs)
        items = response.get("Items", [])
        if not items or items[0]["SK"] != thread_sk(thread_id):
            return None, [], None
        thread: Thread | None = dynamo.parse_item(Thread, items[0])
        items = items[1:]
    else:
        thread = get_thread(patient_id, thread_id)
        if thread is None:
            return None, [], None
        kwargs["ExpressionAttributeValues"][":prefix"] = message_prefix(thread_id)
        kwargs["Limit"] = limit
        kwargs["ExclusiveStartKey"] = start
        response = aws.table().query(**kwargs)
        items = response.get("Items", [])
    messages = dynamo.parse_items(Message, (item for item in items if MSG_INFIX in str(item["SK"])))
    return thread, messages, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def _index_page(
    gsi_pk: str, *, sk_prefix: str, forward: bool, limit: int, cursor: str | None
) -> tuple[list[Thread], str | None]:
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :gpk",
        "ExpressionAttributeValues": {":gpk": gsi_pk},
        "ScanIndexForward": forward,
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(cursor, pk_prefix=PATIENT_PREFIX, gsi_pk=gsi_pk, sk_prefix=sk_prefix)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    threads = dynamo.parse_items(Thread, response.get("Items", []))
    return threads, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def list_for_patient(patient_id: str, *, limit: int, cursor: str | None) -> tuple[list[Thread], str | None]:
    """The patient's conversations, most recent activity first: one GSI1 Query per page."""
    return _index_page(
        patient_list_pk(patient_id), sk_prefix=LIST_PREFIX, forward=False, limit=limit, cursor=cursor
    )


def inbox(
    pool_id: str, state: InboxState, *, limit: int, cursor: str | None
) -> tuple[list[Thread], str | None]:
    """One tab of a pool's shared inbox: one GSI1 Query. Waiting longest first; closed newest first."""
    return _index_page(
        inbox_pk(pool_id, state),
        sk_prefix=THREAD_PREFIX,
        forward=state != "closed",
        limit=limit,
        cursor=cursor,
    )


def _count(kwargs: dict[str, Any], *, cap: int | None = None) -> int:
    """Select=COUNT; with a cap, one Query that reads at most `cap` items (enough for a "99+" badge)."""
    if cap is not None:
        return min(int(aws.table().query(Select="COUNT", Limit=cap, **kwargs).get("Count", 0)), cap)
    total = 0
    while True:
        response = aws.table().query(Select="COUNT", **kwargs)
        total += int(response.get("Count", 0))
        if "LastEvaluatedKey" not in response:
            return total
        kwargs = {**kwargs, "ExclusiveStartKey": response["LastEvaluatedKey"]}


def count_inbox(pool_id: str, state: InboxState, *, cap: int | None = None) -> int:
    """How many threads one inbox tab holds: COUNT Queries on its GSI1 partition.

    Uncapped, the cost grows with the tab (one page per ~1 MB of headers): fine for the daily digest. The
    badges people poll pass a cap, so each count is one Query that reads at most `cap` items.
    """
    return _count(
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :gpk",
            "ExpressionAttributeValues": {":gpk": inbox_pk(pool_id, state)},
        },
        cap=cap,
    )


def count_unread_for_patient(patient_id: str, *, without_confidential: bool = False) -> int:
    """Conversations with a clinic message the patient has not read: one COUNT Query on their list
    (without those marked confidential, for a teenager's parent)."""
    condition = "unread_by_patient = :yes"
    values: dict[str, Any] = {":gpk": patient_list_pk(patient_id), ":yes": True}
    if without_confidential:
        condition += " AND (attribute_not_exists(confidential) OR confidential = :no)"
        values[":no"] = False
    return _count(
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :gpk",
            "FilterExpression": condition,
            "ExpressionAttributeValues": values,
        }
    )


def set_confidential(patient_id: str, thread_id: str, confidential: bool, *, audit: AuditEvent) -> None:
    """Mark or unmark one conversation confidential on its item and its list entry, with its audit event."""
    list_key = {"PK": patient_pk(patient_id), "SK": f"{LIST_PREFIX}{thread_id}"}
    dynamo.transact(
        [
            *(
                {
                    "Update": {
                        "TableName": dynamo.table_name(),
                        "Key": key,
                        "UpdateExpression": "SET confidential = :confidential",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": {":confidential": confidential},
                    }
                }
                for key in (thread_key(patient_id, thread_id), list_key)
            ),
            audit_log.entry(audit),
        ],
        conflict="conversation not found",
    )


def awaiting_reply(pool_id: str, state: InboxState, *, limit: int) -> list[Thread]:
    """Open threads of one inbox tab whose patient waits for the clinic ("0#" keys), oldest wait first:
    one GSI1 Query of at most `limit` items."""
    response = aws.table().query(
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :gpk AND begins_with(GSI1SK, :waiting)",
        ExpressionAttributeValues={":gpk": inbox_pk(pool_id, state), ":waiting": "0#"},
        Limit=limit,
    )
    return dynamo.parse_items(Thread, response.get("Items", []))
