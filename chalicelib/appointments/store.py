"""Slots, appointments and front-desk notices in the single table.

slot         PK=PROVIDER#<provider>  SK=SLOT#<start>       GSI1 SLOTS#<visit type> / <start>#<provider>
appointment  PK=PATIENT#<patient>    SK=APPT#<start>#<id>  GSI1 PROVIDER#<provider> / APPT#<start>#<id>
notice       PK=PATIENT#<patient>    SK=NOTICE#<id>        GSI1 FRONTDESK#QUEUE / <at>#<id>
day entry    PK=CLINICDAY#<date>     SK=APPT#<start>#<id>  (a pointer: patient, appointment, provider)

A day entry is written with its appointment, in the same transaction, and never changes: an appointment's
start never moves (a move makes a new appointment). The all-providers day is one Query on the day's
entries, then one BatchGetItem of the appointments they point to, so it shows their current state.

A slot carries GSI1 keys only while open and a notice only until acknowledged: the index is sparse, so
"find a time" and the front-desk queue read exactly what they show and nothing else.
<start> is fixed-width UTC text (models.appointments.utc_text), so string order is time order. Every write
that belongs together (slot, appointment, audit, notice) goes in one TransactWriteItems.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

from chalicelib.appointments.models import (
    Appointment,
    AvailabilityTemplate,
    Block,
    ReviewDecision,
    Slot,
    WaitlistOffer,
    utc_text,
)
from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import InternalError, NotFound
from chalicelib.core.schema import GSI1, TTL_ATTRIBUTE, patient_pk

SLOT_PREFIX: Final = "SLOT#"
APPT_PREFIX: Final = "APPT#"
NOTICE_PREFIX: Final = "NOTICE#"
FRONT_DESK_QUEUE: Final = "FRONTDESK#QUEUE"
DAY_PREFIX: Final = "CLINICDAY#"


# --- keys and items ---


def provider_pk(provider_id: str) -> str:
    return f"PROVIDER#{provider_id}"


def slot_key(provider_id: str, start: datetime) -> dict[str, str]:
    return {"PK": provider_pk(provider_id), "SK": f"{SLOT_PREFIX}{utc_text(start)}"}


def _open_index(visit_type_id: str, provider_id: str, start: datetime) -> dict[str, str]:
    return {"GSI1PK": f"SLOTS#{visit_type_id}", "GSI1SK": f"{utc_text(start)}#{provider_id}"}


def slot_item(slot: Slot) -> dict[str, Any]:
    item: dict[str, Any] = {
        **slot.model_dump(mode="json", exclude_none=True),
        "start": utc_text(slot.start),
        "end": utc_text(slot.end),
        **slot_key(slot.provider_id, slot.start),
    }
    if slot.status == "open":
        item.update(_open_index(slot.visit_type_id, slot.provider_id, slot.start))
    return item


def appointment_key(appointment: Appointment) -> dict[str, str]:
    return {
        "PK": patient_pk(appointment.patient_id),
        "SK": f"{APPT_PREFIX}{utc_text(appointment.start)}#{appointment.id}",
    }


def appointment_item(appointment: Appointment) -> dict[str, Any]:
    start = utc_text(appointment.start)
    return {
        **appointment.model_dump(mode="json", exclude_none=True),
        "start": start,
        "end": utc_text(appointment.end),
        **appointment_key(appointment),
        # The provider's schedule: one Query per provider and day range.
        "GSI1PK": provider_pk(appointment.provider_id),
        "GSI1SK": f"{APPT_PREFIX}{start}#{appointment.id}",
    }


def day_entry(appointment: Appointment, *, day: date) -> dict[str, Any]:
    """The appointment's line in the clinic's day (`day`: its start's date in clinic time)."""
    start = utc_text(appointment.start)
    return dynamo.put(
        {
            "PK": f"{DAY_PREFIX}{day.isoformat()}",
            "SK": f"{APPT_PREFIX}{start}#{appointment.id}",
            "patient_id": appointment.patient_id,
            "appointment_id": appointment.id,
            "provider_id": appointment.provider_id,
            "start": start,
        }
    )


def notice_key(patient_id: str, notice_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{NOTICE_PREFIX}{notice_id}"}


def request_notice_id(appointment_id: str) -> str:
    """A request's notice has a known id, so approving or declining can take it off the queue."""
    return f"req-{appointment_id}"


def notice_item(*, kind: str, appointment: Appointment, at: datetime) -> dict[str, Any]:
    """A line in the front-desk queue, with what the queue shows (staff only see it)."""
    notice_id = request_notice_id(appointment.id) if kind == "requested" else dynamo.new_id()
    return {
        "id": notice_id,
        "kind": kind,
        "at": utc_text(at),
        "patient_id": appointment.patient_id,
        "patient_name": appointment.patient_name,
        "appointment_id": appointment.id,
        "provider_id": appointment.provider_id,
        "visit_type_id": appointment.visit_type_id,
        "start": utc_text(appointment.start),
        **notice_key(appointment.patient_id, notice_id),
        "GSI1PK": FRONT_DESK_QUEUE,
        "GSI1SK": f"{utc_text(at)}#{notice_id}",
    }


# --- transaction entries ---


def _table() -> str:
    return dynamo.table_name()


def take_slot_entry(
    slot: Slot, *, appointment_id: str, patient_id: str, status: str, not_before: datetime
) -> dict[str, Any]:
    """Claim an open slot of the expected type whose start is still ahead: the double-booking guard."""
    return {
        "Update": {
            "TableName": _table(),
            "Key": slot_key(slot.provider_id, slot.start),
            "ConditionExpression": "#status = :open AND #start >= :not_before AND visit_type_id = :vt",
            "UpdateExpression": "SET #status = :new, appointment_id = :aid, patient_id = :pid "
            "REMOVE GSI1PK, GSI1SK",
            "ExpressionAttributeNames": {"#status": "status", "#start": "start"},
            "ExpressionAttributeValues": {
                ":open": "open",
                ":not_before": utc_text(not_before),
                ":vt": slot.visit_type_id,
                ":new": status,
                ":aid": appointment_id,
                ":pid": patient_id,
            },
        }
    }


def free_slot_entry(appointment: Appointment) -> dict[str, Any]:
    """Give the appointment's slot back to everyone, only if it is still this appointment's."""
    index = _open_index(appointment.visit_type_id, appointment.provider_id, appointment.start)
    return {
        "Update": {
            "TableName": _table(),
            "Key": slot_key(appointment.provider_id, appointment.start),
            "ConditionExpression": "appointment_id = :aid",
            "UpdateExpression": "SET #status = :open, GSI1PK = :gpk, GSI1SK = :gsk "
            "REMOVE appointment_id, patient_id",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":aid": appointment.id,
                ":open": "open",
                ":gpk": index["GSI1PK"],
                ":gsk": index["GSI1SK"],
            },
        }
    }


def confirm_slot_entry(appointment: Appointment) -> dict[str, Any]:
    """A held slot (request) becomes booked when staff approve."""
    return {
        "Update": {
            "TableName": _table(),
            "Key": slot_key(appointment.provider_id, appointment.start),
            "ConditionExpression": "appointment_id = :aid AND #status = :held",
            "UpdateExpression": "SET #status = :booked",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":aid": appointment.id, ":held": "held", ":booked": "booked"},
        }
    }


def new_appointment_entry(appointment: Appointment) -> dict[str, Any]:
    entry = dynamo.put(appointment_item(appointment))
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def replace_appointment_entry(appointment: Appointment, *, expected_version: int) -> dict[str, Any]:
    """Write the new state only if nobody changed the appointment since we read it."""
    entry = dynamo.put(appointment_item(appointment))
    entry["Put"]["ConditionExpression"] = "attribute_exists(PK) AND #version = :expected"
    entry["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
    entry["Put"]["ExpressionAttributeValues"] = {":expected": expected_version}
    return entry


def audit_entry(event: AuditEvent) -> dict[str, Any]:
    return audit_log.entry(event)


def notice_entry(*, kind: str, appointment: Appointment, at: datetime) -> dict[str, Any]:
    return dynamo.put(notice_item(kind=kind, appointment=appointment, at=at))


def drop_notice_entry(patient_id: str, notice_id: str) -> dict[str, Any]:
    """Take a notice off the queue (no condition: it may already have been acknowledged)."""
    return {"Delete": {"TableName": _table(), "Key": notice_key(patient_id, notice_id)}}


# --- reads ---


def get_slot(provider_id: str, start: datetime) -> Slot | None:
    item = aws.table().get_item(Key=slot_key(provider_id, start), ConsistentRead=True).get("Item")
    return dynamo.parse_item(Slot, item) if item else None


def provider_slots(provider_id: str, start: datetime, end: datetime) -> list[Slot]:
    """A provider's slots starting in [start, end): one Query on the provider's partition (paged)."""
    return slot_window(provider_id, start, end)[0]


def slot_window(provider_id: str, start: datetime, end: datetime) -> tuple[list[Slot], set[str]]:
    """A provider's slots starting in [start, end), and the sort keys of any there that cannot be read
    (a sync must not write over those: one of them may be booked)."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :lo AND :hi",
        "ExpressionAttributeValues": {
            ":pk": provider_pk(provider_id),
            ":lo": f"{SLOT_PREFIX}{utc_text(start)}",
            ":hi": f"{SLOT_PREFIX}{utc_text(end - timedelta(seconds=1))}",
        },
    }
    slots: list[Slot] = []
    damaged: set[str] = set()
    for item in _query_all(kwargs):
        slot = dynamo.parse_or_skip(Slot, item)
        if slot is None:
            damaged.add(str(item["SK"]))
        else:
            slots.append(slot)
    return slots, damaged


def open_slots(
    visit_type_id: str,
    start: datetime,
    end: datetime,
    *,
    provider_id: str | None,
    cursor: str | None,
    limit: int = 500,
) -> tuple[list[Slot], str | None]:
    """Open slots of one visit type starting in [start, end): one Query on the sparse GSI1."""
    gsi_pk = f"SLOTS#{visit_type_id}"
    kwargs: dict[str, Any] = {
        "IndexName": GSI1,
        "KeyConditionExpression": "GSI1PK = :pk AND GSI1SK BETWEEN :lo AND :hi",
        "ExpressionAttributeValues": {
            ":pk": gsi_pk,
            ":lo": utc_text(start),
            ":hi": utc_text(end - timedelta(seconds=1)) + "#~",
        },
        "Limit": limit,
    }
    if provider_id:
        kwargs["FilterExpression"] = "provider_id = :provider"
        kwargs["ExpressionAttributeValues"][":provider"] = provider_id
    start_key = dynamo.decode_index_cursor(cursor, gsi_pk=gsi_pk)
    if start_key:
        kwargs["ExclusiveStartKey"] = start_key
    response = aws.table().query(**kwargs)
    slots = dynamo.parse_items(Slot, response.get("Items", []))
    return slots, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def front_desk_queue(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Unacknowledged notices, oldest first: one Query on the sparse GSI1 partition."""
    kwargs: dict[str, Any] = {
        "IndexName": GSI1,
        "KeyConditionExpression": "GSI1PK = :pk",
        "ExpressionAttributeValues": {":pk": FRONT_DESK_QUEUE},
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(cursor, gsi_pk=FRONT_DESK_QUEUE)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    return list(response.get("Items", [])), dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def notices_since(since: str) -> list[dict[str, Any]]:
    """Unacknowledged notices queued after `since` (UTC text): the digest's one Query."""
    kwargs: dict[str, Any] = {
        "IndexName": GSI1,
        "KeyConditionExpression": "GSI1PK = :pk AND GSI1SK > :since",
        "ExpressionAttributeValues": {":pk": FRONT_DESK_QUEUE, ":since": since},
    }
    return list(_query_all(kwargs))


DIGEST_KEY: Final = {"PK": "CLINIC", "SK": "APPOINTMENTS_DIGEST"}


def digest_sent_through() -> str | None:
    """The queue position (GSI1SK) the last front-desk digest counted up to."""
    item = aws.table().get_item(Key=DIGEST_KEY).get("Item") or {}
    return str(item["through"]) if item.get("through") else None


def record_digest_sent(*, through: str, at: datetime) -> None:
    aws.table().put_item(Item={**DIGEST_KEY, "through": through, "at": utc_text(at)})


def acknowledge_notice(patient_id: str, notice_id: str, *, by: str, at: datetime) -> bool:
    """Take a notice off the queue (it stays in the patient's partition). False if it was not queued."""
    return _conditional(
        aws.table().update_item,
        Key=notice_key(patient_id, notice_id),
        ConditionExpression="attribute_exists(GSI1PK)",
        UpdateExpression="SET acknowledged_by = :by, acknowledged_at = :at REMOVE GSI1PK, GSI1SK",
        ExpressionAttributeValues={":by": by, ":at": utc_text(at)},
    )


def find_appointment(patient_id: str, appointment_id: str) -> Appointment | None:
    """One of a patient's appointments by id: a Query on the patient's APPT# items (ids don't carry dates)."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "FilterExpression": "id = :id",
        "ExpressionAttributeValues": {
            ":pk": patient_pk(patient_id),
            ":prefix": APPT_PREFIX,
            ":id": appointment_id,
        },
        "ConsistentRead": True,
    }
    for item in _query_all(kwargs):
        return dynamo.parse_item(Appointment, item)
    return None


def list_appointments(
    patient_id: str, *, upcoming: bool, now: datetime, limit: int, cursor: str | None
) -> tuple[list[Appointment], str | None]:
    """Upcoming (soonest first, including ones under way) or past (latest first), one Query per page.

    Superseded ("rescheduled") entries are left out: the appointment they moved to stands for them.
    """
    pk = patient_pk(patient_id)
    # Anything that started within the last day may still be under way, and a visit later today may be
    # over already (marked seen or no-show): the service sorts them by end time and visit step.
    boundary = f"{APPT_PREFIX}{utc_text(now - timedelta(days=1) if upcoming else now + timedelta(days=1))}"
    condition = (
        "PK = :pk AND SK BETWEEN :boundary AND :last"
        if upcoming
        else "PK = :pk AND SK BETWEEN :first AND :boundary"
    )
    values: dict[str, Any] = {":pk": pk, ":boundary": boundary, ":superseded": "rescheduled"}
    values[":last" if upcoming else ":first"] = APPT_PREFIX + ("~" if upcoming else "")
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": condition,
        "FilterExpression": "#status <> :superseded",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": values,
        "ScanIndexForward": upcoming,
        "Limit": limit,
    }
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=APPT_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    items = dynamo.parse_items(Appointment, response.get("Items", []))
    return items, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def has_past_visit(patient_id: str, now: datetime) -> bool:
    """Established patient: at least one booked appointment that has started. One Query, keys only read."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :first AND :now",
        "FilterExpression": "#status = :booked",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":pk": patient_pk(patient_id),
            ":first": APPT_PREFIX,
            ":now": f"{APPT_PREFIX}{utc_text(now)}",
            ":booked": "booked",
        },
        "ProjectionExpression": "PK",
    }
    return any(True for _ in _query_all(kwargs))


def provider_appointments(provider_id: str, start: datetime, end: datetime) -> list[Appointment]:
    """A provider's appointments starting in [start, end): one Query on GSI1 (paged)."""
    kwargs: dict[str, Any] = {
        "IndexName": GSI1,
        "KeyConditionExpression": "GSI1PK = :pk AND GSI1SK BETWEEN :lo AND :hi",
        "ExpressionAttributeValues": {
            ":pk": provider_pk(provider_id),
            ":lo": f"{APPT_PREFIX}{utc_text(start)}",
            ":hi": f"{APPT_PREFIX}{utc_text(end - timedelta(seconds=1))}#~",
        },
    }
    return dynamo.parse_items(Appointment, _query_all(kwargs))


def day_appointments(day: date) -> list[Appointment]:
    """Every provider's appointments of one clinic day: one Query (paged) and BatchGetItem by key."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": f"{DAY_PREFIX}{day.isoformat()}", ":prefix": APPT_PREFIX},
        "ProjectionExpression": "patient_id, appointment_id, #start",
        "ExpressionAttributeNames": {"#start": "start"},
    }
    keys = [
        {
            "PK": patient_pk(str(item["patient_id"])),
            "SK": f"{APPT_PREFIX}{item['start']}#{item['appointment_id']}",
        }
        for item in _query_all(kwargs)
    ]
    items: list[dict[str, Any]] = []
    for first in range(0, len(keys), 100):
        items += _batch_get(keys[first : first + 100])
    return dynamo.parse_items(Appointment, items)


def _batch_get(keys: list[dict[str, str]]) -> list[dict[str, Any]]:
    name = dynamo.table_name()
    request: dict[str, Any] = {name: {"Keys": keys, "ConsistentRead": True}}
    items: list[dict[str, Any]] = []
    for attempt in range(5):  # throttled keys come back unprocessed: retry them, never drop them
        response = aws.dynamodb_resource().batch_get_item(RequestItems=request)
        items += response["Responses"].get(name, [])
        request = response.get("UnprocessedKeys") or {}
        if not request:
            return items
        time.sleep(0.05 * 2**attempt)
    raise InternalError("the day's schedule could not be read; please try again")


def _query_all(kwargs: dict[str, Any]) -> Iterable[dict[str, Any]]:
    table = aws.table()
    while True:
        response = table.query(**kwargs)
        yield from response.get("Items", [])
        last = response.get("LastEvaluatedKey")
        if not last:
            return
        kwargs = {**kwargs, "ExclusiveStartKey": last}


# --- plain writes (seeding, slot generation) ---


def _conditional(write: Any, **kwargs: Any) -> bool:
    """Run one conditional single-item write; False if its condition said no.

    Single items need no transaction (cheaper in DynamoDB, and moto copies the table per transaction).
    """
    from botocore.exceptions import ClientError

    try:
        write(**kwargs)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def put_slots(slots: Sequence[Slot]) -> int:
    """Create slots that do not exist yet; never overwrites one (it may have been booked meanwhile).

    Returns how many were created.
    """
    table = aws.table()
    return sum(
        _conditional(table.put_item, Item=slot_item(slot), ConditionExpression="attribute_not_exists(PK)")
        for slot in slots
    )


def create_missing_slots(slots: Sequence[Slot]) -> int:
    """Write slots known not to exist, in batches of 25 (no per-item condition).

    Only for a caller that holds the provider's sync lease and has just read the window: nothing else
    creates slots, and a slot that does not exist cannot be booked, so nothing can be overwritten.
    """
    with aws.table().batch_writer() as batch:
        for slot in slots:
            batch.put_item(Item=slot_item(slot))
    return len(slots)


def mark_reminded(appointment: Appointment, *, at: datetime) -> bool:
    """Record that the reminder went out, once: False if another run already did."""
    return _conditional(
        aws.table().update_item,
        Key=appointment_key(appointment),
        ConditionExpression=(
            "attribute_exists(PK) AND attribute_not_exists(reminder_sent_at) AND #s = :booked"
        ),
        UpdateExpression="SET reminder_sent_at = :at",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":at": utc_text(at), ":booked": "booked"},
    )


# --- video visits: the meeting and the waiting room on the appointment item ---


def set_meeting(appointment: Appointment, *, meeting_id: str, provider: str) -> bool:
    """Record the visit's meeting once: False if another join recorded one first, or the visit is no
    longer booked. The version moves, so a cancel that read the appointment before cannot drop the id."""
    return _conditional(
        aws.table().update_item,
        Key=appointment_key(appointment),
        ConditionExpression="attribute_exists(PK) AND attribute_not_exists(meeting_id) AND #s = :booked",
        UpdateExpression="SET meeting_id = :m, meeting_provider = :p, #v = #v + :one",
        ExpressionAttributeNames={"#s": "status", "#v": "version"},
        ExpressionAttributeValues={":m": meeting_id, ":p": provider, ":booked": "booked", ":one": 1},
    )


def video_presence_entry(appointment: Appointment, *, field: str, at: datetime) -> dict[str, Any]:
    """Mark who has arrived (patient_waiting_at, clinician_joined_at, admitted_at): the first time stays.

    No version change: these marks matter only while the visit is booked, and a cancel may overwrite them.
    """
    if field not in {"patient_waiting_at", "clinician_joined_at", "admitted_at"}:
        raise ValueError(field)
    return {
        "Update": {
            "TableName": _table(),
            "Key": appointment_key(appointment),
            "ConditionExpression": "attribute_exists(PK) AND #s = :booked",
            "UpdateExpression": f"SET {field} = if_not_exists({field}, :at)",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":at": utc_text(at), ":booked": "booked"},
        }
    }


def mark_meeting_ended(appointment: Appointment, *, at: datetime) -> bool:
    """Record that the meeting was ended and deleted (once); the appointment keeps its id for the record."""
    return _conditional(
        aws.table().update_item,
        Key=appointment_key(appointment),
        ConditionExpression="attribute_exists(meeting_id) AND attribute_not_exists(meeting_ended_at)",
        UpdateExpression="SET meeting_ended_at = :at",
        ExpressionAttributeValues={":at": utc_text(at)},
    )


def acquire_sync_lease(provider_id: str, *, now: datetime, seconds: int = 300) -> bool:
    """One slot sync per provider at a time (a lease, so a crashed run cannot hold it forever)."""
    return _conditional(
        aws.table().put_item,
        Item={
            "PK": provider_pk(provider_id),
            "SK": "SYNC_LEASE",
            "expires_at": utc_text(now + timedelta(seconds=seconds)),
        },
        ConditionExpression="attribute_not_exists(PK) OR expires_at < :now",
        ExpressionAttributeValues={":now": utc_text(now)},
    )


def release_sync_lease(provider_id: str) -> None:
    aws.table().delete_item(Key={"PK": provider_pk(provider_id), "SK": "SYNC_LEASE"})


def set_slot_status(slot: Slot, *, expected: str, new: str) -> bool:
    """Open <-> blocked, only from the expected state (a booking in between wins). True if changed."""
    values: dict[str, Any] = {":expected": expected, ":new": new}
    if new == "open":
        index = _open_index(slot.visit_type_id, slot.provider_id, slot.start)
        update = "SET #status = :new, GSI1PK = :gpk, GSI1SK = :gsk"
        values.update({":gpk": index["GSI1PK"], ":gsk": index["GSI1SK"]})
    else:
        update = "SET #status = :new REMOVE GSI1PK, GSI1SK"
    return _conditional(
        aws.table().update_item,
        Key=slot_key(slot.provider_id, slot.start),
        ConditionExpression="#status = :expected",
        UpdateExpression=update,
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues=values,
    )


def delete_unbooked_slot(slot: Slot) -> bool:
    """Withdraw a slot nobody holds (its template went away). True if deleted."""
    return _conditional(
        aws.table().delete_item,
        Key=slot_key(slot.provider_id, slot.start),
        ConditionExpression="#status IN (:open, :blocked)",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":open": "open", ":blocked": "blocked"},
    )


# Availability staff define per provider: weekly templates and blocked times.
TEMPLATE_PREFIX: Final = "TEMPLATE#"
BLOCK_PREFIX: Final = "BLOCK#"


def template_key(provider_id: str, template_id: str) -> dict[str, str]:
    return {"PK": provider_pk(provider_id), "SK": f"{TEMPLATE_PREFIX}{template_id}"}


def block_key(block: Block) -> dict[str, str]:
    return {"PK": provider_pk(block.provider_id), "SK": f"{BLOCK_PREFIX}{utc_text(block.start)}#{block.id}"}


def put_template(template: AvailabilityTemplate) -> None:
    item = {**template.model_dump(mode="json"), **template_key(template.provider_id, template.id)}
    aws.table().put_item(Item=item)


def delete_template(provider_id: str, template_id: str) -> None:
    from botocore.exceptions import ClientError

    try:
        aws.table().delete_item(
            Key=template_key(provider_id, template_id), ConditionExpression="attribute_exists(PK)"
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise NotFound("template not found") from None
        raise


def list_templates(provider_id: str) -> list[AvailabilityTemplate]:
    return dynamo.parse_items(AvailabilityTemplate, _query_prefix(provider_id, TEMPLATE_PREFIX))


def put_block(block: Block) -> None:
    item = {
        **block.model_dump(mode="json"),
        "start": utc_text(block.start),
        "end": utc_text(block.end),
        **block_key(block),
    }
    aws.table().put_item(Item=item)


def list_blocks(provider_id: str, *, ending_after: datetime) -> list[Block]:
    """Blocks that have not ended yet (blocks are short; reading them all and trimming is cheap)."""
    blocks = dynamo.parse_items(Block, _query_prefix(provider_id, BLOCK_PREFIX))
    return [block for block in blocks if block.end > ending_after]


def delete_block(provider_id: str, block_id: str) -> None:
    """Delete a block by its id. The key is taken from the stored item as it is, not rebuilt from a parsed
    block, so a block whose times no longer read can still be removed."""
    found = next(
        (item for item in _query_prefix(provider_id, BLOCK_PREFIX) if item.get("id") == block_id), None
    )
    if found is None:
        raise NotFound("block not found")
    aws.table().delete_item(Key={"PK": found["PK"], "SK": found["SK"]})


def _query_prefix(provider_id: str, prefix: str) -> list[dict[str, Any]]:
    table = aws.table()
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": provider_pk(provider_id), ":prefix": prefix},
    }
    items: list[dict[str, Any]] = []
    while True:
        response = table.query(**kwargs)
        items.extend(response.get("Items", []))
        if not response.get("LastEvaluatedKey"):
            return items
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


# Waitlist entries and offers.
WAITLIST_PREFIX: Final = "WAITLIST#"
OFFER_PREFIX: Final = "OFFER#"


def entry_key(patient_id: str, appointment_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{WAITLIST_PREFIX}{appointment_id}"}


def join_entry(
    *,
    patient_id: str,
    appointment_id: str,
    visit_type_id: str,
    provider_id: str,
    start: datetime,
    any_provider: bool,
    at: datetime,
) -> dict[str, Any]:
    entry = dynamo.put(
        {
            "patient_id": patient_id,
            "appointment_id": appointment_id,
            "visit_type_id": visit_type_id,
            "provider_id": provider_id,
            "appointment_start": utc_text(start),
            "any_provider": any_provider,
            "joined_at": utc_text(at),
            **entry_key(patient_id, appointment_id),
            "GSI1PK": f"WAITLIST#{visit_type_id}",
            "GSI1SK": f"{utc_text(at)}#{appointment_id}",
        }
    )
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def leave_entry(patient_id: str, appointment_id: str) -> dict[str, Any]:
    """Remove an entry if there is one (no condition: cancelling an appointment clears it in passing)."""
    return {"Delete": {"TableName": dynamo.table_name(), "Key": entry_key(patient_id, appointment_id)}}


def get_entry(patient_id: str, appointment_id: str) -> dict[str, Any] | None:
    item = aws.table().get_item(Key=entry_key(patient_id, appointment_id)).get("Item")
    return dict(item) if item else None


def waiting_for(visit_type_id: str) -> list[dict[str, Any]]:
    """Everyone waiting for an earlier visit of this type, first come first served: one GSI1 Query."""
    return list(
        _query_all(
            {
                "IndexName": GSI1,
                "KeyConditionExpression": "GSI1PK = :pk",
                "ExpressionAttributeValues": {":pk": f"WAITLIST#{visit_type_id}"},
            }
        )
    )


def offer_key(patient_id: str, offer_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{OFFER_PREFIX}{offer_id}"}


def put_offer(offer: WaitlistOffer) -> None:
    item = {
        **offer.model_dump(mode="json"),
        **{name: utc_text(getattr(offer, name)) for name in ("start", "end", "offered_at", "expires_at")},
        **offer_key(offer.patient_id, offer.id),
        TTL_ATTRIBUTE: int((offer.expires_at + timedelta(days=1)).timestamp()),
    }
    aws.table().put_item(Item=item)


def get_offer(patient_id: str, offer_id: str) -> WaitlistOffer | None:
    item = aws.table().get_item(Key=offer_key(patient_id, offer_id), ConsistentRead=True).get("Item")
    return dynamo.parse_item(WaitlistOffer, item) if item else None


def open_offers(patient_id: str, *, now: datetime) -> list[WaitlistOffer]:
    items = _query_all(
        {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "FilterExpression": "#status = :open AND expires_at > :now",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":pk": patient_pk(patient_id),
                ":prefix": OFFER_PREFIX,
                ":open": "open",
                ":now": utc_text(now),
            },
        }
    )
    return sorted(dynamo.parse_items(WaitlistOffer, items), key=lambda o: o.start)


def accept_offer_entry(offer: WaitlistOffer, *, now: datetime) -> dict[str, Any]:
    """Part of the move transaction: the offer is still open and not expired."""
    return {
        "Update": {
            "TableName": dynamo.table_name(),
            "Key": offer_key(offer.patient_id, offer.id),
            "ConditionExpression": "#status = :open AND expires_at > :now",
            "UpdateExpression": "SET #status = :accepted",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":open": "open", ":now": utc_text(now), ":accepted": "accepted"},
        }
    }


# Check-in: what the patient submitted before a visit (PK=PATIENT#<id>, SK=CHECKIN#<appointment id>).


def checkin_key(patient_id: str, appointment_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"CHECKIN#{appointment_id}"}


def get_checkin(patient_id: str, appointment_id: str) -> dict[str, Any] | None:
    item = aws.table().get_item(Key=checkin_key(patient_id, appointment_id)).get("Item")
    return dict(item) if item else None


def appointments_between(patient_id: str, start: datetime, end: datetime) -> list[Appointment]:
    """The patient's appointments starting in [start, end]: one Query on the partition, page after page."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :low AND :high",
        "ExpressionAttributeValues": {
            ":pk": patient_pk(patient_id),
            ":low": f"{APPT_PREFIX}{utc_text(start)}",
            ":high": f"{APPT_PREFIX}{utc_text(end)}~",
        },
    }
    found: list[Appointment] = []
    while True:
        response = aws.table().query(**kwargs)
        found += dynamo.parse_items(Appointment, response.get("Items", []))
        if not response.get("LastEvaluatedKey"):
            return found
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


# Check-in review decisions: PK=PATIENT#<id>, SK=CHECKINREVIEW#<appointment id>#<item id>. Written once
# (attribute_not_exists) in the same transaction as the record write they caused, so a second accept
# finds the first and writes nothing.
REVIEW_PREFIX = "CHECKINREVIEW#"


def review_decision_entry(patient_id: str, decision: ReviewDecision) -> dict[str, Any]:
    key = {"PK": patient_pk(patient_id), "SK": f"{REVIEW_PREFIX}{decision.appointment_id}#{decision.item_id}"}
    entry = dynamo.put({**decision.model_dump(mode="json", exclude_none=True), **key})
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def review_decisions(patient_id: str, appointment_id: str) -> list[ReviewDecision]:
    response = aws.table().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={
            ":pk": patient_pk(patient_id),
            ":prefix": f"{REVIEW_PREFIX}{appointment_id}#",
        },
        ConsistentRead=True,
    )
    return dynamo.parse_items(ReviewDecision, response.get("Items", []))
