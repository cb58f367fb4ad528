"""`make bench`: every figure in one table, printed and written to bench/last-run.md.

Prints ratios and counts, never asserts: speed goals live here, not in timed tests. A figure over its
goal is reported as such; a part that crashes makes the run exit non-zero.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench import sandbox
from bench.report import Part, markdown

ROOT = Path(__file__).resolve().parent.parent
LAST_RUN = ROOT / "bench" / "last-run.md"

PARTS = (
    "bench.imports",  # import app vs import boto3
    "bench.handler",  # warm overhead and cold first request vs a bare Chalice app
    "bench.core",  # accounts, patients, appointments, billing: calls, items read, 100 vs 10,000
    "bench.records",  # records and results, the same
    "bench.messages",  # messaging, refills, pharmacies, the same
    "bench.importer",  # importing 5,000 patients: time and DynamoDB calls per row
    "bench.web",  # first-load JS and CSS, gzipped
    "bench.lighthouse",  # Lighthouse on a phone: sign-in and signed-in pages, first-load JS per language
)


def _run_part(module: str, env: dict[str, str], workdir: Path) -> tuple[Part, float]:
    """One part in a fresh interpreter; a crash becomes a row saying so."""
    result = workdir / f"{module}.json"
    started = time.perf_counter()
    print(f"{module} ...", file=sys.stderr, flush=True)
    done = subprocess.run(  # noqa: S603  (our own interpreter and modules)
        [sys.executable, "-m", "bench.part", module, str(result)], cwd=ROOT, env=env, check=False
    )
    seconds = time.perf_counter() - started
    print(f"{module}: {seconds:.0f} s", file=sys.stderr, flush=True)
    if done.returncode != 0 or not result.exists():
        part = Part(module)
        part.add("part crashed", f"exit status {done.returncode}", "-", "-", "CRASHED (see the log above)")
        return part, seconds
    return Part.from_json(result.read_text()), seconds


def main() -> int:
    sandbox.apply()  # once, before any part starts: every part inherits this environment
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = dict(os.environ)
    # Fresh interpreters read bytecode from a cache of their own (written once, by a warm-up run), so
    # every import is timed the same way whatever PYTHONDONTWRITEBYTECODE says.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    try:
        runs = [_run_part(module, env, workdir) for module in PARTS]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    parts = [part for part, _ in runs]
    seconds = time.perf_counter() - started
    timing = "; ".join(f"{part.name} {s:.0f} s" for part, s in runs)
    preamble = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {seconds:.0f} s ({timing}) on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, moto {version('moto')}, chalice {version('chalice')}.",
        "",
        "Ratios and counts, not timed tests: a verdict says whether a figure meets its goal, and nothing "
        "fails on a number. Everything runs against moto on this machine, with dummy credentials "
        "(bench/sandbox.py), each part in a fresh interpreter.",
        "",
        "Per route: DynamoDB calls, and items read per request (a Query's ScannedCount, a GetItem hit, a "
        "batch's items): what DynamoDB would read, whatever moto's speed. The verdict comes from those; "
        "p50 is on moto, made to read partitions the way DynamoDB does (bench/moto_patches.py), with the "
        "filler kept out of the garbage collector, so it follows our code rather than moto's table scans.",
    ]
    table = markdown(parts, title="make bench", preamble=preamble)
    LAST_RUN.write_text(table)
    print(table, end="")
    crashed = [part.name for part in parts if any(row.verdict.startswith("CRASHED") for row in part.rows)]
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
