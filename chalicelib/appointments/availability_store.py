"""Availability staff define per provider: weekly templates and blocked times.

template  PK=PROVIDER#<provider>  SK=TEMPLATE#<id>
block     PK=PROVIDER#<provider>  SK=BLOCK#<start>#<id>
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from chalicelib.appointments.models import AvailabilityTemplate, Block, utc_text
from chalicelib.appointments.store import provider_pk
from chalicelib.core import aws
from chalicelib.core.errors import NotFound

TEMPLATE_PREFIX: Final = "TEMPLATE#"
BLOCK_PREFIX: Final = "BLOCK#"


def template_key(provider_id: str, template_id: str) -> dict[str, str]:
    return {"PK": provider_pk(provider_id), "SK": f"{TEMPLATE_PREFIX}{template_id}"}


def block_key(block: Block) -> dict[str, str]:
    return {"PK": provider_pk(block.provider_id), "SK": f"{BLOCK_PREFIX}{utc_text(block.start)}#{block.id}"}


def put_template(template: AvailabilityTemplate) -> None:
    item = {**template.model_dump(mode="json"), **template_key(template.provider_id, template.id)}
    aws.table().put_item(Item=item)


def delete_template(provider_id: str, template_id: str) -> None:
    from botocore.exceptions import ClientError

    try:
        aws.table().delete_item(
            Key=template_key(provider_id, template_id), ConditionExpression="attribute_exists(PK)"
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise NotFound("template not found") from None
        raise


def list_templates(provider_id: str) -> list[AvailabilityTemplate]:
    return [AvailabilityTemplate.model_validate(item) for item in _query_prefix(provider_id, TEMPLATE_PREFIX)]


def put_block(block: Block) -> None:
    item = {
        **block.model_dump(mode="json"),
        "start": utc_text(block.start),
        "end": utc_text(block.end),
        **block_key(block),
    }
    aws.table().put_item(Item=item)


def list_blocks(provider_id: str, *, ending_after: datetime) -> list[Block]:
    """Blocks that have not ended yet (blocks are short; reading them all and trimming is cheap)."""
    blocks = [Block.model_validate(item) for item in _query_prefix(provider_id, BLOCK_PREFIX)]
    return [block for block in blocks if block.end > ending_after]


def find_block(provider_id: str, block_id: str) -> Block | None:
    return next(
        (
            Block.model_validate(item)
            for item in _query_prefix(provider_id, BLOCK_PREFIX)
            if item.get("id") == block_id
        ),
        None,
    )


def delete_block(block: Block) -> None:
    aws.table().delete_item(Key=block_key(block))


def _query_prefix(provider_id: str, prefix: str) -> list[dict[str, Any]]:
    table = aws.table()
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": provider_pk(provider_id), ":prefix": prefix},
    }
    items: list[dict[str, Any]] = []
    while True:
        response = table.query(**kwargs)
        items.extend(response.get("Items", []))
        if not response.get("LastEvaluatedKey"):
            return items
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
