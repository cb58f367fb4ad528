"""Staff patient search: find a patient by family name, birth date or id, and log every patient listed."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from chalicelib.appointments import clinic_time
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.patients import store as directory
from chalicelib.patients.models import DirectoryEntry, PatientMatch, PatientSearchPage

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Patient ids are opaque ("p-4f1c2a9e"); names never hold digits, so a digit marks an id.
_PATIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,63}")
_HOW_TO = "enter a family name, a date of birth or a patient ID"


def _birth_date(q: str) -> date | None:
    """A date typed as YYYY-MM-DD or MM/DD/YYYY; None if q is not shaped like one (400 if impossible)."""
    try:
        if _ISO_DATE.fullmatch(q):
            return date.fromisoformat(q)
        us = _US_DATE.fullmatch(q)
        if us:
            month, day, year = (int(part) for part in us.groups())
            return date(year, month, day)
    except ValueError:
        raise errors.BadRequest("that is not a real date", fields={"q": "not a real date"}) from None
    return None


def _is_patient_id(q: str) -> bool:
    return bool(_PATIENT_ID.fullmatch(q)) and any(ch.isdigit() for ch in q)


def _name(q: str) -> tuple[str, str | None]:
    """'Morgan' -> family prefix; 'Morgan, Al' -> exact family and given-name prefix."""
    family, comma, given = q.partition(",")
    folded = directory.fold(family)
    if not folded or (not comma and len(folded) < 2):
        raise errors.BadRequest(_HOW_TO, fields={"q": "enter at least two letters of the family name"})
    return family, (given if comma else None)


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _match(entry: DirectoryEntry, today: date) -> PatientMatch:
    name = entry.legal_name
    preferred = entry.preferred_name if entry.preferred_name and entry.preferred_name != name.given else None
    digits = "".join(ch for ch in entry.phone or "" if ch.isdigit())
    return PatientMatch(
        id=entry.id,
        display_name=f"{name.family}, {name.given}" + (f" ({preferred})" if preferred else ""),
        birth_date=entry.birth_date,
        age=_age(entry.birth_date, today),
        phone_last_four=digits[-4:] if len(digits) >= 4 else None,
    )


def search(
    caller: Caller, q: str, *, cursor: str | None = None, now: datetime | None = None
) -> PatientSearchPage:
    """One page (at most 20) of patients matching q; each listed patient's access log records it."""
    q = q.strip()
    born = _birth_date(q)
    next_cursor: str | None = None
    matched_by: Literal["name", "birth_date", "id"]
    if born is not None:
        matched_by = "birth_date"
        entries, next_cursor = directory.find_by_birth_date(born, cursor=cursor)
    elif _is_patient_id(q):
        matched_by = "id"
        found = directory.find_by_id(q)
        entries = [found] if found else []
    else:
        matched_by = "name"
        family, given = _name(q)
        entries, next_cursor = directory.find_by_name(family, given, cursor=cursor)
    today = clinic_time.today(now or dynamo.utcnow())
    # Appearing in a list is a disclosure (name, birth date): each patient's access log shows who saw it.
    audit.record_many(caller, patient_ids=[e.id for e in entries], action="patient.search", target="search")
    return PatientSearchPage(
        matched_by=matched_by,
        items=[_match(entry, today) for entry in entries],
        next_cursor=next_cursor,
    )
