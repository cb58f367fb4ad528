"""Modules that load on first use.

Every cold start imports `app`, and with it every route module; a request then calls one service. Route
modules bind their services with `lazy_module` so a cold start pays only for the service it uses
(like importlib's LazyLoader: the module runs on its first attribute access). Under `TYPE_CHECKING` they
import the same module normally, so mypy still checks every call:

    if TYPE_CHECKING:
        from chalicelib.records import export as export_service
    else:
        export_service = lazy_module("chalicelib.records.export")

Models modules are bound the same way, and route contracts name their models through them with a
lambda (`body=lambda: record_models.ProblemIn`): see the docstring of chalicelib/core/access.py.
tests/unit/test_cold_start.py checks that `import app` leaves them unloaded.

Attribute access loads the module, so never read an attribute of a lazy module at import time (a
decorator argument, a default value, a subclass): that loads it for every cold start.

Why not importlib.util.LazyLoader itself: on Python 3.11 it is not thread-safe (Python 3.13 added a lock).
While one thread runs the module, another one sees it half-built and gets AttributeError.
Lambda serves one request at a time per container, but the local server (and so the e2e suite) answers
a browser's parallel first requests on threads. `_LazyModule` below is LazyLoader's module with the
per-module lock of 3.13 (tests/unit/test_lazy.py).
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    """A module that runs its code on first attribute access; other threads wait until it has run."""

    def __getattribute__(self, attr: str) -> Any:
        spec = object.__getattribute__(self, "__spec__")
        state = spec.loader_state
        with state["lock"]:
            if object.__getattribute__(self, "__class__") is _LazyModule:
                if state["is_loading"]:  # the loading thread itself, while the module runs
                    return ModuleType.__getattribute__(self, attr)
                state["is_loading"] = True
                try:
                    spec.loader.exec_module(self)
                except BaseException:
                    state["is_loading"] = False
                    raise
                object.__setattr__(self, "__class__", ModuleType)
        return getattr(self, attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        self.__getattribute__("__dict__")  # load first: the module's own code must not overwrite it
        ModuleType.__setattr__(self, attr, value)

    def __delattr__(self, attr: str) -> None:
        self.__getattribute__(attr)
        delattr(self, attr)


def lazy_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    module = importlib.util.module_from_spec(spec)
    spec.loader_state = {"lock": threading.RLock(), "is_loading": False}
    module.__class__ = _LazyModule
    sys.modules[name] = module
    return module
