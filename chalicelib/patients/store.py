"""Patient profiles: PK=PATIENT#<id>, SK=PROFILE, with an optimistic version number.

Every write of a profile also writes its staff-directory entries (store/patient_directory.py) in the same
transaction, so search by name or birth date always matches the profile as saved.
"""

from __future__ import annotations

import time
from typing import Any

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_models import AuditEvent
from chalicelib.core.errors import InternalError, NotFound
from chalicelib.core.schema import PROFILE_SK, patient_pk
from chalicelib.patients import directory as patient_directory
from chalicelib.patients.models import PatientProfile

_NOT_FOUND = "patient not found"


def profile_key(patient_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": PROFILE_SK}


def get_profile(patient_id: str) -> PatientProfile:
    item = aws.table().get_item(Key=profile_key(patient_id)).get("Item")
    if item is None:
        raise NotFound(_NOT_FOUND)
    return PatientProfile.model_validate(item)


def exists(patient_id: str) -> bool:
    item = aws.table().get_item(Key=profile_key(patient_id), ProjectionExpression="PK").get("Item")
    return item is not None


def get_profiles(patient_ids: list[str]) -> dict[str, PatientProfile]:
    """Several profiles in one BatchGetItem (at most 100 ids, far more than anyone acts for)."""
    if not patient_ids:
        return {}
    name = dynamo.table_name()
    request: dict[str, Any] = {name: {"Keys": [profile_key(pid) for pid in dict.fromkeys(patient_ids)]}}
    items: list[dict[str, Any]] = []
    for attempt in range(5):  # throttled keys come back unprocessed: retry them, never drop them
        response = aws.dynamodb_resource().batch_get_item(RequestItems=request)
        items += response["Responses"].get(name, [])
        request = response.get("UnprocessedKeys") or {}
        if not request:
            break
        time.sleep(0.05 * 2**attempt)
    if request:
        raise InternalError("profiles could not be read; please try again")
    profiles = [PatientProfile.model_validate(item) for item in items]
    return {profile.id: profile for profile in profiles}


def _item(profile: PatientProfile) -> dict[str, Any]:
    directory_keys = patient_directory.name_keys(profile)
    return {**profile.model_dump(mode="json"), **directory_keys, **profile_key(profile.id)}


def create_profile(profile: PatientProfile) -> None:
    """Write the profile and its birth-date directory entry together (the name entry rides on the profile)."""
    dynamo.transact(
        [dynamo.put(_item(profile)), dynamo.put(patient_directory.born_item(profile))],
        conflict="this profile could not be saved; please try again",
    )


def ensure_in_directory(patient_id: str) -> bool:
    """Backfill for profiles written before the directory existed; True if it had to write anything."""
    item = aws.table().get_item(Key=profile_key(patient_id)).get("Item")
    if item is None or "GSI1PK" in item:
        return False
    create_profile(PatientProfile.model_validate(item))
    return True


def save_profile(profile: PatientProfile, *, expected_version: int, audit: AuditEvent) -> None:
    """Replace the profile if nobody saved since expected_version, together with its audit event."""
    entry = dynamo.put(_item(profile))
    entry["Put"]["ConditionExpression"] = "attribute_exists(PK) AND #version = :expected"
    entry["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
    entry["Put"]["ExpressionAttributeValues"] = {":expected": expected_version}
    dynamo.transact(
        [entry, dynamo.put(patient_directory.born_item(profile)), dynamo.put(audit_log.item(audit))],
        conflict="this profile was changed by someone else; reload it and try again",
    )
