"""`make bench`, the web app: the gzipped JavaScript and CSS a browser fetches on first load.

First load is what web/dist/index.html names (its entry script, the chunks it preloads, its stylesheets)
and every chunk those scripts import statically; chunks behind a dynamic import() load later, per page.
The repository states no budget for it, so the figure is reported without a goal.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Final

from bench.localcloud import ROOT, progress
from bench.report import Part

NAME = "web"
WEB: Final = ROOT / "web"
DIST: Final = WEB / "dist"

# `import{a as b}from"./chunk.js"` and `import"./chunk.js"`, not `import("./chunk.js")`.
_STATIC_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*["'](\.{1,2}/[^"']+\.js)["']""")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and named.get("src"):
            self.found.append(str(named["src"]))
        if tag == "link" and named.get("rel") in ("stylesheet", "modulepreload") and named.get("href"):
            self.found.append(str(named["href"]))


def _stale() -> bool:
    index = DIST / "index.html"
    if not index.exists():
        return True
    built = index.stat().st_mtime
    sources = [
        WEB / "index.html",
        WEB / "package.json",
        WEB / "vite.config.ts",
        *(WEB / "src").rglob("*"),
        *(WEB / "build").rglob("*"),
    ]
    return any(path.stat().st_mtime > built for path in sources if path.is_file())


def first_load(dist: Path) -> set[Path]:
    parser = _Assets()
    parser.feed((dist / "index.html").read_text())
    pending = [dist / src.lstrip("/") for src in parser.found if src.endswith((".js", ".css"))]
    loaded: set[Path] = set()
    while pending:
        path = pending.pop().resolve()
        if path in loaded:
            continue
        loaded.add(path)
        if path.suffix == ".js":
            pending += [path.parent / name for name in _STATIC_IMPORT.findall(path.read_text())]
    return loaded


def build_if_stale(part: Part) -> None:
    """Build web/dist when it is missing or older than the sources, so the figures are today's app."""
    if not _stale():
        return
    progress("building web/dist (npm run build)")
    npm = ["npm", "run", "--silent", "build"]
    built = subprocess.run(npm, cwd=WEB, capture_output=True, text=True)  # noqa: S603  (fixed command)
    if built.returncode != 0:
        raise RuntimeError(f"npm run build failed:\n{built.stdout}{built.stderr}")
    part.notes.append("web/dist was missing or older than web/src: built with `npm run build` first")


def first_load_js(part: Part) -> None:
    """Per language, the JS before the first render: the entry, its modulepreloads and the language's core
    catalog, as `npm run size` counts it (KB = 1024 bytes there), against the 50 KB budget."""
    node = shutil.which("node") or "node"
    done = subprocess.run(  # noqa: S603  (our own script)
        [node, "scripts/first-load-size.mjs", "--json"], cwd=WEB, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"first-load-size.mjs failed:\n{done.stderr[-4000:]}")
    sizes = json.loads(done.stdout)
    budget = float(sizes["budget_kb"])
    for language, figures in sizes["languages"].items():
        first = float(figures["first_load_kb"])
        part.add(
            f"first-load JS, {language}",
            f"{first:.1f} KB ({first / budget:.2f} of budget)",
            f"KB gzipped (1 KB = 1024 bytes): entry + modulepreloads + core catalog "
            f"({float(figures['core_catalog_kb']):.1f} KB)",
            f"<= {budget:g} KB",
            "ok" if first <= budget else "over budget",
        )
        area = figures["largest_area"]
        code, catalog = float(area["code_kb"]), float(area["catalog_kb"])
        part.add(
            f"largest area, {language}",
            f"{code + catalog:.1f} KB",
            f"KB gzipped: {area['name']}'s code {code:.1f} + catalog {catalog:.1f}",
        )


def run() -> Part:
    part = Part(NAME)
    build_if_stale(part)
    first_load_js(part)
    files = first_load(DIST)
    kb = {suffix: 0.0 for suffix in (".js", ".css")}
    for path in files:
        kb[path.suffix] += len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1000
    names = ", ".join(sorted(path.name for path in files))
    part.add(
        "first-load JS + CSS, gzipped",
        f"{kb['.js'] + kb['.css']:.1f} kB (JS {kb['.js']:.1f}, CSS {kb['.css']:.1f})",
        "kB gzipped (1 kB = 1000 bytes, as Vite reports)",
    )
    part.notes.append(f"first load: {names} (gzip -9 of each file)")
    _video_chunks(part, files)
    return part


def _gz_kb(paths: list[Path]) -> float:
    return sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in paths) / 1000


def _video_chunks(part: Part, first: set[Path]) -> None:
    """The video visit page and the Chime SDK load only on the visit page (and the SDK only for a real
    meeting): their sizes, and whether either slipped into the first load."""
    assets = DIST / "assets"
    visit = sorted(assets.glob("VisitPage-*"))
    sdk = sorted(assets.glob("chimeSession-*.js"))
    if not visit or not sdk:
        part.notes.append("video visit chunks not found in web/dist")
        return
    in_first = {path.resolve() for path in [*visit, *sdk]} & first
    part.add("video visit page chunk (JS + CSS), gzipped", f"{_gz_kb(visit):.1f} kB", "kB gzipped")
    part.add(
        "Chime SDK chunk, gzipped", f"{_gz_kb(sdk):.1f} kB", "kB gzipped, loaded only for a Chime meeting"
    )
    part.add(
        "video chunks in the first load", "none" if not in_first else ", ".join(p.name for p in in_first), ""
    )
