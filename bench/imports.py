"""`make bench`, cold import: `import app` against `import boto3`, each in fresh interpreters.

`import app` runs before every new container's first request; boto3 is the yardstick every Lambda in
Python pays for anyway.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from typing import Final

from bench.localcloud import ROOT
from bench.report import Part, ratio_verdict

NAME = "cold import"
RUNS: Final = 9
GOAL: Final = 1.3


def _import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    out = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def run() -> Part:
    part = Part(NAME)
    for module in ("boto3", "app"):  # fills the bytecode cache
        _import_ms(module)
    samples: dict[str, list[float]] = {"boto3": [], "app": []}
    for _ in range(RUNS):
        for module, taken in samples.items():
            taken.append(_import_ms(module))
    boto3_ms, app_ms = statistics.median(samples["boto3"]), statistics.median(samples["app"])
    ratio = app_ms / boto3_ms
    part.add(
        "import app / import boto3",
        f"{ratio:.2f}x ({app_ms:.0f} vs {boto3_ms:.0f} ms)",
        f"median of {RUNS} fresh interpreters each",
        f"<= {GOAL}x",
        ratio_verdict(ratio, GOAL),
    )
    return part
