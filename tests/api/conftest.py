"""API tests: the Chalice app through chalice.test.Client, backed by a moto *server* so that Cognito
issues real tokens and the app verifies them against the served JWKS exactly as it does deployed."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.server import ThreadedMotoServer

from chalicelib.core import auth, aws
from chalicelib.core import users as user_store
from chalicelib.core.identity import Role
from chalicelib.core.schema import audit_table_for
from chalicelib.local.bootstrap import LocalResources, bootstrap, create_table
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile
from tests.api.openapi_check import ContractCheck
from tests.conftest import ROOT

PASSWORD = "Test-Password-2026!"


logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto server's request log


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[LocalResources]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield bootstrap(f"http://127.0.0.1:{port}", name=f"api-{uuid.uuid4().hex[:6]}")
    finally:
        server.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "no_table: the test is refused before any data is read, so it needs no table of its own"
    )


@pytest.fixture(autouse=True)
def _point_at_local_cloud(
    local_cloud: LocalResources, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[None]:
    """Each test gets a table of its own: moto deep-copies every table on each transaction, so one
    table shared by the whole session made the suite quadratic (and several GB) as it filled up."""
    needs_table = request.node.get_closest_marker("no_table") is None
    table_name = f"{local_cloud.table_name}-{uuid.uuid4().hex[:8]}"
    if needs_table:
        create_table(local_cloud.endpoint_url, local_cloud.region, table_name)
    for name, value in local_cloud.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TABLE_NAME", table_name)
    aws.reset_caches()
    auth.reset_key_cache()
    yield
    aws.reset_caches()
    if needs_table:
        for name in (table_name, audit_table_for(table_name)):
            _client_for(local_cloud, "dynamodb").delete_table(TableName=name)


def _client_for(resources: LocalResources, service: str) -> Any:
    return boto3.client(service, endpoint_url=resources.endpoint_url, region_name=resources.region)


@pytest.fixture
def api() -> Iterator[Client]:
    """The app under test. Every answer it gives must match the OpenAPI document (openapi_check.py)."""
    from app import app

    check = ContractCheck()
    with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
        send = client.http.request

        def checked(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> Any:
            response = send(method, path, headers=headers, body=body)
            check.record(method, path, response)
            return response

        client.http.request = checked  # type: ignore[method-assign]
        yield client
    if check.problems:
        pytest.fail("answers that break the OpenAPI document:\n" + "\n".join(check.problems), pytrace=False)


@dataclass(frozen=True)
class User:
    username: str
    sub: str
    role: Role
    token: str
    patient_id: str | None = None

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _cognito(resources: LocalResources) -> object:
    return boto3.client("cognito-idp", endpoint_url=resources.endpoint_url, region_name=resources.region)


def sign_in(resources: LocalResources, username: str, password: str = PASSWORD) -> dict[str, str]:
    cognito = _cognito(resources)
    result = cognito.initiate_auth(  # type: ignore[attr-defined]
        ClientId=resources.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return dict(result["AuthenticationResult"])


UserFactory = Callable[..., User]


def cognito_user(resources: LocalResources, role: Role) -> tuple[str, str]:
    """A Cognito user in the role's group, with PASSWORD: (username, sub). No portal account yet."""
    cognito = _cognito(resources)
    username = f"{role.value.replace('_', '')}-{uuid.uuid4().hex[:10]}"
    created = cognito.admin_create_user(  # type: ignore[attr-defined]
        UserPoolId=resources.user_pool_id, Username=username, MessageAction="SUPPRESS"
    )["User"]
    cognito.admin_set_user_password(  # type: ignore[attr-defined]
        UserPoolId=resources.user_pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(  # type: ignore[attr-defined]
        UserPoolId=resources.user_pool_id, Username=username, GroupName=role.value
    )
    return username, next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")


@pytest.fixture
def make_user(local_cloud: LocalResources) -> UserFactory:
    """A real Cognito user with a portal account; patients get a fresh profile of their own.

    Staff are made with MFA recorded as enrolled (the guard lets no staff member without it past the
    enrolment routes); `mfa_enabled=False` makes one who has not enrolled yet. Cognito itself asks
    these users no code at sign-in: the guard reads only the account item.
    """

    def make(
        role: Role = Role.PATIENT,
        *,
        name: str = "Test User",
        with_patient: bool = True,
        mfa_enabled: bool | None = None,
    ) -> User:
        username, sub = cognito_user(local_cloud, role)
        user_store.put_account(sub=sub, username=username, display_name=name, role=role)
        enrolled = role is not Role.PATIENT if mfa_enabled is None else mfa_enabled
        if enrolled:
            user_store.change_account(sub, mfa_enabled=True)
        patient_id = None
        if role is Role.PATIENT and with_patient:
            patient_id = f"p-{uuid.uuid4().hex[:12]}"
            given, _, family = name.partition(" ")
            patient_store.create_profile(
                PatientProfile.model_validate(
                    {
                        "id": patient_id,
                        "legal_name": {"given": given, "family": family or "Doe"},
                        "birth_date": "1980-05-17",
                        "phone": "+12175550142",
                        "updated_at": datetime.now(UTC),
                    }
                )
            )
            user_store.link_patient(sub=sub, patient_id=patient_id, relationship="self")
        token = sign_in(local_cloud, username)["AccessToken"]
        return User(username=username, sub=sub, role=role, token=token, patient_id=patient_id)

    return make
