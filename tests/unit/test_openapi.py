"""The OpenAPI document: valid OpenAPI 3.1, one name per operation, every answer a route can give.

tests/api/openapi_check.py checks the real answers of the API tests against it; these check its shape.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from chalice import Blueprint, Chalice
from openapi_spec_validator import OpenAPIV31SpecValidator

from chalicelib.core import access
from chalicelib.core.access import Caller, contract_of
from chalicelib.system import openapi


@cache
def document() -> dict[str, Any]:
    return openapi.document()


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in document()["paths"].items() for method, op in ops.items()]


def operation(method: str, path: str) -> dict[str, Any]:
    op: dict[str, Any] = document()["paths"]["/api" + path][method]
    return op


def schema(name: str) -> dict[str, Any]:
    found: dict[str, Any] = document()["components"]["schemas"][name]
    return found


def test_the_document_is_valid_openapi_3_1() -> None:
    problems = [error.message for error in OpenAPIV31SpecValidator(document()).iter_errors()]

    assert problems == []
    assert document()["openapi"] == "3.1.0"


def test_each_operation_is_named_after_its_view_function() -> None:
    from app import app

    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(set(ids)) == sum(len(methods) for methods in app.routes.values())
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            assert operation(method.lower(), path)["operationId"] == entry.view_function.__name__


def _app_with_two_views_named(name: str) -> Chalice:
    app = Chalice(app_name="names")
    for prefix in ("/one", "/two"):
        bp = Blueprint(__name__)
        requires = access.requires

        def view(*, caller: Caller) -> dict[str, str]:
            return {}

        view.__name__ = name
        bp.route(prefix, methods=["GET"])(requires("profile:read")(view))
        app.register_blueprint(bp)
    return app


def test_two_views_with_one_name_stop_the_document() -> None:
    with pytest.raises(ValueError, match="two routes have a view named 'listing'"):
        openapi.build(_app_with_two_views_named("listing"))


def test_guarded_operations_declare_what_the_guard_answers() -> None:
    for path, method, op in operations():
        declared = set(op["responses"])
        assert "default" in declared, (method, path)
        if op.get("security") == []:  # public: no sign-in, so none of the guard's refusals...
            own = {"401"} if op["operationId"] == "sign_in_with_email" else set()  # ...but a sign-in's own
            assert {"401", "403"} & declared == own, (method, path)
            continue
        assert {"401", "403"} <= declared, (method, path)
        if "{" in path:
            assert "404" in declared, (method, path)
        if "requestBody" in op:
            assert {"400", "415"} <= declared, (method, path)
        if any(p["in"] == "query" for p in op["parameters"]):
            assert "400" in declared, (method, path)
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")) or status == "default":
                ref = response["$ref"].rpartition("/")[2]
                body = document()["components"]["responses"][ref]["content"]["application/json"]
                assert body["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_operations_declare_the_success_statuses_their_views_answer() -> None:
    assert set(operation("post", "/patients/{patient_id}/problems")["responses"]) >= {"201"}
    assert "200" not in operation("post", "/patients/{patient_id}/problems")["responses"]
    assert {"200", "201"} <= set(operation("post", "/patients/{patient_id}/appointments")["responses"])
    pay = operation("post", "/patients/{patient_id}/payments")
    assert {"201", "409", "422", "503"} <= set(pay["responses"])
    revoke = operation("delete", "/patients/{patient_id}/proxies/{proxy_sub}")["responses"]
    assert "content" not in revoke["204"]
    assert "200" not in revoke
    calendar = operation("get", "/patients/{patient_id}/appointments/{appointment_id}/calendar.ics")
    assert calendar["responses"]["200"]["content"] == {"text/calendar": {"schema": {"type": "string"}}}


def test_a_payment_documents_its_idempotency_key_header() -> None:
    parameters = operation("post", "/patients/{patient_id}/payments")["parameters"]
    [header] = [p for p in parameters if p["in"] == "header"]

    assert header["name"] == "Idempotency-Key"
    assert header["required"] is True
    assert header["schema"]["pattern"]


@pytest.mark.parametrize(
    "key",
    ["key-0001", "a" * 128, "a" * 129, "short", "has spaces 123", "ümlaut-key", "key-0001\n", "k:e.y_-99"],
)
def test_the_payment_service_takes_exactly_the_keys_the_document_describes(key: str) -> None:
    from chalicelib.billing import payments
    from chalicelib.core import errors

    parameters = operation("post", "/patients/{patient_id}/payments")["parameters"]
    [header] = [p for p in parameters if p["in"] == "header"]
    documented = re.fullmatch(header["schema"]["pattern"].removeprefix("^").removesuffix("$"), key)
    try:
        accepted = payments.check_idempotency_key(key) == key
    except errors.BadRequest:
        accepted = False
    assert accepted is (documented is not None)


def test_query_parameters_are_optional_unless_the_model_requires_them() -> None:
    slots = {p["name"]: p for p in operation("get", "/patients/{patient_id}/slots")["parameters"]}
    search = operation("post", "/staff/patients/search")["requestBody"]["content"]["application/json"]

    assert slots["cursor"]["required"] is False
    assert slots["cursor"]["schema"]["type"] == "string"  # left out, never null
    assert "date" in slots  # the name the browser sends
    assert "first_day" not in slots
    assert schema(search["schema"]["$ref"].rpartition("/")[2])["required"] == ["q"]


def test_response_schemas_require_every_field_the_views_always_send() -> None:
    assert "communication" in schema("PatientProfile")["required"]
    assert "flag_text" in schema("ComponentOut")["required"]
    assert set(schema("ComponentOut")["properties"]) >= {"flag", "flag_text"}
    # a field sent as null is still sent: required, and nullable
    assert "next_cursor" in schema("AppointmentPage")["required"]
    assert {"type": "null"} in schema("AppointmentPage")["properties"]["next_cursor"]["anyOf"]


def test_request_schemas_keep_their_defaults_optional() -> None:
    body = operation("patch", "/patients/{patient_id}/profile")["requestBody"]["content"]["application/json"]
    update = schema(body["schema"]["$ref"].rpartition("/")[2])

    assert update["required"] == ["version"]


def test_every_declared_error_status_has_a_described_response() -> None:
    from app import app

    for methods in app.routes.values():
        for entry in methods.values():
            contract = contract_of(entry.view_function)
            assert contract is not None
            assert set(contract.errors) <= set(openapi.ERROR_RESPONSES), entry.view_function.__name__
