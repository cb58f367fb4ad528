"""Lazy modules: loaded once, on first use, and safe when parallel first requests (the local server's
threads) reach the same module."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from chalicelib.core.lazy import lazy_module

SLOW_MODULE = """
import time

import lazy_probe_runs

lazy_probe_runs.RUNS.append(__name__)
time.sleep(0.2)  # building a models module takes milliseconds; widen the window
VALUE = 42
"""


@pytest.fixture
def slow_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    (tmp_path / "lazy_probe_runs.py").write_text("RUNS: list[str] = []\n", encoding="utf-8")
    (tmp_path / "lazy_probe_slow.py").write_text(SLOW_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    runs = importlib.import_module("lazy_probe_runs").RUNS
    yield "lazy_probe_slow", runs
    for name in ("lazy_probe_slow", "lazy_probe_runs"):
        sys.modules.pop(name, None)


def test_a_lazy_module_runs_on_first_attribute_access_once(slow_module: tuple[str, list[str]]) -> None:
    name, runs = slow_module
    module = lazy_module(name)

    assert runs == []
    assert type(module).__name__ == "_LazyModule"
    assert module.VALUE == 42
    assert module.VALUE == 42
    assert runs == [name]
    assert type(module) is ModuleType
    assert lazy_module(name) is module


def test_patching_a_lazy_module_loads_it_first_so_the_patch_sticks(
    slow_module: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, runs = slow_module
    module = lazy_module(name)

    monkeypatch.setattr(module, "VALUE", 7)  # as tests do to a lazily bound service

    assert runs == [name]
    assert module.VALUE == 7


def test_parallel_first_uses_wait_for_the_module_instead_of_seeing_it_half_built(
    slow_module: tuple[str, list[str]],
) -> None:
    name, runs = slow_module
    module = lazy_module(name)
    seen: list[object] = []
    start = threading.Barrier(4)

    def read() -> None:
        start.wait()
        try:
            seen.append(module.VALUE)
        except AttributeError as exc:  # what Python 3.11's LazyLoader gives the other threads
            seen.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == [42, 42, 42, 42]
    assert runs == [name]
