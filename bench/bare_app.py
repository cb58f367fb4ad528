"""The baseline: a minimal Chalice app as its tutorial would write it, with no middleware, no token check,
no models and no audit. What the portal's handler adds is measured against it."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3
from botocore import xform_name
from chalice import Chalice

app = Chalice(app_name="bare")

# DynamoDB calls for /replay, as (operation, parameters): set by the bench before it calls the route.
REPLAY: list[tuple[str, dict[str, Any]]] = []


@cache
def _dynamodb() -> Any:
    return boto3.resource("dynamodb")


@app.route("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.route("/patients/{patient_id}")
def profile(patient_id: str) -> dict[str, Any]:
    table = _dynamodb().Table(os.environ["TABLE_NAME"])
    item = table.get_item(Key={"PK": f"PATIENT#{patient_id}", "SK": "PROFILE"}).get("Item") or {}
    return {"id": item.get("id")}


@app.route("/replay")
def replay() -> dict[str, int]:
    client = _dynamodb().meta.client
    for operation, parameters in REPLAY:
        getattr(client, xform_name(operation))(**parameters)
    return {"calls": len(REPLAY)}
