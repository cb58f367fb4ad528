"""Staff patient search: find a patient by family or given name, birth date, phone, email, MRN or id, and
log every patient listed. Every search is one Query (or GetItem) on a directory key; none scans."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from chalicelib.appointments import clinic_time
from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.models import phone_key
from chalicelib.patients import store as directory
from chalicelib.patients.models import DirectoryEntry, PatientMatch, PatientSearchPage

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Patient ids are opaque ("p-4f1c2a9e"); names never hold digits, so a digit marks an id.
_PATIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,63}")
_HOW_TO = "enter a name, a date of birth, a phone number, an email address, an MRN or a patient ID"
# Typed like a phone number: digits with the usual punctuation, at least seven digits.
_PHONE_LIKE = re.compile(r"\+?[\d\s().-]{7,25}")
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+")


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


def _phone(q: str) -> str | None:
    """The number in E.164 when q is typed like a phone number (400 if it cannot be one)."""
    if not _PHONE_LIKE.fullmatch(q) or sum(ch.isdigit() for ch in q) < 7:
        return None
    number = phone_key(q)
    if number is None:
        raise errors.BadRequest("that is not a phone number", fields={"q": "not a phone number"})
    return number


def _name(q: str) -> tuple[str, str | None]:
    """'Morgan' -> family prefix; 'Morgan, Al' -> exact family and given-name prefix."""
    family, comma, given = q.partition(",")
    folded = directory.fold(family)
    if not folded and comma and len(directory.fold(given)) >= 2:
        return "", given  # ', Alex': by given name alone
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
    matched_by: Literal["name", "given_name", "birth_date", "id", "phone", "email", "mrn"]
    phone = None if born is not None else _phone(q)
    if born is not None:
        matched_by = "birth_date"
        entries, next_cursor = directory.find_by_birth_date(born, cursor=cursor)
    elif phone is not None:
        matched_by = "phone"
        entries, next_cursor = directory.find_by_phone(phone, cursor=cursor)
        if not entries and cursor is None and q.isalnum():  # digits only: an MRN may look like a number
            mrn_matches = directory.find_by_mrn(q)
            if mrn_matches:
                matched_by, entries = "mrn", mrn_matches
    elif _EMAIL_LIKE.fullmatch(q):
        matched_by = "email"
        entries, next_cursor = directory.find_by_email(q, cursor=cursor)
    elif _is_patient_id(q):
        found = directory.find_by_id(q)
        matched_by, entries = ("id", [found]) if found else ("mrn", directory.find_by_mrn(q))
    else:
        family, given = _name(q)
        if not family and given is not None:
            matched_by = "given_name"
            entries, next_cursor = directory.find_by_given_name(given, cursor=cursor)
        else:
            matched_by = "name"
            entries, next_cursor = directory.find_by_name(family, given, cursor=cursor)
    today = clinic_time.today(now or dynamo.utcnow())
    # Appearing in a list is a disclosure (name, birth date): each patient's access log shows who saw it.
    audit.record_many(caller, patient_ids=[e.id for e in entries], action="patient.search", target="search")
    return PatientSearchPage(
        matched_by=matched_by,
        items=[_match(entry, today) for entry in entries],
        next_cursor=next_cursor,
    )
