"""Cold starts: importing the app creates no pydantic model, yet every route's contract names real models.

Clinics pay for every cold start in latency: `import app` runs before each new container's first request.
"""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from chalicelib.core import access
from chalicelib.core.access import Caller, contract_of
from tests.unit.test_app_policy import run_python

# Imported eagerly on purpose: tiny (field types and the two base classes), and Settings needs it.
EAGER_MODELS = {"chalicelib.core.models"}
# What `import app` may run of a feature package: its routes and the payment middleware's hook.
EAGER_FEATURE_MODULES: set[str] = set()


def is_models_module(name: str) -> bool:
    return name.rpartition(".")[2].endswith("models")


def test_every_route_contract_resolves_to_pydantic_models() -> None:
    from app import app

    resolved = 0
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            contract = contract_of(entry.view_function)
            assert contract is not None, (method, path)
            for source, model in (
                (contract.body_source, contract.body),
                (contract.query_source, contract.query),
                (contract.returns_source, contract.returns),
            ):
                assert (source is None) == (model is None), (method, path)
                if model is not None:
                    assert issubclass(model, BaseModel), (method, path)
                    assert is_models_module(model.__module__), (method, path, model)
                    resolved += 1
    assert resolved > 100  # the app's routes, not an empty table


def test_importing_the_app_leaves_the_models_unloaded() -> None:
    result = run_python(
        """
        import json, sys
        import app

        lazy = type(sys.modules["chalicelib.records.routes"].record_models).__name__
        loaded = sorted(
            name for name, module in sys.modules.items()
            if name.startswith("chalicelib.") and type(module).__name__ != "_LazyModule"
        )
        print(json.dumps({"lazy": lazy, "loaded": loaded}))
        """
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["lazy"] == "_LazyModule"
    loaded = set(report["loaded"])
    models = {name for name in loaded if is_models_module(name)}
    assert models <= EAGER_MODELS
    assert "chalicelib.core.clinic" not in loaded
    # Of a feature, only its package and route modules: every service loads on its first request.
    feature_modules = {
        name
        for name in loaded
        if not name.startswith(("chalicelib.core", "chalicelib.local")) and name.count(".") == 2
    }
    services = {name for name in feature_modules if not name.endswith("routes")} - EAGER_FEATURE_MODULES
    assert services == set()


def test_a_request_loads_its_models_module_and_not_the_others() -> None:
    result = run_python(
        """
        import json, sys
        import app
        from chalicelib.core.access import contract_of

        view = app.app.routes["/health"]["GET"].view_function
        print(json.dumps({
            "returns": contract_of(view).returns.__name__,
            "system": type(sys.modules["chalicelib.system.models"]).__name__,
            "records": type(sys.modules["chalicelib.records.models"]).__name__,
        }))
        """
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"returns": "HealthOut", "system": "module", "records": "_LazyModule"}


def test_a_contract_resolves_its_model_once() -> None:
    class Ping(BaseModel):
        ok: bool = True

    calls: list[str] = []

    def ping_model() -> type[BaseModel]:
        calls.append("resolved")
        return Ping

    requires = access.requires

    @requires("profile:read", returns=ping_model)
    def view(*, caller: Caller) -> Ping:
        return Ping()

    contract = contract_of(view)
    assert contract is not None
    assert calls == []  # declaring the route resolved nothing
    assert contract.returns is Ping
    assert contract.returns is Ping
    assert calls == ["resolved"]


def test_a_contract_naming_something_else_than_a_model_fails_when_resolved() -> None:
    requires = access.requires

    @requires("profile:read", body=lambda: dict)  # type: ignore[arg-type,return-value]
    def view(*, caller: Caller) -> None:
        return None

    contract = contract_of(view)
    assert contract is not None
    with pytest.raises(TypeError, match="not a pydantic model"):
        _ = contract.body
