"""AWS clients, built lazily once per container (stores and core use them; services never do).

boto3 is imported inside the factories so that importing the app stays cheap (cold starts) and so
that tests can load moto before any client exists.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from chalicelib.core.config import settings

if TYPE_CHECKING:
    from botocore.config import Config


def _client_config() -> Config:
    from botocore.config import Config

    return Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3})


def _endpoint() -> dict[str, str]:
    url = settings().aws_endpoint_url
    return {"endpoint_url": url} if url else {}


@cache
def dynamodb_resource() -> Any:
    import boto3

    return boto3.resource("dynamodb", region_name=settings().region, config=_client_config(), **_endpoint())


@cache
def table() -> Any:
    return dynamodb_resource().Table(settings().table_name)


@cache
def audit_table() -> Any:
    """The audit events' table: add and read only (core/audit_log.py)."""
    return dynamodb_resource().Table(settings().audit_table_name)


@cache
def dynamodb_client() -> Any:
    """The low-level client: transactions take it, and it shares the resource's connection pool."""
    return dynamodb_resource().meta.client


@cache
def dynamodb_typed_client() -> Any:
    """A plain client speaking DynamoDB's typed JSON, for Powertools Idempotency.

    The resource's own client (dynamodb_client) converts Python values and would wrap typed values once more.
    """
    import boto3

    return boto3.client("dynamodb", region_name=settings().region, config=_client_config(), **_endpoint())


@cache
def s3_client() -> Any:
    import boto3
    from botocore.config import Config

    config = _client_config().merge(Config(signature_version="s3v4"))
    return boto3.client("s3", region_name=settings().region, config=config, **_endpoint())


@cache
def cognito_client() -> Any:
    import boto3

    return boto3.client("cognito-idp", region_name=settings().region, config=_client_config(), **_endpoint())


@cache
def ses_client() -> Any:
    """Email notices ("sign in to see it"); locally the moto server keeps them in its outbox."""
    import boto3

    return boto3.client("ses", region_name=settings().region, config=_client_config(), **_endpoint())


@cache
def chime_meetings_client() -> Any:
    """Amazon Chime SDK meetings (video visits). Never pointed at the local endpoint: moto has no
    Chime, and the laptop uses the simulated meeting provider instead."""
    import boto3

    return boto3.client("chime-sdk-meetings", region_name=settings().region, config=_client_config())


def reset_caches() -> None:
    """Forget every cached client and setting (tests and the local server switch environments)."""
    from chalicelib.core import config

    for factory in (
        dynamodb_resource,
        table,
        audit_table,
        dynamodb_client,
        dynamodb_typed_client,
        s3_client,
        cognito_client,
        ses_client,
        chime_meetings_client,
    ):
        factory.cache_clear()
    config.settings.cache_clear()
    config.clinic.cache_clear()
