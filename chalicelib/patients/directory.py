"""The staff patient directory: GSI1 keys that let staff find a patient by family name or birth date.

Two entries per patient, both written in the same TransactWriteItems as the profile itself (see
store/patients.py), so a changed name or birth date is findable under the new one at once:

- by name, on the profile item (`PATIENT#<id>` / `PROFILE`):
  GSI1PK `PATIENTS#NAME#<first letter>`, GSI1SK `<family>#<given>#<id>`
- by birth date, its own item (`PATIENT#<id>` / `DIR#BORN`):
  GSI1PK `PATIENTS#BORN#<YYYY-MM-DD>`, GSI1SK `<family>#<given>#<id>`

Names in keys are folded (case and accents removed, only letters and digits kept), so "gonzalez",
"GONZÁLEZ" and "Gonzalez" meet. The name partition is split by first letter so no single index partition
holds the whole clinic. The birth date gets its own item rather than a FilterExpression on the name
partition: a filter would read every patient in the clinic to return a handful (unbounded cost); one
small item per patient keeps a birth-date search to one Query of exactly the matching patients.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any, Final

from chalicelib.core import aws, dynamo
from chalicelib.core.schema import PROFILE_SK, patient_pk
from chalicelib.patients.models import LegalName, PatientProfile
from chalicelib.patients.search_models import DirectoryEntry

BORN_SK: Final = "DIR#BORN"
NAME_INDEX: Final = "PATIENTS#NAME#"
BORN_INDEX: Final = "PATIENTS#BORN#"
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
    listed = profile.model_dump(mode="json", include=set(_LISTED))
    return {
        **listed,
        "PK": patient_pk(profile.id),
        "SK": BORN_SK,
        "GSI1PK": born_partition(profile.birth_date),
        "GSI1SK": _name_sort(profile.legal_name, profile.id),
    }


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
    start = dynamo.decode_index_cursor(cursor, gsi_pk=gsi_pk, gsi_sk_prefix=sk_prefix, pk_prefix="PATIENT#")
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    entries = [DirectoryEntry.model_validate(raw) for raw in response.get("Items", [])]
    return entries, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def find_by_name(
    family: str, given: str | None, *, cursor: str | None
) -> tuple[list[DirectoryEntry], str | None]:
    """Family-name prefix, or exact family name plus given-name prefix when `given` is set; one Query."""
    folded = fold(family)
    prefix = folded if given is None else f"{folded}#{fold(given)}"
    return _query(name_partition(folded), prefix, cursor=cursor)


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
    return None if item is None else DirectoryEntry.model_validate(item)
