"""Reusable field types for the API contract."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


def _e164_phone(value: str) -> str:
    import phonenumbers  # lazy: its metadata is large and only needed when a phone number arrives

    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValueError("not a valid phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


PhoneNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_e164_phone)
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
OpaqueId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class Model(BaseModel):
    """Every model builds its validator on first use, not at import: cold starts stay small."""

    model_config = ConfigDict(defer_build=True)


class InputModel(Model):
    """What a browser may send: unknown fields are refused, strings trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
