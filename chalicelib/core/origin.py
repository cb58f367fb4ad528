"""Only CloudFront may call the deployed API: it adds the origin secret as the Referer header.

API Gateway's resource policy already refuses a request without it; this is the same check in the app, so
the rule still holds if the policy is ever loosened. The accepted values (the secret's current one, and
its pending and previous ones while a rotation is under way) are cached for a few minutes; a value that
does not match makes one early refresh (at most every REFRESH_FLOOR seconds), then a refusal. Locally
and in tests there is no CloudFront: without ORIGIN_SECRET_ARN the check is off, except in prod.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Mapping
from typing import Final

from chalicelib.core import config

ORIGIN_HEADER: Final = "referer"  # lower case: how Chalice's headers mapping is keyed case-insensitively
CACHE_SECONDS: Final = 300.0
REFRESH_FLOOR: Final = 30.0
_STAGES: Final = ("AWSCURRENT", "AWSPENDING", "AWSPREVIOUS")

_lock = threading.Lock()
_accepted: tuple[bytes, ...] = ()
_fetched_at = float("-inf")


def _read_secret(arn: str) -> tuple[bytes, ...]:
    import boto3
    from botocore.exceptions import ClientError

    client = boto3.client("secretsmanager", region_name=config.settings().region)
    values = []
    for stage in _STAGES:
        try:
            values.append(str(client.get_secret_value(SecretId=arn, VersionStage=stage)["SecretString"]))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
    return tuple(value.encode() for value in values if value)


def _values(arn: str, *, fresher_than: float) -> tuple[bytes, ...]:
    global _accepted, _fetched_at
    with _lock:
        if time.monotonic() - _fetched_at > fresher_than:
            _accepted, _fetched_at = _read_secret(arn), time.monotonic()
        return _accepted


def _matches(given: bytes, accepted: tuple[bytes, ...]) -> bool:
    # Compare with every value, in constant time each: no early exit that times the secret.
    return any([hmac.compare_digest(given, value) for value in accepted])


def came_through_cloudfront(headers: Mapping[str, str]) -> bool:
    # Read from the environment, not settings(): requests that need no table (the OpenAPI document, read
    # offline by web/scripts/dump-openapi.py) must not need the table's settings either.
    arn = os.environ.get("ORIGIN_SECRET_ARN")
    if not arn:
        # A deployed stack always has the secret: refuse rather than open.
        return os.environ.get("STAGE", "dev") != "prod"
    given = (headers.get(ORIGIN_HEADER) or "").encode()
    if not given:
        return False
    if _matches(given, _values(arn, fresher_than=CACHE_SECONDS)):
        return True
    return _matches(given, _values(arn, fresher_than=REFRESH_FLOOR))  # rotated since we last read it?


def forget() -> None:
    """Tests: drop the cached values."""
    global _accepted, _fetched_at
    with _lock:
        _accepted, _fetched_at = (), float("-inf")
