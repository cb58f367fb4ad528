"""The health record: who sees it, how clinicians add and correct entries, and what gets logged."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.core import audit_log, errors
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.records import service as records
from chalicelib.records import store as record_store
from chalicelib.records.models import (
    AllergyIn,
    ImmunizationIn,
    Medication,
    MedicationIn,
    MedicationUpdate,
    ProblemIn,
    VisitIn,
)
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

MEDICATION: dict[str, Any] = {
    "name": "Lisinopril 10 mg tablet",
    "code": {"system": "rxnorm", "code": "314076"},
    "dose": "10 mg",
    "instructions": "Take one tablet by mouth every morning",
    "prescriber": "Dr. Priya Rivera",
    "start_date": "2024-02-01",
}


def log_of(patient_id: str) -> list[AuditEvent]:
    events, _ = audit_log.list_for_patient(patient_id, limit=100, cursor=None)
    return events


def test_clinician_builds_a_record_and_the_patient_reads_it_grouped(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    doctor = caller_for(Role.CLINICIAN, sub="sub-doc", name="Dr. Rivera")
    records.create_record(doctor, patient.id, "problem", ProblemIn(name="Hypertension"))
    records.create_record(doctor, patient.id, "problem", ProblemIn(name="Ankle sprain", status="resolved"))
    records.create_record(doctor, patient.id, "medication", MedicationIn.model_validate(MEDICATION))
    records.create_record(
        doctor,
        patient.id,
        "allergy",
        AllergyIn(substance="Penicillin", reaction="Hives", severity="moderate"),
    )
    records.create_record(
        doctor,
        patient.id,
        "immunization",
        ImmunizationIn.model_validate({"vaccine": "Influenza", "date": "2025-10-02", "dose_number": 1}),
    )
    records.create_record(
        doctor,
        patient.id,
        "visit",
        VisitIn.model_validate(
            {
                "start": "2025-03-04T15:00:00Z",
                "reason": "Blood pressure check",
                "provider": "Dr. Priya Rivera",
                "diagnoses": [{"name": "Essential hypertension", "code": {"system": "icd10", "code": "I10"}}],
                "instructions": "Keep taking lisinopril. Check your blood pressure at home twice a week.",
                "follow_up": "Return in 3 months",
            }
        ),
    )
    me = caller_for(acts_for={patient.id: "self"}, sub="sub-me", name="Me")

    summary = records.get_summary(me, patient.id)

    assert [p.name for p in summary.problems] == ["Hypertension", "Ankle sprain"]  # active first
    [medication] = summary.medications
    assert (medication.dose, medication.prescriber, medication.status) == (
        "10 mg",
        "Dr. Priya Rivera",
        "active",
    )
    assert summary.allergies[0].severity == "moderate"
    assert summary.immunizations[0].dose_number == 1
    assert summary.visits[0].diagnoses[0].code is not None
    assert summary.visits[0].follow_up == "Return in 3 months"
    assert summary.problems[0].updated_by == "Dr. Rivera"
    actions = [(e.action, e.actor_sub) for e in log_of(patient.id)]
    assert ("record.read", "sub-me") in actions
    assert sum(a.endswith(".create") for a, _ in actions) == 6  # every write logged with its change


def test_the_summary_is_one_query(
    make_patient: PatientFactory, caller_for: CallerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = make_patient()
    doctor = caller_for(Role.CLINICIAN)
    for n in range(5):
        records.create_record(doctor, patient.id, "problem", ProblemIn(name=f"Problem {n}"))
    me = caller_for(acts_for={patient.id: "self"})
    from chalicelib.core import aws

    calls: list[str] = []
    aws.dynamodb_client().meta.events.register(
        "before-call.dynamodb", lambda event_name, **_: calls.append(event_name.rsplit(".", 1)[-1])
    )
    records.get_summary(me, patient.id)
    assert calls == ["Query", "PutItem"]  # the record, then its audit event


@pytest.mark.parametrize("target", ["another patient", "unknown id"])
def test_a_patient_cannot_read_someone_elses_record(
    target: str, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me, other = make_patient(), make_patient()
    records.create_record(caller_for(Role.CLINICIAN), other.id, "problem", ProblemIn(name="Asthma"))
    pid = other.id if target == "another patient" else "p-nobody"
    with pytest.raises(errors.NotFound):
        routed(records.get_summary, caller_for(acts_for={me.id: "self"}), pid)
    assert all(e.action != "record.read" for e in log_of(other.id))


def test_clinician_stops_a_medication_and_a_stale_edit_is_refused(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient = make_patient()
    doctor = caller_for(Role.CLINICIAN)
    created = records.create_record(doctor, patient.id, "medication", MedicationIn.model_validate(MEDICATION))

    stopped = records.update_record(
        doctor,
        patient.id,
        "medication",
        created.id,
        MedicationUpdate.model_validate(
            {**MEDICATION, "status": "stopped", "end_date": "2025-01-01", "version": 1}
        ),
        version=1,
    )

    assert isinstance(stopped, Medication)
    assert (stopped.version, stopped.status) == (2, "stopped")
    assert record_store.get_medication(patient.id, created.id).status == "stopped"
    with pytest.raises(errors.Conflict):
        records.update_record(
            doctor,
            patient.id,
            "medication",
            created.id,
            MedicationUpdate.model_validate({**MEDICATION, "version": 1}),
            version=1,
        )
    assert record_store.get_medication(patient.id, created.id).status == "stopped"
    assert [e.action for e in log_of(patient.id)].count("medication.update") == 1


def test_get_medication_is_what_refills_use(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    patient = make_patient()
    created = records.create_record(
        caller_for(Role.CLINICIAN), patient.id, "medication", MedicationIn.model_validate(MEDICATION)
    )
    medication = record_store.get_medication(patient.id, created.id)
    assert isinstance(medication, Medication)
    assert medication.is_active
    with pytest.raises(errors.NotFound):
        record_store.get_medication(make_patient().id, created.id)  # another patient's id
    with pytest.raises(errors.NotFound):
        record_store.get_medication(patient.id, "nope")


def test_updating_an_entry_of_another_kind_or_patient_is_not_found(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    patient, other = make_patient(), make_patient()
    doctor = caller_for(Role.CLINICIAN)
    problem = records.create_record(doctor, patient.id, "problem", ProblemIn(name="Asthma"))
    update = MedicationUpdate.model_validate({**MEDICATION, "version": 1})
    with pytest.raises(errors.NotFound):
        routed(records.update_record, doctor, patient.id, "medication", problem.id, update, version=1)
    with pytest.raises(errors.NotFound):
        routed(records.update_record, doctor, other.id, "problem", problem.id, update, version=1)
    with pytest.raises(errors.NotFound):
        routed(records.create_record, doctor, "p-nobody", "problem", ProblemIn(name="Asthma"))


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (MedicationIn, {**MEDICATION, "start_date": "2999-01-01"}, "start_date"),
        (MedicationIn, {**MEDICATION, "end_date": "2020-01-01"}, "end_date"),
        (MedicationIn, {**MEDICATION, "dose": ""}, "dose"),
        (MedicationIn, {**MEDICATION, "code": {"system": "made-up", "code": "1"}}, "code.system"),
        (AllergyIn, {"substance": "Peanuts", "severity": "deadly"}, "severity"),
        (ImmunizationIn, {"vaccine": "Flu", "date": "2024-01-01", "dose_number": 0}, "dose_number"),
        (ProblemIn, {"name": "Asthma", "PK": "PATIENT#x"}, "PK"),
    ],
)
def test_bad_entries_are_refused(model: Any, data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    assert field in {".".join(str(part) for part in err["loc"]) for err in raised.value.errors()}


def test_one_damaged_entry_neither_hides_the_record_nor_crashes_its_own_read(
    make_patient: PatientFactory, caller_for: CallerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    from chalicelib.core import aws

    patient = make_patient()
    doctor = caller_for(Role.CLINICIAN, sub="sub-doc", name="Dr. Rivera")
    records.create_record(doctor, patient.id, "problem", ProblemIn(name="Hypertension"))
    kept = records.create_record(doctor, patient.id, "medication", MedicationIn.model_validate(MEDICATION))
    damaged = {**record_store.item(kept), "SK": "REC#MEDICATION#med-damaged", "id": "med-damaged"}
    damaged["start_date"] = "25-01-01"  # a year once stored without its zero padding
    aws.table().put_item(Item=damaged)

    summary = records.get_summary(doctor, patient.id)

    assert [m.id for m in summary.medications] == [kept.id]
    assert [p.name for p in summary.problems] == ["Hypertension"]
    with pytest.raises(errors.Conflict):
        record_store.get(patient.id, "medication", "med-damaged", Medication)
    skipped = [r for r in caplog.records if r.getMessage().startswith("stored item skipped")]
    assert {getattr(r, "sk", None) for r in skipped} == {"REC#MEDICATION#med-damaged"}  # which item, by key
    logged = " ".join(str(vars(r)) for r in skipped)
    assert "25-01-01" not in logged
    assert "Lisinopril" not in logged  # never what it holds
