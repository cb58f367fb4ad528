"""The whole Stripe path, offline: Stripe's API answered at the HTTP layer from recorded objects
(tests/stripe_fake.py), webhooks signed as Stripe signs them. The browser's part (Stripe.js confirming
an intent with the card) is played by the fake; everything else is the portal's own code."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.billing import cards as card_service
from chalicelib.billing import jobs, webhooks
from chalicelib.billing import payments as service
from chalicelib.billing import plans as plan_service
from chalicelib.billing import refunds as refund_service
from chalicelib.billing import statements as statement_service
from chalicelib.billing.models import CardSetupIn, PaymentIn, PlanIn, RefundIn
from chalicelib.billing.providers import provider as providers
from chalicelib.billing.providers.stripe import StripeProvider
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit_log, config, dynamo
from chalicelib.core.access import Caller
from chalicelib.core.clinic_settings import StripeSettings
from tests.stripe_fake import SECRET_ARN, SECRETS, WEBHOOK_ARN, FakeStripe
from tests.unit.billing_fixtures import NOW, Person, StatementMaker

SETTINGS = StripeSettings(
    publishable_key="pk_test_51LakesideExample", secret_key_arn=SECRET_ARN, webhook_secret_arn=WEBHOOK_ARN
)


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    api = FakeStripe()
    providers.use(StripeProvider(SETTINGS, secret=SECRETS.__getitem__, http_client=api, retries=0))
    yield api
    providers.use(None)


@pytest.fixture
def outbox() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=config.clinic().mail_from)
    return ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]


def receipts_sent(outbox: Any) -> int:
    subject = f"Your payment receipt is ready from {config.clinic().name}"
    return sum(1 for m in outbox.sent_messages if m.subject == subject)


def balances(patient_id: str, statement_id: str) -> tuple[int, int, int]:
    s = statement_store.get(patient_id, statement_id)
    return s.balance_cents, s.pending_cents, s.paid_cents


def actions(patient_id: str) -> list[str]:
    return [e.action for e in audit_log.list_for_patient(patient_id, limit=100, cursor=None)[0]]


def start(person: Person, statement_id: str, key: str, amount: int | None = None) -> Any:
    body = PaymentIn(statement_id=statement_id, amount_cents=amount, currency="USD")
    return service.pay(person.caller, person.patient_id, body, idempotency_key=key)


def deliver(fake: FakeStripe, kind: str, obj: dict[str, Any]) -> dict[str, str]:
    payload, signature = fake.event(kind, obj)
    return webhooks.receive(payload, signature)


def test_intent_first_then_the_succeeded_webhook_pays_the_statement_exactly(
    fake: FakeStripe, alex: Person, post: StatementMaker, outbox: Any
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = start(alex, statement.id, "key-stripe-0001")

    # The intent exists before any card: the server's amount, our payment id as key and in metadata.
    [(method, _path, params, key)] = [r for r in fake.requests if r[1] == "/v1/payment_intents"]
    assert (method, params["amount"], params["currency"]) == ("POST", "15000", "usd")
    assert key == out.id
    assert params["metadata"] == {"portal_payment_id": out.id}
    stored = payment_store.get(alex.patient_id, out.id)
    assert stored.provider_ref in fake.intents
    assert stored.status == "requires_payment_method"
    assert out.next_action is not None
    assert out.next_action.client_secret == fake.intents[stored.provider_ref]["client_secret"]
    assert balances(alex.patient_id, statement.id) == (0, 15_000, 0)  # reserved, not paid

    fake.browser_confirms(stored.provider_ref)  # Stripe.js, in the patient's browser
    assert deliver(fake, "payment_intent.succeeded", fake.intent_object(stored.provider_ref)) == {
        "received": "handled"
    }

    paid = payment_store.get(alex.patient_id, out.id)
    assert (paid.status, paid.card_brand, paid.card_last4) == ("succeeded", "visa", "4242")
    closed = statement_store.get(alex.patient_id, statement.id)
    assert (closed.status, closed.balance_cents, closed.pending_cents, closed.paid_cents) == (
        "paid",
        0,
        0,
        15_000,
    )
    ledger = statement_service.ledger(alex.caller, alex.patient_id, limit=10, cursor=None)
    assert sorted((e.kind, e.amount_cents) for e in ledger.items) == [
        ("payment", -15_000),
        ("statement", 15_000),
    ]
    assert [e.description for e in ledger.items if e.kind == "payment"] == ["Card payment (Visa ending 4242)"]
    receipt = service.receipt(alex.caller, alex.patient_id, out.id)
    assert (receipt.payment.amount_cents, receipt.statement_balance_cents, receipt.refunds) == (15_000, 0, [])
    assert receipt.receipt_number == paid.receipt_number
    assert fake.searched() == 0
    assert receipts_sent(outbox) == 1


def test_a_declined_card_is_canceled_at_stripe_and_the_balance_given_back(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 8_000)
    out = start(alex, statement.id, "key-stripe-0002")
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    fake.browser_confirms(ref, "insufficient_funds")
    deliver(fake, "payment_intent.payment_failed", fake.intent_object(ref))

    declined = payment_store.get(alex.patient_id, out.id)
    assert (declined.status, declined.failure_code) == ("declined", "insufficient_funds")
    assert declined.failure_message
    assert "insufficient funds" in declined.failure_message
    assert fake.intents[ref]["status"] == "canceled"  # a retry on it can never charge a released payment
    assert balances(alex.patient_id, statement.id) == (8_000, 0, 0)
    assert "payment.declined" in actions(alex.patient_id)


def test_an_intent_canceled_at_stripe_releases_the_payment(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 8_000)
    out = start(alex, statement.id, "key-stripe-0003")
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    fake.intents[ref]["status"] = "canceled"  # canceled in the clinic's Stripe dashboard
    deliver(fake, "payment_intent.canceled", fake.intent_object(ref))
    assert payment_store.get(alex.patient_id, out.id).status == "canceled"
    assert balances(alex.patient_id, statement.id) == (8_000, 0, 0)


@pytest.mark.parametrize("tamper", ["wrong secret", "old timestamp", "no signature", "edited body"])
def test_an_unverifiable_webhook_is_refused_and_changes_nothing(
    fake: FakeStripe, alex: Person, post: StatementMaker, tamper: str
) -> None:
    statement = post(alex.patient_id, 8_000)
    out = start(alex, statement.id, "key-stripe-0004")
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    fake.browser_confirms(ref)
    obj = fake.intent_object(ref)
    if tamper == "wrong secret":
        payload, signature = fake.event("payment_intent.succeeded", obj, secret="whsec_someone_else")
    elif tamper == "old timestamp":  # a replay of a captured request, six minutes later
        payload, signature = fake.event("payment_intent.succeeded", obj, at=int(time.time()) - 360)
    else:
        payload, signature = fake.event("payment_intent.succeeded", obj)
        if tamper == "no signature":
            signature = ""
        else:
            payload = payload.replace(b'"livemode": false', b'"livemode": true')
    with pytest.raises(webhooks.InvalidWebhook):
        webhooks.receive(payload, signature)
    assert payment_store.get(alex.patient_id, out.id).status == "requires_payment_method"
    assert balances(alex.patient_id, statement.id) == (0, 8_000, 0)


def test_the_same_event_delivered_three_times_settles_once(
    fake: FakeStripe, alex: Person, post: StatementMaker, outbox: Any
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = start(alex, statement.id, "key-stripe-0005", amount=6_000)
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    fake.browser_confirms(ref)
    payload, signature = fake.event("payment_intent.succeeded", fake.intent_object(ref))
    answers = [webhooks.receive(payload, signature)["received"] for _ in range(3)]
    assert answers == ["handled", "duplicate", "duplicate"]
    assert balances(alex.patient_id, statement.id) == (9_000, 0, 6_000)
    ledger = statement_service.ledger(alex.caller, alex.patient_id, limit=10, cursor=None)
    assert [e.amount_cents for e in ledger.items if e.kind == "payment"] == [-6_000]
    assert actions(alex.patient_id).count("payment.succeed") == 1
    assert receipts_sent(outbox) == 1
    # A second event for the same success (Stripe sends several kinds) changes nothing either.
    deliver(fake, "payment_intent.succeeded", fake.intent_object(ref))
    assert balances(alex.patient_id, statement.id) == (9_000, 0, 6_000)


def test_reconcile_with_a_lagging_lookup_waits_and_never_releases_a_charged_payment(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = start(alex, statement.id, "key-stripe-0006")
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    fake.browser_confirms(ref)  # charged; the webhook never arrives
    fake.lag(ref, 2)  # and Stripe's reads are behind for two runs
    later = dynamo.utcnow() + timedelta(hours=30)  # even past the confirmation window

    for _ in range(2):
        assert service.reconcile(now=later) == 0
        assert payment_store.get(alex.patient_id, out.id).status == "pending"
        assert balances(alex.patient_id, statement.id) == (0, 15_000, 0)
    assert service.reconcile(now=later) == 1
    assert payment_store.get(alex.patient_id, out.id).status == "succeeded"
    assert balances(alex.patient_id, statement.id) == (0, 0, 15_000)
    assert fake.searched() == 0
    assert not {"payment.declined", "payment.failed", "payment.canceled"} & set(actions(alex.patient_id))
    assert not any(path.endswith("/cancel") for _, path, *_ in fake.requests)


def test_a_lost_create_answer_is_retried_with_the_same_key_and_finds_the_same_intent(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    from chalicelib.billing.payments import ProcessorUnavailable

    statement = post(alex.patient_id, 15_000)
    fake.fail_next("POST", "/v1/payment_intents", "lost")
    with pytest.raises(ProcessorUnavailable):
        start(alex, statement.id, "key-stripe-0007")
    assert len(fake.intents) == 1  # Stripe made it; we never heard
    out = start(alex, statement.id, "key-stripe-0007")  # the browser retries with the same key
    assert len(fake.intents) == 1
    assert payment_store.get(alex.patient_id, out.id).provider_ref == next(iter(fake.intents))


def test_an_abandoned_intent_is_canceled_at_stripe_and_only_then_released(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    out = start(alex, statement.id, "key-stripe-0008")
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    assert service.reconcile(now=dynamo.utcnow() + timedelta(hours=1)) == 0  # the patient may come back
    fake.fail_next("POST", f"/v1/payment_intents/{ref}/cancel", "api_error")
    assert service.reconcile(now=dynamo.utcnow() + timedelta(hours=25)) == 0  # Stripe down: stays
    assert balances(alex.patient_id, statement.id) == (0, 15_000, 0)
    assert service.reconcile(now=dynamo.utcnow() + timedelta(hours=25)) == 1
    assert fake.intents[ref]["status"] == "canceled"
    assert balances(alex.patient_id, statement.id) == (15_000, 0, 0)


def test_a_new_attempt_cancels_the_one_left_without_a_card(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    first = start(alex, statement.id, "key-stripe-0009")
    second = start(alex, statement.id, "key-stripe-0010")  # a reload of the pay page
    assert payment_store.get(alex.patient_id, first.id).status == "canceled"
    assert payment_store.get(alex.patient_id, second.id).status == "requires_payment_method"
    assert balances(alex.patient_id, statement.id) == (0, 15_000, 0)


# --- payment plans: a saved card, charged off-session ----------------------------------------------


def save_card(fake: FakeStripe, person: Person, payment_method: str) -> None:
    setup = card_service.start_setup(person.caller, person.patient_id)
    fake.setups[setup.setup_id].update(status="succeeded", payment_method=payment_method)  # Stripe.js
    card_service.complete_setup(person.caller, person.patient_id, CardSetupIn(setup_id=setup.setup_id))


def test_installments_first_on_agreement_then_off_session_then_a_decline_retried_and_reported(
    fake: FakeStripe, alex: Person, post: StatementMaker, outbox: Any
) -> None:
    statement = post(alex.patient_id, 30_000)
    save_card(fake, alex, "pm_card_visa")
    [(_, _, setup_params, _)] = [r for r in fake.requests if r[1] == "/v1/setup_intents"]
    assert setup_params["usage"] == "off_session"
    customer = setup_params["customer"]
    assert len(fake.customers) == 1
    assert customer in fake.customers
    assert fake.customers[customer]["email"] is None  # nothing about the patient at Stripe

    plan = plan_service.create_plan(
        alex.caller, alex.patient_id, PlanIn(statement_id=statement.id, months=3), now=NOW
    )
    assert [i.status for i in plan.installments] == ["paid", "scheduled", "scheduled"]
    confirms = [r for r in fake.requests if r[1].endswith("/confirm")]
    assert [(r[2]["off_session"], r[2]["payment_method"]) for r in confirms] == [("true", "pm_card_visa")]
    creates = [r for r in fake.requests if r[1] == "/v1/payment_intents"]
    assert creates[0][2]["customer"] == customer

    second_due = NOW + timedelta(days=31)
    jobs.run_all(now=second_due)
    plan = plan_service.get_plan(alex.caller, alex.patient_id, plan.id)
    assert [i.status for i in plan.installments] == ["paid", "paid", "scheduled"]
    assert balances(alex.patient_id, statement.id) == (10_000, 0, 20_000)

    save_card(fake, alex, "pm_card_chargeCustomerFail")  # the patient replaced the card
    assert fake.detached == ["pm_card_visa"]
    mails_before = len(outbox.sent_messages)
    third_due = NOW + timedelta(days=62)
    limits = config.clinic().billing.plans
    for attempt in range(limits.retry_attempts):
        jobs.run_all(now=third_due + timedelta(days=attempt * limits.retry_after_days))
    plan = plan_service.get_plan(alex.caller, alex.patient_id, plan.id)
    third = plan.installments[2]
    assert (third.status, third.attempts, plan.status) == ("missed", limits.retry_attempts, "past_due")
    assert balances(alex.patient_id, statement.id) == (10_000, 0, 20_000)  # nothing taken, nothing stuck
    keys = [r[3] for r in fake.requests if r[1] == "/v1/payment_intents"]
    assert len(keys) == len(set(keys)) == 2 + limits.retry_attempts  # each attempt its own key
    problem = f"A scheduled payment needs your attention from {config.clinic().name}"
    notices = [m for m in outbox.sent_messages[mails_before:] if m.subject == problem]
    assert len(notices) == limits.retry_attempts
    assert all("$" not in str(m.body) and "100.00" not in str(m.body) for m in notices)


def test_the_patient_removes_the_saved_card(fake: FakeStripe, alex: Person) -> None:
    save_card(fake, alex, "pm_card_visa")
    assert card_service.saved_card(alex.caller, alex.patient_id).card is not None
    assert card_service.remove_card(alex.caller, alex.patient_id).card is None
    assert fake.detached == ["pm_card_visa"]


# --- refunds and disputes -------------------------------------------------------------------------


def paid_by_stripe(fake: FakeStripe, person: Person, statement_id: str, amount: int, key: str) -> str:
    out = start(person, statement_id, key, amount=amount)
    ref = payment_store.get(person.patient_id, out.id).provider_ref
    assert ref
    fake.browser_confirms(ref)
    deliver(fake, "payment_intent.succeeded", fake.intent_object(ref))
    return out.id


def test_a_partial_refund_is_exact_in_ledger_balance_and_receipt_and_recorded_once(
    fake: FakeStripe, alex: Person, billing: Caller, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    payment_id = paid_by_stripe(fake, alex, statement.id, 5_000, "key-stripe-0011")
    body = RefundIn(amount_cents=1_234, reason="requested_by_patient", note="Charged for a cancelled visit")
    made = refund_service.refund(
        billing, alex.patient_id, payment_id, body, idempotency_key="key-refund-0001"
    )
    again = refund_service.refund(
        billing, alex.patient_id, payment_id, body, idempotency_key="key-refund-0001"
    )
    assert again == made
    assert len(fake.refunds) == 1
    [(_, _, params, _)] = [r for r in fake.requests if r[1] == "/v1/refunds" and r[0] == "POST"]
    assert params == {
        "payment_intent": payment_store.get(alex.patient_id, payment_id).provider_ref,
        "amount": "1234",
        "reason": "requested_by_customer",
    }

    # Stripe's webhook for the same refund arrives afterwards: already recorded, nothing doubles.
    ref = payment_store.get(alex.patient_id, payment_id).provider_ref
    assert ref
    deliver(fake, "charge.refunded", fake.charge_object(ref))

    assert balances(alex.patient_id, statement.id) == (11_234, 0, 3_766)
    ledger = statement_service.ledger(alex.caller, alex.patient_id, limit=10, cursor=None)
    assert sorted((e.kind, e.amount_cents) for e in ledger.items) == [
        ("payment", -5_000),
        ("refund", 1_234),
        ("statement", 15_000),
    ]
    receipt = service.receipt(alex.caller, alex.patient_id, payment_id)
    assert [(r.amount_cents, r.reason) for r in receipt.refunds] == [(1_234, "requested_by_patient")]
    assert (receipt.payment.refunded_cents, receipt.statement_balance_cents) == (1_234, 11_234)


def test_a_full_refund_reopens_a_paid_statement_and_a_dashboard_refund_arrives_by_webhook(
    fake: FakeStripe, alex: Person, billing: Caller, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 8_000)
    payment_id = paid_by_stripe(fake, alex, statement.id, 8_000, "key-stripe-0012")
    ref = payment_store.get(alex.patient_id, payment_id).provider_ref
    assert ref
    assert statement_store.get(alex.patient_id, statement.id).status == "paid"
    too_much = RefundIn(amount_cents=8_001, reason="other", note="More than was paid")
    with pytest.raises(Exception, match="more than what is left"):
        refund_service.refund(
            billing, alex.patient_id, payment_id, too_much, idempotency_key="key-refund-0002"
        )

    fake._refund({"payment_intent": ref, "amount": "8000"})  # refunded in the Stripe dashboard
    deliver(fake, "charge.refunded", fake.charge_object(ref))
    reopened = statement_store.get(alex.patient_id, statement.id)
    assert (reopened.status, reopened.balance_cents, reopened.paid_cents) == ("open", 8_000, 0)
    items = statement_service.work_list(billing, overdue_only=False, limit=10, cursor=None).items
    assert [i.statement_id for i in items] == [statement.id]


def test_a_dispute_is_listed_for_billing_staff(
    fake: FakeStripe, alex: Person, billing: Caller, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 8_000)
    payment_id = paid_by_stripe(fake, alex, statement.id, 8_000, "key-stripe-0013")
    ref = payment_store.get(alex.patient_id, payment_id).provider_ref
    assert ref
    deliver(fake, "charge.dispute.created", fake.dispute_object(ref))
    [item] = refund_service.disputes(billing, limit=10, cursor=None).items
    assert (item.payment_id, item.amount_cents, item.reason, item.status) == (
        payment_id,
        8_000,
        "fraudulent",
        "needs_response",
    )
    closed = {**fake.dispute_object(ref), "status": "won"}
    deliver(fake, "charge.dispute.closed", closed)
    assert refund_service.disputes(billing, limit=10, cursor=None).items == []


def test_a_webhook_that_cannot_be_settled_yet_is_refused_so_stripe_delivers_it_again(
    fake: FakeStripe, alex: Person, post: StatementMaker
) -> None:
    from chalicelib.core import errors

    statement = post(alex.patient_id, 8_000)
    out = start(alex, statement.id, "key-stripe-0014")
    ref = payment_store.get(alex.patient_id, out.id).provider_ref
    assert ref
    fake.browser_confirms(ref)
    payload, signature = fake.event("payment_intent.succeeded", fake.intent_object(ref))
    fake.fail_next("GET", f"/v1/payment_intents/{ref}", "api_error")  # Stripe busy when we read it back
    with pytest.raises(errors.ServiceUnavailable):
        webhooks.receive(payload, signature)
    assert payment_store.get(alex.patient_id, out.id).status == "requires_payment_method"
    assert webhooks.receive(payload, signature) == {"received": "handled"}  # Stripe's retry settles it
    assert balances(alex.patient_id, statement.id) == (0, 0, 8_000)


def test_a_setup_id_stripe_does_not_know_is_not_found(fake: FakeStripe, alex: Person) -> None:
    from chalicelib.core import errors

    card_service.ensure_customer(alex.patient_id)
    with pytest.raises(errors.NotFound):
        card_service.complete_setup(alex.caller, alex.patient_id, CardSetupIn(setup_id="seti_0000"))
