"""Results, their by-id pointers, and the patient's release preferences.

result      PK=PATIENT#<id>  SK=RESULT#<collected, fixed-width UTC>#<result id>
            GSI1 RESULTS#UNRELEASED / <visible from>#<patient>#<result> only while not yet released
            (a sparse index: the staff work list and the release job read it and nothing else)
pointer     PK=PATIENT#<id>  SK=RESULTREF#<result id>  {sk}: opening one result by id is two GetItems,
            and ids stay opaque (no dates in URLs or logs)
            GSI1 RESULTS#UNREVIEWED / <rank>#<collected>#<patient>#<result> and a `queue` summary only while
            no clinician has reviewed the result (rank 0 critical, 1 abnormal, 2 other: the clinician's
            queue reads worst first, then oldest). On the pointer, not the result, because the result's
            own GSI1 entry is the release list; written with the result, removed in the review's write.
preferences PK=PATIENT#<id>  SK=PREFS#RESULTS

Times that are compared as strings (SK, visible_key, GSI1SK) are fixed-width UTC text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.dynamo import utc_text
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.schema import PATIENT_PREFIX, patient_pk
from chalicelib.results.models import Hold, Result, ResultPreferences, UnreviewedResult

RESULT_PREFIX = "RESULT#"
REF_PREFIX = "RESULTREF#"
PREFS_SK = "PREFS#RESULTS"
UNRELEASED = "RESULTS#UNRELEASED"
UNREVIEWED = "RESULTS#UNREVIEWED"
_NOT_FOUND = "result not found"


def result_sk(result: Result) -> str:
    return f"{RESULT_PREFIX}{utc_text(result.collected_at)}#{result.id}"


def _index(result: Result) -> dict[str, str]:
    return {
        "GSI1PK": UNRELEASED,
        "GSI1SK": f"{utc_text(result.visible_from)}#{result.patient_id}#{result.id}",
    }


def item(result: Result, *, now: datetime) -> dict[str, Any]:
    data = {
        **result.model_dump(mode="json", exclude_none=True),
        "visible_key": utc_text(result.visible_from),
        "PK": patient_pk(result.patient_id),
        "SK": result_sk(result),
    }
    if not result.is_visible(now):
        data.update(_index(result))
    return data


def review_rank(result: Result) -> int:
    """Where an unreviewed result sorts in the queue: critical first, then other abnormal, then the rest."""
    worst = result.worst_flag()
    if worst in ("critical_low", "critical_high"):
        return 0
    if worst in ("low", "high", "abnormal"):
        return 1
    return 2


def queue_sort_key(result: Result) -> str:
    return f"{review_rank(result)}#{utc_text(result.collected_at)}#{result.patient_id}#{result.id}"


def _queue_entry(result: Result) -> dict[str, Any]:
    flags = [c.resolved_flag() for c in result.components]
    summary = UnreviewedResult(
        result_id=result.id,
        patient_id=result.patient_id,
        name=result.name,
        category=result.category,
        collected_at=result.collected_at,
        entered_at=result.entered_at,
        worst_flag=result.worst_flag(),
        abnormal_count=sum(1 for f in flags if f not in (None, "normal")),
    )
    return {"GSI1PK": UNREVIEWED, "GSI1SK": queue_sort_key(result), "queue": summary.model_dump(mode="json")}


def _ref_key(patient_id: str, result_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{REF_PREFIX}{result_id}"}


def _ref(result: Result) -> dict[str, Any]:
    ref: dict[str, Any] = {**_ref_key(result.patient_id, result.id), "sk": result_sk(result)}
    if result.reviewed_at is None:
        ref.update(_queue_entry(result))
    return ref


def create_entries(result: Result, *, now: datetime) -> list[dict[str, Any]]:
    """The transaction entries that write a new result and its pointer (the caller adds audit events)."""
    entries = [dynamo.put(item(result, now=now)), dynamo.put(_ref(result))]
    for entry in entries:
        entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entries


def create(result: Result, *, now: datetime, audit: AuditEvent) -> None:
    try:
        dynamo.transact(
            [*create_entries(result, now=now), audit_log.entry(audit)],
            conflict="this result already exists",
        )
    except Conflict:
        # The id is fresh and random: if it exists, botocore retried our own write after a lost answer.
        ref = {"PK": patient_pk(result.patient_id), "SK": f"{REF_PREFIX}{result.id}"}
        if aws.table().get_item(Key=ref, ConsistentRead=True).get("Item") is None:
            raise


def get(patient_id: str, result_id: str) -> Result:
    pk = patient_pk(patient_id)
    ref = aws.table().get_item(Key={"PK": pk, "SK": f"{REF_PREFIX}{result_id}"}).get("Item")
    if ref is None:
        raise NotFound(_NOT_FOUND)
    found = aws.table().get_item(Key={"PK": pk, "SK": ref["sk"]}).get("Item")
    if found is None:
        raise NotFound(_NOT_FOUND)
    return dynamo.parse_item(Result, found)


def list_page(
    patient_id: str, *, limit: int, cursor: str | None, visible_at: datetime | None
) -> tuple[list[Result], str | None]:
    """Newest first, one Query per page; with visible_at, only what the patient may see at that moment."""
    pk = patient_pk(patient_id)
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": pk, ":prefix": RESULT_PREFIX},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if visible_at is not None:
        kwargs["FilterExpression"] = "visible_key <= :now"
        kwargs["ExpressionAttributeValues"][":now"] = utc_text(visible_at)
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=RESULT_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    results = dynamo.parse_items(Result, response.get("Items", []))
    return results, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def iter_all(patient_id: str, *, visible_at: datetime | None) -> Iterator[Result]:
    """Every result of a patient, oldest first (trends and the export): one Query, paged by DynamoDB."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": patient_pk(patient_id), ":prefix": RESULT_PREFIX},
    }
    if visible_at is not None:
        kwargs["FilterExpression"] = "visible_key <= :now"
        kwargs["ExpressionAttributeValues"][":now"] = utc_text(visible_at)
    while True:
        response = aws.table().query(**kwargs)
        yield from dynamo.parse_items(Result, response.get("Items", []))
        if "LastEvaluatedKey" not in response:
            return
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _confidential_filter(categories: list[str], values: dict[str, Any]) -> str:
    """A filter true for a result marked confidential or of a confidential category (adds its values)."""
    values[":yes"] = True
    names = [f":cat{n}" for n in range(len(categories))]
    values.update(dict(zip(names, categories, strict=True)))
    return "confidential = :yes" + (f" OR category IN ({', '.join(names)})" if names else "")


def _count(kwargs: dict[str, Any]) -> int:
    total = 0
    while True:
        response = aws.table().query(Select="COUNT", **kwargs)
        total += int(response.get("Count", 0))
        if "LastEvaluatedKey" not in response:
            return total
        kwargs = {**kwargs, "ExclusiveStartKey": response["LastEvaluatedKey"]}


def count_new(patient_id: str, *, visible_at: datetime, without_categories: list[str] | None = None) -> int:
    """Released results the patient has not opened yet: COUNT Queries (one for a typical patient). With
    `without_categories` (a teenager's parent), confidential ones and those categories are not counted."""
    values: dict[str, Any] = {":pk": patient_pk(patient_id), ":prefix": RESULT_PREFIX}
    values[":now"] = utc_text(visible_at)
    condition = "visible_key <= :now AND attribute_not_exists(opened_at)"
    if without_categories is not None:
        condition += f" AND NOT ({_confidential_filter(without_categories, values)})"
    return _count(
        {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "FilterExpression": condition,
            "ExpressionAttributeValues": values,
        }
    )


def _update(
    result: Result,
    *,
    set_fields: dict[str, Any],
    remove: tuple[str, ...] = (),
    condition: str = "attribute_exists(PK)",
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An Update entry that sets some fields and bumps the version, leaving everything else alone."""
    names = {f"#f{i}": name for i, name in enumerate(set_fields)}
    expression = "SET " + ", ".join(
        [f"#f{i} = :v{i}" for i in range(len(set_fields))] + ["#version = #version + :one"]
    )
    if remove:
        expression += " REMOVE " + ", ".join(remove)
    attribute_values = {f":v{i}": value for i, value in enumerate(set_fields.values())}
    return {
        "Update": {
            "TableName": dynamo.table_name(),
            "Key": {"PK": patient_pk(result.patient_id), "SK": result_sk(result)},
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {**names, "#version": "version"},
            "ExpressionAttributeValues": {**attribute_values, ":one": 1, **(values or {})},
        }
    }


def _unreleased_at(now: datetime) -> tuple[str, dict[str, Any]]:
    return "attribute_exists(PK) AND visible_key > :now", {":now": utc_text(now)}


def release_entry(result: Result, *, now: datetime, by: str) -> dict[str, Any]:
    """Make a result visible now, if it is not yet (a second release of the same result is a Conflict)."""
    condition, values = _unreleased_at(now)
    stamp = utc_text(now)
    return _update(
        result,
        set_fields={
            "visible_from": now.isoformat(),
            "visible_key": stamp,
            "released_at": now.isoformat(),
            "released_by": by,
        },
        remove=("GSI1PK", "GSI1SK"),
        condition=condition,
        values=values,
    )


def hold_entry(result: Result, *, hold: Hold, visible_from: datetime, now: datetime) -> dict[str, Any]:
    condition, values = _unreleased_at(now)
    held = result.model_copy(update={"visible_from": visible_from})
    return _update(
        result,
        set_fields={
            "hold": hold.model_dump(mode="json"),
            "visible_from": visible_from.isoformat(),
            "visible_key": utc_text(visible_from),
            **_index(held),
        },
        condition=condition,
        values=values,
    )


def review_entries(
    result: Result, *, by: str, comment: str | None, now: datetime, release: bool
) -> list[dict[str, Any]]:
    """Mark reviewed (with an optional comment), and release in the same write if asked and still waiting.

    The first review is conditional on nobody having reviewed it meanwhile; a later one (a changed
    comment) on the version read. The pointer leaves the clinician's queue in the same write.
    """
    fields: dict[str, Any] = {"reviewed_at": now.isoformat(), "reviewed_by": by}
    if comment:
        fields.update(comment=comment, comment_at=now.isoformat())
    values: dict[str, Any]
    if result.reviewed_at is None:
        condition, values = "attribute_exists(PK) AND attribute_not_exists(reviewed_at)", {}
    else:
        condition, values = "attribute_exists(PK) AND #version = :expected", {":expected": result.version}
    remove: tuple[str, ...] = ()
    if release:
        condition += " AND visible_key > :now"
        values[":now"] = utc_text(now)
        fields.update(
            visible_from=now.isoformat(),
            visible_key=utc_text(now),
            released_at=now.isoformat(),
            released_by=by,
        )
        remove = ("GSI1PK", "GSI1SK")
    entry = _update(result, set_fields=fields, remove=remove, condition=condition, values=values)
    off_queue = {
        "Update": {
            "TableName": dynamo.table_name(),
            "Key": _ref_key(result.patient_id, result.id),
            "UpdateExpression": "REMOVE GSI1PK, GSI1SK, #queue",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": {"#queue": "queue"},
        }
    }
    return [entry, off_queue]


def apply(entries: list[dict[str, Any]], *, audit: list[AuditEvent], conflict: str) -> None:
    dynamo.transact([*entries, *(audit_log.entry(event) for event in audit)], conflict=conflict)


def mark_opened(result: Result, *, now: datetime) -> None:
    """The first opening by the patient side ends "new"; later ones change nothing."""
    try:
        aws.table().update_item(
            Key={"PK": patient_pk(result.patient_id), "SK": result_sk(result)},
            UpdateExpression="SET opened_at = :now",
            ConditionExpression="attribute_exists(PK) AND attribute_not_exists(opened_at)",
            ExpressionAttributeValues={":now": now.isoformat()},
        )
    except Exception as exc:
        # Opened before (another tab, a caregiver): the condition fails and there is nothing to do.
        if dynamo.error_code(exc) != "ConditionalCheckFailedException":
            raise


def set_confidential(result: Result, confidential: bool, *, audit: AuditEvent) -> None:
    """Mark or unmark a result confidential, with its audit event."""
    dynamo.transact(
        [
            {
                "Update": {
                    "TableName": dynamo.table_name(),
                    "Key": {"PK": patient_pk(result.patient_id), "SK": result_sk(result)},
                    "UpdateExpression": "SET confidential = :confidential",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": {":confidential": confidential},
                }
            },
            audit_log.entry(audit),
        ],
        conflict=_NOT_FOUND,
    )


def mark_notified(result: Result, *, now: datetime) -> None:
    aws.table().update_item(
        Key={"PK": patient_pk(result.patient_id), "SK": result_sk(result)},
        UpdateExpression="SET notified_at = :now",
        ConditionExpression="attribute_exists(PK)",
        ExpressionAttributeValues={":now": now.isoformat()},
    )


def _index_query(condition: str, values: dict[str, Any], *, limit: int, cursor: str | None) -> Any:
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": f"GSI1PK = :gpk AND {condition}",
        "ExpressionAttributeValues": {":gpk": UNRELEASED, **values},
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=UNRELEASED, pk_prefix=PATIENT_PREFIX, sk_prefix=RESULT_PREFIX
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    return aws.table().query(**kwargs)


def list_unreleased(*, now: datetime, limit: int, cursor: str | None) -> tuple[list[Result], str | None]:
    """The staff work list: results still waiting (held or the patient's review wait), soonest first."""
    # "~" sorts after "#": a result that became visible at exactly `now` is no longer waiting.
    response = _index_query("GSI1SK > :now", {":now": utc_text(now) + "~"}, limit=limit, cursor=cursor)
    results = dynamo.parse_items(Result, response.get("Items", []))
    return results, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def list_due(*, now: datetime, limit: int = 100) -> list[Result]:
    """Results whose delay has run out but that still carry the index (the release job's input)."""
    response = _index_query("GSI1SK <= :now", {":now": utc_text(now) + "~"}, limit=limit, cursor=None)
    return dynamo.parse_items(Result, response.get("Items", []))


def clear_due_entry(result: Result, *, now: datetime) -> dict[str, Any]:
    """Take a result whose wait ran out off the index, once (a second run finds nothing to do)."""
    return _update(
        result,
        set_fields={"released_at": result.visible_from.isoformat(), "released_by": "Automatic (wait ended)"},
        remove=("GSI1PK", "GSI1SK"),
        condition="attribute_exists(GSI1PK) AND visible_key <= :now",
        values={":now": utc_text(now)},
    )


def list_unreviewed(*, limit: int, cursor: str | None) -> tuple[list[UnreviewedResult], str | None]:
    """The clinician's queue: results no clinician has reviewed, critical then abnormal first, oldest
    first within each: one GSI1 Query per page."""
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :gpk",
        "ExpressionAttributeValues": {":gpk": UNREVIEWED},
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=UNREVIEWED, pk_prefix=PATIENT_PREFIX, sk_prefix=REF_PREFIX
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    entries = [item["queue"] for item in response.get("Items", []) if isinstance(item.get("queue"), dict)]
    return dynamo.parse_items(UnreviewedResult, entries), dynamo.encode_cursor(
        response.get("LastEvaluatedKey")
    )


def count_unreviewed(*, cap: int, abnormal_only: bool = False) -> int:
    """How many results wait for review (with abnormal_only, ranks 0 and 1): one capped COUNT Query."""
    condition = "GSI1PK = :gpk"
    values: dict[str, Any] = {":gpk": UNREVIEWED}
    if abnormal_only:
        condition += " AND GSI1SK < :normal"
        values[":normal"] = "2#"
    response = aws.table().query(
        IndexName="GSI1",
        KeyConditionExpression=condition,
        ExpressionAttributeValues=values,
        Select="COUNT",
        Limit=cap,
    )
    return min(int(response.get("Count", 0)), cap)


# --- preferences ---------------------------------------------------------------------------------


def get_preferences(patient_id: str) -> ResultPreferences:
    found = aws.table().get_item(Key={"PK": patient_pk(patient_id), "SK": PREFS_SK}).get("Item")
    if found is None:
        return ResultPreferences(patient_id=patient_id)
    return dynamo.parse_item(ResultPreferences, found)


def save_preferences(prefs: ResultPreferences, *, expected_version: int, audit: AuditEvent) -> None:
    entry = dynamo.put({**prefs.model_dump(mode="json"), "PK": patient_pk(prefs.patient_id), "SK": PREFS_SK})
    if expected_version == 0:
        entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    else:
        entry["Put"]["ConditionExpression"] = "#version = :expected"
        entry["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
        entry["Put"]["ExpressionAttributeValues"] = {":expected": expected_version}
    dynamo.transact(
        [entry, audit_log.entry(audit)],
        conflict="your preferences were changed elsewhere; reload them and try again",
    )
