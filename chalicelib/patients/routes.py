"""A patient's own record: profile and access log. Addressed by patient id so caregivers fit in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.patients import access_log as access_log_service
    from chalicelib.patients import models as patient_models
    from chalicelib.patients import profiles as profile_service
    from chalicelib.patients import search as search_service
    from chalicelib.patients.models import (
        AccessLogPage,
        AccessLogQuery,
        BirthDateCorrectionIn,
        PatientProfile,
        PatientSearchPage,
        PatientSearchQuery,
        ProfileUpdate,
    )
else:
    patient_models = lazy_module("chalicelib.patients.models")
    access_log_service = lazy_module("chalicelib.patients.access_log")
    profile_service = lazy_module("chalicelib.patients.profiles")
    search_service = lazy_module("chalicelib.patients.search")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/profile", methods=["GET"])
@requires(
    "profile:read",
    returns=lambda: patient_models.PatientProfile,
    summary="Demographics and contact information",
)
def get_profile(patient_id: str, *, caller: Caller) -> PatientProfile:
    return profile_service.get_profile(caller, patient_id)


@bp.route("/patients/{patient_id}/profile", methods=["PATCH"])
@requires(
    "profile:update",
    body=lambda: patient_models.ProfileUpdate,
    returns=lambda: patient_models.PatientProfile,
    summary="Change contact details; send the version you edited (409 if someone saved since)",
    errors=(409,),
)
def update_profile(patient_id: str, *, caller: Caller, body: ProfileUpdate) -> PatientProfile:
    return profile_service.update_profile(caller, patient_id, body)


@bp.route("/staff/patients/{patient_id}/birth-date", methods=["PUT"])
@requires(
    "profile:correct_birth_date",
    body=lambda: patient_models.BirthDateCorrectionIn,
    returns=lambda: patient_models.PatientProfile,
    summary="Correct a birth date (front desk); parental grants get the corrected end at coming of age",
    errors=(409,),
)
def correct_birth_date(patient_id: str, *, caller: Caller, body: BirthDateCorrectionIn) -> PatientProfile:
    return profile_service.correct_birth_date(caller, patient_id, body)


@bp.route("/patients/{patient_id}/access-log", methods=["GET"])
@requires(
    "access_log:read",
    query=lambda: patient_models.AccessLogQuery,
    returns=lambda: patient_models.AccessLogPage,
    summary="Reads and writes of this patient's data by others (staff, caregivers): who, role, what, when; "
    "include_own=true adds the caller's own",
)
def access_log(patient_id: str, *, caller: Caller, query: AccessLogQuery) -> AccessLogPage:
    return access_log_service.list_access_log(
        caller, patient_id, limit=query.limit, cursor=query.cursor, include_own=query.include_own
    )


# Staff patient search: find a patient to open their chart or book for them. A POST, so names and birth
# dates travel in the body and never in a URL (which CloudFront, proxies and browsers log).
@bp.route("/staff/patients/search", methods=["POST"])
@requires(
    "patient:search",
    body=lambda: patient_models.PatientSearchQuery,
    returns=lambda: patient_models.PatientSearchPage,
    summary="Find patients by family name ('family, given'), birth date or id; 20 a page, each audited",
)
def search_patients(*, caller: Caller, body: PatientSearchQuery) -> PatientSearchPage:
    return search_service.search(caller, body.q, cursor=body.cursor)
