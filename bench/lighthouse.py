"""`make bench`, Lighthouse: the sign-in page and the signed-in pages on a phone (Lighthouse's default mobile
preset: an emulated phone, simulated slow 4G and CPU), against the local portal as `make run` starts it.

web/scripts/lighthouse.mjs does the browser work (Lighthouse's Node API, one user flow in one tab: the
session lives in the tab's sessionStorage); this part starts the portal, runs it, and adds the first-load
JS per language (as `npm run size` counts it: entry, modulepreloads and the language's core catalog) and
whether the app is installable. Chromium is Debian's (CHROME_PATH, /usr/bin/chromium by default).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Final

from bench.localcloud import ROOT, progress
from bench.report import Part
from bench.web import build_if_stale, first_load_js

NAME = "lighthouse"
WEB: Final = ROOT / "web"
USER: Final = "alex"  # a demo patient with results, appointments, messages and bills
CHROME: Final = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# What Lighthouse itself counts as good (its score colours; CLS per web.dev's threshold).
GOOD_SCORE: Final = 90
GOOD_CLS: Final = 0.1
# Lighthouse's own advice for a noisy score: the median of several runs (its variability docs say five).
RUNS: Final = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))


def _portal_run(url: str) -> dict[str, Any]:
    from chalicelib.local.seed import DEMO_PASSWORD

    node = shutil.which("node") or "node"
    done = subprocess.run(  # noqa: S603  (our own script)
        [node, "scripts/lighthouse.mjs", url, USER, DEMO_PASSWORD],
        cwd=WEB,
        env={**os.environ, "CHROME_PATH": CHROME},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Lighthouse failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    found = dict(json.loads(done.stdout))
    details = os.environ.get("LIGHTHOUSE_DETAILS")  # a file for each page's metrics and biggest savings
    if details:
        Path(details).write_text(json.dumps(found["pages"], indent=2))
    return found


def run() -> Part:
    # Imported here: the portal helper lives with the tests that share it.
    from tests.local_portal import local_portal

    part = Part(NAME)
    build_if_stale(part)  # the portal serves web/dist: measure today's app
    if not Path(CHROME).exists():
        part.add("Lighthouse", "not run", "", verdict=f"no Chromium at {CHROME}")
        return part
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        progress("starting the local portal for Lighthouse")
        with local_portal(Path(tmp), timeout=300) as portal:
            runs = []
            for n in range(1, RUNS + 1):
                progress(f"Lighthouse run {n} of {RUNS}: sign-in and five signed-in pages (a few minutes)")
                runs.append(_portal_run(portal.url))
    found = runs[-1]
    for page, scores in _medians(runs).items():
        if page != "sign-in" and not scores["signed_in"]:
            part.add(f"{page}: signed in", "no", "", "yes", "measured the sign-in page instead")
        spread = scores["performance_runs"]
        part.add(f"{page}: performance, each run", " / ".join(str(s) for s in spread), "Lighthouse score")
        cells = [
            ("performance", scores["performance"], GOOD_SCORE),
            ("accessibility", scores["accessibility"], GOOD_SCORE),
            ("best practices", scores["best_practices"], GOOD_SCORE),
        ]
        for label, score, goal in cells:
            verdict = "-" if score is None else ("ok" if score >= goal else "below goal")
            part.add(
                f"{page}: {label}",
                "-" if score is None else str(score),
                "Lighthouse score",
                f">= {goal}",
                verdict,
            )
        cls = scores["cls"]
        part.add(
            f"{page}: cumulative layout shift",
            "-" if cls is None else f"{cls:.3f}",
            "CLS",
            f"<= {GOOD_CLS}",
            "-" if cls is None else ("ok" if cls <= GOOD_CLS else "over goal"),
        )
    first_load_js(part)
    install = found["installable"]
    part.add(
        "installable",
        "yes" if install["manifest"] and install["service_worker"] else "no",
        f"manifest {'ok' if install['manifest'] else 'missing'} (display {install['display']}), "
        f"service worker {'active' if install['service_worker'] else 'not active'}",
    )
    part.notes.append(
        f"each score is the median of {RUNS} runs (LIGHTHOUSE_RUNS): performance moves with the machine's "
        "load (Lighthouse simulates a slow phone from the timings it observes), so compare runs on a quiet "
        "machine; layout shift and the other scores do not"
    )
    part.notes.append(
        f"Lighthouse {found['lighthouse']}, default mobile preset, Chromium {CHROME}, signed in as {USER}"
    )
    return part


def _medians(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each page's scores as the median over the runs (None where a run had none), signed in only if it
    was in every run, and its performance score in each run."""
    pages: dict[str, dict[str, Any]] = {}
    for page in runs[0]["pages"]:
        each = [run["pages"][page] for run in runs]

        def middle(key: str, each: list[dict[str, Any]] = each) -> Any:
            values = [scores[key] for scores in each if scores[key] is not None]
            return statistics.median_low(values) if values else None

        pages[page] = {
            "performance": middle("performance"),
            "accessibility": middle("accessibility"),
            "best_practices": middle("best_practices"),
            "cls": middle("cls"),
            "signed_in": all(scores.get("signed_in", True) for scores in each),
            "performance_runs": [scores["performance"] for scores in each],
        }
    return pages
