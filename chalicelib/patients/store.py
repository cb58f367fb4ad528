"""Patient profiles: PK=PATIENT#<id>, SK=PROFILE, with an optimistic version number.

Every write of a profile also writes its staff-directory entries (further down) in the same
transaction, so search by name, birth date, given name, phone, email or MRN always matches the profile
as saved; an entry whose field was cleared is deleted in that transaction.
"""

from __future__ import annotations

import time
import unicodedata
from datetime import date
from typing import Any, Final

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import InternalError, NotFound
from chalicelib.core.models import phone_key
from chalicelib.core.schema import PATIENT_PREFIX, PROFILE_SK, patient_pk
from chalicelib.patients import store as patient_directory
from chalicelib.patients.models import DirectoryEntry, LegalName, PatientProfile

_NOT_FOUND = "patient not found"


def profile_key(patient_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": PROFILE_SK}


def get_profile(patient_id: str) -> PatientProfile:
    item = aws.table().get_item(Key=profile_key(patient_id)).get("Item")
    if item is None:
        raise NotFound(_NOT_FOUND)
    return dynamo.parse_item(PatientProfile, item)


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
    profiles = dynamo.parse_items(PatientProfile, items)
    return {profile.id: profile for profile in profiles}


def _item(profile: PatientProfile) -> dict[str, Any]:
    directory_keys = patient_directory.name_keys(profile)
    return {**profile.model_dump(mode="json"), **directory_keys, **profile_key(profile.id)}


def create_profile(profile: PatientProfile) -> None:
    """Write the profile and its directory entries together (the family-name entry rides on the profile)."""
    dynamo.transact(
        [dynamo.put(_item(profile)), *patient_directory.directory_entries(profile)],
        conflict="this profile could not be saved; please try again",
    )


# A new patient's items in a transaction: profile, its directory entries (at most five), audit event.
ENTRIES_PER_PATIENT: Final = 7


def register_entries(profile: PatientProfile, *, audit: AuditEvent) -> list[dict[str, Any]]:
    """A new patient's transaction entries: profile (never over another), directory entries, audit event.

    The caller may add its own entries (a uniqueness item) and write them all in one transaction.
    """
    entry = dynamo.put(_item(profile))
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return [entry, *patient_directory.directory_entries(profile, new=True), audit_log.entry(audit)]


def ensure_in_directory(patient_id: str) -> bool:
    """Backfill for profiles written before the directory had its given-name, phone, email and MRN
    entries (the given-name entry is written for everyone, so its absence tells); True if it wrote."""
    item = aws.table().get_item(Key=profile_key(patient_id)).get("Item")
    if item is None:
        return False
    given = aws.table().get_item(Key={"PK": patient_pk(patient_id), "SK": GIVEN_SK}).get("Item")
    if "GSI1PK" in item and given is not None:
        return False
    create_profile(PatientProfile.model_validate(item))
    return True


def save_profile_entries(
    profile: PatientProfile, *, expected_version: int, audit: AuditEvent
) -> list[dict[str, Any]]:
    """The transaction entries that replace a profile saved at expected_version: profile, directory
    entries, audit event (last)."""
    entry = dynamo.put(_item(profile))
    entry["Put"]["ConditionExpression"] = "attribute_exists(PK) AND #version = :expected"
    entry["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
    entry["Put"]["ExpressionAttributeValues"] = {":expected": expected_version}
    return [entry, *patient_directory.directory_entries(profile), audit_log.entry(audit)]


def save_profile(profile: PatientProfile, *, expected_version: int, audit: AuditEvent) -> None:
    """Replace the profile if nobody saved since expected_version, together with its audit event."""
    dynamo.transact(
        save_profile_entries(profile, expected_version=expected_version, audit=audit),
        conflict="this profile was changed by someone else; reload it and try again",
    )


# The staff patient directory: GSI1 keys that let staff find a patient by family name or birth date.
BORN_SK: Final = "DIR#BORN"
GIVEN_SK: Final = "DIR#GIVEN"
PHONE_SK: Final = "DIR#PHONE"
EMAIL_SK: Final = "DIR#EMAIL"
MRN_SK: Final = "DIR#MRN"
NAME_INDEX: Final = "PATIENTS#NAME#"
BORN_INDEX: Final = "PATIENTS#BORN#"
GIVEN_INDEX: Final = "PATIENTS#GIVEN#"
PHONE_INDEX: Final = "PATIENTS#PHONE#"
EMAIL_INDEX: Final = "PATIENTS#EMAIL#"
MRN_INDEX: Final = "PATIENTS#MRN#"
PAGE_SIZE: Final = 20

# Only what a search result shows: the query never reads addresses, emails or anything clinical.
_LISTED: Final = ("id", "legal_name", "preferred_name", "birth_date", "phone")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: 'Mc Allister-Núñez' -> 'mcallisternunez'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _name_sort(name: LegalName, patient_id: str) -> str:
    return f"{fold(name.family)}#{fold(name.given)}#{patient_id}"


def name_partition(folded_family: str) -> str:
    return f"{NAME_INDEX}{folded_family[:1] or '_'}"


def born_partition(birth_date: date) -> str:
    return f"{BORN_INDEX}{birth_date.isoformat()}"


def name_keys(profile: PatientProfile) -> dict[str, str]:
    """GSI1 keys carried by the profile item itself."""
    return {
        "GSI1PK": name_partition(fold(profile.legal_name.family)),
        "GSI1SK": _name_sort(profile.legal_name, profile.id),
    }


def born_item(profile: PatientProfile) -> dict[str, Any]:
    """The birth-date entry: a copy of the listed fields only (one fixed SK: replaced, never doubled)."""
    return _entry(profile, BORN_SK, born_partition(profile.birth_date))


def email_key(value: str) -> str:
    return value.strip().lower()


def given_partition(folded_given: str) -> str:
    return f"{GIVEN_INDEX}{folded_given[:1] or '_'}"


def mrn_key(value: str) -> str:
    return value.strip().upper()


def _entry(profile: PatientProfile, sk: str, gsi_pk: str, gsi_sk: str | None = None) -> dict[str, Any]:
    listed = profile.model_dump(mode="json", include=set(_LISTED))
    return {
        **listed,
        "PK": patient_pk(profile.id),
        "SK": sk,
        "GSI1PK": gsi_pk,
        "GSI1SK": gsi_sk or _name_sort(profile.legal_name, profile.id),
    }


def directory_entries(profile: PatientProfile, *, new: bool = False) -> list[dict[str, Any]]:
    """The profile's directory entries as transaction entries: a Put for each field it has, a Delete for
    each it no longer has (unless `new`: nothing to delete), so the keys always match the profile."""
    folded_given = fold(profile.legal_name.given)
    given_sort = f"{folded_given}#{fold(profile.legal_name.family)}#{profile.id}"
    wanted: dict[str, dict[str, Any] | None] = {
        BORN_SK: born_item(profile),
        GIVEN_SK: _entry(profile, GIVEN_SK, given_partition(folded_given), given_sort),
        PHONE_SK: None,
        EMAIL_SK: None,
        MRN_SK: None,
    }
    phone = phone_key(profile.phone) if profile.phone else None
    if phone:
        wanted[PHONE_SK] = _entry(profile, PHONE_SK, f"{PHONE_INDEX}{phone}")
    if profile.email:
        wanted[EMAIL_SK] = _entry(profile, EMAIL_SK, f"{EMAIL_INDEX}{email_key(profile.email)}")
    if profile.mrn:
        wanted[MRN_SK] = _entry(profile, MRN_SK, f"{MRN_INDEX}{mrn_key(profile.mrn)}")
    entries: list[dict[str, Any]] = []
    for sk, item in wanted.items():
        if item is not None:
            entries.append(dynamo.put(item))
        elif not new:
            entries.append(
                {
                    "Delete": {
                        "TableName": dynamo.table_name(),
                        "Key": {"PK": patient_pk(profile.id), "SK": sk},
                    }
                }
            )
    return entries


def _query(gsi_pk: str, sk_prefix: str, *, cursor: str | None) -> tuple[list[DirectoryEntry], str | None]:
    names = {f"#{field}": field for field in _LISTED}
    condition, values = "GSI1PK = :gpk", {":gpk": gsi_pk}
    if sk_prefix:
        condition, values = f"{condition} AND begins_with(GSI1SK, :prefix)", {**values, ":prefix": sk_prefix}
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": values,
        "ProjectionExpression": ", ".join(names),
        "ExpressionAttributeNames": names,
        "Limit": PAGE_SIZE,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=gsi_pk, gsi_sk_prefix=sk_prefix, pk_prefix=PATIENT_PREFIX
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    entries = dynamo.parse_items(DirectoryEntry, response.get("Items", []))
    return entries, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def find_by_name(
    family: str, given: str | None, *, cursor: str | None
) -> tuple[list[DirectoryEntry], str | None]:
    """Family-name prefix, or exact family name plus given-name prefix when `given` is set; one Query."""
    folded = fold(family)
    prefix = folded if given is None else f"{folded}#{fold(given)}"
    return _query(name_partition(folded), prefix, cursor=cursor)


def find_by_given_name(given: str, *, cursor: str | None) -> tuple[list[DirectoryEntry], str | None]:
    """Given-name prefix; one Query."""
    folded = fold(given)
    return _query(given_partition(folded), folded, cursor=cursor)


def find_by_phone(e164: str, *, cursor: str | None) -> tuple[list[DirectoryEntry], str | None]:
    """Everyone with that number (a family may share one); one Query."""
    return _query(f"{PHONE_INDEX}{e164}", "", cursor=cursor)


def find_by_email(email: str, *, cursor: str | None) -> tuple[list[DirectoryEntry], str | None]:
    return _query(f"{EMAIL_INDEX}{email_key(email)}", "", cursor=cursor)


def find_by_mrn(mrn: str) -> list[DirectoryEntry]:
    entries, _ = _query(f"{MRN_INDEX}{mrn_key(mrn)}", "", cursor=None)
    return entries


def find_by_birth_date(birth_date: date, *, cursor: str | None) -> tuple[list[DirectoryEntry], str | None]:
    """Everyone born that day, by name; one Query."""
    return _query(born_partition(birth_date), "", cursor=cursor)


def find_by_id(patient_id: str) -> DirectoryEntry | None:
    """One GetItem, reading only the listed fields."""
    names = {f"#{field}": field for field in _LISTED}
    item = (
        aws.table()
        .get_item(
            Key={"PK": patient_pk(patient_id), "SK": PROFILE_SK},
            ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names,
        )
        .get("Item")
    )
    return None if item is None else dynamo.parse_or_skip(DirectoryEntry, item)
