"""Every route of the app, tried by everyone who might call it.

The matrix is built from app.routes, so a route added by any later issue is covered automatically: it
must declare a policy, refuse anonymous and forged callers, refuse roles outside its policy, and answer a
patient reaching for someone else's data exactly as it answers for an id that does not exist.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import Client

from app import app
from chalicelib.core.access import POLICY, contract_of
from chalicelib.core.identity import Role
from chalicelib.local.bootstrap import LocalResources
from chalicelib.patients import store as patient_store
from tests.api import (
    appointments_samples,
    billing_samples,
    enrolment_samples,
    proxies_samples,
    records_samples,
    staff_admin_samples,
    tokens,
)
from tests.api.conftest import PASSWORD, User, UserFactory, cognito_user, sign_in
from tests.api.messages_samples import SAMPLES as MESSAGES_SAMPLES


@dataclass(frozen=True)
class Sample:
    """What a valid call of one route needs besides the patient id: other path params and a body."""

    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)  # e.g. Idempotency-Key
    # make a staff caller (by sub) able to reach the sample, e.g. join the thread's pool
    prepare_staff: Callable[[str], None] | None = None
    query: dict[str, str] = field(default_factory=dict)  # required query parameters


# Keyed "METHOD /path". Each receives the owning patient's id and may create what the call needs (a
# thread, a result...). Every route with a body or path params other than {patient_id} must have one
# (a test checks), so a new route of any later issue joins the matrix by adding a line here.
SAMPLES: dict[str, Callable[[str], Sample]] = {
    "PATCH /patients/{patient_id}/profile": lambda pid: Sample(
        body={"version": patient_store.get_profile(pid).version, "pronouns": "they/them"}
    ),
    "PUT /staff/patients/{patient_id}/birth-date": lambda pid: Sample(
        body={"version": patient_store.get_profile(pid).version, "birth_date": "1980-04-12"}
    ),
    "POST /staff/patients/search": lambda pid: Sample(body={"q": pid}),
    # moto's tests/api server checks no TOTP code (test_mfa_api.py turns the check on)
    "POST /me/mfa/totp/verify": lambda pid: Sample(body={"code": "123456"}),
    "PUT /me/language": lambda pid: Sample(body={"language": "es"}),
    "POST /me/password": lambda pid: Sample(
        body={"current_password": PASSWORD, "new_password": "Another-Password-2027!"}
    ),
}
SAMPLES.update(records_samples.SAMPLES)
SAMPLES.update(appointments_samples.SAMPLES)
SAMPLES.update(billing_samples.SAMPLES)
SAMPLES.update(MESSAGES_SAMPLES)
SAMPLES.update(proxies_samples.SAMPLES)
SAMPLES.update(staff_admin_samples.SAMPLES)
SAMPLES.update(enrolment_samples.SAMPLES)

ROUTES = sorted(
    (path, method, contract_of(entry.view_function))
    for path, methods in app.routes.items()
    for method, entry in methods.items()
)
PROTECTED = [(path, method, c) for path, method, c in ROUTES if c is not None and not c.public]
ROUTE_IDS = [f"{method} {path}" for path, method, _ in PROTECTED]


def _needs_sample(path: str, method: str) -> bool:
    contract = contract_of(app.routes[path][method].view_function)
    params = set(re.findall(r"{(\w+)}", path)) - {"patient_id"}
    return bool(params) or (contract is not None and contract.body is not None)


def _call(
    api: Client,
    method: str,
    path: str,
    patient_id: str,
    headers: dict[str, str],
    *,
    sample: Sample | None = None,
) -> Any:
    """Call a route for `patient_id`, with the params and body of `sample` (made for the owner by default)."""
    if sample is None:
        maker = SAMPLES.get(f"{method} {path}")
        sample = maker(patient_id) if maker else Sample()
    url = path.replace("{patient_id}", patient_id)
    for name, value in sample.params.items():
        url = url.replace("{" + name + "}", value)
    if sample.query:
        url += "?" + urlencode(sample.query)
    body = json.dumps(sample.body).encode() if sample.body is not None else b""
    headers = {**sample.headers, **headers, "Content-Type": "application/json"}
    return api.http.request(method, url, headers=headers, body=body)


def _sample_for(path: str, method: str, patient_id: str) -> Sample:
    maker = SAMPLES.get(f"{method} {path}")
    return maker(patient_id) if maker else Sample()


def test_every_route_declares_a_policy() -> None:
    for path, method, contract in ROUTES:
        assert contract is not None, f"{method} {path} has no access policy"
        assert contract.public or contract.action in POLICY, f"{method} {path}: unknown action"


def test_every_route_that_needs_a_sample_has_one() -> None:
    for path, method, _contract in PROTECTED:
        if _needs_sample(path, method):
            assert f"{method} {path}" in SAMPLES, f"add a SAMPLES entry for {method} {path}"


def test_the_matrix_covers_the_routes_that_exist() -> None:
    # Guards against the matrix silently testing nothing.
    assert {"GET /me", "GET /patients/{patient_id}/profile", "PATCH /patients/{patient_id}/profile"} <= set(
        ROUTE_IDS
    )


@pytest.fixture
def alice(make_user: UserFactory) -> User:
    return make_user(Role.PATIENT, name="Alice Alpha")


@pytest.fixture(scope="module")
def token_holder(local_cloud: LocalResources) -> str:
    """A real patient in Cognito (no portal account needed: these calls are refused before any read)."""
    username, _ = cognito_user(local_cloud, Role.PATIENT)
    return username


FORGERIES: dict[str, Callable[[str, LocalResources], str]] = {
    "alg none": lambda t, _: tokens.alg_none(t),
    "HS256 signed with the public key": lambda t, cloud: tokens.hs256_with_public_key(t, cloud.jwks_url),
    "expired": lambda t, _: tokens.expired(t),
    "wrong client id": lambda t, _: tokens.other_client(t),
    "wrong issuer": lambda t, _: tokens.other_issuer(t),
    "signed by another key": lambda t, _: tokens.signed_by_stranger(t),
    "tampered signature": lambda t, _: tokens.tampered_signature(t),
    "tampered payload": lambda t, _: tokens.tampered_payload(t),
}


@pytest.mark.no_table
@pytest.mark.parametrize(("path", "method", "contract"), PROTECTED, ids=ROUTE_IDS)
def test_anonymous_malformed_and_forged_credentials_are_401(
    api: Client, token_holder: str, local_cloud: LocalResources, path: str, method: str, contract: Any
) -> None:
    signed_in = sign_in(local_cloud, token_holder)  # fresh tokens: none of them expired by accident
    access_token = signed_in["AccessToken"]
    credentials: dict[str, dict[str, str]] = {
        "no header": {},
        "empty header": {"Authorization": ""},
        "bearer without token": {"Authorization": "Bearer"},
        "basic scheme": {"Authorization": "Basic abc"},
        "unknown scheme": {"Authorization": f"Token {access_token}"},
        "not a JWT": {"Authorization": "Bearer not.a.jwt"},
        "id token instead of access token": {"Authorization": f"Bearer {signed_in['IdToken']}"},
    }
    for name, forge in FORGERIES.items():
        credentials[name] = {"Authorization": f"Bearer {forge(access_token, local_cloud)}"}
    for name, headers in credentials.items():
        # A sample would need data; refused callers never get that far, so none is made.
        response = _call(api, method, path, "p-anyone", headers, sample=_placeholder_sample(path))
        assert response.status_code == 401, (name, response.body)
        assert response.json_body["error"]["code"] == "unauthorized", name


def _placeholder_sample(path: str) -> Sample:
    names = set(re.findall(r"{(\w+)}", path)) - {"patient_id"}
    return Sample(params=dict.fromkeys(names, "x-anything"))


@pytest.mark.parametrize(("path", "method", "contract"), PROTECTED, ids=ROUTE_IDS)
def test_another_patient_gets_what_a_stranger_gets_and_the_patient_themself_is_served(
    api: Client, make_user: UserFactory, alice: User, path: str, method: str, contract: Any
) -> None:
    assert alice.patient_id
    patients_may_call = Role.PATIENT in POLICY[contract.action]
    if "{patient_id}" in path:
        bob = make_user(Role.PATIENT, name="Bob Beta")
        sample = _sample_for(path, method, alice.patient_id)  # may prepare the record (an address, say)
        before = patient_store.get_profile(alice.patient_id)

        theirs = _call(api, method, path, alice.patient_id, bob.auth, sample=sample)
        nobodys = _call(api, method, path, "p-doesnotexist", bob.auth, sample=sample)

        # Staff-only routes refuse every patient by role (403) before any lookup: equally uninformative.
        expected = 404 if patients_may_call else 403
        assert theirs.status_code == expected, theirs.body
        assert (nobodys.status_code, nobodys.json_body["error"]["code"]) == (
            expected,
            theirs.json_body["error"]["code"],
        )
        assert patient_store.get_profile(alice.patient_id) == before
        log = api.http.get(f"/patients/{alice.patient_id}/access-log?limit=100", headers=alice.auth).json_body
        assert all(entry["actor_name"] != "Bob Beta" for entry in log["items"])

    response = _call(api, method, path, alice.patient_id, alice.auth)
    if patients_may_call:
        assert 200 <= response.status_code < 300, response.body
    else:
        assert response.status_code == 403


STAFF_ROLES = [role for role in Role if role is not Role.PATIENT]


@pytest.mark.parametrize(("path", "method", "contract"), PROTECTED, ids=ROUTE_IDS)
def test_staff_roles_get_exactly_what_the_policy_grants(
    api: Client, make_user: UserFactory, alice: User, path: str, method: str, contract: Any
) -> None:
    patient = alice
    for role in STAFF_ROLES:
        assert patient.patient_id
        staff = make_user(role, name=f"Staff {role.value}")
        sample = _sample_for(path, method, patient.patient_id)
        if sample.prepare_staff is not None:  # staff reach threads through their pool
            sample.prepare_staff(staff.sub)
        response = _call(api, method, path, patient.patient_id, staff.auth, sample=sample)
        if role in POLICY[contract.action]:
            assert 200 <= response.status_code < 300, (role.value, response.body)
            unknown = _call(api, method, path, "p-doesnotexist", staff.auth, sample=sample)
            if "{patient_id}" in path:
                assert unknown.status_code == 404, (role.value, unknown.body)
            # A served call may have changed the record; the next role starts from an untouched one.
            patient = make_user(Role.PATIENT, name="Alice Alpha")
        else:
            assert response.status_code == 403, (role.value, response.body)
            assert response.json_body["error"]["code"] == "forbidden", role.value


def test_a_user_in_no_group_is_refused(
    api: Client, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    import boto3

    user = make_user(Role.PATIENT, name="Grace Groupless")
    boto3.client(
        "cognito-idp", endpoint_url=local_cloud.endpoint_url, region_name=local_cloud.region
    ).admin_remove_user_from_group(
        UserPoolId=local_cloud.user_pool_id, Username=user.username, GroupName="patient"
    )
    token = sign_in(local_cloud, user.username)["AccessToken"]
    response = api.http.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
