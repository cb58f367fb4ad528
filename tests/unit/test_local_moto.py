"""The local server's fix to moto's transactions: one backup of a table per TransactWriteItems, and a
refused transaction still leaves the table exactly as it was."""

from __future__ import annotations

import copy
import os
from typing import Any

import boto3
import pytest

from chalicelib.local import server
from tests.unit.conftest import TABLE


def put(pk: str, condition: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"TableName": TABLE, "Item": {"PK": {"S": pk}, "SK": {"S": "X"}}}
    if condition:
        entry["ConditionExpression"] = condition
    return {"Put": entry}


def test_a_transaction_backs_the_table_up_once_and_a_refusal_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moto.dynamodb import models

    monkeypatch.setattr(
        models.DynamoDBBackend, "transact_write_items", models.DynamoDBBackend.transact_write_items
    )
    monkeypatch.setattr(models.DynamoDBBackend, "backs_up_once", False, raising=False)
    server.back_up_tables_once()
    copies: list[Any] = []
    real = copy.deepcopy

    def counted(value: Any, memo: Any = None) -> Any:
        if isinstance(value, models.Table):
            copies.append(value)
        return real(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counted)
    client = boto3.client("dynamodb", region_name=os.environ["AWS_DEFAULT_REGION"])
    client.transact_write_items(TransactItems=[put(f"A{i}") for i in range(10)])
    assert len(copies) == 1

    refused = [put("B1"), put("A3", "attribute_not_exists(PK)")]
    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=refused)
    keys = sorted(item["PK"]["S"] for item in client.scan(TableName=TABLE)["Items"])
    assert keys == [f"A{i}" for i in range(10)]
