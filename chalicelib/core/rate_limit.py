"""Counters that slow down guessing on the public routes: one item per key and time window.

Item: PK=RATE#<limit>#<hashed key>, SK=<window start, epoch seconds>, with `hits` and `ttl` (DynamoDB
removes it an hour after its window). Each attempt is one conditional UpdateItem that adds a hit while the
window has room: no read first and no Scan, and attempts racing each other cannot pass the limit together.
Windows are fixed (a burst across a window's end may reach twice the limit). Keys (addresses, email
addresses) are stored only as hashes.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Final

from chalicelib.core import aws, errors
from chalicelib.core.observability import logger

RATE_PREFIX: Final = "RATE#"
KEEP_AFTER_WINDOW_SECONDS: Final = 3600


@dataclass(frozen=True)
class Limit:
    """At most `hits` attempts per key in each window of `window_seconds`."""

    name: str
    hits: int
    window_seconds: int


def _key_hash(limit: Limit, key: str) -> str:
    return hashlib.sha256(f"{limit.name}\0{key}".encode()).hexdigest()[:32]


def hit(limit: Limit, key: str, *, now: float | None = None) -> None:
    """Count one attempt for `key`; TooManyAttempts (429, Retry-After) once the window's attempts are used."""
    from botocore.exceptions import ClientError

    moment = time.time() if now is None else now
    start = int(moment // limit.window_seconds) * limit.window_seconds
    end = start + limit.window_seconds
    try:
        aws.table().update_item(
            Key={"PK": f"{RATE_PREFIX}{limit.name}#{_key_hash(limit, key)}", "SK": str(start)},
            UpdateExpression="ADD hits :one SET #ttl = :ttl",
            ConditionExpression="attribute_not_exists(hits) OR hits < :most",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues={
                ":one": 1,
                ":most": limit.hits,
                ":ttl": end + KEEP_AFTER_WINDOW_SECONDS,
            },
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        wait = max(1, math.ceil(end - moment))
        minutes = math.ceil(wait / 60)
        logger.info("rate limited", extra={"limit": limit.name, "retry_after": wait})
        if minutes == 1:
            raise errors.TooManyAttempts(
                "too many attempts: please try again in 1 minute, or call the clinic",
                retry_after_seconds=wait,
            ) from None
        raise errors.TooManyAttempts(
            "too many attempts: please try again in {minutes} minutes, or call the clinic",
            retry_after_seconds=wait,
            params={"minutes": minutes},
        ) from None
