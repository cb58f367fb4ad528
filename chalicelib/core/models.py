"""Reusable field types for the API contract.

Dates and times are bounded to what the clinic can mean: a typo such as year 0025 or 9999 is refused at the
edge, naming the field, instead of being stored where it would later break reads, sorting and jobs.
Text is refused when it carries characters that hide or reorder what a reader sees (NUL and other control
characters, bidirectional overrides and isolates) or that DynamoDB cannot store (lone surrogates).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, StringConstraints

from chalicelib.core.errors import InvalidValue
from chalicelib.core.identity import PASSWORD_MAX_LENGTH, password_problems, rules_sentence


def _e164_phone(value: str) -> str:
    import phonenumbers  # lazy: its metadata is large and only needed when a phone number arrives

    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValueError("not a valid phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def phone_key(value: str) -> str | None:
    """The one form of a phone number that directory keys and searches compare: E.164 if it parses
    (US by default), whatever the punctuation it was typed with; None if it is no phone number at all."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


PhoneNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_e164_phone)
]

# --- text ------------------------------------------------------------------------------------------

# Bidirectional embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069) can make a file name
# or a name read differently from what it is; lone surrogates cannot be encoded to UTF-8 at all.
_HIDDEN = "\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_NOT_IN_A_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\u2028\u2029{_HIDDEN}]")
_NOT_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_HIDDEN}]")


def single_line(value: str) -> str:
    """One line of text (a name, a title, a file name, a code): no line breaks, tabs or hidden characters."""
    if _NOT_IN_A_LINE.search(value):
        raise ValueError("must be one line of plain text (no control or direction-changing characters)")
    return unicodedata.normalize("NFC", value)


def multi_line(value: str) -> str:
    """Free text (a message, a note, a reason): line breaks and tabs are kept, other hidden characters not."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _NOT_IN_TEXT.search(value):
        raise ValueError("contains characters that are not allowed in text (control or direction-changing)")
    return unicodedata.normalize("NFC", value)


# Add to any str field's Annotated[...] next to its own length limits.
SingleLine = AfterValidator(single_line)
MultiLine = AfterValidator(multi_line)

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine]
PersonName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine
]
FileName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255), SingleLine]
OpaqueId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]

# --- passwords -------------------------------------------------------------------------------------
# Kept secret: repr and str show stars, and a refusal names the field, never the value. Taken as typed
# (never trimmed): a password is exactly what Cognito holds.


def _meets_policy(value: SecretStr) -> SecretStr:
    problems = password_problems(value.get_secret_value())
    if problems:
        raise InvalidValue("a new password needs {rules}", rules=rules_sentence(problems))
    return value


Password = Annotated[SecretStr, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
NewPassword = Annotated[
    SecretStr,
    Field(
        min_length=1, max_length=PASSWORD_MAX_LENGTH, description="Must meet the user pool's password policy"
    ),
    AfterValidator(_meets_policy),
]


# --- dates and times -------------------------------------------------------------------------------

CLINICAL_FIRST_DAY = date(1900, 1, 1)
SCHEDULE_FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def _day_within(first: date, last: date = LAST_DAY) -> AfterValidator:
    def check(value: date) -> date:
        if not first <= value <= last:
            raise InvalidValue(
                "must be between {first} and {last}", first=first.isoformat(), last=last.isoformat()
            )
        return value

    return AfterValidator(check)


def _moment_within(first: date, last: date = LAST_DAY) -> AfterValidator:
    # The wall-clock reading is what is bounded: then converting to UTC (or to the clinic's zone) can
    # never step outside datetime's own range, whatever the offset.
    def check(value: datetime) -> datetime:
        if not first <= value.date() <= last:
            raise InvalidValue(
                "must be between {first} and {last}", first=first.isoformat(), last=last.isoformat()
            )
        return value

    return AfterValidator(check)


def _not_in_future(value: date) -> date:
    if value > date.today():
        raise ValueError("a date in the future is not allowed here")
    return value


def _born_not_in_future(value: date) -> date:
    if value > date.today():
        raise ValueError("a birth date cannot be in the future")
    return value


# Something that happened or will happen to a patient, or a bill's service date: 1900-2100.
ClinicalDate = Annotated[date, _day_within(CLINICAL_FIRST_DAY)]
# ... that has already happened (an onset, an immunization, a medication's start).
PastClinicalDate = Annotated[date, _day_within(CLINICAL_FIRST_DAY), AfterValidator(_not_in_future)]
BirthDate = Annotated[date, _day_within(CLINICAL_FIRST_DAY), AfterValidator(_born_not_in_future)]
# A day the clinic plans with (availability, due dates, access end dates, schedule views): 2000-2100.
ScheduleDate = Annotated[date, _day_within(SCHEDULE_FIRST_DAY)]

# A moment of care with its UTC offset (a visit's start, a specimen's collection): 1900-2100.
ClinicalDateTime = Annotated[AwareDatetime, _moment_within(CLINICAL_FIRST_DAY)]
# A moment the clinic plans with, with its UTC offset (a hold's end): 2000-2100.
ScheduleDateTime = Annotated[AwareDatetime, _moment_within(SCHEDULE_FIRST_DAY)]
# The same, where a time without an offset means the clinic's own wall clock (availability blocks).
LocalScheduleDateTime = Annotated[datetime, _moment_within(SCHEDULE_FIRST_DAY)]


class Model(BaseModel):
    """Every model builds its validator on first use, not at import: cold starts stay small."""

    model_config = ConfigDict(defer_build=True)


class InputModel(Model):
    """What a browser may send: unknown fields are refused, strings trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EntrySource(Model):
    """Where an entry came from when staff did not type it: a visit's eCheck-in, accepted by someone."""

    kind: Literal["echeckin"] = "echeckin"
    appointment_id: str
    accepted_by: str = Field(description="Display name of the staff member who accepted it")
    accepted_at: datetime
