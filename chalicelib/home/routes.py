"""The patient's home home: one request for everything the home page shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.home import models as home_models
    from chalicelib.home import service as home_service
    from chalicelib.home.models import HomeOut
else:
    home_models = lazy_module("chalicelib.home.models")
    home_service = lazy_module("chalicelib.home.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/home", methods=["GET"])
@requires(
    "home:read",
    returns=lambda: home_models.HomeOut,
    summary="What needs attention: new results, unread messages, balance, forms and video visits due",
)
def patient_home(patient_id: str, *, caller: Caller) -> HomeOut:
    return home_service.home(caller, patient_id)
