"""Deployed, the API answers only CloudFront: the app refuses a request without the origin secret too."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from chalice.test import Client

from chalicelib.core import aws, origin
from chalicelib.local.bootstrap import LocalResources
from tests.conftest import ROOT


@pytest.fixture
def deployed_api(
    local_cloud: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Client, str]]:
    """The app as the stack configures it: STAGE=prod with ORIGIN_SECRET_ARN (secret in moto)."""
    from app import app

    manager = boto3.client(
        "secretsmanager", endpoint_url=local_cloud.endpoint_url, region_name=local_cloud.region
    )
    arn = manager.create_secret(Name=f"origin-{id(monkeypatch)}", SecretString="first-secret-value")["ARN"]
    monkeypatch.setenv("ORIGIN_SECRET_ARN", arn)
    monkeypatch.setenv("STAGE", "prod")
    aws.reset_caches()
    origin.forget()
    with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
        yield client, arn
    origin.forget()
    monkeypatch.undo()
    aws.reset_caches()


def test_a_request_without_the_origin_secret_is_refused(deployed_api: tuple[Client, str]) -> None:
    client, _ = deployed_api

    missing = client.http.get("/health")
    wrong = client.http.get("/health", headers={"Referer": "first-secret-valuX"})

    for response in (missing, wrong):
        assert response.status_code == 403
        assert json.loads(response.body)["error"]["code"] == "forbidden"
        assert response.headers["Cache-Control"] == "no-store"


def test_the_origin_secret_lets_the_request_through(deployed_api: tuple[Client, str]) -> None:
    client, _ = deployed_api

    response = client.http.get("/health", headers={"Referer": "first-secret-value"})

    assert response.status_code == 200


def test_during_a_rotation_the_new_and_the_old_value_both_work(
    deployed_api: tuple[Client, str], local_cloud: LocalResources
) -> None:
    client, arn = deployed_api
    assert client.http.get("/health", headers={"Referer": "first-secret-value"}).status_code == 200
    manager = boto3.client(
        "secretsmanager", endpoint_url=local_cloud.endpoint_url, region_name=local_cloud.region
    )
    manager.put_secret_value(
        SecretId=arn, SecretString="second-secret-value"
    )  # now current; first is previous
    # The cached copy was read more than REFRESH_FLOOR seconds ago: an unknown value triggers one re-read.
    origin._fetched_at -= origin.REFRESH_FLOOR + 1

    assert client.http.get("/health", headers={"Referer": "second-secret-value"}).status_code == 200
    assert client.http.get("/health", headers={"Referer": "first-secret-value"}).status_code == 200
    assert client.http.get("/health", headers={"Referer": "never-a-secret"}).status_code == 403


def test_prod_without_a_configured_secret_refuses_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.delenv("ORIGIN_SECRET_ARN", raising=False)
    aws.reset_caches()
    try:
        assert origin.came_through_cloudfront({"referer": "anything"}) is False
    finally:
        monkeypatch.undo()
        aws.reset_caches()


def test_locally_there_is_no_cloudfront_and_no_check(api: Client) -> None:
    assert api.http.get("/health").status_code == 200
