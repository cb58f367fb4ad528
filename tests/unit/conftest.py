"""Unit tests: services and stores against in-process moto (mock_aws), one fresh table per test."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.core import aws
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import Relationship, Role
from chalicelib.core.schema import TABLE_SPEC, audit_table_for
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile

TABLE = "portal-unit"


@pytest.fixture(autouse=True)
def aws_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("USER_POOL_ID", "us-east-1_unit")
    monkeypatch.setenv("USER_POOL_CLIENT_ID", "unit-client")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    aws.reset_caches()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=os.environ["AWS_DEFAULT_REGION"])
        for name in (TABLE, audit_table_for(TABLE)):
            client.create_table(TableName=name, **TABLE_SPEC)
        yield
    aws.reset_caches()


PatientFactory = Callable[..., PatientProfile]


@pytest.fixture
def make_patient() -> PatientFactory:
    counter = iter(range(1, 10_000))

    def make(patient_id: str | None = None, **overrides: object) -> PatientProfile:
        n = next(counter)
        data: dict[str, object] = {
            "id": patient_id or f"p-unit{n:04d}",
            "legal_name": {"given": "Test", "family": f"Patient{n}"},
            "birth_date": "1990-01-01",
            "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
            **overrides,
        }
        profile = PatientProfile.model_validate(data)
        patient_store.create_profile(profile)
        return profile

    return make


CallerFactory = Callable[..., Caller]


@pytest.fixture
def caller_for() -> CallerFactory:
    def make(
        role: Role = Role.PATIENT,
        *,
        acts_for: dict[str, Relationship] | None = None,
        sub: str = "sub-unit",
        name: str = "Unit Caller",
    ) -> Caller:
        if acts_for:
            user_store.put_account(sub=sub, username=sub, display_name=name, role=role)
            for patient_id, relationship in acts_for.items():
                user_store.link_patient(sub=sub, patient_id=patient_id, relationship=relationship)
        return Caller(
            sub=sub,
            username=sub,
            role=role,
            display_name=name,
            request_id="req-unit",
            acts_for=acts_for or {},
        )

    return make


@pytest.fixture
def serialized_dynamodb(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give in-process moto the per-request atomicity real DynamoDB guarantees.

    moto's refused TransactWriteItems restores a copy of the whole table taken when it started, which can
    erase a transaction that committed meanwhile. Running one backend request at a time fixes moto, not
    our code: threads still race freely between their reads and their conditional writes.
    """
    from moto.dynamodb.responses import DynamoHandler

    lock = threading.RLock()
    original = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with lock:
            return original(self)

    monkeypatch.setattr(DynamoHandler, "call_action", call_action)
