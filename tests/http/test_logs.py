"""What the portal logs: never PHI, and each line with its own request's ids, also under concurrency.

Runs against the in-process portal so that every log line (all levels) and every email moto accepted can
be read. A marker planted in every input field must be found in neither. One case makes an AWS call fail
with an exception quoting the data it was given, as botocore's own parameter errors do: the guard must
log the exception's type, never its text.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.http.conftest import ALEX, Faults, Portal
from tests.http.test_hostile_input import BODY_ROUTES, raw_request

MARKER = "Zqxj7PhiMarker"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Every line the portal's logger writes, at every level, formatted as deployed (JSON)."""
    from chalicelib.core.observability import logger

    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(logger.registered_formatter)
    portal_logger = logging.getLogger(logger.name)
    level = portal_logger.level
    portal_logger.addHandler(handler)
    portal_logger.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lines
    finally:
        portal_logger.removeHandler(handler)
        root.removeHandler(handler)
        portal_logger.setLevel(level)


def sent_emails() -> list[str]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [json.dumps(vars(message), default=str) for message in backend.sent_messages]


def _marked(text: str = "") -> str:
    return f"{text}{MARKER}"


def _plant_in_realistic_flows(portal: Portal) -> None:
    """Writes that succeed and send email, with the marker in every free-text field."""
    profile = portal.call("GET", f"/api/patients/{ALEX}/profile", as_user="alex").body
    updated = portal.call(
        "PATCH",
        f"/api/patients/{ALEX}/profile",
        as_user="alex",
        json_body={"version": profile["version"], "preferred_name": _marked("Al"), "pronouns": _marked()},
    )
    assert updated.status == 200, updated.text

    thread = portal.call(
        "POST",
        f"/api/patients/{ALEX}/threads",
        as_user="alex",
        json_body={"pool_id": "dr-rivera-team", "subject": _marked("Rash "), "body": _marked("It itches ")},
    )
    assert thread.status == 201, thread.text
    thread_id = thread.body["thread"]["id"]
    reply = portal.call(
        "POST",
        f"/api/patients/{ALEX}/threads/{thread_id}/messages",
        as_user="drrivera",
        json_body={"body": _marked("Try this cream ")},
    )
    assert reply.status == 201, reply.text

    pharmacy = portal.call("GET", f"/api/patients/{ALEX}/pharmacies", as_user="alex").body["items"][0]["id"]
    refill = portal.call(
        "POST",
        f"/api/patients/{ALEX}/refill-requests",
        as_user="alex",
        json_body={
            "medication_id": "seed-p-4f1c2a9e-medication-4",
            "pharmacy_id": pharmacy,
            "note": _marked(),
        },
    )
    assert refill.status == 201, refill.text
    decided = portal.call(
        "POST",
        f"/api/patients/{ALEX}/refill-requests/{refill.body['id']}/decision",
        as_user="drrivera",
        json_body={"decision": "deny", "note": _marked("Needs a visit ")},
    )
    assert decided.status == 200, decided.text

    found = portal.call("POST", "/api/staff/patients/search", as_user="frontdesk", json_body={"q": MARKER})
    assert found.status in (200, 400), found.text


def _plant_in_every_field(portal: Portal) -> int:
    """The marker in every field of every route that takes a body (most are refused: that path logs too)."""
    sent = 0
    for route in BODY_ROUTES:
        body = {name: _marked() for name in route.fields or ()}
        raw_request(portal, route.method, route.url(), json.dumps(body).encode(), route.user)
        sent += 1
    return sent


def _fail_with_data_in_the_message(portal: Portal, faults: Faults) -> None:
    def quoting_error(params: dict[str, Any], **_: Any) -> None:
        raise RuntimeError(f"cannot write {params}")  # as botocore's ParamValidationError quotes values

    faults.failing["dynamodb.TransactWriteItems"] = quoting_error
    answer = portal.call(
        "POST",
        f"/api/patients/{ALEX}/threads",
        as_user="alex",
        json_body={"pool_id": "dr-rivera-team", "subject": _marked("Help "), "body": _marked("Dizzy ")},
    )
    faults.clear()
    assert answer.status == 500, answer.text
    assert MARKER not in answer.text


def test_a_marker_in_every_input_reaches_no_log_line_and_no_email(
    in_process_portal: tuple[Portal, Faults], captured_logs: io.StringIO
) -> None:
    portal, faults = in_process_portal
    emails_before = len(sent_emails())

    _plant_in_realistic_flows(portal)
    routes_tried = _plant_in_every_field(portal)
    _fail_with_data_in_the_message(portal, faults)

    logged = captured_logs.getvalue()
    emails = sent_emails()[emails_before:]
    assert routes_tried >= 30
    assert len(emails) >= 2  # the reply and the refill decision were announced by email
    assert logged.count("\n") > 10  # the capture works: the portal did log
    assert MARKER not in logged
    assert all(MARKER not in email for email in emails)


def test_each_log_line_carries_its_own_request_and_caller_under_concurrency(
    in_process_portal: tuple[Portal, Faults], captured_logs: io.StringIO
) -> None:
    portal, _ = in_process_portal
    subs = {
        user: portal.call("GET", "/api/me", as_user=user).body["user"]["sub"] for user in ("alex", "maria")
    }
    users = ["alex", "maria"] * 20
    start = threading.Barrier(len(users))

    def refused(user: str) -> tuple[str, str]:
        start.wait()
        answer = portal.call("GET", "/api/patients/p-nobody/appointments", as_user=user)
        assert answer.status == 404, answer.text
        return user, answer.body["error"]["request_id"]

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        answers = list(pool.map(refused, users))

    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines() if line.startswith("{")]
    for user, request_id in answers:
        own = [line for line in lines if line.get("request_id") == request_id]
        assert own, f"no log line for request {request_id}"
        # Lines logged before the token was checked (a connection warning, say) know no caller yet.
        assert {line.get("actor_sub") for line in own} - {None} == {subs[user]}, own
        assert {line.get("correlation_id") for line in own} == {request_id}
