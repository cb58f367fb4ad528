"""`make bench`, records: DynamoDB calls per request for the record routes, and whether the
result list and the export stay as fast with 10,000 patients in the table as with 100.

Every patient-facing read is a Query on one patient's partition, so its cost must not grow with the
table. The filler patients get a profile, a problem, a medication and four results each (11 items).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PORT = 4597
SAMPLES = 40


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
            visible_from=collected,
        )
        items += [entry["Put"]["Item"] for entry in result_store.create_entries(result, now=now)]
    return items


def _fill(start: int, stop: int, now: datetime, table_name: str) -> None:
    """Write straight into the in-process moto backend: over HTTP, 110,000 items take many minutes.

    Only the filling skips HTTP; every measured request still goes app -> boto3 -> HTTP -> moto.
    """
    from boto3.dynamodb.types import TypeSerializer
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    serialize = TypeSerializer().serialize
    for n in range(start, stop):
        for item in _filler_items(n, now):
            backend.put_item(table_name, {key: serialize(value) for key, value in item.items()})


def _partitioned_moto() -> None:
    """moto answers every main-table Query by sorting and scanning the whole table; DynamoDB reads one
    partition. So that the timings measure our code and not moto's scan, main-table Queries here look up
    their partition first (GSI Queries keep moto's own behaviour). Bench only: tests use stock moto."""
    import inspect

    from moto.dynamodb.models.table import Table

    original = Table.query
    signature = inspect.signature(original)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs).arguments
        hash_key = bound.get("hash_key")
        if bound.get("index_name") or not self.range_key_attr or hash_key is None:
            return original(self, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        self.all_items = lambda: sorted(partition, key=lambda item: item.range_key)
        try:
            return original(self, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]


def bench_records() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from chalice.test import Client
    from moto.server import ThreadedMotoServer

    from chalicelib.core import aws
    from chalicelib.local import bootstrap, seed, server
    from chalicelib.local.seed_records import ALEX

    _partitioned_moto()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    moto.start()
    try:
        resources = bootstrap.bootstrap(f"http://127.0.0.1:{PORT}", name="bench-records")
        server.configure_environment(resources, ROOT / "clinics" / "demo.json")
        seed.seed(resources.user_pool_id)
        from app import app

        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        aws.dynamodb_client().meta.events.register("before-call.dynamodb", count)
        read: Counter[str] = Counter()

        def items_read(event_name: str, parsed: dict[str, Any], **_: Any) -> None:
            read["items"] += int(parsed.get("ScannedCount", 0)) + (1 if parsed.get("Item") else 0)

        aws.dynamodb_client().meta.events.register("after-call.dynamodb", items_read)

        def token(username: str) -> dict[str, str]:
            result = aws.cognito_client().initiate_auth(
                ClientId=resources.user_pool_client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": seed.DEMO_PASSWORD},
            )
            return {"Authorization": "Bearer " + result["AuthenticationResult"]["AccessToken"]}

        patient, clinician = token("alex"), token("drrivera")
        rows: list[tuple[str, str, dict[str, str]]] = [
            ("GET", f"/patients/{ALEX}/summary", patient),
            ("GET", f"/patients/{ALEX}/results", patient),
            ("GET", f"/patients/{ALEX}/results", clinician),
            ("GET", f"/patients/{ALEX}/results/seed-{ALEX}-result-9", patient),
            ("GET", f"/patients/{ALEX}/results/trend?code=4548-4", patient),
            ("GET", "/staff/results/waiting", clinician),
            ("GET", f"/patients/{ALEX}/documents", patient),
            ("GET", f"/patients/{ALEX}/export", patient),
        ]
        now = datetime.now(UTC)
        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            print("\nRecords: DynamoDB calls per request")
            print(f"  {'route':<52} {'caller':<9} {'calls':>5}  operations")
            for method, path, headers in rows:
                calls.clear()
                response = client.http.request(method, path, headers=headers)
                who = "clinician" if headers is clinician else "patient"
                ops = ", ".join(f"{op} x{n}" for op, n in sorted(calls.items()))
                shown = path.replace(ALEX, "{pid}").replace("seed-{pid}-result-9", "{rid}")
                total = sum(calls.values())
                print(f"  {method + ' ' + shown:<52} {who:<9} {total:>5}  {ops}  [{response.status_code}]")
            export = client.http.get(f"/patients/{ALEX}/export", headers=patient)
            entries = len(json.loads(export.body)["entry"])
            print(f"  export of the demo chart: {len(export.body) / 1024:.0f} KiB, {entries} entries")

            def p50(path: str) -> tuple[float, int]:
                samples = []
                for _ in range(SAMPLES):
                    read.clear()
                    start = time.perf_counter()
                    client.http.get(path, headers=patient)
                    samples.append((time.perf_counter() - start) * 1000)
                return statistics.median(samples), read["items"]

            timed = [f"/patients/{ALEX}/results", f"/patients/{ALEX}/export"]
            _fill(0, 100, now, resources.table_name)
            small = {path: p50(path) for path in timed}
            fill_start = time.perf_counter()
            _fill(100, 10_000, now, resources.table_name)
            fill_s = time.perf_counter() - fill_start
            large = {path: p50(path) for path in timed}
        print(
            f"\n  p50 of {SAMPLES} requests, table with 100 vs 10,000 filler patients"
            f" (filled in {fill_s:.0f} s); items read per request in brackets"
        )
        for path in timed:
            (small_ms, small_items), (large_ms, large_items) = small[path], large[path]
            ratio = large_ms / small_ms
            verdict = "ok" if ratio <= 1.3 and small_items == large_items else "GROWS WITH THE TABLE"
            print(
                f"  GET {path.replace(ALEX, '{pid}'):<28} {small_ms:6.1f} ms [{small_items}]  "
                f"{large_ms:6.1f} ms [{large_items}]  ratio {ratio:.2f} {verdict}"
            )
    finally:
        moto.stop()


if __name__ == "__main__":
    bench_records()
