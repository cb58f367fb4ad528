"""Statements: posting, voiding, balances, the ledger and the billing work list, on moto."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from chalicelib.billing import statements as service
from chalicelib.billing.models import StatementIn, VoidIn
from chalicelib.billing.store import statements as statement_store
from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.billing_fixtures import (
    NOW,
    TODAY,
    Person,
    StatementMaker,
    make_person,
    statement_body,
)
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed


def test_patient_responsibility_is_computed_in_integer_cents(billing: Caller, alex: Person) -> None:
    body = statement_body(
        [12_345, 6_789], insurance=10_000, adjustments=1_234, due=TODAY + timedelta(days=20)
    )
    out = service.post(billing, alex.patient_id, body, now=NOW)
    assert out.total_charges_cents == 19_134
    assert out.patient_responsibility_cents == 19_134 - 10_000 - 1_234 == out.balance_cents
    assert (out.status, out.state, out.currency) == ("open", "due", "USD")
    stored = statement_store.get(alex.patient_id, out.id)
    assert isinstance(stored.balance_cents, int)  # not a Decimal or float after the round trip


@pytest.mark.parametrize(
    "change",
    [
        {"charge_cents": 10.5},
        {"charge_cents": "1000"},
        {"charge_cents": -1},
        {"code": "not a code"},
        {"description": ""},
    ],
)
def test_money_is_never_a_float_and_lines_are_strict(change: dict[str, object]) -> None:
    line = {
        "description": "Visit",
        "code": "99213",
        "service_date": "2026-03-01",
        "charge_cents": 1000,
        **change,
    }
    with pytest.raises(ValidationError):
        StatementIn.model_validate({"lines": [line], "due_date": "2026-04-01"})


def test_insurance_and_adjustments_may_not_exceed_charges() -> None:
    with pytest.raises(ValidationError, match="exceed the charges"):
        statement_body([1000], insurance=800, adjustments=300)


def test_a_statement_with_nothing_owed_is_paid_and_off_the_work_list(
    billing: Caller, alex: Person, post: StatementMaker
) -> None:
    out = service.post(billing, alex.patient_id, statement_body([5000], insurance=5000), now=NOW)
    assert out.status == "paid"
    assert service.work_list(billing, overdue_only=False, limit=50, cursor=None, now=NOW).items == []


def test_posting_writes_ledger_and_audit_together(
    billing: Caller, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 15_000)
    page = service.ledger(billing, alex.patient_id, limit=10, cursor=None, now=NOW)
    assert [(e.kind, e.amount_cents, e.statement_id) for e in page.items] == [
        ("statement", 15_000, statement.id)
    ]
    assert page.summary.balance_cents == 15_000
    events, _ = audit_log.list_for_patient(alex.patient_id, limit=20, cursor=None)
    assert {"statement.post", "ledger.read"} <= {e.action for e in events}


def test_other_patients_statements_are_not_found(
    make_patient: PatientFactory, caller_for: CallerFactory, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id)
    bob = make_person(make_patient, caller_for, 2)
    with pytest.raises(errors.NotFound):
        routed(service.get_statement, bob.caller, alex.patient_id, statement.id)
    with pytest.raises(errors.NotFound):
        routed(
            service.get_statement, bob.caller, bob.patient_id, statement.id
        )  # his own partition has no such id


def test_states_and_summary(billing: Caller, alex: Person, post: StatementMaker) -> None:
    overdue = post(alex.patient_id, 4_000, due=TODAY - timedelta(days=1))
    due = post(alex.patient_id, 6_000, due=TODAY + timedelta(days=10))
    voided = post(alex.patient_id, 1_000)
    service.void(billing, alex.patient_id, voided.id, VoidIn(reason="Posted twice"), now=NOW)
    listing = service.list_statements(alex.caller, alex.patient_id, now=NOW)
    assert [(s.id, s.state) for s in listing.items] == [
        (overdue.id, "overdue"),
        (due.id, "due"),
        (voided.id, "void"),
    ]
    assert listing.summary.model_dump() == {
        "currency": "USD",
        "balance_cents": 10_000,
        "pending_cents": 0,
        "overdue_cents": 4_000,
        "open_statements": 2,
    }
    assert [
        s.id for s in service.list_statements(alex.caller, alex.patient_id, status="open", now=NOW).items
    ] == [
        overdue.id,
        due.id,
    ]


def test_void_keeps_the_statement_with_reason_and_leaves_the_work_list(
    billing: Caller, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 2_500)
    voided = service.void(billing, alex.patient_id, statement.id, VoidIn(reason="Wrong patient"), now=NOW)
    assert (voided.status, voided.void_reason, voided.voided_by_name) == (
        "void",
        "Wrong patient",
        "Jordan Billing",
    )
    assert voided.patient_responsibility_cents == 2_500
    assert voided.balance_cents == 0
    assert service.work_list(billing, overdue_only=False, limit=50, cursor=None, now=NOW).items == []
    ledger = service.ledger(billing, alex.patient_id, limit=10, cursor=None, now=NOW)
    assert sorted(e.amount_cents for e in ledger.items) == [-2_500, 2_500]
    with pytest.raises(errors.Conflict, match="only open statements"):
        service.void(billing, alex.patient_id, statement.id, VoidIn(reason="Again"), now=NOW)


def test_work_list_holds_only_open_balances_oldest_due_first(
    make_patient: PatientFactory,
    caller_for: CallerFactory,
    billing: Caller,
    alex: Person,
    post: StatementMaker,
) -> None:
    bob = make_person(make_patient, caller_for, 2)
    late = post(bob.patient_id, 700, due=TODAY - timedelta(days=40))
    soon = post(alex.patient_id, 900, due=TODAY + timedelta(days=5))
    later = post(alex.patient_id, 1_100, due=TODAY + timedelta(days=25))
    page = service.work_list(billing, overdue_only=False, limit=2, cursor=None, now=NOW)
    assert [(i.statement_id, i.state) for i in page.items] == [(late.id, "overdue"), (soon.id, "due")]
    assert page.items[0].patient_name.endswith("Patient2")
    rest = service.work_list(billing, overdue_only=False, limit=2, cursor=page.next_cursor, now=NOW)
    assert [i.statement_id for i in rest.items] == [later.id]
    overdue = service.work_list(billing, overdue_only=True, limit=50, cursor=None, now=NOW)
    assert [i.statement_id for i in overdue.items] == [late.id]
    events, _ = audit_log.list_for_patient(bob.patient_id, limit=20, cursor=None)
    assert "billing.worklist" in {e.action for e in events}


def test_work_list_refuses_a_cursor_from_another_list(billing: Caller) -> None:
    from chalicelib.core import dynamo

    forged = dynamo.encode_cursor({"PK": "PATIENT#x", "SK": "PROFILE", "GSI1PK": "RESULTS#X", "GSI1SK": "1"})
    with pytest.raises(errors.BadRequest):
        service.work_list(billing, overdue_only=False, limit=5, cursor=forged, now=NOW)


def test_currency_must_be_the_clinics(billing: Caller, alex: Person) -> None:
    body = statement_body([1000]).model_copy(update={"currency": "EUR"})
    with pytest.raises(errors.BadRequest):
        service.post(billing, alex.patient_id, body, now=NOW)


def test_printable_statement_has_clinic_and_patient(
    billing: Caller, alex: Person, post: StatementMaker
) -> None:
    statement = post(alex.patient_id, 3_000)
    printed = service.printable(alex.caller, alex.patient_id, statement.id, now=NOW)
    assert printed.clinic_name == "Riverside Family Clinic"
    assert printed.patient_name.startswith("Test ")
    assert printed.statement.id == statement.id
    assert printed.payments == []


def test_new_statement_email_says_only_that_it_is_ready() -> None:
    from chalicelib.billing import notices as billing_notices

    notice = billing_notices.new_statement()
    assert "statement" in notice.subject.lower()
    assert "$" not in notice.text
    assert "cents" not in notice.text


def test_settings_show_simulated_cards_locally(caller_for: CallerFactory) -> None:
    out = service.settings_out()
    assert out.provider == "simulated"
    assert out.currency == "USD"
    assert {c.token for c in out.test_cards} >= {
        "sim_tok_4242",
        "sim_tok_0002",
        "sim_tok_9995",
        "sim_tok_3184",
    }
    assert caller_for(Role.PATIENT)  # settings need no patient
