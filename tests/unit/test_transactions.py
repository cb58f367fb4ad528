"""Transactions whose answer was lost: botocore sends them again, and a repeat must not read as a refusal."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.core import audit_log, dynamo


def _claim(name: str) -> dict[str, Any]:
    """A write that succeeds only once: the claim on a name."""
    return {
        "Put": {
            "TableName": dynamo.table_name(),
            "Item": {"PK": f"CLAIM#{name}", "SK": "CLAIM"},
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }


def _audit(event_id: str) -> dict[str, Any]:
    return audit_log.put_entry(
        {"PK": "PATIENT#p-unit0001", "SK": f"AUDIT#2026-12-07T00:00:00Z#{event_id}", "action": "claim"}
    )


def test_a_repeat_of_a_committed_transaction_with_its_audit_event_is_a_success() -> None:
    entries = [_claim("room-1"), _audit("ev-1")]
    dynamo.transact_all(entries)

    dynamo.transact_all(entries)  # what botocore does when the first answer came too late

    stored = dynamo.aws.audit_table().get_item(
        Key={"PK": "PATIENT#p-unit0001", "SK": entries[1]["Put"]["Item"]["SK"]}
    )
    assert stored["Item"]["action"] == "claim"


def test_another_write_refused_by_the_same_condition_is_still_a_conflict() -> None:
    dynamo.transact_all([_claim("room-2"), _audit("ev-2")])

    with pytest.raises(dynamo.TransactionRefused) as refused:
        dynamo.transact_all([_claim("room-2"), _audit("ev-3")])

    assert refused.value.failed == [0]


def test_a_refused_write_whose_event_key_is_taken_by_another_event_is_a_conflict() -> None:
    dynamo.transact_all([_claim("room-3"), _audit("ev-4")])
    different = audit_log.put_entry(
        {"PK": "PATIENT#p-unit0001", "SK": "AUDIT#2026-12-07T00:00:00Z#ev-4", "action": "something else"}
    )

    with pytest.raises(dynamo.TransactionRefused):
        dynamo.transact_all([_claim("room-3"), different])


def test_a_refusal_is_known_by_its_code_whatever_class_botocore_raised_it_as(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from botocore.exceptions import ClientError

    from chalicelib.core import aws

    # Two threads building a client's exception classes at once can raise one class and test for another:
    # a plain ClientError with the code stands for that.
    answer = {
        "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
        "CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}],
    }

    def refuse(**_: Any) -> None:
        raise ClientError(answer, "TransactWriteItems")

    monkeypatch.setattr(aws.dynamodb_client(), "transact_write_items", refuse)
    with pytest.raises(dynamo.TransactionRefused) as refused:
        dynamo.transact_all([_claim("room-9"), _claim("room-10")])
    assert refused.value.failed == [0]
