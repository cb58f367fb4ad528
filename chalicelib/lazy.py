"""Modules that load on first use.

Every cold start imports `app`, and with it every route module; a request then calls one service. Route
modules bind their services with `lazy_module` so a cold start pays only for the service it uses
(importlib's LazyLoader: the module runs on its first attribute access). Under `TYPE_CHECKING` they
import the same module normally, so mypy still checks every call:

    if TYPE_CHECKING:
        from chalicelib.services import export as export_service
    else:
        export_service = lazy_module("chalicelib.services.export")

Models modules are bound the same way, and route contracts name their models through them with a
lambda (`body=lambda: record_models.ProblemIn`): see the docstring of chalicelib/access.py.
tests/unit/test_cold_start.py checks that `import app` leaves them unloaded.

Attribute access loads the module, so never read an attribute of a lazy module at import time (a
decorator argument, a default value, a subclass): that loads it for every cold start.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
