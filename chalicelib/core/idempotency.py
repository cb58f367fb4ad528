"""Powertools Idempotency for requests that must run once (payments), on the portal's own table.

The hashed key is who is asking (their sub and the patient they act for) plus their Idempotency-Key,
so two people can never share a cached response; the body is validated, so a reused key with another
body is refused (IdempotencyValidationError). Records live in one partition, `IDEMPOTENCY#payments`,
and expire through the table's `ttl` attribute.

Powertools is imported inside functions: most requests never pay for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from chalicelib.core import aws, config, errors
from chalicelib.core.schema import TTL_ATTRIBUTE

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

T = TypeVar("T")

STATIC_PK = "IDEMPOTENCY#payments"
EXPIRES_AFTER_SECONDS = 24 * 3600
WAIT_FOR_FIRST_SECONDS = 20.0  # a duplicate waits this long for the first request's answer

_lambda_context: Any = None


class IdempotencyKeyReused(errors.PortalError):
    STATUS_CODE = 422
    CODE = "idempotency_key_reused"


class StillProcessing(errors.PortalError):
    STATUS_CODE = 409
    CODE = "request_in_progress"


def register_lambda_context(context: Any) -> None:
    """Remember this invocation's context (app.py middleware): in-progress records then expire when the
    invocation would have timed out, instead of blocking the key for a day after a crash."""
    global _lambda_context
    _lambda_context = context


@cache
def _config() -> IdempotencyConfig:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    return IdempotencyConfig(
        event_key_jmespath="[who, patient_id, key]",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
    )


@cache
def _persistence(table_name: str, resource_id: int) -> DynamoDBPersistenceLayer:
    """One layer per table and AWS setup (aws.reset_caches() makes a new resource, hence a new layer)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(
        table_name=table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=STATIC_PK,
        expiry_attr=TTL_ATTRIBUTE,
        boto3_client=aws.dynamodb_typed_client(),
    )


def run_once(
    function: Callable[..., T],
    *,
    who: str,
    patient_id: str,
    key: str,
    body: dict[str, Any],
    key_prefix: str,
    **kwargs: Any,
) -> T:
    """Run `function(command=..., **kwargs)` once per (who, patient, key); later calls get its result.

    `function` must return JSON-ready data (it is stored as the answer). A duplicate that arrives while
    the first call still runs waits for its answer rather than failing, so every caller sees one result.
    """
    from aws_lambda_powertools.utilities.idempotency import idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    settings = _config()
    if _lambda_context is not None:
        settings.register_lambda_context(_lambda_context)
    wrapped = idempotent_function(
        function,
        data_keyword_argument="command",
        persistence_store=_persistence(config.settings().table_name, id(aws.dynamodb_resource())),
        config=settings,
        key_prefix=key_prefix,
    )
    command = {"who": who, "patient_id": patient_id, "key": key, "body": body}
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    delay = 0.02
    while True:
        try:
            return wrapped(command=command, **kwargs)
        except IdempotencyValidationError:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request; use a new key"
            ) from None
        except IdempotencyAlreadyInProgressError:
            if time.monotonic() > deadline:
                raise StillProcessing(
                    "a request with this Idempotency-Key is still being processed; try again shortly"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
