"""A patient's own record: profile and access log. Addressed by patient id so caregivers fit in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib import access
from chalicelib.access import Caller
from chalicelib.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.models import audit as audit_models
    from chalicelib.models import profile as profile_models
    from chalicelib.models.audit import AccessLogPage, PageQuery
    from chalicelib.models.profile import PatientProfile, ProfileUpdate
    from chalicelib.services import access_log as access_log_service
    from chalicelib.services import profiles as profile_service
else:
    audit_models = lazy_module("chalicelib.models.audit")
    profile_models = lazy_module("chalicelib.models.profile")
    access_log_service = lazy_module("chalicelib.services.access_log")
    profile_service = lazy_module("chalicelib.services.profiles")

bp = Blueprint(__name__)
requires = access.guard(bp)


@bp.route("/patients/{patient_id}/profile", methods=["GET"])
@requires(
    "profile:read",
    returns=lambda: profile_models.PatientProfile,
    summary="Demographics and contact information",
)
def get_profile(patient_id: str, *, caller: Caller) -> PatientProfile:
    return profile_service.get_profile(caller, patient_id)


@bp.route("/patients/{patient_id}/profile", methods=["PATCH"])
@requires(
    "profile:update",
    body=lambda: profile_models.ProfileUpdate,
    returns=lambda: profile_models.PatientProfile,
    summary="Change contact details; send the version you edited (409 if someone saved since)",
)
def update_profile(patient_id: str, *, caller: Caller, body: ProfileUpdate) -> PatientProfile:
    return profile_service.update_profile(caller, patient_id, body)


@bp.route("/patients/{patient_id}/access-log", methods=["GET"])
@requires(
    "access_log:read",
    query=lambda: audit_models.PageQuery,
    returns=lambda: audit_models.AccessLogPage,
    summary="Every read and write of this patient's data: who, role, what, when",
)
def access_log(patient_id: str, *, caller: Caller, query: PageQuery) -> AccessLogPage:
    return access_log_service.list_access_log(caller, patient_id, limit=query.limit, cursor=query.cursor)
