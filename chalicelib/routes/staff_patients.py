"""Staff patient search: find a patient to open their chart or book for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib import access
from chalicelib.access import Caller
from chalicelib.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.models import staff_patients as search_models
    from chalicelib.models.staff_patients import PatientSearchPage, PatientSearchQuery
    from chalicelib.services import staff_patients as search_service
else:
    search_models = lazy_module("chalicelib.models.staff_patients")
    search_service = lazy_module("chalicelib.services.staff_patients")

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
