"""What a browser may send for a profile edit, and how bad input is reported without echoing it back."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.core import errors
from chalicelib.core.access import MAX_JSON_BYTES, parse_body
from chalicelib.patients.models import Address, EmergencyContact, ProfileUpdate

# A value that should never come back in an error message.
MARKER = "ZEBRA"

ADDRESS: dict[str, object] = {
    "line1": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
}


def error_locs(model: type[BaseModel], data: dict[str, object]) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [e["loc"] for e in caught.value.errors()]


def error_text(model: type[BaseModel], data: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value.errors(include_input=False, include_url=False))


@pytest.mark.parametrize(
    "raw",
    ["(217) 555-0142", "217-555-0142", "217.555.0142", "2175550142", "1-217-555-0142", "+1 217 555 0142"],
)
def test_us_phone_formats_are_stored_as_e164(raw: str) -> None:
    assert ProfileUpdate(version=1, phone=raw).phone == "+12175550142"
    assert EmergencyContact(name="Alex", relationship="sibling", phone=f"  {raw}  ").phone == "+12175550142"


@pytest.mark.parametrize("raw", ["12345", "555-0100", "+1 555 010 0100", "not a phone", "2" * 33])
def test_invalid_phone_numbers_are_refused(raw: str) -> None:
    assert error_locs(ProfileUpdate, {"version": 1, "phone": raw}) == [("phone",)]
    contact = {"name": "Alex", "relationship": "sibling", "phone": raw}
    assert error_locs(ProfileUpdate, {"version": 1, "emergency_contact": contact}) == [
        ("emergency_contact", "phone")
    ]


@pytest.mark.parametrize(
    "raw", ["sam", "sam@", "@example.com", "sam@@example.com", "sam@example", "a b@x.com"]
)
def test_invalid_email_is_refused(raw: str) -> None:
    assert error_locs(ProfileUpdate, {"version": 1, "email": raw}) == [("email",)]


@pytest.mark.parametrize("raw", ["6270", "627011", "62701-12", "ABCDE", "62701 1234"])
def test_bad_zip_is_refused(raw: str) -> None:
    assert error_locs(Address, {**ADDRESS, "postal_code": raw}) == [("postal_code",)]
    assert error_locs(ProfileUpdate, {"version": 1, "address": {**ADDRESS, "postal_code": raw}}) == [
        ("address", "postal_code")
    ]


def test_zip_plus_four_and_lower_case_state_are_accepted() -> None:
    address = Address.model_validate({**ADDRESS, "state": " il ", "postal_code": "62701-1234"})

    assert (address.state, address.postal_code, address.country) == ("IL", "62701-1234", "US")


@pytest.mark.parametrize("raw", ["ZZ", "Illinois", "XX", ""])
def test_unknown_state_code_is_refused(raw: str) -> None:
    assert error_locs(Address, {**ADDRESS, "state": raw}) == [("state",)]


def test_preferred_name_is_limited_to_60_characters() -> None:
    assert ProfileUpdate(version=1, preferred_name="a" * 60).preferred_name == "a" * 60
    assert error_locs(ProfileUpdate, {"version": 1, "preferred_name": "a" * 61}) == [("preferred_name",)]


def test_unknown_fields_are_refused_at_every_level() -> None:
    assert error_locs(ProfileUpdate, {"version": 1, "nickname": "Sam"}) == [("nickname",)]
    assert error_locs(ProfileUpdate, {"version": 1, "address": {**ADDRESS, "county": "Sangamon"}}) == [
        ("address", "county")
    ]


def test_version_is_required() -> None:
    assert error_locs(ProfileUpdate, {"phone": "2175550142"}) == [("version",)]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"version": "abc"}, ("version",)),
        ({"version": 0}, ("version",)),
        ({"phone": 2175550142}, ("phone",)),
        ({"preferred_language": 5}, ("preferred_language",)),
        ({"preferred_language": "klingon"}, ("preferred_language",)),
        ({"address": "1 Main St, Springfield"}, ("address",)),
        ({"communication": {"sms_notifications": "maybe"}}, ("communication", "sms_notifications")),
        (
            {"communication": {"preferred_contact_method": "fax"}},
            ("communication", "preferred_contact_method"),
        ),
    ],
    ids=lambda value: ".".join(value) if isinstance(value, tuple) else None,
)
def test_wrong_types_name_the_field(data: dict[str, object], loc: tuple[str, ...]) -> None:
    assert error_locs(ProfileUpdate, {"version": 1, **data}) == [loc]


@pytest.mark.parametrize(
    "data",
    [
        {"phone": f"{MARKER}-555-0142"},
        {"email": f"{MARKER}@@example.com"},
        {"email": f"{MARKER}@example"},
        {"preferred_name": MARKER * 13},
        {"preferred_language": MARKER},
        {"address": {**ADDRESS, "state": MARKER, "postal_code": MARKER}},
        {"emergency_contact": {"name": MARKER, "relationship": "x", "phone": MARKER}},
        {MARKER: "x"},
    ],
    ids=["phone", "email-double-at", "email-no-dot", "name", "language", "address", "contact", "extra"],
)
def test_error_messages_never_echo_the_value(data: dict[str, object]) -> None:
    text = error_text(ProfileUpdate, {"version": 1, **data})

    # The marker may appear as a field *name* (the unknown-field case) but never as a value.
    assert text.count(MARKER) == (1 if MARKER in data else 0)


# --- parse_body: JSON to a model, or a BadRequest that names fields ------------------------------


class FakeRequest:
    """Just enough of chalice.app.Request: the raw body and its headers."""

    def __init__(self, raw_body: bytes, content_type: str = "application/json") -> None:
        self.raw_body = raw_body
        self.headers = {"content-type": content_type}


def parse_raw(raw: bytes, content_type: str = "application/json") -> BaseModel:
    return parse_body(ProfileUpdate, cast(Request, FakeRequest(raw, content_type)))


def parse(body: Any) -> BaseModel:
    return parse_raw(json.dumps(body).encode())


def test_parse_body_returns_the_model() -> None:
    update = parse({"version": 3, "phone": "217-555-0142"})

    assert isinstance(update, ProfileUpdate)
    assert (update.version, update.phone) == (3, "+12175550142")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"version": ',
        b"{'version': 1}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"version": NaN}',
        b'{"v": 1e309}',
    ],
    ids=["cut short", "single quotes", "depth 100,000", "NaN", "1e309"],
)
def test_parse_body_refuses_what_is_not_json_we_accept(raw: bytes) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        parse_raw(raw)

    assert caught.value.message == "the request body is not valid JSON"
    assert caught.value.fields is None


@pytest.mark.parametrize("body", [[], ["version", 1], "text", 7, None])
def test_parse_body_wants_a_json_object(body: Any) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        parse(body)

    assert caught.value.message == "the request body must be a JSON object"


def test_parse_body_wants_a_body() -> None:
    with pytest.raises(errors.BadRequest, match="empty"):
        parse_raw(b"")


def test_parse_body_refuses_nesting_deeper_than_any_form() -> None:
    nested: Any = "x"
    for _ in range(40):
        nested = {"a": nested}
    with pytest.raises(errors.BadRequest, match="nested deeper"):
        parse({"version": 1, "address": nested})


def test_parse_body_refuses_lone_surrogates_anywhere() -> None:
    with pytest.raises(errors.BadRequest, match="not valid Unicode"):
        parse_raw(b'{"version": 1, "preferred_name": "Ana \\ud800"}')
    with pytest.raises(errors.BadRequest, match="not valid Unicode"):
        parse_raw(b'{"\\udfff": 1}')


def test_parse_body_refuses_a_body_over_the_limit() -> None:
    with pytest.raises(errors.PayloadTooLarge):
        parse_raw(json.dumps({"version": 1, "pronouns": "x" * MAX_JSON_BYTES}).encode())


def test_parse_body_refuses_another_media_type() -> None:
    with pytest.raises(errors.UnsupportedMediaType):
        parse_raw(b'{"version": 1}', content_type="text/plain")


def test_parse_body_names_each_bad_field_without_the_value() -> None:
    body = {
        "version": 1,
        "email": f"{MARKER}@@example.com",
        "address": {**ADDRESS, "postal_code": MARKER},
        MARKER.lower(): True,
    }

    with pytest.raises(errors.BadRequest) as caught:
        parse(body)

    fields = caught.value.fields
    assert fields is not None
    assert set(fields) == {"email", "address.postal_code", MARKER.lower()}
    assert fields["address.postal_code"] == "enter a 5-digit ZIP code (or ZIP+4)"
    assert fields[MARKER.lower()] == "Extra inputs are not permitted"
    assert MARKER not in str(caught.value.to_body("req-1"))
