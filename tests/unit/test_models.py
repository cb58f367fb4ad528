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


# --- text that hides what it says, and dates no clinic means -----------------------------------------

HIDDEN = {
    "nul": "a\x00b",
    "bell": "a\x07b",
    "c1 control": "a\x85b",
    "right-to-left override": "invoice\u202efdp.exe",
    "left-to-right embedding": "a\u202ab",
    "first-strong isolate": "a\u2068b",
    "line break": "first\nsecond",
}


def _one_line_fields() -> list[tuple[type[BaseModel], dict[str, object], tuple[str, ...]]]:
    from chalicelib.documents.models import UploadIn
    from chalicelib.messaging.models import NewThreadIn
    from chalicelib.records.models import ProblemIn

    return [
        (EmergencyContact, {"relationship": "sibling", "phone": "217-555-0142"}, ("name",)),
        (UploadIn, {"content_type": "application/pdf", "size": 10}, ("filename",)),
        (NewThreadIn, {"pool_id": "front-desk", "body": "hello"}, ("subject",)),
        (ProblemIn, {}, ("name",)),
        (ProfileUpdate, {"version": 1}, ("preferred_name",)),
        (ProfileUpdate, {"version": 1, "address": {**ADDRESS}}, ("address", "line1")),
    ]


@pytest.mark.parametrize("value", HIDDEN.values(), ids=HIDDEN.keys())
def test_names_file_names_and_subjects_refuse_hidden_characters(value: str) -> None:
    for model, data, loc in _one_line_fields():
        payload: dict[str, Any] = {**data}
        target = payload
        for part in loc[:-1]:
            target = cast(dict[str, Any], target[part])
        target[loc[-1]] = value
        assert error_locs(model, payload) == [loc], model.__name__


def test_accents_apostrophes_and_emoji_are_kept() -> None:
    name = "José Núñez-O'Brien"
    for model, data, loc in _one_line_fields():
        payload: dict[str, Any] = {**data}
        target = payload
        for part in loc[:-1]:
            target = cast(dict[str, Any], target[part])
        target[loc[-1]] = name
        parsed: Any = model.model_validate(payload)
        for part in loc:
            parsed = getattr(parsed, part)
        assert parsed == name, model.__name__
    from chalicelib.messaging.models import ReplyIn

    assert ReplyIn(body="Gracias, señora 🙂\n\tHasta luego").body == "Gracias, señora 🙂\n\tHasta luego"


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "note\u202eeton", "a\u2069b"])
def test_free_text_keeps_lines_but_refuses_controls_and_direction_overrides(value: str) -> None:
    from chalicelib.messaging.models import ReplyIn
    from chalicelib.refills.models import RefillDecisionIn

    assert error_locs(ReplyIn, {"body": value}) == [("body",)]
    assert error_locs(RefillDecisionIn, {"decision": "deny", "note": value}) == [("note",)]


def test_utc_text_pads_every_year_to_four_digits_so_it_sorts_as_time() -> None:
    from datetime import UTC, datetime

    from chalicelib.appointments.models import slot_id
    from chalicelib.appointments.models import utc_text as appointment_text
    from chalicelib.core.dynamo import utc_text

    early, late = datetime(25, 1, 6, 15, tzinfo=UTC), datetime(2025, 1, 6, 15, tzinfo=UTC)
    assert utc_text(early) == "0025-01-06T15:00:00.000000Z"
    assert appointment_text(early) == "0025-01-06T15:00:00Z"
    assert slot_id("dr-rivera", early) == "dr-rivera.00250106T1500Z"
    assert utc_text(early) < utc_text(late)
    assert appointment_text(late) == "2025-01-06T15:00:00Z"  # unchanged for the years in use
    assert datetime.fromisoformat(appointment_text(early)) == early


# Not stored, or checked where they are used: opaque paging cursors (decoded and checked against the
# partition), the declared upload type (one of three), an import file's whole text (each value in it
# goes through the same models as a typed-in result).
UNGUARDED_BY_DESIGN = {"cursor", "content_type", "content"}


def _leaves(tp: Any, meta: tuple[Any, ...] = ()) -> list[tuple[Any, tuple[Any, ...]]]:
    """Every scalar type inside a field's annotation, with the metadata that applies to it."""
    import types
    import typing

    from pydantic.fields import FieldInfo

    meta = tuple(part for m in meta for part in ((m, *m.metadata) if isinstance(m, FieldInfo) else (m,)))
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(tp)
        return _leaves(base, (*meta, *extra))
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(tp) if arg is not type(None) for leaf in _leaves(arg, meta)]
    if origin in (list, tuple, set, frozenset, dict):
        return [leaf for arg in typing.get_args(tp) for leaf in _leaves(arg)]
    return [(tp, meta)]


def _input_fields() -> dict[str, tuple[Any, tuple[Any, ...]]]:
    """Every str, date and datetime a browser can send, by model.field, from the routes' contracts."""
    from datetime import date, datetime

    from pydantic import AwareDatetime

    from app import app
    from chalicelib.core.access import contract_of

    models: list[type[BaseModel]] = []
    for methods in app.routes.values():
        for entry in methods.values():
            contract = contract_of(entry.view_function)
            if contract is not None:
                models += [m for m in (contract.body, contract.query) if m is not None]
    found: dict[str, tuple[Any, tuple[Any, ...]]] = {}
    while models:
        model = models.pop()
        model.model_rebuild()
        for name, field in model.model_fields.items():
            for tp, meta in _leaves(field.annotation, tuple(field.metadata)):
                if isinstance(tp, type) and issubclass(tp, BaseModel):
                    models.append(tp)
                elif tp in (str, date, datetime, AwareDatetime):
                    found[f"{model.__name__}.{name}"] = (tp, meta)
    return found


def test_every_text_and_date_a_browser_sends_is_bounded() -> None:
    from datetime import date

    from pydantic import AfterValidator

    from chalicelib.core.models import MultiLine, SingleLine

    fields = _input_fields()
    unguarded = []
    for where, (tp, meta) in fields.items():
        if tp is str:
            guarded = (
                SingleLine in meta
                or MultiLine in meta
                or any(getattr(m, "pattern", None) for m in meta)  # ids, codes, slugs
                or any(isinstance(m, AfterValidator) for m in meta)  # phone, state, ZIP, slot id
                or where.rsplit(".", 1)[1] in UNGUARDED_BY_DESIGN
            )
        else:
            guarded = any(isinstance(m, AfterValidator) for m in meta)  # the year range
        if not guarded:
            unguarded.append(where)
    assert unguarded == []
    assert len(fields) > 100  # the real contracts, not an empty walk
    assert sum(1 for tp, _ in fields.values() if tp is not str) >= 15
    assert date in {tp for tp, _ in fields.values()}
