"""Tests over plain HTTP against the real local server, where requests overlap the way users' do.

The in-process test client runs one request at a time and so hides races; these tests do not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from chalicelib.local.totp import current_code
from tests.local_portal import PortalProcess, free_port, local_portal

DEMO_PASSWORD = "Demo-Portal-2026!"
ALEX = "p-4f1c2a9e"  # the demo patient alex (chalicelib/local/seed.py)


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]
    text: str

    @property
    def error_code(self) -> str | None:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return error.get("code") if isinstance(error, dict) else None


@dataclass
class Portal:
    """The running portal and signed-in demo users (one Cognito sign-in per user, reused)."""

    process: PortalProcess
    _tokens: dict[str, str] = field(default_factory=dict)
    _config: dict[str, Any] | None = None

    @property
    def url(self) -> str:
        return self.process.url

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = requests.get(f"{self.url}/config.json", timeout=10).json()
        return self._config

    def token(self, username: str) -> str:
        if username not in self._tokens:
            import boto3

            cognito = self.config["cognito"]
            client = boto3.client(
                "cognito-idp", endpoint_url=cognito["endpoint"], region_name=cognito["region"]
            )
            answer = client.initiate_auth(
                ClientId=cognito["clientId"],
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
            )
            if answer.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":  # demo staff: their authenticator
                answer = client.respond_to_auth_challenge(
                    ClientId=cognito["clientId"],
                    ChallengeName="SOFTWARE_TOKEN_MFA",
                    Session=answer["Session"],
                    ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": current_code()},
                )
            self._tokens[username] = answer["AuthenticationResult"]["AccessToken"]
        return self._tokens[username]

    def call(
        self,
        method: str,
        path: str,
        *,
        as_user: str | None = None,
        json_body: Any = None,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        session: requests.Session | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        if as_user:
            sent["Authorization"] = f"Bearer {self.token(as_user)}"
        if json_body is not None:
            data = json.dumps(json_body)
            sent.setdefault("Content-Type", "application/json")
        response = (session or requests).request(
            method, f"{self.url}{path}", data=data, headers=sent, timeout=60
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        return Answer(response.status_code, body, dict(response.headers), response.text)


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    with local_portal(tmp_path_factory.mktemp("portal")) as process:
        yield Portal(process)


@dataclass
class Faults:
    """AWS calls that fail, keyed "service.Operation" (e.g. "dynamodb.TransactWriteItems")."""

    failing: dict[str, Any] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    def before_call(self, event_name: str, **kwargs: Any) -> Any:
        operation = event_name.removeprefix("before-call.")
        fault = self.failing.get(operation)
        if fault is None:
            return None
        self.seen.append(operation)
        if isinstance(fault, Exception):
            raise fault
        if callable(fault):
            return fault(**kwargs)
        return fault

    def clear(self) -> None:
        self.failing.clear()


def aws_error(code: str, status: int) -> tuple[Any, dict[str, Any]]:
    """What botocore makes of an AWS error answer (no retry: the portal's own answer is what we test)."""
    parsed = {"Error": {"Code": code, "Message": "injected"}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return SimpleNamespace(status_code=status, headers={}), parsed


@pytest.fixture(scope="session")
def in_process_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Portal, Faults]]:
    """The local portal served from this process (a real HTTP server, moto behind it), where a botocore
    hook can make AWS calls fail and moto's sent emails can be read."""
    import boto3

    from chalicelib.core import aws
    from chalicelib.local.server import running_portal

    saved_environment = dict(os.environ)
    faults = Faults()
    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("before-call", faults.before_call)
    try:
        with running_portal(
            port=free_port(), aws_port=free_port(), web_dist=tmp_path_factory.mktemp("no-web")
        ) as running:
            aws.reset_caches()  # clients made from here on carry the hook
            process = PortalProcess(running.url, None, Path(os.devnull))  # type: ignore[arg-type]
            portal = Portal(process)
            portal.token("alex")  # signed in (and the signing key cached) before any fault
            yield portal, faults
    finally:
        boto3.DEFAULT_SESSION = None
        os.environ.clear()
        os.environ.update(saved_environment)
        aws.reset_caches()


@pytest.fixture
def portal_with_faults(in_process_portal: tuple[Portal, Faults]) -> Iterator[tuple[Portal, Faults]]:
    yield in_process_portal
    in_process_portal[1].clear()
