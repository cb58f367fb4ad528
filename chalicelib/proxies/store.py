"""Caregiver (proxy) grants: both halves of the link, written and removed together with their audit event.

PK=PATIENT#<id>, SK=PROXY#<sub> (GSI1 USER#<sub> / PROXY#<id>) says who may act for the patient;
PK=USER#<sub>, SK=ACTS_FOR#<id> is what the access check reads on every request (users.get_account).
A parental grant on a minor's record also puts its ACTS_FOR half on GSI1 ADULTHOOD / <adult_at>#<id>#<sub>:
the scheduled job finds the grants due to end with one Query, and ending one removes it from the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core import users as user_store
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.schema import ACTS_FOR_PREFIX, PROXY_PREFIX, patient_pk, user_pk
from chalicelib.proxies.models import ProxyGrant, ProxyScope

_NOT_FOUND = "access grant not found"
ADULTHOOD_PK: Final = "ADULTHOOD"


def proxy_key(patient_id: str, sub: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{PROXY_PREFIX}{sub}"}


def acts_for_key(sub: str, patient_id: str) -> dict[str, str]:
    return {"PK": user_pk(sub), "SK": f"{ACTS_FOR_PREFIX}{patient_id}"}


def _grant_fields(patient_id: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        **item,
        "patient_id": patient_id,
        # links written before proxy management (the demo seed) carry neither
        "display_name": item.get("display_name") or "",
        "relationship": item.get("proxy_relationship") or "other",
        "scope": ProxyScope.of(user_store.scope_of(item)),  # none stored: the whole record
    }


def list_for_patient(patient_id: str) -> list[ProxyGrant]:
    """Everyone linked to act for this patient (a handful), oldest grant first: one Query."""
    response = aws.table().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": patient_pk(patient_id), ":prefix": PROXY_PREFIX},
    )
    # The patient's own link lives under the same prefix ("self"): it is not a grant anyone can remove.
    items = [item for item in response.get("Items", []) if item.get("relationship") == "caregiver"]
    grants = dynamo.parse_items(ProxyGrant, (_grant_fields(patient_id, item) for item in items))
    return sorted(grants, key=lambda grant: grant.granted_at)


def get(patient_id: str, sub: str) -> ProxyGrant:
    item = aws.table().get_item(Key=proxy_key(patient_id, sub)).get("Item")
    if item is None or item.get("relationship") != "caregiver":
        raise NotFound(_NOT_FOUND)
    return dynamo.parse_item(ProxyGrant, _grant_fields(patient_id, item))


def create(grant: ProxyGrant, *, audit: AuditEvent, verification_note: str) -> None:
    """Write both halves and the audit event, or nothing. An expired grant may be replaced; a live one not."""
    granted_at = dynamo.utc_text(grant.granted_at)
    expires_at = dynamo.utc_text(grant.expires_at) if grant.expires_at else None
    common: dict[str, Any] = {
        "relationship": "caregiver",  # what the guard reads (access.authorize_patient)
        "proxy_relationship": grant.relationship,
        "granted_at": granted_at,
        **({"granted_by_role": grant.granted_by_role.value} if grant.granted_by_role else {}),
        **({"expires_at": expires_at} if expires_at else {}),
        **({"adult_at": dynamo.utc_text(grant.adult_at)} if grant.adult_at else {}),
        # both halves: the guard reads the scope off the ACTS_FOR half on every request
        **user_store.scope_fields(grant.scope.to_scope()),
    }
    condition = {
        "ConditionExpression": (
            "attribute_not_exists(PK) OR (attribute_exists(expires_at) AND expires_at <= :now)"
        ),
        "ExpressionAttributeValues": {":now": dynamo.utc_text(dynamo.utcnow())},
    }
    proxy = dynamo.put(
        {
            **common,
            "sub": grant.sub,
            "display_name": grant.display_name,
            **proxy_key(grant.patient_id, grant.sub),
            "GSI1PK": user_pk(grant.sub),
            "GSI1SK": f"{PROXY_PREFIX}{grant.patient_id}",
        }
    )
    proxy["Put"].update(condition)
    acts_for = dynamo.put(
        {
            **common,
            "patient_id": grant.patient_id,
            **acts_for_key(grant.sub, grant.patient_id),
            **(_adulthood_index(grant.patient_id, grant.sub, grant.adult_at) if grant.adult_at else {}),
        }
    )
    acts_for["Put"].update(condition)
    # The note of how identity and authority were checked stays in the audit item: the compliance view
    # (GSI1 by actor) shows it; the patient's access log and the proxy list never do.
    audit_item = {**audit_log.item(audit), "verification_note": verification_note}
    dynamo.transact(
        [proxy, acts_for, audit_log.put_entry(audit_item)],
        conflict="this person already has access to this record",
    )


def delete(patient_id: str, sub: str, *, audit: AuditEvent) -> None:
    """Remove both halves with the audit event; NotFound if the grant is already gone (a retry)."""
    table = dynamo.table_name()
    try:
        dynamo.transact(
            [
                {
                    "Delete": {
                        "TableName": table,
                        "Key": proxy_key(patient_id, sub),
                        # never the patient's own "self" link, which shares the prefix
                        "ConditionExpression": "relationship = :caregiver",
                        "ExpressionAttributeValues": {":caregiver": "caregiver"},
                    }
                },
                {"Delete": {"TableName": table, "Key": acts_for_key(sub, patient_id)}},
                audit_log.entry(audit),
            ],
            conflict=_NOT_FOUND,
        )
    except Conflict:
        raise NotFound(_NOT_FOUND) from None


def update(grant: ProxyGrant, *, audit: AuditEvent) -> None:
    """Restate a live grant's scope and end on both halves with the audit event; NotFound once it is gone."""
    table = dynamo.table_name()
    fields = user_store.scope_fields(grant.scope.to_scope())
    values: dict[str, Any] = {
        ":caregiver": "caregiver",
        **{f":{name}": value for name, value in fields.items()},
    }
    sets = [f"{name} = :{name}" for name in fields]
    removes = [name for name in ("scope_areas", "scope_access", "expires_at") if name not in fields]
    if grant.expires_at is not None:
        values[":expires_at"] = dynamo.utc_text(grant.expires_at)
        sets.append("expires_at = :expires_at")
        removes.remove("expires_at")
    expression = " ".join(
        part
        for part in (
            f"SET {', '.join(sets)}" if sets else "",
            f"REMOVE {', '.join(removes)}" if removes else "",
        )
        if part
    )

    def change(key: dict[str, str]) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": table,
                "Key": key,
                "UpdateExpression": expression,
                "ConditionExpression": "relationship = :caregiver",
                "ExpressionAttributeValues": values,
            }
        }

    try:
        dynamo.transact(
            [
                change(proxy_key(grant.patient_id, grant.sub)),
                change(acts_for_key(grant.sub, grant.patient_id)),
                audit_log.entry(audit),
            ],
            conflict=_NOT_FOUND,
        )
    except Conflict:
        raise NotFound(_NOT_FOUND) from None


# --- parental grants that end when the patient comes of age ---


def _adulthood_index(patient_id: str, sub: str, adult_at: datetime) -> dict[str, str]:
    return {"GSI1PK": ADULTHOOD_PK, "GSI1SK": f"{dynamo.utc_text(adult_at)}#{patient_id}#{sub}"}


@dataclass(frozen=True)
class DueGrant:
    patient_id: str
    sub: str
    adult_at: str  # as stored: the condition that the grant ended is the one that was found


def due_at_adulthood(now: datetime) -> list[DueGrant]:
    """Parental grants whose patient has come of age by `now`: one Query on GSI1 (paged), oldest first.

    A run that was missed finds what it missed: the range is everything up to now, not one day.
    """
    table = aws.table()
    query: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :pk AND GSI1SK < :after",
        # "~" sorts after the "#" that follows the time: a grant due at exactly `now` is included
        "ExpressionAttributeValues": {":pk": ADULTHOOD_PK, ":after": f"{dynamo.utc_text(now)}~"},
    }
    due: list[DueGrant] = []
    while True:
        response = table.query(**query)
        for item in response.get("Items", []):
            adult_at, patient_id, sub = str(item["GSI1SK"]).split("#", 2)
            due.append(DueGrant(patient_id=patient_id, sub=sub, adult_at=adult_at))
        if "LastEvaluatedKey" not in response:
            return due
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def adulthood_entries(
    grant: ProxyGrant, *, adult_at: datetime | None, expires_at: datetime | None
) -> list[dict[str, Any]]:
    """The transaction entries that restate a grant's coming of age and end on both halves (the ACTS_FOR
    half joins or leaves the ADULTHOOD index), only if nobody changed its adult_at in between."""
    table = dynamo.table_name()
    values: dict[str, Any] = {":caregiver": "caregiver"}
    condition = "relationship = :caregiver AND "
    if grant.adult_at is None:
        condition += "attribute_not_exists(adult_at)"
    else:
        condition += "adult_at = :was"
        values[":was"] = dynamo.utc_text(grant.adult_at)
    sets: list[str] = []
    removes: list[str] = []
    for name, value in (("adult_at", adult_at), ("expires_at", expires_at)):
        if value is None:
            removes.append(name)
        else:
            values[f":{name}"] = dynamo.utc_text(value)
            sets.append(f"{name} = :{name}")

    def change(key: dict[str, str], extra_sets: list[str], extra_removes: list[str]) -> dict[str, Any]:
        parts = [
            f"SET {', '.join(sets + extra_sets)}" if sets + extra_sets else "",
            f"REMOVE {', '.join(removes + extra_removes)}" if removes + extra_removes else "",
        ]
        return {
            "Update": {
                "TableName": table,
                "Key": key,
                "UpdateExpression": " ".join(part for part in parts if part),
                "ConditionExpression": condition,
                "ExpressionAttributeValues": values,
            }
        }

    index_sets: list[str] = []
    index_removes: list[str] = []
    if adult_at is None:
        index_removes = ["GSI1PK", "GSI1SK"]
    else:
        index = _adulthood_index(grant.patient_id, grant.sub, adult_at)
        values[":gsi1pk"], values[":gsi1sk"] = index["GSI1PK"], index["GSI1SK"]
        index_sets = ["GSI1PK = :gsi1pk", "GSI1SK = :gsi1sk"]
    return [
        change(proxy_key(grant.patient_id, grant.sub), [], []),
        change(acts_for_key(grant.sub, grant.patient_id), index_sets, index_removes),
    ]


def set_adulthood(
    grant: ProxyGrant, *, adult_at: datetime | None, expires_at: datetime | None, audit: AuditEvent
) -> bool:
    """Write one grant's coming of age with its audit event; False when it changed or went meanwhile."""
    try:
        dynamo.transact(
            [*adulthood_entries(grant, adult_at=adult_at, expires_at=expires_at), audit_log.entry(audit)],
            conflict=_NOT_FOUND,
        )
    except Conflict:
        return False
    return True


def end_at_adulthood(grant: DueGrant, *, audit: AuditEvent) -> None:
    """Remove both halves with the audit event, only if they are still the grant that came due.

    NotFound when it is gone already (an earlier run, a revocation) or was granted again since (no adult_at).
    """
    table = dynamo.table_name()
    condition = {
        "ConditionExpression": "relationship = :caregiver AND adult_at = :adult_at",
        "ExpressionAttributeValues": {":caregiver": "caregiver", ":adult_at": grant.adult_at},
    }
    try:
        dynamo.transact(
            [
                {"Delete": {"TableName": table, "Key": proxy_key(grant.patient_id, grant.sub), **condition}},
                {
                    "Delete": {
                        "TableName": table,
                        "Key": acts_for_key(grant.sub, grant.patient_id),
                        **condition,
                    }
                },
                audit_log.entry(audit),
            ],
            conflict=_NOT_FOUND,
        )
    except Conflict:
        raise NotFound(_NOT_FOUND) from None
