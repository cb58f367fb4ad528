"""Statements (SK=INV#<id>) and the ledger (SK=LEDGER#<time>#<id>) in the patient's partition.

A statement carries GSI1 `BILLING#OPEN / <due>#<id>` while it is open, so the billing work list is one
Query and holds only open balances; paying it off or voiding it removes the index keys.
The balance lives on the statement and only ever moves inside conditional transactions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chalicelib.billing.models import LedgerEntry, Statement
from chalicelib.billing.store import keys as b
from chalicelib.core import dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import NotFound
from chalicelib.core.schema import patient_pk

_NOT_FOUND = "statement not found"


def statement_sk(statement_id: str) -> str:
    return f"{b.STATEMENT_PREFIX}{statement_id}"


def statement_key(patient_id: str, statement_id: str) -> dict[str, str]:
    return b.key(patient_id, statement_sk(statement_id))


def open_index(due_date: date, statement_id: str) -> dict[str, str]:
    return {"GSI1PK": b.OPEN_BALANCES, "GSI1SK": f"{due_date.isoformat()}#{statement_id}"}


def statement_item(statement: Statement) -> dict[str, Any]:
    item = {
        **statement.model_dump(mode="json", exclude_none=True),
        **statement_key(statement.patient_id, statement.id),
    }
    if statement.status == "open":
        item.update(open_index(statement.due_date, statement.id))
    return item


def ledger_item(entry: LedgerEntry) -> dict[str, Any]:
    return {
        **entry.model_dump(mode="json", exclude_none=True),
        **b.key(entry.patient_id, f"{b.LEDGER_PREFIX}{dynamo.utc_text(entry.at)}#{entry.id}"),
    }


def get(patient_id: str, statement_id: str) -> Statement:
    item = b.get_item(patient_id, statement_sk(statement_id))
    if item is None:
        raise NotFound(_NOT_FOUND)
    return dynamo.parse_item(Statement, item)


def list_for_patient(patient_id: str) -> list[Statement]:
    """Every statement of the patient (a handful a year), newest first."""
    statements = dynamo.parse_items(Statement, b.query_partition(patient_id, b.STATEMENT_PREFIX))
    return sorted(statements, key=lambda s: (s.posted_at, s.id), reverse=True)


def create(statement: Statement, *, ledger: LedgerEntry, audit: AuditEvent) -> None:
    dynamo.transact_all(
        [
            b.put_entry(statement_item(statement), new=True),
            b.put_entry(ledger_item(ledger), new=True),
            b.audit_entry(audit),
        ],
        committed=lambda: b.get_item(statement.patient_id, statement_sk(statement.id)) is not None,
    )


def void(
    statement: Statement, *, reason: str, by_name: str, at: datetime, ledger: LedgerEntry, audit: AuditEvent
) -> None:
    """Void an open statement that no payment or plan has touched (Refused otherwise)."""
    dynamo.transact_all(
        [
            b.update_entry(
                statement_key(statement.patient_id, statement.id),
                set_fields={
                    "status": "void",
                    "balance_cents": 0,
                    "void_reason": reason,
                    "voided_at": at.isoformat(),
                    "voided_by_name": by_name,
                },
                add={"version": 1},
                remove=("GSI1PK", "GSI1SK"),
                condition=(
                    "#st = :open AND pending_cents = :zero AND paid_cents = :zero "
                    "AND attribute_not_exists(plan_id) AND version = :version"
                ),
                names={"#st": "status"},
                values={":open": "open", ":zero": 0, ":version": statement.version},
            ),
            b.put_entry(ledger_item(ledger), new=True),
            b.audit_entry(audit),
        ],
        committed=lambda: _voided_at(statement) == at.isoformat(),
    )


def _voided_at(statement: Statement) -> str | None:
    item = b.get_item(statement.patient_id, statement_sk(statement.id))
    return str(item.get("voided_at")) if item else None


def settle_if_paid(patient_id: str, statement_id: str, *, at: datetime, audit: AuditEvent) -> bool:
    """Mark the statement paid and take it off the work list once nothing is owed or pending.

    A separate conditional step after the payment's own transaction: safe to repeat, and a no-op when
    a payment is still pending or the balance is not zero.
    """
    try:
        dynamo.transact_all(
            [
                b.update_entry(
                    statement_key(patient_id, statement_id),
                    set_fields={"status": "paid", "paid_at": at.isoformat()},
                    add={"version": 1},
                    remove=("GSI1PK", "GSI1SK"),
                    condition="#st = :open AND balance_cents = :zero AND pending_cents = :zero",
                    names={"#st": "status"},
                    values={":open": "open", ":zero": 0},
                ),
                b.audit_entry(audit),
            ],
            committed=lambda: get(patient_id, statement_id).status == "paid",
        )
    except dynamo.TransactionRefused:
        return False
    return True


def list_open(
    *, overdue_before: date | None, limit: int, cursor: str | None
) -> tuple[list[Statement], str | None]:
    """The billing work list: open statements, oldest due date first (one GSI1 Query per page)."""
    items, next_cursor = b.query_index(
        b.OPEN_BALANCES,
        below=overdue_before.isoformat() if overdue_before else None,
        limit=limit,
        cursor=cursor,
        sk_prefix=b.STATEMENT_PREFIX,
    )
    return dynamo.parse_items(Statement, items), next_cursor


def list_ledger(patient_id: str, *, limit: int, cursor: str | None) -> tuple[list[LedgerEntry], str | None]:
    """Newest first, one Query per page."""
    from chalicelib.core import aws

    pk = patient_pk(patient_id)
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": pk, ":prefix": b.LEDGER_PREFIX},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    start = dynamo.decode_cursor(cursor, pk=pk, sk_prefix=b.LEDGER_PREFIX)
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    entries = dynamo.parse_items(LedgerEntry, (b.plain(item) for item in response.get("Items", [])))
    return entries, dynamo.encode_cursor(response.get("LastEvaluatedKey"))
