"""Demo billing: statements in every state for each demo patient, payments, a plan, insurance.

Idempotent: fixed ids, and anything already there is left alone (a re-seed keeps what a developer did).
Payments go through the real payment path with the simulated provider, so ledgers and audit agree.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.billing.models import LedgerEntry, Statement, StatementLine
from chalicelib.billing.store import keys as billing_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import users
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.patients import store as patient_store

ALEX, MARIA, CHRIS, RILEY = "p-4f1c2a9e", "p-8b3d7e21", "p-c5a0f613", "p-2e9a61d4"

# (statement id, patient, visit days ago, lines (code, description, cents), insurance paid, adjustments,
#  due in days (negative: overdue), what happens next)
_STATEMENTS: tuple[tuple[str, str, int, list[tuple[str, str, int]], int, int, int, str], ...] = (
    (
        "st-demo-alex-paid",
        ALEX,
        75,
        [("99213", "Office visit, established patient", 18_500)],
        12_000,
        2_500,
        -45,
        "paid",
    ),
    (
        "st-demo-alex-due",
        ALEX,
        12,
        [("99214", "Office visit, moderate complexity", 24_000), ("85025", "Complete blood count", 4_500)],
        17_500,
        3_000,
        18,
        "open",
    ),
    ("st-demo-alex-overdue", ALEX, 60, [("87880", "Rapid strep test", 3_800)], 0, 0, -10, "open"),
    (
        "st-demo-alex-void",
        ALEX,
        40,
        [("99213", "Office visit, established patient", 18_500)],
        0,
        0,
        5,
        "void",
    ),
    (
        "st-demo-maria-partial",
        MARIA,
        30,
        [("99396", "Preventive visit, 40-64 years", 32_000), ("80053", "Metabolic panel", 6_200)],
        20_000,
        4_200,
        4,
        "partial",
    ),
    ("st-demo-maria-overdue", MARIA, 95, [("93000", "Electrocardiogram", 9_500)], 4_000, 1_000, -35, "open"),
    ("st-demo-maria-paid", MARIA, 120, [("90686", "Influenza vaccine", 4_200)], 3_000, 0, -90, "paid"),
    (
        "st-demo-chris-plan",
        CHRIS,
        20,
        [("99204", "New patient visit", 42_000), ("81001", "Urinalysis", 2_000)],
        8_000,
        6_000,
        10,
        "plan",
    ),
    (
        "st-demo-chris-due",
        CHRIS,
        5,
        [("99213", "Office visit, established patient", 18_500)],
        14_000,
        1_500,
        25,
        "open",
    ),
    (
        "st-demo-riley-paid",
        RILEY,
        50,
        [("99393", "Well-child visit, 5-11 years", 21_000)],
        19_000,
        0,
        -20,
        "paid",
    ),
    ("st-demo-riley-due", RILEY, 8, [("90460", "Vaccine administration", 3_500)], 2_000, 0, 22, "open"),
)


def statement_number(statement_id: str, posted_at: datetime) -> str:
    # Like the service's "S-<yyyymm>-<6 of the id>"; the fixed demo ids share their first characters
    # ("st-demo-maria-..."), so take six hex digits of a hash to keep each demo number distinct.
    return f"S-{posted_at:%Y%m}-{hashlib.sha256(statement_id.encode()).hexdigest()[:6].upper()}"


def seed(subs: dict[str, str], now: datetime) -> None:
    billing = Caller(
        sub=subs["billing"],
        username="billing",
        role=Role.BILLING,
        display_name="Jordan Kim",
        request_id="seed",
    )
    today = now.date()
    for statement_id, patient_id, visit_ago, lines, insurance, adjustments, due_in, fate in _STATEMENTS:
        if not users.patient_exists(patient_id):
            continue
        created = _post(
            billing,
            statement_id,
            patient_id,
            today - timedelta(days=visit_ago),
            lines,
            insurance,
            adjustments,
            today + timedelta(days=due_in),
            now - timedelta(days=visit_ago - 3),
        )
        if created:
            _what_happens_next(billing, statement_id, patient_id, fate, subs)
    _insurance(billing, now)


def _post(
    billing: Caller,
    statement_id: str,
    patient_id: str,
    visit: date,
    lines: list[tuple[str, str, int]],
    insurance: int,
    adjustments: int,
    due: date,
    posted_at: datetime,
) -> bool:
    from chalicelib.core import audit

    if billing_store.get_item(patient_id, statement_store.statement_sk(statement_id)) is not None:
        return False
    total = sum(cents for _, _, cents in lines)
    owed = total - insurance - adjustments
    statement = Statement(
        id=statement_id,
        number=statement_number(statement_id, posted_at),
        patient_id=patient_id,
        patient_name=patient_store.get_profile(patient_id).display_name,
        currency="USD",
        lines=[
            StatementLine(description=d, code=c, service_date=visit, charge_cents=cents)
            for c, d, cents in lines
        ],
        total_charges_cents=total,
        insurance_paid_cents=insurance,
        adjustments_cents=adjustments,
        patient_responsibility_cents=owed,
        balance_cents=owed,
        due_date=due,
        status="open",
        posted_at=posted_at,
        posted_by_name=billing.display_name,
        provider_name="Dr. Priya Rivera" if patient_id != RILEY else "Dr. Marcus Chen",
    )
    ledger = LedgerEntry(
        id=f"seed-{statement_id}",
        patient_id=patient_id,
        at=posted_at,
        kind="statement",
        amount_cents=owed,
        currency="USD",
        statement_id=statement_id,
        description=f"Statement {statement.number}",
    )
    event = audit.event(billing, patient_id=patient_id, action="statement.post", target=statement_id)
    statement_store.create(statement, ledger=ledger, audit=event)
    return True


def _what_happens_next(
    billing: Caller, statement_id: str, patient_id: str, fate: str, subs: dict[str, str]
) -> None:
    from chalicelib.billing import cards as card_service
    from chalicelib.billing import payments as payment_service
    from chalicelib.billing import plans as plan_service
    from chalicelib.billing import simulated as simulated_service
    from chalicelib.billing import statements as statement_service
    from chalicelib.billing.models import PlanIn, SimulatedConfirmationIn, SimulatedSetupIn, VoidIn
    from chalicelib.billing.providers.provider import provider
    from chalicelib.billing.providers.simulated import SimulatedProvider

    if fate != "void" and not isinstance(provider(), SimulatedProvider):
        return  # a clinic on Stripe locally: its demo bills stay open for real test-mode cards
    statement = statement_store.get(patient_id, statement_id)
    payer = Caller(
        sub=subs.get("maria" if patient_id == MARIA else "alex", "seed"),
        username="seed",
        role=Role.PATIENT,
        display_name="Demo patient",
        request_id="seed",
        acts_for={patient_id: "self"},
    )
    if fate in ("paid", "partial"):
        amount = statement.balance_cents if fate == "paid" else statement.balance_cents // 2
        payment = payment_service.start(
            payer,
            patient_id=patient_id,
            # Receipt numbers end with the payment id's last 8 characters: keep those hex, not "-partial".
            payment_id="pay-seed-" + hashlib.sha256(statement_id.encode()).hexdigest()[:24],
            statement_id=statement_id,
            amount_cents=amount,
            currency="USD",
        )
        if payment.client_secret:  # the patient's browser gives the card to the (simulated) processor
            token = "sim_tok_4242" if fate == "paid" else "sim_tok_4444"
            confirm = SimulatedConfirmationIn(client_secret=payment.client_secret, card_token=token)
            simulated_service.confirm_payment(payer, patient_id, payment.id, confirm)
    elif fate == "void":
        statement_service.void(
            billing, patient_id, statement_id, VoidIn(reason="Posted twice for the same visit")
        )
    elif fate == "plan":
        setup = card_service.start_setup(payer, patient_id)
        simulated_service.confirm_setup(
            payer, patient_id, SimulatedSetupIn(client_secret=setup.client_secret, card_token="sim_tok_4242")
        )
        plan_service.create_plan(payer, patient_id, PlanIn(statement_id=statement_id, months=3))


def _insurance(billing: Caller, now: datetime) -> None:
    from chalicelib.billing import insurance as insurance_service
    from chalicelib.billing.models import InsuranceIn, VerifyIn
    from chalicelib.billing.store import insurance as insurance_store

    coverage: dict[str, list[dict[str, Any]]] = {
        ALEX: [
            {
                "payer_name": "Blue Prairie Health",
                "plan_name": "PPO Gold",
                "member_id": "BPH204411873",
                "group_number": "RIV-1001",
                "subscriber": {
                    "name": "Alexandra Morgan",
                    "relationship": "self",
                    "birth_date": "1984-03-09",
                },
            },
        ],
        RILEY: [
            {
                "payer_name": "Blue Prairie Health",
                "plan_name": "PPO Gold",
                "member_id": "BPH204411875",
                "group_number": "RIV-1001",
                "subscriber": {
                    "name": "Alexandra Morgan",
                    "relationship": "parent",
                    "birth_date": "1984-03-09",
                },
            },
        ],
        MARIA: [
            {
                "payer_name": "Medicare",
                "plan_name": "Part B",
                "member_id": "1EG4TE5MK72",
                "subscriber": {"name": "María González", "relationship": "self", "birth_date": "1957-11-22"},
            },
            {
                "payer_name": "Prairie Senior Supplement",
                "plan_name": "Plan G",
                "member_id": "PSS88310022",
                "priority": "secondary",
                "subscriber": {"name": "María González", "relationship": "self"},
            },
        ],
    }
    for patient_id, items in coverage.items():
        if not users.patient_exists(patient_id) or insurance_store.list_for_patient(patient_id):
            continue
        for n, raw in enumerate(items):
            added = insurance_service.add(billing, patient_id, InsuranceIn.model_validate(raw), now=now)
            if n == 0:  # the primary coverage was checked by the front desk
                insurance_service.verify(
                    billing, patient_id, added.id, VerifyIn(result="verified", version=1)
                )
