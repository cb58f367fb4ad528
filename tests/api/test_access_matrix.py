"""Every patient-path route, tried by a caregiver under every kind of scoped grant.

Built from app.routes and access.AREA_OF, like the security matrix: a route added later joins it. A
caregiver is served exactly where their grant's scope covers the route's area (and, for a read-only
grant, only where the route only reads); everywhere else they get the very answer a stranger gets.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core import aws
from chalicelib.core import users as user_store
from chalicelib.core.access import AREA_OF, POLICY
from chalicelib.core.identity import AREAS, FULL_SCOPE, Role, Scope
from chalicelib.core.schema import PROFILE_SK, patient_pk
from chalicelib.proxies import store as proxy_store
from tests.api.conftest import User, UserFactory
from tests.api.test_security_matrix import PROTECTED, Sample, _call, _sample_for

PATIENT_ROUTES = [
    (path, method, contract)
    for path, method, contract in PROTECTED
    if "{patient_id}" in path and Role.PATIENT in POLICY[contract.action]
]
PATIENT_ROUTE_IDS = [f"{method} {path}" for path, method, _ in PATIENT_ROUTES]

SCOPES: dict[str, Scope] = {
    "full": FULL_SCOPE,
    "full read-only": Scope(access="read"),
    **{f"{area}": Scope(areas=frozenset({area})) for area in AREAS},
    **{f"{area} read-only": Scope(areas=frozenset({area}), access="read") for area in AREAS},
    "appointments+billing": Scope(areas=frozenset({"appointments", "billing"})),
}


def expected_allowed(action: str, scope: Scope) -> bool:
    """The policy, written out independently of the guard's own function."""
    area, kind = AREA_OF[action]
    if area == "any":
        return True
    if area == "self":
        return False
    if kind == "act" and scope.access == "read":
        return False
    if area == "full":
        return scope.areas is None
    return scope.areas is None or area in scope.areas


def teen_parent_allowed(action: str) -> bool:
    """A parent's whole-record grant on a 15-year-old: the demo clinic's teen-safe areas only."""
    area, _ = AREA_OF[action]
    return area in ("any", "appointments", "billing") or action == "record:read"  # immunizations


def _set_scope(carer: User, patient_id: str, scope: Scope, *, relationship: str = "other") -> None:
    """(Re)write both halves of the grant with this scope (a served revoke removed them)."""
    common = {
        "relationship": "caregiver",
        "proxy_relationship": relationship,
        "granted_at": "2026-01-01T00:00:00+00:00",
        **user_store.scope_fields(scope),
    }
    table = aws.table()
    table.put_item(
        Item={**common, **proxy_store.acts_for_key(carer.sub, patient_id), "patient_id": patient_id}
    )
    table.put_item(Item={**common, **proxy_store.proxy_key(patient_id, carer.sub), "sub": carer.sub})


def _sample(path: str, method: str, patient_id: str, carer: User) -> Sample:
    if (method, path) == ("DELETE", "/patients/{patient_id}/proxies/{proxy_sub}"):
        return Sample(params={"proxy_sub": carer.sub})  # a caregiver may end only their own grant
    return _sample_for(path, method, patient_id)


def test_every_action_a_patient_path_route_takes_names_its_area() -> None:
    missing = {contract.action for _, _, contract in PATIENT_ROUTES} - set(AREA_OF)
    assert not missing, f"add these actions to access.AREA_OF: {sorted(missing)}"


def test_the_matrix_covers_every_area() -> None:
    named = {AREA_OF[contract.action][0] for _, _, contract in PATIENT_ROUTES}
    assert set(AREAS) | {"any", "full", "self"} <= named


@pytest.mark.parametrize(("path", "method", "contract"), PATIENT_ROUTES, ids=PATIENT_ROUTE_IDS)
def test_a_caregiver_is_served_exactly_within_their_scope(
    api: Client, make_user: UserFactory, path: str, method: str, contract: Any
) -> None:
    patient = make_user(Role.PATIENT, name="Pat Scoped")
    carer = make_user(Role.PATIENT, name="Casey Carer")
    assert patient.patient_id
    # Refused calls change nothing, so they share one sample; each served call gets a fresh one.
    refused_sample = _sample(path, method, patient.patient_id, carer)
    stranger = _call(api, method, path, "p-doesnotexist", carer.auth, sample=refused_sample)
    assert stranger.status_code == 404
    for name, scope in SCOPES.items():
        _set_scope(carer, patient.patient_id, scope)
        if expected_allowed(contract.action, scope):
            sample = _sample(path, method, patient.patient_id, carer)
            response = _call(api, method, path, patient.patient_id, carer.auth, sample=sample)
            assert 200 <= response.status_code < 300, (name, response.status_code, response.body)
        else:
            response = _call(api, method, path, patient.patient_id, carer.auth, sample=refused_sample)
            assert response.status_code == 404, (name, response.body)
            mine, theirs = response.json_body["error"], stranger.json_body["error"]
            assert (mine["code"], mine["message"]) == (theirs["code"], theirs["message"]), name

    # The same whole-record grant, as a parent's, once the patient is 15: the teen-safe areas only.
    fifteen = date.today().replace(year=date.today().year - 15) - timedelta(days=30)
    aws.table().update_item(
        Key={"PK": patient_pk(patient.patient_id), "SK": PROFILE_SK},
        UpdateExpression="SET birth_date = :born",
        ExpressionAttributeValues={":born": fifteen.isoformat()},
    )
    _set_scope(carer, patient.patient_id, FULL_SCOPE, relationship="parent")
    if teen_parent_allowed(contract.action):
        sample = _sample(path, method, patient.patient_id, carer)
        response = _call(api, method, path, patient.patient_id, carer.auth, sample=sample)
        assert 200 <= response.status_code < 300, ("teen parent", response.status_code, response.body)
    else:
        response = _call(api, method, path, patient.patient_id, carer.auth, sample=refused_sample)
        assert response.status_code == 404, ("teen parent", response.body)
        assert response.json_body["error"]["message"] == stranger.json_body["error"]["message"]
