"""Security-matrix samples for billing: statements, payments, plans and insurance to act on.

Each maker gets the owning patient's id and creates what one call needs (a fresh statement, a paid
payment, a plan...), so every call of the matrix finds something real behind its path.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.billing.models import PlanIn, StatementIn
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample

SAMPLE_BILLING = Caller(
    sub="sub-sample-billing",
    username="sample-billing",
    role=Role.BILLING,
    display_name="Sample Billing",
    request_id="req-sample",
)


def _sample(**kwargs: Any) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)


def statement_body(cents: int = 12_000, *, due_in_days: int = 30) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    return {
        "lines": [
            {
                "description": "Office visit, established patient",
                "code": "99213",
                "service_date": (today - timedelta(days=7)).isoformat(),
                "charge_cents": cents,
            }
        ],
        "insurance_paid_cents": 0,
        "adjustments_cents": 0,
        "due_date": (today + timedelta(days=due_in_days)).isoformat(),
    }


def make_statement(patient_id: str, cents: int = 12_000) -> str:
    from chalicelib.billing import statements as statement_service

    body = StatementIn.model_validate(statement_body(cents))
    return statement_service.post(SAMPLE_BILLING, patient_id, body).id


SAMPLE_PAYER_SUB = "sub-sample-payer"


def _payer(patient_id: str) -> Caller:
    return Caller(
        sub=SAMPLE_PAYER_SUB,
        username="sample-payer",
        role=Role.PATIENT,
        display_name="Sample Payer",
        request_id="req-sample",
        acts_for={patient_id: "self"},
    )


def make_started_payment(patient_id: str) -> tuple[str, str]:
    """A payment whose intent waits for the browser's card: (payment id, client secret)."""
    from chalicelib.billing import payments as payment_service

    payment = payment_service.start(
        _payer(patient_id),
        patient_id=patient_id,
        payment_id=payment_service.payment_id_for("sample", uuid.uuid4().hex),
        statement_id=make_statement(patient_id),
        amount_cents=2_000,
        currency="USD",
    )
    assert payment.status == "requires_payment_method"
    assert payment.client_secret is not None
    return payment.id, payment.client_secret


def make_paid_payment(patient_id: str) -> str:
    from chalicelib.billing import simulated as simulated_service
    from chalicelib.billing.models import SimulatedConfirmationIn

    payment_id, secret = make_started_payment(patient_id)
    confirm = SimulatedConfirmationIn(client_secret=secret, card_token="sim_tok_4242")
    assert (
        simulated_service.confirm_payment(_payer(patient_id), patient_id, payment_id, confirm).status
        == "succeeded"
    )
    return payment_id


def save_sample_card(patient_id: str) -> None:
    from chalicelib.billing import cards as card_service
    from chalicelib.billing import simulated as simulated_service
    from chalicelib.billing.models import SimulatedSetupIn

    setup = card_service.start_setup(_payer(patient_id), patient_id)
    confirm = SimulatedSetupIn(client_secret=setup.client_secret, card_token="sim_tok_4242")
    simulated_service.confirm_setup(_payer(patient_id), patient_id, confirm)


def make_plan(patient_id: str) -> str:
    from chalicelib.billing import plans as plan_service

    save_sample_card(patient_id)
    body = PlanIn(
        statement_id=make_statement(patient_id, 30_000),
        months=3,
        first_due_date=datetime.now(UTC).date() + timedelta(days=2),
    )
    return plan_service.create_plan(SAMPLE_BILLING, patient_id, body).id


def payment_body(patient_id: str) -> dict[str, Any]:
    return {"statement_id": make_statement(patient_id), "amount_cents": 1_500, "currency": "USD"}


def plan_sample(patient_id: str) -> Sample:
    save_sample_card(patient_id)
    first = datetime.now(UTC).date() + timedelta(days=2)
    return _sample(
        body={
            "statement_id": make_statement(patient_id, 30_000),
            "months": 3,
            "first_due_date": first.isoformat(),
        }
    )


def simulated_confirmation(patient_id: str) -> Sample:
    payment_id, secret = make_started_payment(patient_id)
    return _sample(
        params={"payment_id": payment_id}, body={"client_secret": secret, "card_token": "sim_tok_4242"}
    )


def simulated_setup(patient_id: str) -> Sample:
    from chalicelib.billing import cards as card_service

    setup = card_service.start_setup(_payer(patient_id), patient_id)
    return _sample(body={"client_secret": setup.client_secret, "card_token": "sim_tok_4242"})


def confirmed_setup(patient_id: str) -> Sample:
    from chalicelib.billing import cards as card_service
    from chalicelib.billing.providers.provider import provider

    setup = card_service.start_setup(_payer(patient_id), patient_id)
    provider().confirm_setup(setup.client_secret, card_token="sim_tok_4242")  # type: ignore[attr-defined]
    return _sample(body={"setup_id": setup.setup_id})


def coverage_body() -> dict[str, Any]:
    return {
        "payer_name": "Blue Prairie Health",
        "plan_name": "PPO Gold",
        "member_id": "XJH123456789",
        "group_number": "GRP-0042",
        "subscriber": {"name": "Sample Subscriber", "relationship": "self"},
    }


def make_insurance(patient_id: str) -> str:
    from chalicelib.billing import insurance as insurance_service
    from chalicelib.billing.models import InsuranceIn

    return insurance_service.add(SAMPLE_BILLING, patient_id, InsuranceIn.model_validate(coverage_body())).id


STATEMENTS = "/patients/{patient_id}/statements"
PAYMENTS = "/patients/{patient_id}/payments"
PLANS = "/patients/{patient_id}/payment-plans"
INSURANCE = "/patients/{patient_id}/insurance"
SAVED_CARD = "/patients/{patient_id}/saved-card"

SAMPLES: dict[str, Callable[[str], Sample]] = {
    f"POST {STATEMENTS}": lambda pid: _sample(body=statement_body()),
    f"GET {STATEMENTS}/{{statement_id}}": lambda pid: _sample(params={"statement_id": make_statement(pid)}),
    f"GET {STATEMENTS}/{{statement_id}}/printable": lambda pid: _sample(
        params={"statement_id": make_statement(pid)}
    ),
    f"POST {STATEMENTS}/{{statement_id}}/void": lambda pid: _sample(
        params={"statement_id": make_statement(pid)}, body={"reason": "Posted to the wrong visit"}
    ),
    f"POST {PAYMENTS}": lambda pid: _sample(
        body=payment_body(pid), headers={"Idempotency-Key": f"matrix-{uuid.uuid4().hex}"}
    ),
    f"GET {PAYMENTS}/{{payment_id}}/receipt": lambda pid: _sample(
        params={"payment_id": make_paid_payment(pid)}
    ),
    f"POST {PAYMENTS}/{{payment_id}}/refresh": lambda pid: _sample(
        params={"payment_id": make_paid_payment(pid)}
    ),
    f"POST {PAYMENTS}/{{payment_id}}/simulated-confirmation": simulated_confirmation,
    f"POST {PAYMENTS}/{{payment_id}}/refunds": lambda pid: _sample(
        params={"payment_id": make_paid_payment(pid)},
        body={"amount_cents": 500, "reason": "billing_error", "note": "Charged twice for one visit"},
        headers={"Idempotency-Key": f"matrix-{uuid.uuid4().hex}"},
    ),
    f"POST {PLANS}": lambda pid: plan_sample(pid),
    f"POST {SAVED_CARD}": confirmed_setup,
    f"POST {SAVED_CARD}/simulated-setup": simulated_setup,
    f"GET {PLANS}/{{plan_id}}": lambda pid: _sample(params={"plan_id": make_plan(pid)}),
    f"POST {PLANS}/{{plan_id}}/cancel": lambda pid: _sample(params={"plan_id": make_plan(pid)}),
    f"POST {INSURANCE}": lambda pid: _sample(body=coverage_body()),
    f"PUT {INSURANCE}/{{insurance_id}}": lambda pid: _sample(
        params={"insurance_id": make_insurance(pid)}, body={**coverage_body(), "version": 1}
    ),
    f"POST {INSURANCE}/{{insurance_id}}/verify": lambda pid: _sample(
        params={"insurance_id": make_insurance(pid)}, body={"result": "verified", "version": 1}
    ),
    f"POST {INSURANCE}/{{insurance_id}}/remove": lambda pid: _sample(
        params={"insurance_id": make_insurance(pid)}
    ),
}
