"""API Gateway proxy events and a Lambda context, to call a Chalice app the way Lambda does.

Standard library only: the cold-start bench imports this before it starts the clock.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any


def api_event(
    resource: str, path_parameters: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """A GET of `resource` (the route as declared, e.g. /patients/{patient_id}/profile)."""
    path = resource.format(**(path_parameters or {}))
    request_id = str(uuid.uuid4())
    all_headers = {"Host": "bench.local", "Accept": "application/json", **(headers or {})}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": "GET",
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": "GET",
            "path": "/api" + path,
            "stage": "api",
            "requestId": request_id,
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def lambda_context() -> Any:
    return SimpleNamespace(
        function_name="api_handler",
        function_version="$LATEST",
        memory_limit_in_mb=1024,
        invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:api_handler",
        aws_request_id=str(uuid.uuid4()),
        log_group_name="/aws/lambda/api_handler",
        log_stream_name="bench",
        get_remaining_time_in_millis=lambda: 30_000,
    )
