"""Refill requests and saved pharmacies on moto: one open request per medication, decisions, the work list."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from chalicelib.core import audit_log, aws, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.pharmacies import service as pharmacies
from chalicelib.pharmacies.models import PharmacyIn
from chalicelib.records import service as records
from chalicelib.records.models import MedicationIn, MedicationUpdate
from chalicelib.refills import service as refills
from chalicelib.refills.models import RefillDecisionIn, RefillIn
from tests.unit.conftest import CallerFactory, PatientFactory

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

DOCTOR = Caller(sub="sub-doc", username="doc", role=Role.CLINICIAN, display_name="Dr. Doc", request_id="r")

PHARMACY = {
    "name": "Main Street Pharmacy",
    "phone": "(217) 555-0100",
    "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"},
}


def medication(patient_id: str, name: str = "Lisinopril 10 mg tablet", *, stopped: bool = False) -> str:
    body = MedicationIn(
        name=name,
        dose="10 mg",
        instructions="One tablet every morning",
        prescriber="Dr. Doc",
        start_date=(T0 - timedelta(days=100)).date(),
    )
    created = records.create_record(DOCTOR, patient_id, "medication", body)
    if stopped:
        update = MedicationUpdate.model_validate(
            {**body.model_dump(mode="json"), "status": "stopped", "version": 1}
        )
        records.update_record(DOCTOR, patient_id, "medication", created.id, update, version=1)
    return created.id


def actions(patient_id: str) -> list[str]:
    events, _ = audit_log.list_for_patient(patient_id, limit=100, cursor=None)
    return [event.action for event in reversed(events)]


def refill_items(patient_id: str) -> list[str]:
    items = (
        aws.table()
        .query(KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": f"PATIENT#{patient_id}"})
        .get("Items", [])
    )
    return sorted(str(i["SK"]).split("#")[0] for i in items if str(i["SK"]).startswith("REFILL"))


@pytest.fixture
def alice(make_patient: PatientFactory, caller_for: CallerFactory) -> Caller:
    make_patient("p-alice", email="alice@patients.example")
    return caller_for(Role.PATIENT, acts_for={"p-alice": "self"}, sub="sub-alice", name="Alice A")


@pytest.fixture
def pharmacy_id(alice: Caller) -> str:
    return pharmacies.add_pharmacy(alice, "p-alice", PharmacyIn.model_validate(PHARMACY)).id


@pytest.fixture
def outbox() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.core import config

    region = os.environ["AWS_DEFAULT_REGION"]
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=config.clinic().mail_from)
    return ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages


# --- pharmacies ----------------------------------------------------------------------------------


def test_pharmacies_are_saved_listed_and_removed(alice: Caller, caller_for: CallerFactory) -> None:
    saved = pharmacies.add_pharmacy(alice, "p-alice", PharmacyIn.model_validate(PHARMACY))
    assert saved.phone == "+12175550100"
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk", name="Desk")
    second = pharmacies.add_pharmacy(
        desk, "p-alice", PharmacyIn.model_validate({**PHARMACY, "name": "Mail order"})
    )
    assert second.created_by == "Desk"
    assert [p.name for p in pharmacies.list_pharmacies(alice, "p-alice").items] == [
        "Main Street Pharmacy",
        "Mail order",
    ]
    pharmacies.remove_pharmacy(alice, "p-alice", saved.id)
    with pytest.raises(errors.NotFound):
        pharmacies.remove_pharmacy(alice, "p-alice", saved.id)
    assert [p.id for p in pharmacies.list_pharmacies(alice, "p-alice").items] == [second.id]
    assert actions("p-alice") == [
        "pharmacy.create",
        "pharmacy.create",
        "pharmacy.list",
        "pharmacy.delete",
        "pharmacy.list",
    ]


def test_a_pharmacy_needs_a_real_phone_and_address() -> None:
    for bad in ({"phone": "12"}, {"address": {"line1": "x", "city": "y", "state": "ZZ", "postal_code": "1"}}):
        with pytest.raises(ValidationError):
            PharmacyIn.model_validate({**PHARMACY, **bad})


def test_at_most_ten_pharmacies(alice: Caller) -> None:
    for n in range(10):
        pharmacies.add_pharmacy(alice, "p-alice", PharmacyIn.model_validate({**PHARMACY, "name": f"P{n}"}))
    with pytest.raises(errors.Conflict):
        pharmacies.add_pharmacy(alice, "p-alice", PharmacyIn.model_validate(PHARMACY))


# --- requests ------------------------------------------------------------------------------------


def test_a_refill_is_requested_then_approved_and_the_patient_is_told_without_phi(
    alice: Caller, pharmacy_id: str, outbox: Any
) -> None:
    med = medication("p-alice")
    asked = refills.request_refill(
        alice, "p-alice", RefillIn(medication_id=med, pharmacy_id=pharmacy_id, note="Running low"), now=T0
    )
    assert (asked.status, asked.medication_name, asked.pharmacy.name) == (
        "open",
        "Lisinopril 10 mg tablet",
        "Main Street Pharmacy",
    )
    assert asked.pharmacy.address == "1 Main St, Springfield, IL 62701"
    assert refill_items("p-alice") == ["REFILL", "REFILL_OPEN"]
    assert [r.id for r in refills.work_list(DOCTOR, limit=10, cursor=None).items] == [asked.id]

    approved = refills.decide(DOCTOR, "p-alice", asked.id, approval(pharmacy_id, note="Sent."))
    assert (approved.status, approved.decided_by_name, approved.decision_note) == (
        "approved",
        "Dr. Doc",
        "Sent.",
    )
    assert approved.prescription is not None
    rx = approved.prescription
    assert (rx.drug, rx.dose, rx.quantity, rx.refills) == ("Lisinopril 10 mg tablet", "10 mg", 30, 2)
    assert rx.pharmacy.name == "Main Street Pharmacy"
    assert refill_items("p-alice") == ["REFILL"]  # the guard went with the decision
    assert refills.work_list(DOCTOR, limit=10, cursor=None).items == []
    mine = refills.list_refills(alice, "p-alice", limit=10, cursor=None).items
    assert [(r.id, r.status) for r in mine] == [(asked.id, "approved")]

    [mail] = outbox
    text = mail.subject + mail.body
    for phi in ("Lisinopril", "Main Street", "Alice", "Running low", "Sent.", "approved"):
        assert phi not in text
    assert "sign in" in mail.body.lower()
    assert actions("p-alice") == [
        "pharmacy.create",
        "medication.create",
        "refill.create",
        "refill.worklist",
        "refill.approve",
        "refill.list",
    ]


def test_a_second_open_request_for_the_same_medication_is_refused(alice: Caller, pharmacy_id: str) -> None:
    med = medication("p-alice")
    other = medication("p-alice", "Metformin 500 mg tablet")
    first = refills.request_refill(alice, "p-alice", RefillIn(medication_id=med, pharmacy_id=pharmacy_id))
    before = refill_items("p-alice")
    with pytest.raises(errors.Conflict, match="already an open refill request"):
        refills.request_refill(alice, "p-alice", RefillIn(medication_id=med, pharmacy_id=pharmacy_id))
    assert refill_items("p-alice") == before
    refills.request_refill(alice, "p-alice", RefillIn(medication_id=other, pharmacy_id=pharmacy_id))
    # Once decided, the medication can be requested again.
    refills.decide(DOCTOR, "p-alice", first.id, RefillDecisionIn(decision="deny", note="Book a visit first."))
    again = refills.request_refill(alice, "p-alice", RefillIn(medication_id=med, pharmacy_id=pharmacy_id))
    assert again.status == "open"


def test_concurrent_requests_for_one_medication_make_exactly_one(
    serialized_dynamodb: None, alice: Caller, pharmacy_id: str
) -> None:
    med = medication("p-alice")
    outcomes: list[str] = []

    def ask() -> None:
        try:
            refills.request_refill(alice, "p-alice", RefillIn(medication_id=med, pharmacy_id=pharmacy_id))
            outcomes.append("created")
        except errors.Conflict:
            outcomes.append("refused")

    workers = [threading.Thread(target=ask) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["created", "refused", "refused", "refused"]
    assert refill_items("p-alice") == ["REFILL", "REFILL_OPEN"]


def test_stopped_unknown_and_other_patients_medications_are_refused(
    alice: Caller, pharmacy_id: str, make_patient: PatientFactory
) -> None:
    make_patient("p-bob")
    stopped = medication("p-alice", stopped=True)
    bobs = medication("p-bob")
    cases = {
        stopped: "this medication was stopped",
        bobs: "not a medication on this patient's list",
        "no-such-medication": "not a medication on this patient's list",
    }
    for med, message in cases.items():
        with pytest.raises(errors.BadRequest) as raised:
            refills.request_refill(alice, "p-alice", RefillIn(medication_id=med, pharmacy_id=pharmacy_id))
        assert raised.value.fields is not None
        assert raised.value.fields["medication_id"].startswith(message)
    with pytest.raises(errors.BadRequest) as raised:
        refills.request_refill(
            alice, "p-alice", RefillIn(medication_id=medication("p-alice"), pharmacy_id="nope")
        )
    assert raised.value.fields == {"pharmacy_id": "not one of this patient's saved pharmacies"}
    assert refill_items("p-alice") == []


def test_deciding_twice_or_someone_elses_request_is_refused(
    alice: Caller, pharmacy_id: str, make_patient: PatientFactory
) -> None:
    make_patient("p-bob")
    asked = refills.request_refill(
        alice, "p-alice", RefillIn(medication_id=medication("p-alice"), pharmacy_id=pharmacy_id)
    )
    with pytest.raises(errors.NotFound):
        refills.decide(DOCTOR, "p-bob", asked.id, approval(pharmacy_id))
    refills.decide(DOCTOR, "p-alice", asked.id, approval(pharmacy_id))
    with pytest.raises(errors.Conflict):
        refills.decide(DOCTOR, "p-alice", asked.id, RefillDecisionIn(decision="deny", note="No."))
    assert refills.list_refills(alice, "p-alice", limit=5, cursor=None).items[0].status == "approved"


def approval(pharmacy_id: str, *, note: str = "") -> RefillDecisionIn:
    return RefillDecisionIn.model_validate(
        {
            "decision": "approve",
            "note": note,
            "prescription": {
                "drug": "Lisinopril 10 mg tablet",
                "dose": "10 mg",
                "quantity": 30,
                "refills": 2,
                "pharmacy_id": pharmacy_id,
            },
        }
    )


def test_a_denial_needs_a_note() -> None:
    with pytest.raises(ValidationError):
        RefillDecisionIn(decision="deny")
    with pytest.raises(ValidationError):
        RefillDecisionIn.model_validate({"decision": "maybe"})
    with pytest.raises(ValidationError, match="an approval needs the prescription"):
        RefillDecisionIn(decision="approve")
    assert approval("ph-1").note == ""


def test_an_approval_names_one_of_the_patients_pharmacies_and_prints_for_it(
    alice: Caller, pharmacy_id: str, make_patient: PatientFactory
) -> None:
    make_patient("p-bob")
    bobs = pharmacies.add_pharmacy(DOCTOR, "p-bob", PharmacyIn.model_validate(PHARMACY)).id
    asked = refills.request_refill(
        alice, "p-alice", RefillIn(medication_id=medication("p-alice"), pharmacy_id=pharmacy_id)
    )
    with pytest.raises(errors.BadRequest) as refused:
        refills.decide(DOCTOR, "p-alice", asked.id, approval(bobs))
    assert "prescription.pharmacy_id" in (refused.value.fields or {})
    with pytest.raises(errors.Conflict):  # not approved yet: nothing to print
        refills.prescription_summary(DOCTOR, "p-alice", asked.id)

    refills.decide(DOCTOR, "p-alice", asked.id, approval(pharmacy_id))
    printed = refills.prescription_summary(DOCTOR, "p-alice", asked.id)
    assert (printed.drug, printed.quantity, printed.refills, printed.prescriber) == (
        "Lisinopril 10 mg tablet",
        30,
        2,
        "Dr. Doc",
    )
    assert printed.pharmacy.name == "Main Street Pharmacy"
    assert "refill.print" in actions("p-alice")


def test_the_work_list_is_oldest_first_and_pages(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    ids = []
    for n in range(3):
        pid = f"p-w{n}"
        make_patient(pid)
        patient = caller_for(Role.PATIENT, acts_for={pid: "self"}, sub=f"sub-w{n}")
        pharmacy = pharmacies.add_pharmacy(patient, pid, PharmacyIn.model_validate(PHARMACY)).id
        body = RefillIn(medication_id=medication(pid), pharmacy_id=pharmacy)
        ids.append(refills.request_refill(patient, pid, body, now=T0 - timedelta(hours=n)).id)
    first = refills.work_list(DOCTOR, limit=2, cursor=None)
    second = refills.work_list(DOCTOR, limit=2, cursor=first.next_cursor)
    assert [r.id for r in first.items + second.items] == list(reversed(ids))
    with pytest.raises(errors.BadRequest):
        refills.work_list(DOCTOR, limit=2, cursor="bm90LWEtY3Vyc29y")
    assert actions("p-w0")[-1] == "refill.worklist"


def test_writes_whose_answer_was_lost_count_as_done(
    alice: Caller, pharmacy_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.refills import store as refill_store

    real_create, real_decide = refill_store.create, refill_store.decide

    def committed_then_conflict(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> None:
            real(*args, **kwargs)
            raise errors.Conflict("lost answer")

        return call

    monkeypatch.setattr(refill_store, "create", committed_then_conflict(real_create))
    monkeypatch.setattr(refill_store, "decide", committed_then_conflict(real_decide))
    asked = refills.request_refill(
        alice, "p-alice", RefillIn(medication_id=medication("p-alice"), pharmacy_id=pharmacy_id)
    )
    decided = refills.decide(DOCTOR, "p-alice", asked.id, approval(pharmacy_id))
    assert decided.status == "approved"
    assert [r.status for r in refills.list_refills(alice, "p-alice", limit=5, cursor=None).items] == [
        "approved"
    ]
