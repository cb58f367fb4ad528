"""The API against its own OpenAPI document, fuzzed over HTTP as a patient, a clinician and front desk.

Schemathesis generates requests from /api/openapi.json (valid and invalid bodies, query strings, ids) and
checks every answer: never a server error, only declared status codes, and bodies and content types
that match the document. Examples per operation are bounded so the run stays within a few minutes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.http.conftest import ALEX, Portal
from tests.local_portal import local_portal

ROLES = ("alex", "drrivera", "frontdesk")
EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Ends the caller's session on purpose (tested in tests/api); fuzzing it would sign every role out.
NOT_FUZZED = {("POST", "/api/session/sign-out")}


@pytest.fixture(scope="module")
def fuzzed_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """Its own portal: fuzzing changes demo data other tests rely on."""
    with local_portal(tmp_path_factory.mktemp("fuzzed")) as process:
        portal = Portal(process)
        for user in ROLES:
            portal.token(user)
        yield portal


@pytest.fixture(scope="module")
def api_schema(fuzzed_portal: Portal) -> Any:
    return schemathesis.openapi.from_url(f"{fuzzed_portal.url}/api/openapi.json")


def _fuzz(operation: Any, portal: Portal, user: str, statuses: Counter[int]) -> None:
    """Run one operation's generated cases as this user, counting the answers' statuses."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        if "patient_id" in (case.path_parameters or {}):
            case.path_parameters["patient_id"] = ALEX  # reach real data (alex's own; staff may too)
        response = case.call_and_validate(  # the document's paths start with /api
            base_url=portal.url,
            headers={"Authorization": f"Bearer {portal.token(user)}"},
            checks=CHECKS,
        )
        statuses[response.status_code] += 1

    run()


@pytest.mark.parametrize("user", ROLES)
def test_every_operation_keeps_its_contract(api_schema: Any, fuzzed_portal: Portal, user: str) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {(operation.method.upper(), operation.path) for operation in operations} >= NOT_FUZZED
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    answered_ok: set[str] = set()
    tested = 0
    for operation in operations:
        if (operation.method.upper(), operation.path) in NOT_FUZZED:
            continue
        tested += 1
        before = sum(statuses[code] for code in range(200, 300))
        try:
            _fuzz(operation, fuzzed_portal, user, statuses)
        except Exception as failure:  # every operation is tried; all failures are reported together
            failures[f"{operation.method.upper()} {operation.path}"] = str(failure)[:600]
        if sum(statuses[code] for code in range(200, 300)) > before:
            answered_ok.add(operation.path)
    print(
        f"\n{user}: {tested} operations, {sum(statuses.values())} requests, {len(failures)} failing; "
        f"{len(answered_ok)} operations answered 2xx at least once; statuses {dict(sorted(statuses.items()))}"
    )
    print(f"server RSS after {user}'s run: {fuzzed_portal.process.rss_mb():.0f} MB")
    assert tested >= 100
    assert failures == {}
    assert statuses[404] < sum(statuses.values()) / 2  # the requests reached real routes and data
