"""Payments (SK=PAY#<id>), refunds (SK=REFUND#<payment>#<id>), payment plans (SK=PLAN#<id>) and
installments (SK=PLAN#<id>#INST#<nn>); the intent pointer (PK=PAYREF#<provider intent id>, SK=PAYMENT).

The money moves in four transactions, each with its audit event:
  reserve  statement.balance -= amount, pending += amount (only if balance >= amount and it is open)
           + the payment, "pending"; + audit
  succeed  statement.pending -= amount, paid += amount; payment "succeeded"; + ledger; + audit
  release  statement.balance += amount, pending -= amount; payment "declined"/"failed"/"canceled"; + audit
  refund   statement.paid -= amount, balance += amount (reopened if it was paid); payment.refunded +=
           amount (only from the refunded total we read); + the refund (once per provider refund id);
           + ledger; + audit
The reserve condition makes paying more than the balance impossible, however many requests race.
Between reserve and the provider's intent there is no card: the intent's id is stored (`attach_intent`,
with the pointer a webhook finds the payment by) before the browser or a job can confirm it.
A disputed payment carries GSI1 `BILLING#DISPUTES / <disputed at>#<payment>` while the dispute is open.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chalicelib.billing.models import Installment, LedgerEntry, Payment, Plan, RefundRecord, Statement
from chalicelib.billing.providers.provider import Dispute, Intent
from chalicelib.billing.store import keys as b
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import NotFound

# --- payments ---------------------------------------------------------------------------------


def payment_sk(payment_id: str) -> str:
    return f"{b.PAYMENT_PREFIX}{payment_id}"


def payment_key(patient_id: str, payment_id: str) -> dict[str, str]:
    return b.key(patient_id, payment_sk(payment_id))


def payment_item(payment: Payment) -> dict[str, Any]:
    item = {
        **payment.model_dump(mode="json", exclude_none=True),
        **payment_key(payment.patient_id, payment.id),
    }
    if payment.status in ("pending", "requires_action", "requires_payment_method"):
        item.update(
            {"GSI1PK": b.PENDING_PAYMENTS, "GSI1SK": f"{dynamo.utc_text(payment.created_at)}#{payment.id}"}
        )
    return item


def find(patient_id: str, payment_id: str) -> Payment | None:
    item = b.get_item(patient_id, payment_sk(payment_id))
    return dynamo.parse_item(Payment, item) if item else None


def get(patient_id: str, payment_id: str) -> Payment:
    payment = find(patient_id, payment_id)
    if payment is None:
        raise NotFound("payment not found")
    return payment


def list_for_patient(patient_id: str) -> list[Payment]:
    payments = dynamo.parse_items(Payment, b.query_partition(patient_id, b.PAYMENT_PREFIX))
    return sorted(payments, key=lambda p: (p.created_at, p.id), reverse=True)


def list_open(*, created_before: datetime, limit: int = 100) -> list[Payment]:
    """Payments still waiting for an outcome (the reconcile job's input), oldest first."""
    items, _ = b.query_index(
        b.PENDING_PAYMENTS, below=dynamo.utc_text(created_before), limit=limit, sk_prefix=b.PAYMENT_PREFIX
    )
    return dynamo.parse_items(Payment, items)


_OPEN_CONDITION = "#st IN (:pending, :action, :card)"
_OPEN_VALUES = {":pending": "pending", ":action": "requires_action", ":card": "requires_payment_method"}

RESERVE_STATEMENT, RESERVE_PAYMENT = 0, 1  # entry indexes, to tell which condition refused


def reserve(payment: Payment, *, audit: AuditEvent, now: datetime) -> None:
    """Take the amount off the statement's balance and write the pending payment (refused if it cannot)."""
    dynamo.transact_all(
        [
            b.update_entry(
                statement_store.statement_key(payment.patient_id, payment.statement_id),
                set_fields={"updated_at": now.isoformat()},
                add={
                    "balance_cents": -payment.amount_cents,
                    "pending_cents": payment.amount_cents,
                    "version": 1,
                },
                condition="#st = :open AND balance_cents >= :amount AND currency = :currency",
                names={"#st": "status"},
                values={":open": "open", ":amount": payment.amount_cents, ":currency": payment.currency},
            ),
            b.put_entry(payment_item(payment), new=True),
            b.audit_entry(audit),
        ]
    )


def _final_payment_update(payment: Payment, fields: dict[str, Any]) -> dict[str, Any]:
    """Close a payment that is still open: a second outcome for the same payment is refused."""
    return b.update_entry(
        payment_key(payment.patient_id, payment.id),
        set_fields={k: v for k, v in fields.items() if v is not None},
        remove=("GSI1PK", "GSI1SK", "client_secret"),
        condition=_OPEN_CONDITION,
        names={"#st": "status"},
        values=dict(_OPEN_VALUES),
    )


def succeed(
    payment: Payment,
    result: Intent,
    *,
    receipt_number: str,
    ledger: LedgerEntry,
    audit: AuditEvent,
    now: datetime,
) -> None:
    dynamo.transact_all(
        [
            b.update_entry(
                statement_store.statement_key(payment.patient_id, payment.statement_id),
                set_fields={"updated_at": now.isoformat()},
                add={
                    "pending_cents": -payment.amount_cents,
                    "paid_cents": payment.amount_cents,
                    "version": 1,
                },
                condition="pending_cents >= :amount",
                values={":amount": payment.amount_cents},
            ),
            _final_payment_update(
                payment,
                {
                    "status": "succeeded",
                    "updated_at": now.isoformat(),
                    "succeeded_at": now.isoformat(),
                    "receipt_number": receipt_number,
                    "card_brand": result.card_brand,
                    "card_last4": result.card_last4,
                },
            ),
            b.put_entry(statement_store.ledger_item(ledger), new=True),
            b.audit_entry(audit),
        ],
        committed=lambda: _ledger_written(ledger),
    )


def _ledger_written(ledger: LedgerEntry) -> bool:
    """Our own success transaction is in the table iff its ledger line (a fresh id) is."""
    return b.get_item(ledger.patient_id, statement_store.ledger_item(ledger)["SK"]) is not None


def release(
    payment: Payment,
    result: Intent | None,
    *,
    status: str,
    failure: tuple[str | None, str | None],
    audit: AuditEvent,
    now: datetime,
) -> None:
    """Give the reserved amount back to the balance: the card was not charged."""
    dynamo.transact_all(
        [
            b.update_entry(
                statement_store.statement_key(payment.patient_id, payment.statement_id),
                set_fields={"updated_at": now.isoformat()},
                add={
                    "balance_cents": payment.amount_cents,
                    "pending_cents": -payment.amount_cents,
                    "version": 1,
                },
                condition="pending_cents >= :amount",
                values={":amount": payment.amount_cents},
            ),
            _final_payment_update(
                payment,
                {
                    "status": status,
                    "updated_at": now.isoformat(),
                    "failure_code": failure[0],
                    "failure_message": failure[1],
                    "card_brand": result.card_brand if result else None,
                    "card_last4": result.card_last4 if result else None,
                },
            ),
            b.audit_entry(audit),
        ]
    )


def intent_pointer(intent_id: str) -> dict[str, str]:
    return {"PK": f"{b.INTENT_POINTER_PREFIX}{intent_id}", "SK": "PAYMENT"}


def attach_intent(payment: Payment, intent: Intent, *, status: str, now: datetime) -> None:
    """Store the provider's intent id (and the pointer webhooks find the payment by) on an open payment."""
    fields = {
        "status": status,
        "updated_at": now.isoformat(),
        "provider_ref": intent.id,
        "client_secret": intent.client_secret,
    }
    dynamo.transact_all(
        [
            b.update_entry(
                payment_key(payment.patient_id, payment.id),
                set_fields={k: v for k, v in fields.items() if v is not None},
                condition=f"({_OPEN_CONDITION}) AND "
                "(attribute_not_exists(provider_ref) OR provider_ref = :ref)",
                names={"#st": "status"},
                values={**_OPEN_VALUES, ":ref": intent.id},
            ),
            dynamo.put(
                {**intent_pointer(intent.id), "patient_id": payment.patient_id, "payment_id": payment.id}
            ),
        ]
    )


def find_by_intent(intent_id: str) -> Payment | None:
    """The payment a provider intent belongs to (webhooks name intents, not patients)."""
    from chalicelib.core import aws

    pointer = aws.table().get_item(Key=intent_pointer(intent_id), ConsistentRead=True).get("Item")
    if pointer is None:
        return None
    return find(str(pointer["patient_id"]), str(pointer["payment_id"]))


def mark_open(payment: Payment, intent: Intent, *, status: str, now: datetime) -> None:
    """An open payment moves between open states (the card is asked for, the issuer wants a check)."""
    fields = {
        "status": status,
        "updated_at": now.isoformat(),
        "client_secret": intent.client_secret,
        "card_brand": intent.card_brand,
        "card_last4": intent.card_last4,
    }
    dynamo.transact_all(
        [
            b.update_entry(
                payment_key(payment.patient_id, payment.id),
                set_fields={k: v for k, v in fields.items() if v is not None},
                condition=_OPEN_CONDITION,
                names={"#st": "status"},
                values=dict(_OPEN_VALUES),
            )
        ]
    )


def list_open_for_patient(patient_id: str, statement_id: str) -> list[Payment]:
    return [
        p
        for p in list_for_patient(patient_id)
        if p.statement_id == statement_id
        and p.status in ("requires_payment_method", "requires_action", "pending")
    ]


# --- refunds ------------------------------------------------------------------------------------


def refund_sk(payment_id: str, refund_id: str) -> str:
    return f"{b.REFUND_PREFIX}{payment_id}#{refund_id}"


def refund_item(refund: RefundRecord) -> dict[str, Any]:
    return {
        **refund.model_dump(mode="json", exclude_none=True),
        **b.key(refund.patient_id, refund_sk(refund.payment_id, refund.id)),
    }


def list_refunds(patient_id: str, payment_id: str | None = None) -> list[RefundRecord]:
    prefix = b.REFUND_PREFIX + (f"{payment_id}#" if payment_id else "")
    refunds = dynamo.parse_items(RefundRecord, b.query_partition(patient_id, prefix))
    return sorted(refunds, key=lambda r: (r.created_at, r.id))


def record_refund(
    payment: Payment,
    statement: Statement,
    refund: RefundRecord,
    *,
    ledger: LedgerEntry,
    audit: AuditEvent,
    now: datetime,
) -> None:
    """Money went back to the card: it is owed again (the statement reopens if it was paid).

    Refused when this refund id is already recorded, or when the payment or statement moved since we
    read them (the caller reads again and retries).
    """
    from chalicelib.billing.store import statements as statement_store

    amount = refund.amount_cents
    statement_fields: dict[str, Any] = {"updated_at": now.isoformat()}
    remove: tuple[str, ...] = ()
    if statement.status == "paid":  # owed again: back on the work list
        statement_fields.update(
            {"status": "open", **statement_store.open_index(statement.due_date, statement.id)}
        )
        remove = ("paid_at",)
    dynamo.transact_all(
        [
            b.update_entry(
                statement_store.statement_key(payment.patient_id, payment.statement_id),
                set_fields=statement_fields,
                add={"paid_cents": -amount, "balance_cents": amount, "version": 1},
                remove=remove,
                condition="version = :version AND paid_cents >= :amount",
                values={":version": statement.version, ":amount": amount},
            ),
            b.update_entry(
                payment_key(payment.patient_id, payment.id),
                set_fields={"updated_at": now.isoformat()},
                add={"refunded_cents": amount},
                condition="#st = :succeeded AND (refunded_cents = :before OR "
                "(attribute_not_exists(refunded_cents) AND :before = :zero))",
                names={"#st": "status"},
                values={":succeeded": "succeeded", ":before": payment.refunded_cents, ":zero": 0},
            ),
            b.put_entry(refund_item(refund), new=True),
            b.put_entry(statement_store.ledger_item(ledger), new=True),
            b.audit_entry(audit),
        ],
        committed=lambda: b.get_item(refund.patient_id, refund_sk(refund.payment_id, refund.id)) is not None,
    )


# --- disputes -----------------------------------------------------------------------------------


def record_dispute(payment: Payment, dispute: Dispute, *, now: datetime, audit: AuditEvent) -> None:
    """Note the card holder's dispute on the payment; while open it is on the billing work list."""
    is_open = dispute.status not in ("won", "lost", "warning_closed", "charge_refunded")
    fields: dict[str, Any] = {
        "dispute_id": dispute.id,
        "dispute_status": dispute.status,
        "dispute_reason": dispute.reason,
        "dispute_amount_cents": dispute.amount_cents,
        "updated_at": now.isoformat(),
    }
    disputed_at = payment.disputed_at or now
    fields["disputed_at"] = disputed_at.isoformat()
    if is_open:
        fields.update({"GSI1PK": b.DISPUTES, "GSI1SK": f"{dynamo.utc_text(disputed_at)}#{payment.id}"})
    dynamo.transact_all(
        [
            b.update_entry(
                payment_key(payment.patient_id, payment.id),
                set_fields=fields,
                remove=() if is_open else ("GSI1PK", "GSI1SK"),
                condition="#st = :succeeded",
                names={"#st": "status"},
                values={":succeeded": "succeeded"},
            ),
            b.audit_entry(audit),
        ]
    )


def list_disputes(*, limit: int, cursor: str | None) -> tuple[list[Payment], str | None]:
    items, next_cursor = b.query_index(b.DISPUTES, limit=limit, cursor=cursor, sk_prefix=b.PAYMENT_PREFIX)
    return dynamo.parse_items(Payment, items), next_cursor


# --- plans and installments ---------------------------------------------------------------------


def plan_sk(plan_id: str) -> str:
    return f"{b.PLAN_PREFIX}{plan_id}"


def installment_sk(plan_id: str, number: int) -> str:
    return f"{b.PLAN_PREFIX}{plan_id}#INST#{number:02d}"


def _due_index(installment: Installment) -> dict[str, str]:
    return {
        "GSI1PK": b.DUE_INSTALLMENTS,
        "GSI1SK": (
            f"{installment.next_attempt_on.isoformat()}#{installment.patient_id}#"
            f"{installment.plan_id}#{installment.number:02d}"
        ),
    }


def installment_item(installment: Installment) -> dict[str, Any]:
    item = {
        **installment.model_dump(mode="json", exclude_none=True),
        **b.key(installment.patient_id, installment_sk(installment.plan_id, installment.number)),
    }
    if installment.status in ("scheduled", "retrying", "processing"):
        item.update(_due_index(installment))
    return item


def plan_item(plan: Plan) -> dict[str, Any]:
    return {**plan.model_dump(mode="json", exclude_none=True), **b.key(plan.patient_id, plan_sk(plan.id))}


def create_plan(
    plan: Plan, installments: list[Installment], *, expected_balance: int, audit: AuditEvent
) -> None:
    """Attach the plan to the statement (one active plan, balance as the patient saw it) and write it all."""
    dynamo.transact_all(
        [
            b.update_entry(
                statement_store.statement_key(plan.patient_id, plan.statement_id),
                set_fields={"plan_id": plan.id},
                add={"version": 1},
                condition=(
                    "#st = :open AND attribute_not_exists(plan_id) AND balance_cents = :balance "
                    "AND pending_cents = :zero"
                ),
                names={"#st": "status"},
                values={":open": "open", ":balance": expected_balance, ":zero": 0},
            ),
            b.put_entry(plan_item(plan), new=True),
            *(b.put_entry(installment_item(i), new=True) for i in installments),
            b.audit_entry(audit),
        ],
        committed=lambda: b.get_item(plan.patient_id, plan_sk(plan.id)) is not None,
    )


def get_plan(patient_id: str, plan_id: str) -> tuple[Plan, list[Installment]]:
    plan: Plan | None = None
    installments: list[Installment] = []
    for item in b.query_partition(patient_id, plan_sk(plan_id)):
        if item["SK"] == plan_sk(plan_id):
            plan = dynamo.parse_item(Plan, item)
        elif "#INST#" in item["SK"] and (installment := dynamo.parse_or_skip(Installment, item)):
            installments.append(installment)
    if plan is None:
        raise NotFound("payment plan not found")
    return plan, sorted(installments, key=lambda i: i.number)


def list_plans(patient_id: str) -> list[tuple[Plan, list[Installment]]]:
    plans: dict[str, Plan] = {}
    installments: dict[str, list[Installment]] = {}
    for item in b.query_partition(patient_id, b.PLAN_PREFIX):
        if "#INST#" in item["SK"]:
            if inst := dynamo.parse_or_skip(Installment, item):
                installments.setdefault(inst.plan_id, []).append(inst)
        elif plan := dynamo.parse_or_skip(Plan, item):
            plans[plan.id] = plan
    ordered = sorted(plans.values(), key=lambda p: p.created_at, reverse=True)
    return [(p, installments.get(p.id, [])) for p in ordered]


def list_due_installments(*, on: date, limit: int = 100) -> list[Installment]:
    """Installments whose (next) attempt is due on or before `on`: the scheduler's input."""
    items, _ = b.query_index(
        b.DUE_INSTALLMENTS, below=on.isoformat() + "~", limit=limit, sk_prefix=b.PLAN_PREFIX
    )
    return dynamo.parse_items(Installment, items)


def update_installment(
    installment: Installment,
    *,
    fields: dict[str, Any],
    attempts: int,
    keep_due: bool,
    extra: list[dict[str, Any]] | None = None,
    audit: AuditEvent | None = None,
) -> None:
    """Move an installment on, only if nobody else did since we read it (same attempts, still open)."""
    updated = installment.model_copy(update=fields)
    set_fields = {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}
    entry = b.update_entry(
        b.key(installment.patient_id, installment_sk(installment.plan_id, installment.number)),
        set_fields={**set_fields, **(_due_index(updated) if keep_due else {})},
        remove=() if keep_due else ("GSI1PK", "GSI1SK"),
        condition="attempts = :attempts AND #st IN (:scheduled, :retrying, :processing)",
        names={"#st": "status"},
        values={
            ":attempts": attempts,
            ":scheduled": "scheduled",
            ":retrying": "retrying",
            ":processing": "processing",
        },
    )
    dynamo.transact_all([entry, *(extra or []), *([b.audit_entry(audit)] if audit else [])])


def plan_status_entry(
    plan: Plan, status: str, *, now: datetime, from_status: str = "active"
) -> dict[str, Any]:
    fields: dict[str, Any] = {"status": status}
    if status == "cancelled":
        fields["cancelled_at"] = now.isoformat()
    return b.update_entry(
        b.key(plan.patient_id, plan_sk(plan.id)),
        set_fields=fields,
        condition="#st = :from",
        names={"#st": "status"},
        values={":from": from_status},
    )


def detach_plan_entry(plan: Plan) -> dict[str, Any]:
    """The statement no longer has an active plan (it may get a new one)."""
    return b.update_entry(
        statement_store.statement_key(plan.patient_id, plan.statement_id),
        remove=("plan_id",),
        add={"version": 1},
        condition="plan_id = :plan",
        values={":plan": plan.id},
    )


def cancel_installment_entry(installment: Installment) -> dict[str, Any]:
    return b.update_entry(
        b.key(installment.patient_id, installment_sk(installment.plan_id, installment.number)),
        set_fields={"status": "cancelled"},
        remove=("GSI1PK", "GSI1SK"),
        condition="#st IN (:scheduled, :retrying)",
        names={"#st": "status"},
        values={":scheduled": "scheduled", ":retrying": "retrying"},
    )
