"""`make bench`, accounts, patients, appointments and billing: DynamoDB calls per request on the demo
clinic, and the reads at 100 vs 10,000 patients.

Filler patients carry what these routes' index partitions hold in a real clinic: a profile (with its
name-directory keys) and its birth-date entry, one past visit with Dr. Rivera, one open statement.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bench import appointments as appointment_bench
from bench import billing as billing_bench
from bench.localcloud import ROOT, LocalCloud, local_cloud, put_items
from bench.meter import DynamoMeter
from bench.report import Part
from bench.routes import Probe, RouteBench, compare_sizes

NAME = "routes: patients, appointments, billing"


def _profile_items(n: int, now: datetime) -> tuple[str, str, list[dict[str, Any]]]:
    from chalicelib.patients import store as patient_store
    from chalicelib.patients.models import PatientProfile

    pid = f"p-bench{n:05d}"
    profile = PatientProfile.model_validate(
        {
            "id": pid,
            "legal_name": {"given": "Bench", "family": f"Patient{n}"},
            "birth_date": f"{1940 + n % 70}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "updated_at": now,
        }
    )
    item = {
        **profile.model_dump(mode="json"),
        **patient_store.name_keys(profile),
        **patient_store.profile_key(pid),
    }
    return pid, profile.display_name, [item, patient_store.born_item(profile)]


def _alex() -> str:
    from chalicelib.local.seed import DEMO_USERS

    return next(str(user.patient_id) for user in DEMO_USERS if user.username == "alex")


def fill(start: int, stop: int) -> None:
    now = datetime.now(UTC)

    def items() -> Any:
        for n in range(start, stop):
            pid, name, profile = _profile_items(n, now)
            yield from profile
            yield from appointment_bench.filler_items(n, pid, name, now)
            yield from billing_bench.filler_items(n, pid, name, now)

    put_items(items())


def reads(cloud: LocalCloud, client: Any) -> list[Probe]:
    patient, staff, billing = (cloud.demo_user(name) for name in ("alex", "frontdesk", "billing"))
    pid = _alex()
    statements = client.http.get(f"/patients/{pid}/statements?status=open", headers=patient)
    sid = statements.json_body["items"][0]["id"]
    return [
        Probe("GET", "/me", "patient", patient, "/me"),
        Probe("GET", f"/patients/{pid}/profile", "patient", patient, "/patients/{pid}/profile"),
        Probe("GET", f"/patients/{pid}/profile", "staff", staff, "/patients/{pid}/profile"),
        Probe("GET", f"/patients/{pid}/access-log", "patient", patient, "/patients/{pid}/access-log"),
        Probe(
            "POST", "/staff/patients/search", "staff", staff, "/staff/patients/search", body={"q": "Patient"}
        ),
        *appointment_bench.reads(pid, patient, staff),
        *billing_bench.reads(pid, sid, patient, billing),
    ]


def run() -> Part:
    from chalice.test import Client

    part = Part(NAME)
    meter = DynamoMeter()
    meter.install()
    with local_cloud("bench-core", seed_demo=True) as cloud:
        patient, billing = cloud.demo_user("alex"), cloud.demo_user("billing")
        pid = _alex()
        from app import app

        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            bench = RouteBench(part, client, meter)
            version = client.http.get(f"/patients/{pid}/profile", headers=patient).json_body["version"]
            bench.once(
                Probe(
                    "PATCH",
                    f"/patients/{pid}/profile",
                    "patient",
                    patient,
                    "/patients/{pid}/profile",
                    body={"version": version, "pronouns": "she/her"},
                )
            )
            bench.once(appointment_bench.booking(pid, patient))
            statements = client.http.get(f"/patients/{pid}/statements?status=open", headers=patient)
            sid = statements.json_body["items"][0]["id"]
            for probe in billing_bench.payments(pid, sid, patient):
                bench.once(probe)
            bench.once(billing_bench.jobs(billing))
    compare_sizes(part, __name__)
    part.notes.append(
        "filler patients each add a profile (name index), a birth-date entry, a past visit with Dr. Rivera "
        "(her schedule's partition) and an open statement (the billing work list's partition)"
    )
    part.notes.append(
        "Powertools Idempotency has a DynamoDB client of its own; its calls are counted too "
        "(a new payment's record, and the lookup that answers a replay)"
    )
    return part
