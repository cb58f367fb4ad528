"""Every answer the API tests get, checked against the API's own OpenAPI document.

The web app's types and the API fuzzing both trust the document; this keeps it honest. For each request
a test makes, the answer's status must be one the operation declares (5xx fall to its default), its
Content-Type the declared one, and its JSON body valid against the declared schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from chalice.test import HTTPResponse
from openapi_schema_validator import OAS31Validator, oas31_format_checker


@cache
def spec() -> dict[str, Any]:
    from chalicelib.system import openapi

    return openapi.document()


@cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    routes = []
    for path in spec()["paths"]:
        template = path.removeprefix("/api")
        pattern = re.sub(r"\\{(\w+)\\}", r"[^/]+", re.escape(template))
        routes.append((re.compile(f"^{pattern}$"), path))
    # Literal segments win over parameters (/threads/unread before /threads/{thread_id}), as in Chalice.
    return sorted(routes, key=lambda route: route[1].count("{"))


def operation_for(method: str, url: str) -> tuple[str, dict[str, Any]] | None:
    path = url.split("?", 1)[0]
    for pattern, template in _routes():
        if pattern.match(path):
            operation = spec()["paths"][template].get(method.lower())
            return (f"{method.upper()} {template}", operation) if operation else None
    return None


def _resolve(item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        node: Any = spec()
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


@cache
def _validator(schema_json: str) -> OAS31Validator:
    # The document's components ride along so that "#/components/schemas/..." resolves.
    schema = {**json.loads(schema_json), "components": spec()["components"]}
    return OAS31Validator(schema, format_checker=oas31_format_checker)


def problems_with(method: str, url: str, response: HTTPResponse) -> list[str]:
    found = operation_for(method, url)
    if found is None:  # not a route of the app (an unknown path or method): Chalice's own answer
        return []
    name, operation = found
    status = response.status_code
    declared = operation["responses"].get(str(status))
    if declared is None:
        if status < 500:
            return [f"{name}: answered {status}, which it does not declare"]
        declared = operation["responses"]["default"]
    declared = _resolve(declared)
    content = declared.get("content")
    if not content:
        return [] if not response.body else [f"{name}: {status} declares no body but one was sent"]
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if media_type not in content:
        return [f"{name}: {status} sent {media_type!r}, declares {sorted(content)}"]
    if not (media_type == "application/json" or media_type.endswith("+json")):
        return []
    body = json.loads(response.body)
    validator = _validator(json.dumps(content[media_type]["schema"], sort_keys=True))
    return [
        f"{name}: {status} body at /{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in validator.iter_errors(body)
    ]


@dataclass
class ContractCheck:
    """Collects what a test's calls broke of the document; the api fixture fails the test on any."""

    problems: list[str] = field(default_factory=list)

    def record(self, method: str, url: str, response: HTTPResponse) -> None:
        self.problems += problems_with(method, url, response)
