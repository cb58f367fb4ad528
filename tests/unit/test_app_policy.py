"""Deny by default: every route declares who may call it, and an undeclared route stops the app loading."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from chalice import Blueprint, Chalice
from chalice.app import Request

from chalicelib.core import access
from chalicelib.core.access import POLICY, Caller, Visitor, contract_of
from chalicelib.core.models import InputModel
from tests.conftest import ROOT

# Changing this set is a security decision: nothing behind a public route may touch patient data.
EXPECTED_PUBLIC = {
    ("GET", "/health"),
    ("GET", "/clinic"),
    ("GET", "/openapi.json"),
    # no account yet: a person with an invitation's code, or asking to be registered
    ("GET", "/activation/settings"),
    ("POST", "/activation/check"),
    ("POST", "/activation/complete"),
    ("POST", "/registration-requests"),
    # signed out: "forgot username" emails the address's usernames, and answers the same either way
    ("POST", "/account/forgot-username"),
    # signed out: a password sign-in for an email address; Cognito's answer, one refusal for every failure
    ("POST", "/account/sign-in"),
    # the card processor's webhooks: refused unless signed with the clinic's secret; they name intents,
    # answer only "received", and every effect is read back from the processor itself
    ("POST", "/webhooks/stripe"),
}


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter with no AWS, table or Cognito settings at all."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "TABLE_", "USER_POOL", "CLINIC_", "JWT", "JWKS", "POWERTOOLS_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(  # noqa: S603  fixed interpreter and code
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def routes_without_contract(app: Chalice) -> set[tuple[str, str]]:
    """The composition check in app.py, applied to any app."""
    return {
        (method, path)
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if contract_of(entry.view_function) is None
    }


def test_the_app_imports_without_any_aws_settings() -> None:
    result = run_python(
        """
        import app
        print(sorted((m, p) for p, ms in app.app.routes.items() for m in ms))
        """
    )

    assert result.returncode == 0, result.stderr
    assert "('GET', '/health')" in result.stdout
    assert "('PATCH', '/patients/{patient_id}/profile')" in result.stdout


def test_every_route_has_a_contract_and_every_private_action_a_policy() -> None:
    from app import app

    assert routes_without_contract(app) == set()
    public = set()
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            contract = contract_of(entry.view_function)
            assert contract is not None
            if contract.public:
                public.add((method, path))
            else:
                assert contract.action in POLICY, (method, path)
    assert public == EXPECTED_PUBLIC


def test_no_patient_route_is_public() -> None:
    from app import app

    for path, methods in app.routes.items():
        if "{patient_id}" in path:
            for method, entry in methods.items():
                contract = contract_of(entry.view_function)
                assert contract is not None
                assert not contract.public, (method, path)


def test_the_guard_marks_views_and_a_bare_route_is_caught() -> None:
    bp = Blueprint(__name__)
    requires = access.requires
    public = access.public

    @bp.route("/guarded")
    @requires("profile:read")
    def guarded(*, caller: Caller) -> dict[str, str]:
        return {}

    @bp.route("/open")
    @public("ping")
    def open_route() -> dict[str, str]:
        return {}

    @bp.route("/bare")
    def bare() -> dict[str, str]:
        return {}

    # Decorators in the wrong order: Chalice registers the unguarded function.
    @requires("profile:read")
    @bp.route("/wrong-order")
    def wrong_order(*, caller: Caller) -> dict[str, str]:
        return {}

    app = Chalice(app_name="policy-check")
    app.register_blueprint(bp)

    assert routes_without_contract(app) == {("GET", "/bare"), ("GET", "/wrong-order")}
    guarded_contract = contract_of(app.routes["/guarded"]["GET"].view_function)
    assert guarded_contract is not None
    assert (guarded_contract.action, guarded_contract.public) == ("profile:read", False)
    open_contract = contract_of(app.routes["/open"]["GET"].view_function)
    assert open_contract is not None
    assert (open_contract.action, open_contract.public) == ("ping", True)


def test_an_unknown_action_fails_when_the_route_is_declared() -> None:
    requires = access.requires

    with pytest.raises(KeyError):
        requires("profile:delete")


def test_the_real_app_refuses_to_load_with_a_route_that_has_no_policy() -> None:
    result = run_python(
        """
        from chalicelib.patients import routes as patients

        @patients.bp.route("/patients/{patient_id}/notes", methods=["GET"])
        def notes(patient_id):
            return {}

        import app
        """
    )

    assert result.returncode != 0
    assert "RuntimeError: route GET /patients/{patient_id}/notes has no access policy" in result.stderr


def _public_request(body: str, source_ip: str) -> Request:
    return Request(
        {
            "multiValueQueryStringParameters": None,
            "headers": {"content-type": "application/json"},
            "pathParameters": None,
            "requestContext": {
                "httpMethod": "POST",
                "resourcePath": "/open",
                "requestId": "req-public",
                "identity": {"sourceIp": source_ip},
            },
            "stageVariables": None,
            "body": body,
        }
    )


def test_a_public_view_gets_the_visitor_only_when_it_asks() -> None:
    seen: list[Visitor] = []

    @access.public("ping", body=lambda: PingIn)
    def without_visitor(*, body: PingIn) -> dict[str, str]:
        return {"name": body.name}

    @access.public("ping", body=lambda: PingIn)
    def with_visitor(*, visitor: Visitor, body: PingIn) -> dict[str, str]:
        seen.append(visitor)
        return {"name": body.name}

    with access.serving(_public_request('{"name": "a"}', "203.0.113.7")):
        plain = without_visitor()
        told = with_visitor()

    assert (plain.status_code, plain.body) == (200, {"name": "a"})
    assert (told.status_code, told.body) == (200, {"name": "a"})
    assert seen == [Visitor(request_id="req-public", source_ip="203.0.113.7")]


class PingIn(InputModel):
    name: str
