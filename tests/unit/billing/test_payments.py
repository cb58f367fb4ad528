"""Card payments on the simulated processor: reserve -> intent -> the browser confirms -> the processor's
events settle or release; idempotency, declines, late webhooks, 3-D Secure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from chalicelib.billing import payments as service
from chalicelib.billing import simulated as simulated_service
from chalicelib.billing import statements as statement_service
from chalicelib.billing.models import PaymentIn, PaymentOut, SimulatedConfirmationIn
from chalicelib.billing.providers.simulated import SimulatedProvider
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit_log, errors, idempotency
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.billing_fixtures import (
    Person,
    StatementMaker,
    make_person,
)
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed


def body(statement_id: str, amount: int | None) -> PaymentIn:
    return PaymentIn(statement_id=statement_id, amount_cents=amount, currency="USD")


def pay(
    person: Person, statement_id: str, amount: int | None, key: str, token: str | None = "sim_tok_4242"
) -> PaymentOut:
    """Start a payment, then (as the processor's script in the browser would) confirm it with a card."""
    out = service.pay(person.caller, person.patient_id, body(statement_id, amount), idempotency_key=key)
    if token and out.next_action:
        confirm = SimulatedConfirmationIn(client_secret=out.next_action.client_secret, card_token=token)
        out = simulated_service.confirm_payment(person.caller, person.patient_id, out.id, confirm)
    return out


def balances(patient_id: str, statement_id: str) -> tuple[int, int, int]:
    s = statement_store.get(patient_id, statement_id)
    return s.balance_cents, s.pending_cents, s.paid_cents


def test_a_partial_payment_moves_money_once_with_ledger_audit_and_receipt(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = pay(alex, statement.id, 5_000, "key-partial-1")
    assert (out.status, out.card_brand, out.card_last4) == ("succeeded", "visa", "4242")
    assert out.receipt_number
    assert balances(alex.patient_id, statement.id) == (10_000, 0, 5_000)
    assert simulated.captured_cents() == 5_000
    ledger = statement_service.ledger(alex.caller, alex.patient_id, limit=10, cursor=None)
    assert sorted(e.amount_cents for e in ledger.items) == [-5_000, 15_000]
    actions = {e.action for e in audit_log.list_for_patient(alex.patient_id, limit=50, cursor=None)[0]}
    assert {"payment.create", "payment.succeed"} <= actions
    receipt = service.receipt(alex.caller, alex.patient_id, out.id)
    assert (receipt.payment.amount_cents, receipt.statement_balance_cents) == (5_000, 10_000)
    stored = payment_store.get(alex.patient_id, out.id)
    assert stored.card_token is None
    assert stored.provider_ref


def test_paying_in_full_closes_the_statement_and_takes_it_off_the_work_list(
    alex: Person, billing: Caller, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 8_000)
    out = service.pay(alex.caller, alex.patient_id, body(statement.id, None), idempotency_key="key-full-0000")
    assert out.amount_cents == 8_000  # the server's amount: the whole balance
    pay(alex, statement.id, None, "key-full-0001")  # a reload: the first attempt, never confirmed, gives way
    closed = statement_store.get(alex.patient_id, statement.id)
    assert (closed.status, closed.balance_cents, closed.paid_cents) == ("paid", 0, 8_000)
    assert payment_store.get(alex.patient_id, out.id).status == "canceled"
    assert statement_service.work_list(billing, overdue_only=False, limit=50, cursor=None).items == []
    with pytest.raises(errors.Conflict, match="already paid"):
        pay(alex, statement.id, 1, "key-full-0002")


def test_a_retry_with_the_same_key_returns_the_first_result_and_charges_once(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 15_000)
    first = service.pay(
        alex.caller, alex.patient_id, body(statement.id, 4_000), idempotency_key="key-retry-001"
    )
    again = service.pay(
        alex.caller, alex.patient_id, body(statement.id, 4_000), idempotency_key="key-retry-001"
    )
    assert again == first
    assert len(simulated.intents()) == 1
    assert balances(alex.patient_id, statement.id) == (11_000, 4_000, 0)


@pytest.mark.parametrize(
    ("token", "code", "words"),
    [
        ("sim_tok_0002", "card_declined", "declined"),
        ("sim_tok_9995", "insufficient_funds", "insufficient funds"),
    ],
)
def test_a_declined_card_changes_no_balance_and_says_so(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider, token: str, code: str, words: str
) -> None:
    statement = post(alex.patient_id, 15_000)
    declined = pay(alex, statement.id, 5_000, "key-decline-1", token)
    assert (declined.status, declined.failure_code) == ("declined", code)
    assert words in declined.message
    assert "No charge" in declined.message
    assert [i.status for i in simulated.intents()] == ["canceled"]  # never chargeable later
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)
    history = service.list_payments(alex.caller, alex.patient_id).items
    assert [(p.status, p.failure_code) for p in history] == [("declined", code)]
    ledger = statement_service.ledger(alex.caller, alex.patient_id, limit=10, cursor=None)
    assert [e.kind for e in ledger.items] == ["statement"]  # no money moved, no ledger line
    with pytest.raises(errors.NotFound):
        routed(service.receipt, alex.caller, alex.patient_id, history[0].id)


def test_a_late_webhook_leaves_the_payment_pending_until_reconciled(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = pay(alex, statement.id, 6_000, "key-timeout-1", "sim_tok_timeout")
    assert out.status == "requires_payment_method"  # charged at the processor; we have not heard yet
    assert balances(alex.patient_id, statement.id) == (9_000, 6_000, 0)  # reserved: no over-payment meanwhile
    assert service.reconcile(now=out.created_at + timedelta(minutes=1)) == 0  # too early
    assert service.reconcile(now=out.created_at + timedelta(minutes=20)) == 1
    assert payment_store.get(alex.patient_id, out.id).status == "succeeded"
    assert balances(alex.patient_id, statement.id) == (9_000, 0, 6_000)
    assert simulated.captured_cents() == 6_000
    assert service.reconcile(now=out.created_at + timedelta(minutes=40)) == 0  # nothing left to do


def test_a_confirmation_that_never_reached_the_processor_charges_nothing(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 15_000)
    with pytest.raises(errors.ServiceUnavailable):
        pay(alex, statement.id, 3_000, "key-lost-01", "sim_tok_unreachable")
    [payment] = payment_store.list_for_patient(alex.patient_id)
    assert payment.status == "requires_payment_method"  # the patient may try again
    assert service.reconcile(now=payment.created_at + timedelta(hours=2)) == 0
    assert service.reconcile(now=payment.created_at + timedelta(hours=25)) == 1  # abandoned: canceled
    assert payment_store.get(alex.patient_id, payment.id).status == "canceled"
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)
    assert simulated.captured_cents() == 0


def test_a_card_needing_confirmation_holds_the_amount_until_confirmed(
    alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = pay(alex, statement.id, 2_500, "k-3ds-0001", "sim_tok_3184")
    assert out.status == "requires_action"
    assert out.next_action is not None
    assert out.next_action.type == "authenticate"
    assert balances(alex.patient_id, statement.id) == (12_500, 2_500, 0)
    assert service.refresh(alex.caller, alex.patient_id, out.id).status == "requires_action"
    answer = SimulatedConfirmationIn(client_secret=out.next_action.client_secret, approve=True)
    done = simulated_service.confirm_payment(alex.caller, alex.patient_id, out.id, answer)
    assert done.status == "succeeded"
    assert balances(alex.patient_id, statement.id) == (12_500, 0, 2_500)


def test_a_failed_confirmation_releases_the_amount(alex: Person, post: StatementMaker) -> None:
    statement = post(alex.patient_id, 15_000)
    out = pay(alex, statement.id, 2_500, "k-3ds-0002", "sim_tok_3184")
    assert out.next_action is not None
    answer = SimulatedConfirmationIn(client_secret=out.next_action.client_secret, approve=False)
    assert (
        simulated_service.confirm_payment(alex.caller, alex.patient_id, out.id, answer).status == "declined"
    )
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)


def test_an_unconfirmed_payment_is_released_after_a_day(alex: Person, post: StatementMaker) -> None:
    statement = post(alex.patient_id, 15_000)
    out = pay(alex, statement.id, 2_500, "k-3ds-0003", "sim_tok_3184")
    assert service.reconcile(now=out.created_at + timedelta(hours=2)) == 0
    assert service.reconcile(now=out.created_at + timedelta(hours=25)) == 1
    assert payment_store.get(alex.patient_id, out.id).status == "canceled"
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)


# --- bad input: a clear 4xx and nothing changed ----------------------------------------------------


@pytest.mark.parametrize("amount", [0, -100, 10.5, "500"])
def test_zero_negative_and_non_integer_amounts_are_refused(amount: object) -> None:
    with pytest.raises(ValidationError):
        PaymentIn.model_validate({"statement_id": "st-1", "amount_cents": amount, "currency": "USD"})


def test_a_card_number_is_never_accepted() -> None:
    with pytest.raises(ValidationError):
        PaymentIn.model_validate(
            {"statement_id": "st-1", "amount_cents": 100, "currency": "USD", "card_token": "4242424242424242"}
        )
    with pytest.raises(ValidationError):
        SimulatedConfirmationIn.model_validate(
            {"client_secret": "sim_pi_x_secret_y", "card_token": "4242424242424242"}
        )


def test_more_than_the_balance_is_refused_and_changes_nothing(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 15_000)
    with pytest.raises(service.AmountExceedsBalance) as refused:
        service.pay(alex.caller, alex.patient_id, body(statement.id, 15_001), idempotency_key="key-over-0001")
    assert refused.value.STATUS_CODE == 409
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)
    assert simulated.intents() == []
    assert service.list_payments(alex.caller, alex.patient_id).items == []


def test_another_patients_statement_is_not_found(
    make_patient: PatientFactory, caller_for: CallerFactory, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    bob = make_person(make_patient, caller_for, 2)
    with pytest.raises(errors.NotFound):  # paying into Alex's partition
        routed(
            service.pay, bob.caller, alex.patient_id, body(statement.id, 100), idempotency_key="key-bob-00001"
        )
    with pytest.raises(errors.NotFound):  # Alex's statement id from his own account
        routed(
            service.pay, bob.caller, bob.patient_id, body(statement.id, 100), idempotency_key="key-bob-00002"
        )
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)


@pytest.mark.parametrize("key", [None, "", "short", "has spaces in it", "x" * 129])
def test_a_missing_or_malformed_idempotency_key_is_refused(
    alex: Person, post: StatementMaker, key: str | None
) -> None:
    statement = post(alex.patient_id, 15_000)
    with pytest.raises(errors.BadRequest) as refused:
        service.pay(alex.caller, alex.patient_id, body(statement.id, 100), idempotency_key=key)
    assert refused.value.fields == {"Idempotency-Key": refused.value.fields["Idempotency-Key"]}  # type: ignore[index]
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)


def test_a_reused_key_with_a_different_body_is_refused(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 15_000)
    pay(alex, statement.id, 1_000, "key-reuse-001")
    with pytest.raises(idempotency.IdempotencyKeyReused) as refused:
        service.pay(alex.caller, alex.patient_id, body(statement.id, 2_000), idempotency_key="key-reuse-001")
    assert refused.value.STATUS_CODE == 422
    assert balances(alex.patient_id, statement.id) == (14_000, 0, 1_000)
    assert len(simulated.intents()) == 1


def test_the_key_belongs_to_who_is_asking(
    make_patient: PatientFactory, caller_for: CallerFactory, alex: Person, post: StatementMaker
) -> None:
    """A caregiver who happens to send the patient's key (and body) makes a payment of their own."""
    statement = post(alex.patient_id, 15_000)
    caregiver = caller_for(Role.PATIENT, acts_for={alex.patient_id: "caregiver"}, sub="sub-caregiver")
    mine = pay(alex, statement.id, 1_000, "key-shared-01")
    theirs = pay(Person(alex.patient_id, caregiver), statement.id, 1_000, "key-shared-01")
    assert mine.id != theirs.id
    assert balances(alex.patient_id, statement.id) == (13_000, 0, 2_000)


def test_a_resumed_payment_after_a_crash_is_not_charged_again(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    """Without the idempotency record (expired, or lost in a crash), the derived payment id still finds
    the payment already made and returns it."""
    statement = post(alex.patient_id, 15_000)
    kwargs = {
        "patient_id": alex.patient_id,
        "payment_id": service.payment_id_for(alex.caller.sub, alex.patient_id, "key-crash-001"),
        "statement_id": statement.id,
        "amount_cents": 3_000,
        "currency": "USD",
    }
    first = service.start(alex.caller, **kwargs)  # type: ignore[arg-type]
    second = service.start(alex.caller, **kwargs)  # type: ignore[arg-type]
    assert first == second
    assert len(simulated.intents()) == 1
    with pytest.raises(idempotency.IdempotencyKeyReused):
        service.start(alex.caller, **{**kwargs, "amount_cents": 3_001})  # type: ignore[arg-type]


def test_a_voided_statement_cannot_be_paid(alex: Person, billing: Caller, post: StatementMaker) -> None:
    from chalicelib.billing.models import VoidIn

    statement = post(alex.patient_id, 15_000)
    statement_service.void(billing, alex.patient_id, statement.id, VoidIn(reason="Duplicate"))
    with pytest.raises(errors.Conflict, match="voided"):
        pay(alex, statement.id, 100, "key-void-0001")


def test_a_statement_with_payments_cannot_be_voided(
    alex: Person, billing: Caller, post: StatementMaker
) -> None:
    from chalicelib.billing.models import VoidIn

    statement = post(alex.patient_id, 15_000)
    pay(alex, statement.id, 100, "key-void-0002")
    with pytest.raises(errors.Conflict, match="refund"):
        statement_service.void(billing, alex.patient_id, statement.id, VoidIn(reason="Duplicate"))


def test_receipt_email_says_only_that_a_receipt_is_ready() -> None:
    from chalicelib.billing import notices as billing_notices

    notice = billing_notices.receipt()
    assert "receipt" in notice.subject.lower()
    assert "$" not in notice.text
    assert "cents" not in notice.text


def test_prod_never_uses_the_simulated_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.billing.providers import provider as provider_module
    from chalicelib.core import config

    monkeypatch.setenv("STAGE", "prod")
    config.settings.cache_clear()
    provider_module._configured.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="not allowed in prod"):
            provider_module.provider()
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
        provider_module._configured.cache_clear()


def test_importing_the_app_loads_neither_stripe_nor_powertools_idempotency() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys, app; "
        "loaded = [m for m in sys.modules if m == 'stripe' or m.endswith('utilities.idempotency')]; "
        "print(loaded)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "[]"
