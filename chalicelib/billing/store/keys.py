"""Keys and write helpers shared by the billing stores (statements, payments, plans, insurance).

| item        | PK           | SK                  | GSI1 (only while it needs attention)       |
|-------------|--------------|---------------------|--------------------------------------------|
| statement   | PATIENT#<id> | INV#<id>            | BILLING#OPEN / <due date>#<id>             |
| payment     | PATIENT#<id> | PAY#<id>            | PAYMENTS#PENDING / <created>#<id> (open)   |
|             |              |                     | BILLING#DISPUTES / <at>#<id> (disputed)    |
| refund      | PATIENT#<id> | REFUND#<payment>#<id> |                                          |
| intent ref  | PAYREF#<provider intent> | PAYMENT  |                                            |
| card        | PATIENT#<id> | BILLINGPROFILE      |                                            |
| webhook     | WEBHOOK#<provider> | EVENT#<id> (expires by ttl) |                                  |
| ledger      | PATIENT#<id> | LEDGER#<time>#<id>  |                                            |
| plan        | PATIENT#<id> | PLAN#<id>           |                                            |
| installment | PATIENT#<id> | PLAN#<id>#INST#<nn> | INSTALLMENTS#DUE / <next attempt>#...      |
| insurance   | PATIENT#<id> | INSURANCE#<id>      |                                            |
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Final

from chalicelib.core import audit_log, aws, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.schema import GSI1, PATIENT_PREFIX, patient_pk

STATEMENT_PREFIX: Final = "INV#"
PAYMENT_PREFIX: Final = "PAY#"
LEDGER_PREFIX: Final = "LEDGER#"
PLAN_PREFIX: Final = "PLAN#"
INSURANCE_PREFIX: Final = "INSURANCE#"
REFUND_PREFIX: Final = "REFUND#"
INTENT_POINTER_PREFIX: Final = "PAYREF#"
BILLING_PROFILE: Final = "BILLINGPROFILE"

OPEN_BALANCES: Final = "BILLING#OPEN"
PENDING_PAYMENTS: Final = "PAYMENTS#PENDING"
DUE_INSTALLMENTS: Final = "INSTALLMENTS#DUE"
DISPUTES: Final = "BILLING#DISPUTES"


def key(patient_id: str, sk: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": sk}


def plain(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB numbers arrive as Decimal; our amounts are integers, so make them ints again."""
    return {k: _plain_value(v) for k, v in item.items()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return plain(value)
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    return value


def put_entry(item: dict[str, Any], *, new: bool = False) -> dict[str, Any]:
    entry = dynamo.put(item)
    if new:
        entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def audit_entry(event: AuditEvent) -> dict[str, Any]:
    return audit_log.entry(event)


def update_entry(
    item_key: dict[str, str],
    *,
    set_fields: dict[str, Any] | None = None,
    add: dict[str, int] | None = None,
    remove: Sequence[str] = (),
    condition: str = "attribute_exists(PK)",
    values: dict[str, Any] | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A TransactWriteItems Update: SET fields, add (possibly negative) integers, REMOVE attributes.

    Conditions refer to attributes as #name (declared in `names`) and values as :name (in `values`).
    """
    all_names = dict(names or {})
    all_values = dict(values or {})
    clauses: list[str] = []
    for i, (field, value) in enumerate((set_fields or {}).items()):
        all_names[f"#s{i}"] = field
        all_values[f":s{i}"] = value
        clauses.append(f"#s{i} = :s{i}")
    for i, (field, delta) in enumerate((add or {}).items()):
        all_names[f"#a{i}"] = field
        all_values[f":a{i}"] = delta
        clauses.append(f"#a{i} = #a{i} + :a{i}")
    expression = "SET " + ", ".join(clauses) if clauses else ""
    if remove:
        for i, field in enumerate(remove):
            all_names[f"#r{i}"] = field
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove)))
    update: dict[str, Any] = {
        "TableName": dynamo.table_name(),
        "Key": item_key,
        "UpdateExpression": expression.strip(),
        "ConditionExpression": condition,
        "ExpressionAttributeNames": all_names,
    }
    if all_values:
        update["ExpressionAttributeValues"] = all_values
    return {"Update": update}


def get_item(patient_id: str, sk: str) -> dict[str, Any] | None:
    item = aws.table().get_item(Key=key(patient_id, sk), ConsistentRead=True).get("Item")
    return plain(item) if item is not None else None


def query_partition(patient_id: str, prefix: str) -> Iterator[dict[str, Any]]:
    """Every item of one kind in a patient's partition: one Query, paged by DynamoDB."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": patient_pk(patient_id), ":prefix": prefix},
    }
    while True:
        response = aws.table().query(**kwargs)
        for item in response.get("Items", []):
            yield plain(item)
        if "LastEvaluatedKey" not in response:
            return
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def query_index(
    gsi_pk: str,
    *,
    below: str | None = None,
    limit: int,
    cursor: str | None = None,
    sk_prefix: str,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of GSI1 under `gsi_pk`, ascending, optionally only sort keys below `below`."""
    kwargs: dict[str, Any] = {
        "IndexName": GSI1,
        "KeyConditionExpression": "GSI1PK = :gpk" + (" AND GSI1SK < :below" if below else ""),
        "ExpressionAttributeValues": {":gpk": gsi_pk, **({":below": below} if below else {})},
        "Limit": limit,
    }
    start = dynamo.decode_index_cursor(cursor, gsi_pk=gsi_pk, pk_prefix=PATIENT_PREFIX, sk_prefix=sk_prefix)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    items = [plain(item) for item in response.get("Items", [])]
    return items, dynamo.encode_cursor(response.get("LastEvaluatedKey"))
