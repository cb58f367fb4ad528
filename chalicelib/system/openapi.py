"""The OpenAPI 3.1 document, generated from the routes' declared contracts and pydantic models."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.core.access import POLICY, contract_of

ERROR_SCHEMA: dict[str, Any] = {
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
            },
        }
    },
}


def document() -> dict[str, Any]:
    from app import app  # the routes are the source of truth

    models: set[type[BaseModel]] = set()
    operations: list[tuple[str, str, Any]] = []
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            contract = contract_of(entry.view_function)
            if contract is None:
                continue
            operations.append((path, method, contract))
            models.update(m for m in (contract.body, contract.returns) if m is not None)

    refs, schemas = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    components = dict(schemas.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA

    paths: dict[str, dict[str, Any]] = {}
    for path, method, contract in operations:
        operation: dict[str, Any] = {
            "operationId": contract.action.replace(":", "_") + "_" + method.lower(),
            "summary": contract.summary,
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in re.findall(r"{(\w+)}", path)
            ],
            "responses": {"default": _json_response("Error", "error")},
        }
        if contract.query is not None:
            query_schema = contract.query.model_json_schema()
            operation["parameters"] += [
                {"name": name, "in": "query", "required": False, "schema": prop}
                for name, prop in query_schema.get("properties", {}).items()
            ]
        if contract.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(contract.body, "validation")]}},
            }
        if contract.returns is not None:
            operation["responses"]["200"] = {
                "description": "OK",
                "content": {"application/json": {"schema": refs[(contract.returns, "validation")]}},
            }
        else:
            operation["responses"]["200"] = {"description": "OK"}
        if contract.public:
            operation["security"] = []
        else:
            operation["x-roles"] = sorted(role.value for role in POLICY[contract.action])
        paths.setdefault("/api" + path, {})[method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {"title": "Clinic Portal API", "version": "1"},
        "servers": [{"url": "/"}],
        "security": [{"cognito": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _json_response(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
