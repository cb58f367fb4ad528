"""Count DynamoDB calls and items read per request, from botocore's own events.

Items read is the figure that says whether a request's work grows with the clinic: DynamoDB reads (and
bills) the items a key condition selects, whatever moto's speed. It is counted from each response:
a Query's or Scan's ScannedCount (items read before any filter), a GetItem hit, a batch's or
transaction's returned items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any


def items_read(operation: str, parsed: dict[str, Any]) -> int:
    if operation in ("Query", "Scan"):
        return int(parsed.get("ScannedCount", parsed.get("Count", 0)))
    if operation == "GetItem":
        return 1 if "Item" in parsed else 0
    if operation == "BatchGetItem":
        return sum(len(items) for items in parsed.get("Responses", {}).values())
    if operation == "TransactGetItems":
        return sum(1 for response in parsed.get("Responses", []) if "Item" in response)
    return 0


@dataclass(frozen=True)
class Reading:
    operations: dict[str, int]
    items: int

    @property
    def calls(self) -> int:
        return sum(self.operations.values())

    def describe(self) -> str:
        ops = ", ".join(f"{op} {n}" for op, n in sorted(self.operations.items()))
        return f"{self.calls} ({ops})" if ops else "0"


class DynamoMeter:
    """Registered on boto3's default session, so every DynamoDB client created afterwards is counted:
    the app's resource client and Powertools Idempotency's own client alike."""

    def __init__(self) -> None:
        self._operations: Counter[str] = Counter()
        self._items = 0

    def install(self) -> None:
        import boto3

        boto3.setup_default_session()  # before any client exists: clients copy the session's handlers
        assert boto3.DEFAULT_SESSION is not None
        events = boto3.DEFAULT_SESSION.events
        events.register("before-call.dynamodb", self._before_call)
        events.register("after-call.dynamodb", self._after_call)

    def _before_call(self, model: Any, **_: Any) -> None:
        self._operations[model.name] += 1

    def _after_call(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        self._items += items_read(model.name, parsed)

    def reset(self) -> None:
        self._operations.clear()
        self._items = 0

    def reading(self) -> Reading:
        return Reading(dict(self._operations), self._items)
