"""`make bench`, records and results: DynamoDB calls and items read per request, and p50, with 100 vs
10,000 patients in the table.

Every patient-facing read is a Query on one patient's partition, so its cost must not grow with the
table. The filler patients get a profile, a problem, a medication and four results each (11 items);
every fourth patient waits to review their newest result first, so the clinicians' work list (a GSI1
partition) grows with the clinic too.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.localcloud import ROOT, LocalCloud, local_cloud, put_items
from bench.report import Part
from bench.routes import Probe, compare_sizes

NAME = "routes: records, results"


def _filler_items(n: int, now: datetime) -> list[dict[str, Any]]:
    from chalicelib.patients import store as patient_store
    from chalicelib.patients.models import PatientProfile
    from chalicelib.records import store as record_store
    from chalicelib.records.models import Medication, Problem
    from chalicelib.results import store as result_store
    from chalicelib.results.models import Component, Result

    pid = f"p-bench{n:06d}"
    at = now - timedelta(days=400)
    items = [
        {
            **PatientProfile.model_validate(
                {
                    "id": pid,
                    "legal_name": {"given": "Bench", "family": f"Patient{n}"},
                    "birth_date": "1970-01-01",
                    "updated_at": at,
                }
            ).model_dump(mode="json"),
            **patient_store.profile_key(pid),
        }
    ]
    common = {"patient_id": pid, "created_at": at, "updated_at": at, "updated_by": "Dr. Bench"}
    items.append(
        record_store.item(Problem.model_validate({**common, "id": f"{pid}-p", "name": "Hypertension"}))
    )
    items.append(
        record_store.item(
            Medication.model_validate(
                {
                    **common,
                    "id": f"{pid}-m",
                    "name": "Lisinopril",
                    "dose": "10 mg",
                    "instructions": "Daily",
                    "prescriber": "Dr. Bench",
                    "start_date": "2024-01-01",
                }
            )
        )
    )
    for k in range(4):
        collected = now - timedelta(days=90 * k + 5)
        waits = k == 0 and n % 4 == 0  # the patient chose to review it first: on the work list
        visible = collected + timedelta(days=7) if waits else collected
        result = Result(
            id=f"{pid}-r{k}",
            patient_id=pid,
            category="lab",
            name="Glucose",
            collected_at=collected,
            components=[
                Component(
                    code="2345-7",
                    name="Glucose",
                    value=Decimal(90 + k),
                    unit="mg/dL",
                    ref_low=Decimal(70),
                    ref_high=Decimal(99),
                )
            ],
            entered_at=collected,
            entered_by="Dr. Bench",
            visible_from=visible,
            review_wait_until=visible if waits else None,
        )
        items += [entry["Put"]["Item"] for entry in result_store.create_entries(result, now=now)]
    return items


def fill(start: int, stop: int) -> None:
    now = datetime.now(UTC)
    put_items(item for n in range(start, stop) for item in _filler_items(n, now))


def reads(cloud: LocalCloud, client: Any) -> list[Probe]:
    from chalicelib.local.seed_records import ALEX

    patient, clinician = cloud.demo_user("alex"), cloud.demo_user("drrivera")
    base, label = f"/patients/{ALEX}", "/patients/{pid}"

    def mine(path: str, headers: dict[str, str] = patient, caller: str = "patient") -> Probe:
        return Probe("GET", base + path, caller, headers, label + path)

    return [
        mine("/summary"),
        mine("/results"),
        mine("/results", clinician, "clinician"),
        Probe("GET", f"{base}/results/seed-{ALEX}-result-9", "patient", patient, label + "/results/{rid}"),
        mine("/results/trend?code=4548-4"),
        Probe("GET", "/staff/results/waiting", "clinician", clinician, "/staff/results/waiting"),
        mine("/documents"),
        mine("/export"),
    ]


def run() -> Part:
    from chalice.test import Client

    from chalicelib.local.seed_records import ALEX

    part = Part(NAME)
    compare_sizes(part, __name__)
    with local_cloud("bench-records", seed_demo=True) as cloud:
        from app import app

        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            export = client.http.get(f"/patients/{ALEX}/export", headers=cloud.demo_user("alex"))
            entries = len(json.loads(export.body)["entry"])
            part.add(
                "FHIR export of the demo chart",
                f"{len(export.body) / 1024:.0f} KiB, {entries} entries",
                "size",
            )
    part.notes.append(
        "filler patients each add a profile, a problem, a medication and four results with their pointers; "
        "every fourth waits to review its newest result (the work list's index partition)"
    )
    return part
