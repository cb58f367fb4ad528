"""Public routes: health, clinic contact details, the OpenAPI document."""

from __future__ import annotations

from chalice.test import Client

from app import app
from chalicelib.core import config


def test_health_needs_no_sign_in(api: Client) -> None:
    response = api.http.get("/health")
    assert response.status_code == 200
    assert response.json_body == {"status": "ok"}


def test_clinic_contact_details_come_from_the_clinic_configuration(api: Client) -> None:
    body = api.http.get("/clinic").json_body
    clinic = config.clinic()
    assert body["name"] == clinic.name
    assert body["phone"] == clinic.phone
    assert body["phone_display"] == "(555) 010-0100"
    assert body["hours"][0] == {"days": "Monday–Friday", "hours": "8:00 am – 6:00 pm"}


def test_openapi_describes_every_route_with_its_models(api: Client) -> None:
    spec = api.http.get("/openapi.json").json_body
    assert spec["openapi"].startswith("3.1")
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    routed = {("/api" + path, method.lower()) for path, methods in app.routes.items() for method in methods}
    assert described == routed
    patch = spec["paths"]["/api/patients/{patient_id}/profile"]["patch"]
    update_ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    update = spec["components"]["schemas"][update_ref]
    assert update["additionalProperties"] is False
    assert "version" in update["required"]
    assert "legal_name" not in update["properties"]
    assert patch["x-roles"] == ["admin", "front_desk", "patient"]


def test_unknown_method_uses_the_error_shape(api: Client) -> None:
    response = api.http.request("DELETE", "/health")
    assert response.status_code == 405
    assert response.json_body["error"]["code"] == "method_not_allowed"
