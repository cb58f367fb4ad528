"""The signed-in user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.accounts import models as account_models
    from chalicelib.accounts import service as account_service
    from chalicelib.accounts.models import MeOut
else:
    account_models = lazy_module("chalicelib.accounts.models")
    account_service = lazy_module("chalicelib.accounts.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/me", methods=["GET"])
@requires(
    "me:read",
    returns=lambda: account_models.MeOut,
    summary="Who am I, my role, and the patients I may act for",
)
def me(*, caller: Caller) -> MeOut:
    return account_service.whoami(caller)


@bp.route("/session/sign-out", methods=["POST"])
@requires(
    "session:end",
    summary="Sign out everywhere: every access token issued until now stops working at once (204)",
    status=204,
)
def sign_out(*, caller: Caller) -> Response:
    account_service.sign_out(caller)
    return Response(body="", status_code=204)
