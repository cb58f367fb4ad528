"""Every feature package is held to the import contracts, so a new one cannot slip past `lint-imports`.

The contracts themselves are checked by `make lint`; this checks that each feature has its share of them
(ARCHITECTURE.md, "A new feature").
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_FEATURES = {"core", "local", "__pycache__"}


def features() -> list[str]:
    return sorted(
        p.name for p in (ROOT / "chalicelib").iterdir() if p.is_dir() and p.name not in NOT_FEATURES
    )


def contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def lines(value: str) -> set[str]:
    return {line.strip() for line in value.splitlines() if line.strip()}


def test_the_feature_list_is_the_one_app_registers() -> None:
    app_source = (ROOT / "app.py").read_text()
    assert features(), "no feature packages found"
    for feature in features():
        assert f"from chalicelib.{feature} import routes as {feature}_routes" in app_source, feature


@pytest.mark.parametrize("feature", features())
def test_each_feature_is_covered_by_the_import_contracts(feature: str) -> None:
    config = contracts()
    package = f"chalicelib.{feature}"

    assert package in lines(config["importlinter:contract:core"]["forbidden_modules"])
    private = config[f"importlinter:contract:{feature}-private"]
    assert f"{package}.routes" in lines(private["protected_modules"])
    assert lines(private["allowed_importers"]) == {package, "chalicelib.local"}
    if (ROOT / "chalicelib" / feature / "store.py").exists() or (
        ROOT / "chalicelib" / feature / "store"
    ).is_dir():
        assert f"{package}.store" in lines(private["protected_modules"])
        layers = [
            # siblings: " : " independent of each other, " | " allowed to import each other
            re.split(r" [:|] ", line)
            for line in lines(config[f"importlinter:contract:{feature}-layers"]["layers"])
        ]
        # Entry points sit above the services: its routes, and a command line (it talks to AWS itself).
        entry_points = {f"{package}.routes", f"{package}.cli"}
        services = {module for layer in layers for module in layer} - entry_points - {f"{package}.store"}
        modules = {
            f"{package}.{p.stem}"
            for p in (ROOT / "chalicelib" / feature).glob("*.py")
            if p.stem not in {"__init__", "routes", "cli", "store", "models"}
        }
        assert modules <= services | {f"{package}.providers"}, "a service module missing from its layers"
        plain = lines(config["importlinter:contract:services-are-plain-python"]["source_modules"])
        assert modules <= plain, "a service module missing from services-are-plain-python"


def test_no_code_reads_the_app_wide_request() -> None:
    """`app.current_request` / `bp.current_request` is one attribute shared by every thread of a threaded
    server: a view reading it can get another caller's headers. The guard hands views what they need."""
    sources = [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]
    readers = [str(p.relative_to(ROOT)) for p in sources if ".current_request" in p.read_text()]
    assert readers == []


def test_the_guard_logs_no_exception_text() -> None:
    """`logger.exception` writes the exception's message and traceback, which may quote a patient's data."""
    sources = [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]
    offenders = [str(p.relative_to(ROOT)) for p in sources if "logger.exception(" in p.read_text()]
    assert offenders == []
