"""`make bench`: cold-start import cost and DynamoDB round trips per route, measured in one run.

Prints ratios, never asserts: speed goals live here, not in timed tests.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMPORT_GOAL = 1.3


def _cold_import_ms(module: str, runs: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    samples = []
    for _ in range(runs):
        out = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def bench_imports(runs: int = 9) -> None:
    boto3_ms = _cold_import_ms("boto3", runs)
    app_ms = _cold_import_ms("app", runs)
    ratio = app_ms / boto3_ms
    verdict = "ok" if ratio <= IMPORT_GOAL else "OVER GOAL"
    print(f"Cold import (median of {runs} fresh interpreters)")
    print(f"  import boto3  {boto3_ms:7.1f} ms")
    print(f"  import app    {app_ms:7.1f} ms")
    print(f"  ratio app/boto3 = {ratio:.2f}x (goal <= {IMPORT_GOAL}x) {verdict}")


def bench_dynamodb_calls() -> None:
    os.environ.update(
        {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
    )
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from chalice.test import Client
    from moto.server import ThreadedMotoServer

    from bench import appointments as appointment_bench
    from chalicelib.core import aws
    from chalicelib.local import bootstrap, seed, server

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=4599, verbose=False)
    moto.start()
    try:
        resources = bootstrap.bootstrap("http://127.0.0.1:4599", name="bench")
        server.configure_environment(resources, ROOT / "clinics" / "demo.json")
        seed.seed(resources.user_pool_id)
        from app import app

        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        aws.dynamodb_client().meta.events.register("before-call.dynamodb", count)

        def token(username: str) -> dict[str, str]:
            result = aws.cognito_client().initiate_auth(
                ClientId=resources.user_pool_client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": seed.DEMO_PASSWORD},
            )
            return {"Authorization": "Bearer " + result["AuthenticationResult"]["AccessToken"]}

        patient, staff = token("alex"), token("frontdesk")
        pid = next(str(u.patient_id) for u in seed.DEMO_USERS if u.username == "alex")
        rows: list[tuple[str, str, dict[str, str], bytes]] = [
            ("GET", "/me", patient, b""),
            ("GET", f"/patients/{pid}/profile", patient, b""),
            ("GET", f"/patients/{pid}/profile", staff, b""),
            ("PATCH", f"/patients/{pid}/profile", patient, b""),
            ("GET", f"/patients/{pid}/access-log", patient, b""),
        ]
        rows += appointment_bench.rows(pid, patient, staff)
        print("\nDynamoDB calls per request (counted with botocore before-call hooks)")
        print(f"  {'route':<42} {'caller':<10} {'calls':>5}  operations")
        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            for method, path, headers, body in rows:
                if method == "PATCH":
                    version = client.http.get(path, headers=headers).json_body["version"]
                    body = json.dumps({"version": version, "pronouns": "she/her"}).encode()
                calls.clear()
                start = time.perf_counter()
                response = client.http.request(
                    method, path, headers={**headers, "Content-Type": "application/json"}, body=body
                )
                elapsed = (time.perf_counter() - start) * 1000
                who = "staff" if headers is staff else "patient"
                ops = ", ".join(f"{op} x{n}" for op, n in sorted(calls.items()))
                print(
                    f"  {method + ' ' + path.replace(pid, '{pid}'):<42} {who:<10} {sum(calls.values()):>5}  "
                    f"{ops}  [{response.status_code}, {elapsed:.0f} ms on moto]"
                )
            from bench import billing as billing_bench  # before the table grows

            billing_bench.print_rows(client, calls, pid, patient, token("billing"))
            appointment_bench.search_p50_by_clinic_size(client, pid, patient)
    finally:
        moto.stop()


# Each part runs in a fresh interpreter: moto keeps its state (and the benches' query patches) per process,
# so one part's tables and patched moto internals can never skew or break the next.
PARTS = (
    ("bench.__main__", "bench_dynamodb_calls"),
    ("bench.records", "bench_records"),  # record routes, 100 vs 10,000 patients
    ("bench.messages", "bench_messages"),  # inbox and thread, 100 vs 10,000
)


def _run_part(module: str, function: str) -> None:
    sys.stdout.flush()
    code = f"from {module} import {function}; {function}()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)  # noqa: S603 (fixed code)


if __name__ == "__main__":
    bench_imports()
    for module, function in PARTS:
        _run_part(module, function)
