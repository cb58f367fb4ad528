"""Payment plans: splitting to the cent, clinic limits, the scheduled installment charges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chalicelib.billing import plans as service
from chalicelib.billing.models import PlanIn
from chalicelib.billing.providers.simulated import SimulatedProvider
from chalicelib.billing.store import payments as payment_store
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import errors
from chalicelib.core.notify import Notice, NoticeFor
from tests.unit.billing_fixtures import (
    NOW,
    TODAY,
    Person,
    StatementMaker,
)


def plan_in(
    person: Person, statement_id: str, months: int = 3, token: str = "sim_tok_4242", first: date | None = None
) -> PlanIn:
    """Save the card (as the processor's script in the browser would), then the plan's terms."""
    from chalicelib.billing import cards, simulated
    from chalicelib.billing.models import SimulatedSetupIn

    setup = cards.start_setup(person.caller, person.patient_id)
    confirm = SimulatedSetupIn(client_secret=setup.client_secret, card_token=token)
    simulated.confirm_setup(person.caller, person.patient_id, confirm)
    return PlanIn(statement_id=statement_id, months=months, first_due_date=first)


def test_split_is_exact_to_the_cent() -> None:
    assert service.split(10_000, 3) == [3_334, 3_333, 3_333]
    assert sum(service.split(123_457, 7)) == 123_457
    assert service.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert service.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_a_plan_charges_its_first_installment_today_and_schedules_the_rest(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 30_001)
    plan = service.create_plan(alex.caller, alex.patient_id, plan_in(alex, statement.id), now=NOW)
    assert [(i.number, i.amount_cents, i.status) for i in plan.installments] == [
        (1, 10_001, "paid"),
        (2, 10_000, "scheduled"),
        (3, 10_000, "scheduled"),
    ]
    assert [i.due_date for i in plan.installments] == [TODAY, date(2026, 4, 10), date(2026, 5, 10)]
    assert statement_store.get(alex.patient_id, statement.id).balance_cents == 20_000
    assert simulated.captured_cents() == 10_001


def test_the_scheduler_charges_due_installments_once_and_completes_the_plan(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 30_000)
    plan = service.create_plan(
        alex.caller, alex.patient_id, plan_in(alex, statement.id, first=TODAY + timedelta(days=1)), now=NOW
    )
    assert service.charge_due_installments(now=NOW) == (0, 0)  # nothing due yet
    assert service.charge_due_installments(now=NOW + timedelta(days=1)) == (1, 0)
    assert service.charge_due_installments(now=NOW + timedelta(days=1)) == (0, 0)  # ran twice: charged once
    assert service.charge_due_installments(now=NOW + timedelta(days=80)) == (2, 0)
    done = service.get_plan(alex.caller, alex.patient_id, plan.id)
    assert done.status == "completed"
    assert [i.status for i in done.installments] == ["paid", "paid", "paid"]
    closed = statement_store.get(alex.patient_id, statement.id)
    assert (closed.status, closed.paid_cents, closed.plan_id) == ("paid", 30_000, None)
    assert simulated.captured_cents() == 30_000


def test_a_declined_installment_is_retried_then_missed_and_the_patient_is_told(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []

    def send(patient_id: str, notice: Notice | NoticeFor) -> bool:
        sent.append((notice if isinstance(notice, Notice) else notice("en")).subject)
        return True

    monkeypatch.setattr(service.patient_profiles, "notify_patient", send)
    statement = post(alex.patient_id, 20_000)
    plan = service.create_plan(
        alex.caller, alex.patient_id, plan_in(alex, statement.id, 2, token="sim_tok_0341"), now=NOW
    )
    first = plan.installments[0]
    assert (first.status, first.attempts, first.next_attempt_on) == ("retrying", 1, TODAY + timedelta(days=3))
    assert service.charge_due_installments(now=NOW + timedelta(days=1)) == (0, 0)  # waits for the retry date
    assert service.charge_due_installments(now=NOW + timedelta(days=3)) == (0, 1)
    assert service.charge_due_installments(now=NOW + timedelta(days=6)) == (0, 1)
    after = service.get_plan(alex.caller, alex.patient_id, plan.id)
    assert (after.status, after.installments[0].status, after.installments[0].attempts) == (
        "past_due",
        "missed",
        3,
    )
    assert statement_store.get(alex.patient_id, statement.id).balance_cents == 20_000  # nothing was taken
    assert simulated.captured_cents() == 0
    assert len([subject for subject in sent if "needs your attention" in subject]) == 3


def test_an_installment_left_pending_by_a_timeout_is_finished_later_without_a_second_charge(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    from chalicelib.billing import payments as payment_service

    statement = post(alex.patient_id, 20_000)
    plan = service.create_plan(
        alex.caller, alex.patient_id, plan_in(alex, statement.id, 2, token="sim_tok_timeout"), now=NOW
    )
    assert plan.installments[0].status == "processing"
    payment_service.reconcile(now=NOW + timedelta(minutes=30))
    service.charge_due_installments(now=NOW + timedelta(hours=1))
    after = service.get_plan(alex.caller, alex.patient_id, plan.id)
    assert after.installments[0].status == "paid"
    assert [i.status for i in simulated.intents()] == ["succeeded"]
    assert simulated.captured_cents() == 10_000


def test_limits_are_the_clinics(alex: Person, post: StatementMaker) -> None:
    small = post(alex.patient_id, 4_000)
    with pytest.raises(errors.BadRequest, match="too small"):
        service.create_plan(alex.caller, alex.patient_id, plan_in(alex, small.id), now=NOW)
    statement = post(alex.patient_id, 10_000)
    with pytest.raises(errors.BadRequest) as too_many:
        service.create_plan(alex.caller, alex.patient_id, plan_in(alex, statement.id, months=5), now=NOW)
    assert too_many.value.fields == {"months": "between 2 and 4"}  # 2500-cent minimum installment
    with pytest.raises(errors.BadRequest):
        service.create_plan(
            alex.caller,
            alex.patient_id,
            plan_in(alex, statement.id, first=TODAY + timedelta(days=45)),
            now=NOW,
        )
    with pytest.raises(errors.BadRequest):
        service.create_plan(
            alex.caller,
            alex.patient_id,
            plan_in(alex, statement.id, first=TODAY - timedelta(days=1)),
            now=NOW,
        )


def test_one_active_plan_per_statement_and_cancelling_stops_the_charges(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    statement = post(alex.patient_id, 30_000)
    later = TODAY + timedelta(days=3)
    plan = service.create_plan(
        alex.caller, alex.patient_id, plan_in(alex, statement.id, first=later), now=NOW
    )
    with pytest.raises(errors.Conflict, match="already has a payment plan"):
        service.create_plan(alex.caller, alex.patient_id, plan_in(alex, statement.id, first=later), now=NOW)
    cancelled = service.cancel_plan(alex.caller, alex.patient_id, plan.id, now=NOW)
    assert cancelled.status == "cancelled"
    assert {i.status for i in cancelled.installments} == {"cancelled"}
    assert service.charge_due_installments(now=NOW + timedelta(days=90)) == (0, 0)
    assert simulated.intents() == []
    assert statement_store.get(alex.patient_id, statement.id).plan_id is None
    again = service.create_plan(
        alex.caller, alex.patient_id, plan_in(alex, statement.id, first=later), now=NOW + timedelta(minutes=5)
    )
    assert again.status == "active"
    assert [p.id for p in service.list_plans(alex.caller, alex.patient_id).items] == [again.id, plan.id]


def test_a_plan_stops_when_the_balance_is_paid_another_way(
    alex: Person, post: StatementMaker, simulated: SimulatedProvider
) -> None:
    from tests.unit.billing.test_payments import pay

    statement = post(alex.patient_id, 30_000)
    plan = service.create_plan(alex.caller, alex.patient_id, plan_in(alex, statement.id), now=NOW)
    assert pay(alex, statement.id, 20_000, "pay-off-the-rest").status == "succeeded"
    assert service.charge_due_installments(now=NOW + timedelta(days=90)) == (0, 0)
    after = service.get_plan(alex.caller, alex.patient_id, plan.id)
    assert [i.status for i in after.installments] == ["paid", "skipped", "skipped"]
    assert after.status == "completed"
    assert simulated.captured_cents() == 30_000
    assert payment_store.list_due_installments(on=TODAY + timedelta(days=365)) == []
