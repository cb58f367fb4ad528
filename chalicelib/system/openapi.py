"""The OpenAPI 3.1 document, generated from the routes' declared contracts and pydantic models.

Each operation is named after its view function and lists every status it can answer: the success
statuses its contract declares, the errors every guarded route may answer (derived from the contract:
signed in, role, input, the path's ids), the ones its service raises besides (`errors=`), and a default
for the unexpected. Response bodies are described as the views send them (pydantic's serialization
schema, where every field is always present), request bodies as the guard accepts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema

from chalicelib.core.access import POLICY, RouteContract, contract_of

if TYPE_CHECKING:
    from pydantic_core import core_schema

JSON: Final = "application/json"

ERROR_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                "request_id": {"type": "string"},
                # a registration that would double a patient: the record the front desk can open instead
                "existing": {
                    "type": "object",
                    "required": ["id", "display_name", "matched_by"],
                    "properties": {
                        "id": {"type": "string"},
                        "display_name": {"type": "string"},
                        "matched_by": {"type": "string", "enum": ["mrn", "name_and_birth_date"]},
                    },
                },
            },
        }
    },
}

# Every error status a route may declare, with the component response that describes it.
ERROR_RESPONSES: Final[dict[int, tuple[str, str]]] = {
    400: ("BadRequest", "The request is not valid; `fields` names each problem"),
    401: ("Unauthorized", "Not signed in, the token is not valid, or the session was signed out"),
    402: ("PaymentRequired", "The card was declined; nothing was charged"),
    403: ("Forbidden", "The caller's role may not do this"),
    404: ("NotFound", "Not found, or not the caller's to see (both answer the same)"),
    409: ("Conflict", "The current state does not allow it, or someone changed it first"),
    415: ("UnsupportedMediaType", "The body (or an uploaded file) is not of a type this route takes"),
    422: ("UnprocessableContent", "The Idempotency-Key was already used with another request"),
    429: (
        "TooManyAttempts",
        "Too many attempts in a while (wrong passwords, or requests from one address or for one account); "
        "nothing was done. Retry-After, when sent, says when to try again",
    ),
    503: (
        "ServiceUnavailable",
        "A service it needs (the card processor) did not answer; nothing changed, retry",
    ),
}


class App(Protocol):
    """A Chalice app, as far as the document reads it (the system feature imports no Chalice)."""

    @property
    def routes(self) -> Mapping[str, Mapping[str, Any]]: ...


class _ResponseSchemas(GenerateJsonSchema):
    """Views send every field of their models (no `exclude_*`), so a response field is always present."""

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization" and field["type"] != "typed-dict-field":
            return field.get("serialization_exclude_if") is None
        return super().field_is_required(field, total)


def document() -> dict[str, Any]:
    from app import app  # the routes are the source of truth

    return build(app)


def build(app: App) -> dict[str, Any]:
    operations = _operations(app)
    _check_unique_names(operations)
    components, refs = _schemas(contract for _, _, _, contract in operations)
    paths: dict[str, dict[str, Any]] = {}
    for path, method, name, contract in operations:
        operation = _operation(path, name, contract, refs, components)
        paths.setdefault("/api" + path, {})[method.lower()] = operation
    # Query and header models became parameters: their schemas stay only if something else uses them.
    used = _refs_in(paths) | _refs_in(components)
    components = {name: schema for name, schema in components.items() if name in used or name == "Error"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Clinic Portal API", "version": "1"},
        "servers": [{"url": "/"}],
        "security": [{"cognito": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "responses": {
                name: _json_response(description, "Error") for name, description in ERROR_RESPONSES.values()
            }
            | {"Unexpected": _json_response("Something went wrong on our side", "Error")},
            "securitySchemes": {"cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _operations(app: App) -> list[tuple[str, str, str, RouteContract]]:
    operations = []
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            contract = contract_of(entry.view_function)
            if contract is not None:
                operations.append((path, method, entry.view_function.__name__, contract))
    return operations


def _check_unique_names(operations: list[tuple[str, str, str, RouteContract]]) -> None:
    seen: dict[str, str] = {}
    for path, method, name, _ in operations:
        route = f"{method} {path}"
        if name in seen:
            raise ValueError(f"two routes have a view named {name!r} ({seen[name]}, {route}): rename one")
        seen[name] = route


Refs = dict[tuple[type[Any], JsonSchemaMode], dict[str, Any]]


def _schemas(contracts: Iterable[RouteContract]) -> tuple[dict[str, Any], Refs]:
    wanted: set[tuple[type[BaseModel], JsonSchemaMode]] = set()
    for contract in contracts:
        wanted.update((m, "validation") for m in (contract.body, contract.query, contract.headers) if m)
        if contract.returns is not None:
            wanted.add((contract.returns, "serialization"))
    refs, schemas = models_json_schema(
        sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1])),
        ref_template="#/components/schemas/{model}",
        schema_generator=_ResponseSchemas,
    )
    components = _plain_names(dict(schemas.get("$defs", {})))
    refs = {key: _renamed(value) for key, value in refs.items()}
    components["Error"] = ERROR_SCHEMA
    return dict(sorted(components.items())), refs


# A model whose input and output schemas differ gets two names from pydantic, "X-Input" and "X-Output";
# the web app reads what it is sent, so the output keeps the model's own name.
_SUFFIX: Final = re.compile(r"^(\w+)-(Input|Output)$")


def _plain_name(name: str) -> str:
    match = _SUFFIX.match(name)
    if match is None:
        return name
    return match[1] if match[2] == "Output" else match[1] + "Input"


def _plain_names(schemas: dict[str, Any]) -> dict[str, Any]:
    renamed = {_plain_name(name): _renamed(schema) for name, schema in schemas.items()}
    if len(renamed) != len(schemas):
        raise ValueError("two schemas would share a name; rename a model")
    return renamed


def _renamed(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: (_rename_ref(item) if key == "$ref" else _renamed(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item) for item in value]
    return value


def _rename_ref(ref: str) -> str:
    prefix, _, name = ref.rpartition("/")
    return f"{prefix}/{_plain_name(name)}"


def _operation(
    path: str, name: str, contract: RouteContract, refs: Refs, components: dict[str, Any]
) -> dict[str, Any]:
    params = re.findall(r"{(\w+)}", path)
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": contract.summary,
        "parameters": [
            {"name": param, "in": "path", "required": True, "schema": {"type": "string"}} for param in params
        ],
    }
    for location, model in (("query", contract.query), ("header", contract.headers)):
        if model is not None:
            schema = components[refs[(model, "validation")]["$ref"].rpartition("/")[2]]
            operation["parameters"] += _parameters(location, schema)
    if contract.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": refs[(contract.body, "validation")]}},
        }
    operation["responses"] = _responses(contract, params, refs)
    if contract.public:
        operation["security"] = []
    else:
        operation["x-roles"] = sorted(role.value for role in POLICY[contract.action])
    return operation


def _parameters(location: str, model_schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(model_schema.get("required", []))
    return [
        {"name": name, "in": location, "required": name in required, "schema": _not_null(schema)}
        for name, schema in model_schema["properties"].items()
    ]


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter is left out, never sent as null: `X | None` is just X, and optional."""
    branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
    if len(branches) != 1 or len(schema["anyOf"]) != 2:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf" and value is not None}
    return branches[0] | rest


def _refs_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"].rpartition("/")[2]} if isinstance(value.get("$ref"), str) else set()
        return found.union(*(_refs_in(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs_in(item) for item in value))
    return set()


def _success_schema(contract: RouteContract, refs: Refs) -> dict[str, Any]:
    if contract.returns is not None:
        return refs[(contract.returns, "serialization")]
    if contract.media_type.startswith("text/"):
        return {"type": "string"}
    return {"type": "object"}


def _responses(contract: RouteContract, params: list[str], refs: Refs) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status in contract.statuses:
        if status == 204:
            responses["204"] = {"description": "Done; no content"}
        else:
            responses[str(status)] = {
                "description": "Created" if status == 201 else "Accepted" if status == 202 else "OK",
                "content": {contract.media_type: {"schema": _success_schema(contract, refs)}},
            }
    for status in sorted(_error_statuses(contract, params)):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    responses["default"] = {"$ref": "#/components/responses/Unexpected"}
    return responses


def _error_statuses(contract: RouteContract, params: list[str]) -> set[int]:
    statuses = set(contract.errors)
    if not contract.public:
        statuses |= {401, 403}  # the guard: a valid token, and a role the policy allows
    if contract.body is not None or contract.query is not None or contract.headers is not None:
        statuses.add(400)
    if contract.body is not None:
        statuses.add(415)  # Chalice refuses a body that is not application/json
    if params:
        statuses.add(404)  # a patient the caller may not reach, or an id that does not exist
    return statuses


def _json_response(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
