"""The signed-in user."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import access
from chalicelib.access import Caller
from chalicelib.models.account import MeOut
from chalicelib.services import accounts as account_service

bp = Blueprint(__name__)
requires = access.guard(bp)


@bp.route("/me", methods=["GET"])
@requires("me:read", returns=MeOut, summary="Who am I, my role, and the patients I may act for")
def me(*, caller: Caller) -> MeOut:
    return account_service.whoami(caller)
