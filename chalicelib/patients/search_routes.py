"""Staff patient search: find a patient to open their chart or book for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.patients import search as search_service
    from chalicelib.patients import search_models
    from chalicelib.patients.search_models import PatientSearchPage, PatientSearchQuery
else:
    search_models = lazy_module("chalicelib.patients.search_models")
    search_service = lazy_module("chalicelib.patients.search")

bp = Blueprint(__name__)
requires = access.guard(bp)


@bp.route("/staff/patients", methods=["GET"])
@requires(
    "patient:search",
    query=lambda: search_models.PatientSearchQuery,
    returns=lambda: search_models.PatientSearchPage,
    summary="Find patients by family name ('family, given'), birth date or id; 20 a page, each audited",
)
def search_patients(*, caller: Caller, query: PatientSearchQuery) -> PatientSearchPage:
    return search_service.search(caller, query.q, cursor=query.cursor)
