"""Public endpoints: health, the clinic's contact details, and the API description."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import access, config
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.system import models as system_models
    from chalicelib.system import openapi as spec
    from chalicelib.system.models import ClinicOut, HealthOut
else:
    spec = lazy_module("chalicelib.system.openapi")
    system_models = lazy_module("chalicelib.system.models")


bp = Blueprint(__name__)
public = access.public


@bp.route("/health", methods=["GET"])
@public("health", returns=lambda: system_models.HealthOut, summary="Liveness check; touches no data")
def health() -> HealthOut:
    return system_models.HealthOut()


@bp.route("/clinic", methods=["GET"])
@public(
    "clinic",
    returns=lambda: system_models.ClinicOut,
    summary="The clinic's name and how to reach it (shown on every page)",
)
def clinic() -> ClinicOut:
    return system_models.ClinicOut.from_config(config.clinic(), access.caller_locale(None))


@bp.route("/openapi.json", methods=["GET"])
@public("openapi", summary="This API, described as OpenAPI 3.1 from the pydantic models")
def openapi() -> dict[str, object]:
    return spec.document()
