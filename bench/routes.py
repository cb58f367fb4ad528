"""DynamoDB calls, items read and p50 per route, the same way for every feature's part.

A read route is measured on two clinics side by side: the demo clinic plus 100 filler patients, and the
demo clinic plus 10,000. Each runs in an interpreter of its own (its own moto, its own app), and their
requests alternate, so that a change in this shared machine's load hits both sizes alike. The verdict
comes from the calls and items read per request (what DynamoDB would do); the p50 on moto is shown beside
them, with moto's Query made to read partitions the way DynamoDB does (bench/moto_patches.py).

A part module that compares sizes provides `reads(cloud, client) -> list[Probe]` and
`fill(start, stop)`, which adds filler patients number start to stop - 1.
"""

from __future__ import annotations

import gc
import importlib
import json
import multiprocessing
import statistics
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Final

from bench.localcloud import ROOT, local_cloud, progress
from bench.meter import DynamoMeter, Reading
from bench.report import OK, Part

SIZES: Final = (100, 10_000)
SAMPLES: Final = 31  # per route and size; fewer (never under MIN_SAMPLES) for a route slower than
MIN_SAMPLES: Final = 9  # BUDGET_MS in all, so that the whole bench stays within a few minutes
BUDGET_MS: Final = 2000.0
P50_NOTE_ABOVE: Final = 1.3


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    caller: str
    headers: dict[str, str]
    label: str  # the path as shown: ids replaced by {pid}, {tid}, ...
    body: Any = None
    bound: int | None = None  # items read may grow up to this (a capped count) and still be ok

    @property
    def name(self) -> str:
        return f"{self.method} {self.label} ({self.caller})"


class RouteBench:
    def __init__(self, part: Part, client: Any, meter: DynamoMeter) -> None:
        self.part, self.client, self.meter = part, client, meter

    def request(self, probe: Probe) -> tuple[Any, Reading, float]:
        body = json.dumps(probe.body).encode() if probe.body is not None else b""
        headers = {**probe.headers, "Content-Type": "application/json"}
        self.meter.reset()
        started = time.perf_counter()
        response = self.client.http.request(probe.method, probe.path, headers=headers, body=body)
        elapsed = (time.perf_counter() - started) * 1000
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"{probe.name} answered {response.status_code}: the figures would be wrong")
        return response, self.meter.reading(), elapsed

    def once(self, probe: Probe) -> Any:
        """A write (or a read that changes state), measured once on the seeded clinic."""
        note = "writes, and reads that change state, are measured once each, in order, on the demo clinic"
        if note not in self.part.notes:
            self.part.notes.append(note)
        response, reading, _ = self.request(probe)
        self.part.add(
            probe.name,
            f"{reading.describe()}; items read {reading.items}",
            "DynamoDB calls per request",
            "no Scan",
            _scan_verdict(reading) or OK,
        )
        return response


def _serve(module_name: str, size: int, conn: Connection) -> None:
    """One clinic size: seed, fill, then answer "request probe i" until told to stop."""
    from chalice.test import Client

    module = importlib.import_module(module_name)
    meter = DynamoMeter()
    meter.install()
    with local_cloud(f"bench-{size}", seed_demo=True) as cloud:
        from app import app

        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            probes: list[Probe] = module.reads(cloud, client)
            started = time.perf_counter()
            module.fill(0, size)
            # The filler is DynamoDB's data, not the app's: keep its million objects out of this
            # process's garbage collections, which would otherwise slow every request down with the table.
            gc.collect()
            gc.freeze()
            fill_seconds = time.perf_counter() - started
            bench = RouteBench(Part(""), client, meter)
            for probe in probes:  # the first request of a route loads its modules: not a sample
                bench.request(probe)
            conn.send(([(probe.name, probe.bound) for probe in probes], fill_seconds))
            while (index := conn.recv()) is not None:
                _, reading, elapsed = bench.request(probes[index])
                conn.send((reading, elapsed))


def compare_sizes(part: Part, module_name: str) -> None:
    """Calls, items read and p50 of each of the module's reads, at 100 and at 10,000 filler patients."""
    context = multiprocessing.get_context("spawn")  # fresh interpreters, like every part
    workers: list[tuple[Any, Connection]] = []
    progress("seeding and filling two clinics, 100 and 10,000 patients, side by side")
    for size in SIZES:
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve, args=(module_name, size, theirs), name=f"{size:,}-patient", daemon=True
        )
        process.start()
        workers.append((process, ours))
    try:
        ready = [_receive(process, conn) for process, conn in workers]
        names: list[tuple[str, int | None]] = ready[0][0]
        progress(f"{len(names)} routes, {MIN_SAMPLES} to {SAMPLES} requests each per size, sizes alternating")
        samples: list[list[list[float]]] = [[[] for _ in SIZES] for _ in names]
        readings: list[list[list[Reading]]] = [[[] for _ in SIZES] for _ in names]
        for _ in range(SAMPLES):
            for index in range(len(names)):
                taken = samples[index]
                if len(taken[0]) >= MIN_SAMPLES and sum(map(sum, taken)) >= 2 * BUDGET_MS:
                    continue
                for size_index, (process, conn) in enumerate(workers):
                    conn.send(index)
                    reading, elapsed = _receive(process, conn)
                    taken[size_index].append(elapsed)
                    readings[index][size_index].append(reading)
        for conn_process in workers:
            conn_process[1].send(None)
    finally:
        for process, _ in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    fills = " and ".join(
        f"{size:,} in {seconds:.0f} s" for size, (_, seconds) in zip(SIZES, ready, strict=True)
    )
    part.notes.append(f"filler patients added straight into moto: {fills}")
    for (name, bound), taken, read in zip(names, samples, readings, strict=True):
        # The most any sample read: a route whose reads creep up between requests shows it.
        small, large = (max(r, key=lambda reading: (reading.items, reading.calls)) for r in read)
        small_ms, large_ms = (statistics.median(t) for t in taken)
        ratio = large_ms / small_ms
        same = small.operations == large.operations
        ops = small.describe() if same else f"{small.describe()} -> {large.describe()}"
        part.add(
            name,
            f"items {small.items} -> {large.items}; calls {ops}; "
            f"p50 {small_ms:.1f} -> {large_ms:.1f} ms ({ratio:.2f}x)",
            f"per request, 100 -> 10,000 patients (p50 of {len(taken[0])})",
            "items and calls flat; no Scan",
            _growth_verdict(bound, small, large, ratio),
        )


def _receive(process: Any, conn: Connection) -> Any:
    try:
        return conn.recv()
    except EOFError:
        raise RuntimeError(
            f"the {process.name} clinic's interpreter died (see its traceback above)"
        ) from None


def _scan_verdict(reading: Reading) -> str | None:
    return "SCANS" if "Scan" in reading.operations else None


def _growth_verdict(bound: int | None, small: Reading, large: Reading, p50_ratio: float) -> str:
    scans = _scan_verdict(small) or _scan_verdict(large)
    if scans:
        return scans
    grows = large.items > small.items or large.calls > small.calls
    if grows and bound is not None and large.items <= bound and large.calls <= small.calls:
        verdict = f"ok: bounded, at most {bound} items"
    elif grows:
        verdict = "GROWS with the clinic"
    else:
        verdict = OK
    if p50_ratio > P50_NOTE_ABOVE:
        verdict += f" (p50 {p50_ratio:.1f}x on moto)"
    return verdict
