"""The bench's own machinery: it may change how fast moto answers, never what moto answers, and it never
lets boto3 find real credentials."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from bench import moto_patches, sandbox
from bench.meter import items_read
from tests.unit.conftest import TABLE


def _client() -> Any:
    return boto3.client("dynamodb", region_name=os.environ["AWS_DEFAULT_REGION"])


def _s(value: str) -> dict[str, str]:
    return {"S": value}


@pytest.fixture
def filled() -> None:
    """Two busy partitions, and GSI1 partitions with equal sort keys (ties break on the table key)."""
    client = _client()
    for n in range(120):
        client.put_item(
            TableName=TABLE,
            Item={
                "PK": _s(f"PATIENT#p{n % 3}"),
                "SK": _s(f"{'APPT' if n % 2 else 'REC'}#{n:04d}"),
                "GSI1PK": _s(f"INBOX#{n % 2}"),
                "GSI1SK": _s(f"2026-01-{n % 7 + 1:02d}"),
                "n": {"N": str(n)},
            },
        )


QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "PK = :pk", "ExpressionAttributeValues": {":pk": _s("PATIENT#p1")}},
    {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :p)",
        "ExpressionAttributeValues": {":pk": _s("PATIENT#p1"), ":p": _s("APPT#")},
        "Limit": 5,
        "ScanIndexForward": False,
    },
    {
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :a AND :b",
        "ExpressionAttributeValues": {":pk": _s("PATIENT#p2"), ":a": _s("APPT#0010"), ":b": _s("REC#0050")},
        "Limit": 4,
        "FilterExpression": "n > :five",
        "ExpressionAttributeValues_extra": {":five": {"N": "5"}},
    },
    {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :g",
        "ExpressionAttributeValues": {":g": _s("INBOX#1")},
        "Limit": 7,
    },
    {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :g AND GSI1SK >= :d",
        "ExpressionAttributeValues": {":g": _s("INBOX#0"), ":d": _s("2026-01-04")},
        "Limit": 6,
        "ScanIndexForward": False,
    },
    {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :g AND GSI1SK < :d",
        "ExpressionAttributeValues": {":g": _s("INBOX#1"), ":d": _s("2026-01-03")},
    },
]


def _walk(query: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a query, following LastEvaluatedKey."""
    kwargs = {key: value for key, value in query.items() if not key.endswith("_extra")}
    kwargs["ExpressionAttributeValues"] = {
        **query["ExpressionAttributeValues"],
        **query.get("ExpressionAttributeValues_extra", {}),
    }
    pages = []
    while True:
        page = _client().query(TableName=TABLE, **kwargs)
        page.pop("ResponseMetadata")
        pages.append(page)
        if "LastEvaluatedKey" not in page:
            return pages
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.fixture
def patched() -> Iterator[None]:
    uninstall = moto_patches.install(TABLE)
    yield
    uninstall()


@pytest.mark.usefixtures("filled")
def test_patched_moto_answers_every_query_page_exactly_as_stock_moto() -> None:
    stock = [_walk(query) for query in QUERIES]
    uninstall = moto_patches.install(TABLE)
    try:
        fast = [_walk(query) for query in QUERIES]
    finally:
        uninstall()

    assert [len(pages) for pages in stock] == [len(pages) for pages in fast]
    assert sum(len(pages) for pages in stock) > len(QUERIES)  # the queries do page
    assert fast == stock


@pytest.mark.usefixtures("filled", "patched")
def test_patched_moto_sees_writes_and_a_cancelled_transaction_changes_nothing() -> None:
    client = _client()
    inbox = QUERIES[3]
    client.update_item(
        TableName=TABLE,
        Key={"PK": _s("PATIENT#p0"), "SK": _s("REC#0000")},
        UpdateExpression="SET GSI1PK = :g",
        ExpressionAttributeValues={":g": _s("INBOX#1")},
    )
    client.delete_item(TableName=TABLE, Key={"PK": _s("PATIENT#p1"), "SK": _s("APPT#0001")})
    before = _walk(inbox)
    moved = {"PK": _s("PATIENT#p0"), "SK": _s("REC#0000")}
    assert any(moved.items() <= item.items() for page in before for item in page["Items"])

    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(
            TransactItems=[
                {"Update": {**_update(moved, "INBOX#0")}},
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {
                            "PK": _s("PATIENT#p9"),
                            "SK": _s("X"),
                            "GSI1PK": _s("INBOX#1"),
                            "GSI1SK": _s("0"),
                        },
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"PK": _s("PATIENT#p2"), "SK": _s("REC#0002")},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )

    assert _walk(inbox) == before
    assert "Item" not in client.get_item(TableName=TABLE, Key={"PK": _s("PATIENT#p9"), "SK": _s("X")})


def _update(key: dict[str, Any], inbox: str) -> dict[str, Any]:
    return {
        "TableName": TABLE,
        "Key": key,
        "UpdateExpression": "SET GSI1PK = :g",
        "ExpressionAttributeValues": {":g": _s(inbox)},
    }


def test_items_read_counts_what_each_read_returns_or_scans() -> None:
    assert items_read("Query", {"Count": 2, "ScannedCount": 5}) == 5
    assert items_read("GetItem", {"Item": {"PK": "x"}}) == 1
    assert items_read("GetItem", {}) == 0
    assert items_read("BatchGetItem", {"Responses": {"t": [{}, {}], "u": [{}]}}) == 3
    assert items_read("TransactGetItems", {"Responses": [{"Item": {}}, {}]}) == 1
    assert items_read("PutItem", {}) == 0


def test_the_sandbox_never_lets_boto3_find_real_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAREALKEY\naws_secret_access_key = real\n"
        "[work]\naws_access_key_id = AKIAWORKKEY\naws_secret_access_key = real\n"
    )
    shell = {
        "HOME": str(home),
        "AWS_PROFILE": "work",
        "AWS_ACCESS_KEY_ID": "AKIAREALKEY",
        "AWS_SECRET_ACCESS_KEY": "real",
        "AWS_SESSION_TOKEN": "real-session",
        "AWS_ENDPOINT_URL": "https://dynamodb.us-east-1.amazonaws.com",
        "TABLE_NAME": "clinic-prod",
    }

    env = sandbox.sandboxed(shell)

    assert env["HOME"] == str(home)
    assert not {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "TABLE_NAME"} & set(env)
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    credentials = boto3.Session().get_credentials()
    assert credentials is not None
    assert (credentials.access_key, credentials.token, credentials.method) == ("bench", None, "env")
