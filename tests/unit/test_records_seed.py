"""The demo chart is realistic enough to demo: problems, medications, visits, two years of results with
some out of range, a review-first result waiting, a held one on the work list; and its export validates."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.core import aws
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.local.seed_records import ALEX, MARIA, RILEY, seed_records
from chalicelib.records import export
from chalicelib.records import service as records
from chalicelib.results import service as results
from tests.unit.conftest import CallerFactory, PatientFactory

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DOCTOR = Caller(sub="sub-doc", username="doc", role=Role.CLINICIAN, display_name="Dr. Rivera", request_id="r")


@pytest.fixture(autouse=True)
def seeded(aws_backend: None, monkeypatch: pytest.MonkeyPatch, make_patient: PatientFactory) -> None:
    monkeypatch.setenv("DOCUMENTS_BUCKET", "seed-documents")
    aws.reset_caches()
    boto3.client("s3", region_name=os.environ["AWS_DEFAULT_REGION"]).create_bucket(Bucket="seed-documents")
    for patient_id in (ALEX, MARIA, RILEY):
        make_patient(patient_id)
    seed_records(now=NOW)


def test_alex_has_a_full_chart_and_two_years_of_results(caller_for: CallerFactory) -> None:
    alex = caller_for(acts_for={ALEX: "self"})
    summary = records.get_summary(alex, ALEX)
    assert len([p for p in summary.problems if p.status == "active"]) >= 3
    assert len([m for m in summary.medications if m.status == "active"]) >= 3
    assert len(summary.allergies) >= 2
    assert len(summary.immunizations) >= 3
    assert len(summary.visits) >= 3
    assert all(v.instructions and v.follow_up for v in summary.visits)

    page = results.list_results(alex, ALEX, limit=100, cursor=None, now=NOW)
    assert len(page.items) >= 12
    dates = [item.collected_at for item in page.items]
    assert max(dates) - min(dates) >= timedelta(days=700)
    assert sum(item.abnormal_count > 0 for item in page.items) >= 4
    assert sum(item.is_new for item in page.items) >= 1
    a1c = results.trend(alex, ALEX, "4548-4", now=NOW)
    assert len(a1c.points) >= 8
    assert a1c.points[0].value > a1c.points[-1].value  # the story: treatment works


def test_the_review_first_and_held_results_wait_on_the_work_list(caller_for: CallerFactory) -> None:
    alex = caller_for(acts_for={ALEX: "self"})
    shown = {item.name for item in results.list_results(alex, ALEX, limit=100, cursor=None, now=NOW).items}
    assert "Cervical cytology (Pap test)" not in shown
    waiting = results.work_list(DOCTOR, limit=50, cursor=None, now=NOW).items
    assert {(w.patient_id, w.state) for w in waiting} == {(ALEX, "awaiting_review"), (MARIA, "held")}
    held = next(w for w in waiting if w.state == "held")
    assert held.hold_reason
    assert "in person" in held.hold_reason


def test_the_demo_export_validates(caller_for: CallerFactory) -> None:
    from fhir.resources.R4B.bundle import Bundle

    for patient_id in (ALEX, MARIA, RILEY):
        bundle = export.export_record(
            caller_for(acts_for={patient_id: "self"}, sub=f"s-{patient_id}"), patient_id, now=NOW
        )
        Bundle.model_validate(bundle)
    kinds = {
        e["resource"]["resourceType"]
        for e in export.export_record(caller_for(acts_for={ALEX: "self"}), ALEX, now=NOW)["entry"]
    }
    assert {
        "Patient",
        "Condition",
        "MedicationRequest",
        "AllergyIntolerance",
        "Immunization",
        "Observation",
        "DiagnosticReport",
        "Encounter",
        "DocumentReference",
    } <= kinds


def test_reseeding_changes_nothing(caller_for: CallerFactory) -> None:
    alex = caller_for(acts_for={ALEX: "self"})
    before = records.get_summary(alex, ALEX)
    seed_records(now=NOW + timedelta(days=30))
    assert records.get_summary(alex, ALEX) == before


def test_the_clinician_queue_has_a_backlog_of_recent_results_worst_first() -> None:
    from chalicelib.workqueue import service as workqueue

    queue = workqueue.work_queue(DOCTOR, limit=50, cursor=None).results
    maria = [r for r in queue if r.patient_id == MARIA]
    assert maria[0].priority == "critical"
    assert maria[0].name == "Basic metabolic panel"
    assert sum(r.priority == "abnormal" for r in maria) >= 3
    # Two years of history were reviewed: only the last month's results without a review wait.
    assert all(NOW - r.collected_at < timedelta(days=31) for r in queue)
