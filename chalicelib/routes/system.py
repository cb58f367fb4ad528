"""Public endpoints: health, the clinic's contact details, and the API description."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import access, config
from chalicelib.models.system import ClinicOut, HealthOut

bp = Blueprint(__name__)
public = access.public(bp)


@bp.route("/health", methods=["GET"])
@public("health", returns=HealthOut, summary="Liveness check; touches no data")
def health() -> HealthOut:
    return HealthOut()


@bp.route("/clinic", methods=["GET"])
@public("clinic", returns=ClinicOut, summary="The clinic's name and how to reach it (shown on every page)")
def clinic() -> ClinicOut:
    return ClinicOut.from_config(config.clinic())


@bp.route("/openapi.json", methods=["GET"])
@public("openapi", summary="This API, described as OpenAPI 3.1 from the pydantic models")
def openapi() -> dict[str, object]:
    from chalicelib import openapi as spec

    return spec.document()
