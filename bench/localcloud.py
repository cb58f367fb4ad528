"""A moto server on a free port, bootstrapped like `make run` (and seeded with the demo clinic if asked),
with the app pointed at it: what each part of the bench measures against."""

from __future__ import annotations

import logging
import socket
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.local.bootstrap import LocalResources

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Password-2026!"  # noqa: S105  (a moto user's)


def progress(message: str) -> None:
    """Progress goes to stderr; stdout is the table's."""
    print(f"  {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LocalCloud:
    resources: LocalResources

    def sign_in(self, username: str, password: str) -> dict[str, str]:
        from chalicelib.core import aws
        from chalicelib.local.totp import current_code

        client = aws.cognito_client()
        result = client.initiate_auth(
            ClientId=self.resources.user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":  # demo staff answer with their authenticator
            result = client.respond_to_auth_challenge(
                ClientId=self.resources.user_pool_client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=result["Session"],
                ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": current_code()},
            )
        return {"Authorization": "Bearer " + result["AuthenticationResult"]["AccessToken"]}

    def demo_user(self, username: str) -> dict[str, str]:
        from chalicelib.local import seed

        return self.sign_in(username, seed.DEMO_PASSWORD)

    def new_patient(self) -> tuple[str, dict[str, str]]:
        """A signed-in patient with a portal account and a profile of their own: (patient id, headers)."""
        from chalicelib.core import aws, users
        from chalicelib.core.identity import Role
        from chalicelib.patients import store as patient_store
        from chalicelib.patients.models import PatientProfile

        cognito = aws.cognito_client()
        pool = self.resources.user_pool_id
        username = f"bench-{uuid.uuid4().hex[:8]}"
        created = cognito.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=Role.PATIENT.value)
        sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
        users.put_account(sub=sub, username=username, display_name="Bench Patient", role=Role.PATIENT)
        patient_id = f"p-{uuid.uuid4().hex[:8]}"
        patient_store.create_profile(
            PatientProfile.model_validate(
                {
                    "id": patient_id,
                    "legal_name": {"given": "Bench", "family": "Patient"},
                    "birth_date": "1980-05-17",
                    "updated_at": datetime.now(UTC),
                }
            )
        )
        users.link_patient(sub=sub, patient_id=patient_id, relationship="self")
        return patient_id, self.sign_in(username, PASSWORD)


@contextmanager
def local_cloud(name: str, *, seed_demo: bool) -> Iterator[LocalCloud]:
    """moto with the bench's patches (bench/moto_patches.py), bootstrapped, the app pointed at it."""
    from moto.server import ThreadedMotoServer

    from bench import moto_patches
    from chalicelib.local import bootstrap, seed, server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    moto_patches.install()  # this interpreter runs one part: the patches go with it
    port = _free_port()  # other worktrees may run moto servers of their own
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    try:
        resources = bootstrap.bootstrap(f"http://127.0.0.1:{port}", name=name)
        server.configure_environment(resources, ROOT / "clinics" / "demo.json")
        if seed_demo:
            progress("seeding the demo clinic")
            seed.seed(resources.user_pool_id)
        yield LocalCloud(resources)
    finally:
        moto.stop()


def put_items(items: Iterable[dict[str, Any]]) -> None:
    """Write filler straight into the in-process moto backend: over HTTP, 100,000 items take many minutes.

    Only filling skips HTTP (and moto's item size check, which re-adds every attribute's size for each
    attribute it sets: our filler items are small); every measured request still goes app -> boto3 ->
    HTTP -> moto, checks included.
    """
    from boto3.dynamodb.types import TypeSerializer
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    from chalicelib.core.config import settings

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][settings().region]
    serialize = TypeSerializer().serialize
    table_name = settings().table_name
    sized: Any = LimitedSizeDict
    checked = sized.__setitem__
    sized.__setitem__ = dict.__setitem__
    try:
        for item in items:
            backend.put_item(table_name, {key: serialize(value) for key, value in item.items()})
    finally:
        sized.__setitem__ = checked
