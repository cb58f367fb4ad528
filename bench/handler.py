"""`make bench`, the handler: what the portal's middleware, guard and models cost per request, warm and
cold, against a bare Chalice app (bench/bare_app.py) doing the same DynamoDB work.

Both apps are called as Lambda calls them, with an API Gateway event (bench/lambda_event.py), against the
same moto server.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Final

from bench.lambda_event import api_event, lambda_context
from bench.localcloud import ROOT, local_cloud, progress
from bench.meter import DynamoMeter
from bench.report import Part

NAME = "handler"
ROUNDS: Final = 200
COLD_RUNS: Final = 5


def _timed(app: Any, event: dict[str, Any]) -> float:
    """One invocation, as Lambda makes it; its time in ms."""
    started = time.perf_counter()
    response = app(event, lambda_context())
    elapsed = (time.perf_counter() - started) * 1000
    if response["statusCode"] != 200:
        raise RuntimeError(
            f"the bench's request answered {response['statusCode']}: the figures would be wrong"
        )
    return elapsed


def _record_calls(app: Any, event: dict[str, Any], meter: DynamoMeter) -> list[tuple[str, dict[str, Any]]]:
    """The DynamoDB calls one request makes, as the parameters handed to the resource's client."""
    from chalicelib.core import aws

    recorded: list[tuple[str, dict[str, Any]]] = []

    def capture(model: Any, params: dict[str, Any], **_: Any) -> None:
        recorded.append((model.name, copy.deepcopy(params)))

    events = aws.dynamodb_client().meta.events
    events.register("provide-client-params.dynamodb", capture)
    meter.reset()
    try:
        _timed(app, event)
    finally:
        events.unregister("provide-client-params.dynamodb", capture)
    if len(recorded) != meter.reading().calls:
        raise RuntimeError("a DynamoDB call went through another client: the replay would not match")
    return recorded


def _overhead(part: Part, meter: DynamoMeter, headers: dict[str, str]) -> None:
    import app as portal
    from bench import bare_app

    pairs = {
        "GET /health": (api_event("/health"), api_event("/health")),
        "GET /me": (api_event("/me", headers=headers), api_event("/replay")),
    }
    for real, _ in pairs.values():  # first requests load modules, clients and the JWKS
        _timed(portal.app, real)
    recorded = _record_calls(portal.app, pairs["GET /me"][0], meter)
    bare_app.REPLAY[:] = recorded
    ops = ", ".join(operation for operation, _ in recorded)
    progress(f"{ROUNDS} rounds of in-process requests, portal and bare interleaved")
    timings: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in pairs}
    for _ in range(ROUNDS):
        for name, (real, bare) in pairs.items():
            timings[name][0].append(_timed(portal.app, real))
            timings[name][1].append(_timed(bare_app.app, bare))
    what = {
        "GET /health": "GET /health vs a bare route returning the same JSON (no DynamoDB)",
        "GET /me": f"GET /me (token check, then {ops}) vs a bare route making the same DynamoDB calls",
    }
    for name, (real_samples, bare_samples) in timings.items():
        real_ms, bare_ms = statistics.median(real_samples), statistics.median(bare_samples)
        part.add(
            f"warm handler overhead: {what[name]}",
            f"{real_ms:.2f} vs {bare_ms:.2f} ms: {real_ms / bare_ms:.2f}x, +{real_ms - bare_ms:.2f} ms",
            f"median of {ROUNDS} in-process invocations",
        )


_COLD = """
import json, os, sys, time
from bench.lambda_event import api_event, lambda_context
started = time.perf_counter()
{body}
imported = time.perf_counter()
response = app(event, lambda_context())
done = time.perf_counter()
print(json.dumps({{"status": response["statusCode"], "import_ms": (imported - started) * 1000,
                  "request_ms": (done - imported) * 1000}}))
"""

_PORTAL = """
from app import app
event = api_event("/me", headers={"Authorization": os.environ["BENCH_AUTHORIZATION"]})
"""

_BARE = """
from bench.bare_app import app
event = api_event("/patients/{patient_id}", {"patient_id": os.environ["BENCH_PATIENT_ID"]})
"""


def _cold_run(body: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", _COLD.format(body=body)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"a cold-start interpreter failed:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["status"] != 200:
        raise RuntimeError(f"the cold request answered {result['status']}: the figures would be wrong")
    return result


def _cold(part: Part, patient_id: str, headers: dict[str, str]) -> None:
    env = {**os.environ, "BENCH_AUTHORIZATION": headers["Authorization"], "BENCH_PATIENT_ID": patient_id}
    progress(f"{COLD_RUNS} fresh interpreters each for the portal and the bare app")
    for body in (_PORTAL, _BARE):  # fills the bytecode cache, as any deployed container has its .pyc or not
        _cold_run(body, env)
    runs: dict[str, list[dict[str, float]]] = {"portal": [], "bare": []}
    for _ in range(COLD_RUNS):
        runs["portal"].append(_cold_run(_PORTAL, env))
        runs["bare"].append(_cold_run(_BARE, env))

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    def total(name: str) -> float:
        return statistics.median(run["import_ms"] + run["request_ms"] for run in runs[name])

    portal, bare = total("portal"), total("bare")
    part.add(
        "cold first request in a fresh interpreter: import app, verify the token (fetching the JWKS), "
        "GET /me vs a bare Chalice app: import, one GetItem",
        f"{portal:.0f} vs {bare:.0f} ms: {portal / bare:.2f}x "
        f"(import {median('portal', 'import_ms'):.0f} + request {median('portal', 'request_ms'):.0f} "
        f"vs {median('bare', 'import_ms'):.0f} + {median('bare', 'request_ms'):.0f})",
        f"median of {COLD_RUNS} interpreters",
    )


def run() -> Part:
    part = Part(NAME)
    meter = DynamoMeter()
    meter.install()
    with local_cloud("bench-handler", seed_demo=False) as cloud:
        patient_id, headers = cloud.new_patient()
        _cold(part, patient_id, headers)  # first: this interpreter has not imported the app yet
        _overhead(part, meter, headers)
    part.notes.append(
        "both apps are called with API Gateway events, as Lambda calls them, against the same moto server; "
        "the portal's figure includes its token verification, guard, pydantic models and middleware"
    )
    return part
