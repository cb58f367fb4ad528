"""Hostile input, over HTTP against the local server: every refusal is a 4xx in our error shape.

The table sends each payload to every route that takes a body, as a user whose role may call it, with
the path's other ids made up (the body is checked before any item is looked up). Afterwards every GET that
answered before must answer the same: nothing hostile broke a route for the next user.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from app import app
from chalicelib.core.access import POLICY, contract_of
from chalicelib.core.identity import Role
from tests.http.conftest import ALEX, Answer, Portal

USER_OF_ROLE = {
    Role.PATIENT: "alex",
    Role.CLINICIAN: "drrivera",
    Role.FRONT_DESK: "frontdesk",
    Role.BILLING: "billing",
    Role.ADMIN: "admin",
}
TRACEBACK_MARKERS = ("Traceback", 'File "', "RecursionError", "pydantic_core", "botocore")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    user: str
    fields: tuple[str, ...] | None  # the body's top-level fields; None: the route takes no body

    @property
    def has_body(self) -> bool:
        return self.fields is not None

    def url(self, other_id: str = "x-made-up-1") -> str:
        def fill(match: re.Match[str]) -> str:
            return ALEX if match.group(1) == "patient_id" else other_id

        return "/api" + re.sub(r"{(\w+)}", fill, self.path)


def _routes() -> list[Route]:
    routes = []
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            contract = contract_of(entry.view_function)
            if contract is None or contract.public:
                continue
            allowed = POLICY[contract.action]
            role = Role.PATIENT if Role.PATIENT in allowed else sorted(allowed, key=lambda r: r.value)[0]
            fields = None if contract.body is None else tuple(contract.body.model_json_schema()["properties"])
            routes.append(Route(method, path, USER_OF_ROLE[role], fields))
    return routes


ROUTES = _routes()
BODY_ROUTES = [route for route in ROUTES if route.has_body]
READ_ROUTES = [route for route in ROUTES if route.method == "GET"]


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# name -> raw body. Each is refused whatever the route expects.
PAYLOADS: dict[str, bytes] = {
    "not JSON": b'{"note": ',
    "a JSON array": b"[1, 2, 3]",
    "a JSON string": b'"hello"',
    "empty": b"",
    "1 MB": json.dumps({"note": "x" * (1024 * 1024)}).encode(),
    "depth 10,000 (arrays)": _deep(10_000).encode(),
    "depth 10,000 (objects)": ('{"a":' * 10_000 + "1" + "}" * 10_000).encode(),
    "depth 1,000 inside a field": ('{"note": ' + _deep(1_000) + "}").encode(),
    "100,000-character strings": json.dumps(
        {name: "x" * 100_000 for name in ("note", "body", "subject", "name", "reason", "text")}
    ).encode(),
    "NUL": b'{"note": "a\\u0000b", "body": "a\\u0000b", "subject": "a\\u0000b"}',
    "lone surrogate": b'{"note": "\\ud800", "body": "\\udfff x", "subject": "\\ud83d"}',
    "1e309": b'{"amount_cents": 1e309, "quantity": 1e309, "version": 1e309}',
    "NaN": b'{"amount_cents": NaN, "version": Infinity}',
    "unknown fields only": b'{"zz_unknown": 1, "__proto__": {"admin": true}}',
    "bad UTF-8": b'{"note": "\xff\xfe\xc3\x28", "status": "arr\xc0\xafived", "decision": "\xed\xa0\x80"}',
    "UTF-16 with a byte order mark": '{"note": "x", "status": "arrived"}'.encode("utf-16"),
    "impossible dates": json.dumps(
        {
            "start": "2025-02-30T25:61:00Z",
            "end": "0000-00-00",
            "date": "2025-13-45",
            "birth_date": "9999-99-99",
            "expires_on": "0000-01-01",
        }
    ).encode(),
}


# name -> a JSON value put in every one of the route's own fields (so no "unknown field" masks it).
FIELD_VALUES: dict[str, str] = {
    "NUL in every field": '"Ana\\u0000Lee"',
    "right-to-left override in every field": '"Ana\\u202eeeL.exe"',
    "lone surrogate in every field": '"\\ud800"',
    "100,000 characters in every field": json.dumps("x" * 100_000),
    "1e309 in every field": "1e309",
    "impossible date in every field": '"2025-02-30"',
    "year 0001 in every field": '"0001-01-01T00:00:00Z"',
    "depth 50 in every field": _deep(50),
}


def field_body(route: Route, value: str) -> bytes:
    return ("{" + ", ".join(f"{json.dumps(name)}: {value}" for name in route.fields or ()) + "}").encode()


def raw_request(
    portal: Portal,
    method: str,
    path: str,
    body: bytes = b"",
    user: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request exactly as written (no client-side normalizing of `..` or `%00`)."""
    parts = urlsplit(portal.url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    sent = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    if user:
        sent["Authorization"] = f"Bearer {portal.token(user)}"
    sent.update(headers or {})
    try:
        # The server may answer and close before reading all we send: its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = None
    return Answer(response.status, parsed, dict(response.getheaders()), text)


def refusal_problems(answer: Answer) -> list[str]:
    """What is wrong with this answer as a refusal of bad input (empty: a 4xx in our shape)."""
    problems = []
    if not 400 <= answer.status < 500:
        problems.append(f"status {answer.status}")
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    if not (
        isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
    ):
        problems.append("not our error shape")
    if any(marker in answer.text for marker in TRACEBACK_MARKERS):
        problems.append("traceback text")
    if answer.headers.get("Cache-Control") != "no-store":
        problems.append("no Cache-Control: no-store")
    return problems


def _read_statuses(portal: Portal) -> dict[str, int]:
    return {
        f"{r.method} {r.path}": portal.call(r.method, r.url(), as_user=r.user).status for r in READ_ROUTES
    }


def test_hostile_bodies_are_refused_in_our_shape_and_break_nothing(portal: Portal) -> None:
    assert len(BODY_ROUTES) >= 30  # the table covers every write route with a body
    reads_before = _read_statuses(portal)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for route in BODY_ROUTES:
        bodies = {**PAYLOADS, **{name: field_body(route, value) for name, value in FIELD_VALUES.items()}}
        for name, body in bodies.items():
            answer = raw_request(portal, route.method, route.url(), body, route.user)
            statuses[answer.status] += 1
            problems = refusal_problems(answer)
            if problems:
                failures.append(f"{route.method} {route.path} <- {name}: {problems} {answer.text[:160]}")
    requests_sent = sum(statuses.values())
    print(f"\nhostile bodies: {requests_sent} requests, answers {dict(sorted(statuses.items()))}")
    assert failures == []
    assert requests_sent == len(BODY_ROUTES) * (len(PAYLOADS) + len(FIELD_VALUES))

    reads_after = _read_statuses(portal)
    assert {k: v for k, v in reads_after.items() if v != reads_before[k]} == {}
    assert all(status < 500 for status in reads_after.values())


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", f"/api/patients/{ALEX}/appointments/../../p-8b3d7e21/appointments", 404),
        ("GET", f"/api/patients/{ALEX}/appointments/..%2F..%2Fx", 404),
        ("GET", f"/api/patients/{ALEX}/appointments/apt%00x", 404),
        ("GET", f"/api/patients/{ALEX}%00/appointments", 404),
        ("GET", "/api/no-such-route", 404),
        ("POST", "/api/no-such-route", 404),
        ("TRACE", "/api/health", 405),
        ("BREW", f"/api/patients/{ALEX}/appointments", 405),
        ("DELETE", "/index.html", 405),
        ("GET", "/assets/no-such-file.js", 404),
    ],
)
def test_paths_the_server_answers_itself_answer_in_our_shape(
    portal: Portal, method: str, path: str, expected: int
) -> None:
    answer = raw_request(portal, method, path, user="alex")
    assert answer.status == expected, answer.text
    assert refusal_problems(answer) == []
    assert portal.token("alex") not in answer.text  # the caller's token is never echoed back


def test_a_body_too_large_for_the_gateway_is_refused_unread(portal: Portal) -> None:
    ten_mb = b'{"note": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    answer = raw_request(portal, "POST", f"/api/patients/{ALEX}/refill-requests", ten_mb, "alex")
    assert answer.status == 413
    assert refusal_problems(answer) == []


# The clinic-day, eCheck-in review, caregiver and confidentiality routes, as their callers use them.
NEWEST = [
    route
    for route in ROUTES
    if route.path
    in {
        "/staff/day",
        "/staff/visits/{visit_ref}/status",
        "/staff/visits/{visit_ref}/undo",
        "/staff/patients/{patient_id}/checkins/{appointment_id}",
        "/staff/patients/{patient_id}/checkins/{appointment_id}/items/{item_id}",
        "/patients/{patient_id}/proxies/{proxy_sub}",
        "/staff/patients/{patient_id}/confidential",
        "/patients/{patient_id}/health-summary",
    }
]
NEWEST_WRITES = [route for route in NEWEST if route.has_body]


def _still_serving(portal: Portal) -> None:
    me = portal.call("GET", "/api/me", as_user="alex")
    assert (me.status, me.body["user"]["username"]) == (200, "alex")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz",
        "application/xml",
        "application/json; charset=utf-16",
        "",
    ],
)
def test_newest_writes_with_a_wrong_content_type_are_refused_in_our_shape(
    portal: Portal, content_type: str
) -> None:
    assert len(NEWEST_WRITES) == 5  # status, undo, review decision, grant change, confidential
    failures = []
    statuses: Counter[int] = Counter()
    for route in NEWEST_WRITES:
        body = field_body(route, '"arrived"')
        answer = raw_request(
            portal, route.method, route.url(), body, route.user, {"Content-Type": content_type}
        )
        statuses[answer.status] += 1
        if problems := refusal_problems(answer):
            failures.append(f"{route.method} {route.path}: {problems} {answer.text[:160]}")
    print(f"\n{content_type or 'no content type'}: answers {dict(sorted(statuses.items()))}")
    assert failures == []
    _still_serving(portal)


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("one 100 KB header", {"X-Filler": "x" * 100_000}),
        ("200 headers", {f"X-Filler-{n}": "x" for n in range(200)}),
        ("a 100 KB Authorization header", {"Authorization": "Bearer " + "x" * 100_000}),
        ("a 100 KB Content-Type", {"Content-Type": "application/json; " + "x" * 100_000}),
    ],
)
def test_huge_headers_on_the_newest_routes_are_refused_in_our_shape(
    portal: Portal, name: str, headers: dict[str, str]
) -> None:
    for route in NEWEST:
        body = field_body(route, '"arrived"') if route.has_body else b""
        answer = raw_request(portal, route.method, route.url(), body, route.user, headers)
        assert refusal_problems(answer) == [], (route.path, name, answer.status, answer.text[:160])
    _still_serving(portal)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/staff/visits/../../patients/p-8b3d7e21/status", {"status": "arrived"}),
        ("POST", "/api/staff/visits/p-8b3d7e21.apt-x%2F..%2F..%2Fx/status", {"status": "arrived"}),
        ("POST", "/api/staff/visits/p-8b3d7e21.apt-x%00/undo", {"version": 1}),
        ("POST", f"/api/staff/visits/{ALEX}..apt-x/undo", {"version": 1}),
        ("POST", "/api/staff/visits/" + "p" * 5_000 + "/status", {"status": "arrived"}),
        ("GET", f"/api/staff/patients/{ALEX}/checkins/..%2F..%2F..%2Fp-8b3d7e21", None),
        (
            "POST",
            f"/api/staff/patients/{ALEX}/checkins/apt-x/items/allergy-..%2F..%2Fx",
            {"decision": "accept"},
        ),
        ("POST", f"/api/staff/patients/{ALEX}%2F..%2Fp-8b3d7e21/confidential", {"confidential": True}),
        ("PATCH", f"/api/patients/p-8b3d7e21/proxies/..%2F..%2F{ALEX}", {"scope": {}}),
        ("PATCH", f"/api/patients/{ALEX}/proxies/%00", {"scope": {}}),
        ("GET", "/api/patients/..%2Fp-8b3d7e21/health-summary", None),
        ("GET", "/api/staff/day?date=../../etc/passwd", None),
        ("GET", "/api/staff/day?date=9999-99-99", None),
        ("GET", "/api/staff/day?date=" + "2" * 10_000, None),
        ("GET", "/api/staff/day?date=2026-01-01&date=2026-01-02&provider=%00", None),
    ],
)
def test_traversal_and_junk_in_the_newest_routes_ids_are_refused_in_our_shape(
    portal: Portal, method: str, path: str, body: Any
) -> None:
    user = "alex" if "/api/patients/" in path and "proxies" not in path else "frontdesk"
    raw = json.dumps(body).encode() if body is not None else b""
    answer = raw_request(portal, method, path, raw, user)
    assert refusal_problems(answer) == [], (answer.status, answer.text[:200])
    assert "p-8b3d7e21" not in answer.text  # nothing of the other patient's, not even the id echoed
    _still_serving(portal)
