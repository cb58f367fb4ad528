"""Staff administration (admins): staff accounts, their invitations and authenticators, the admin audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.staff_admin import access_review as review_service
    from chalicelib.staff_admin import models as staff_models
    from chalicelib.staff_admin import service as staff_service
    from chalicelib.staff_admin.models import (
        AccessExportQuery,
        AccessReviewPage,
        AccessReviewQuery,
        AdminAuditList,
        AdminAuditQuery,
        PrivacyReportExportQuery,
        PrivacyReportPage,
        PrivacyReportQuery,
        ResetMfaIn,
        StaffCreateIn,
        StaffDetail,
        StaffInvitationOut,
        StaffList,
        StaffListQuery,
        StaffMember,
        StaffUpdateIn,
    )
else:
    staff_models = lazy_module("chalicelib.staff_admin.models")
    staff_service = lazy_module("chalicelib.staff_admin.service")
    review_service = lazy_module("chalicelib.staff_admin.access_review")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/admin/staff", methods=["GET"])
@requires(
    "staff_admin:read",
    query=lambda: staff_models.StaffListQuery,
    returns=lambda: staff_models.StaffList,
    summary="Staff accounts by username, a page at a time",
)
def list_staff(*, caller: Caller, query: StaffListQuery) -> StaffList:
    return staff_service.list_staff(query)


@bp.route("/admin/staff", methods=["POST"])
@requires(
    "staff_admin:write",
    body=lambda: staff_models.StaffCreateIn,
    returns=lambda: staff_models.StaffCreated,
    summary="Create a staff account and email its invitation (201); the same request again finishes a "
    "creation that stopped half-way (200); a username of someone else is 409",
    status=(201, 200),
    errors=(409,),
)
def create_staff(*, caller: Caller, body: StaffCreateIn) -> Response:
    out, created = staff_service.create_staff(caller, body)
    return Response(
        body=out.model_dump(mode="json"), status_code=201 if created else 200, headers=dict(JSON_HEADERS)
    )


@bp.route("/admin/staff/{sub}", methods=["GET"])
@requires(
    "staff_admin:read",
    returns=lambda: staff_models.StaffDetail,
    summary="One staff account, with whether its invitation is still pending",
)
def get_staff(sub: str, *, caller: Caller) -> StaffDetail:
    return staff_service.staff_detail(sub)


@bp.route("/admin/staff/{sub}", methods=["PATCH"])
@requires(
    "staff_admin:write",
    body=lambda: staff_models.StaffUpdateIn,
    returns=lambda: staff_models.StaffMember,
    summary="Change a staff member's name, role or care-team pools (409: own role, or the last admin)",
    errors=(409,),
)
def update_staff(sub: str, *, caller: Caller, body: StaffUpdateIn) -> StaffMember:
    return staff_service.update_staff(caller, sub, body)


@bp.route("/admin/staff/{sub}/disable", methods=["POST"])
@requires(
    "staff_admin:write",
    returns=lambda: staff_models.StaffMember,
    summary="Turn an account off and end its sessions (409: yourself, or the last admin)",
    errors=(409,),
)
def disable_staff(sub: str, *, caller: Caller) -> StaffMember:
    return staff_service.disable_staff(caller, sub)


@bp.route("/admin/staff/{sub}/enable", methods=["POST"])
@requires("staff_admin:write", returns=lambda: staff_models.StaffMember, summary="Turn an account back on")
def enable_staff(sub: str, *, caller: Caller) -> StaffMember:
    return staff_service.enable_staff(caller, sub)


@bp.route("/admin/staff/{sub}/resend-invitation", methods=["POST"])
@requires(
    "staff_admin:write",
    returns=lambda: staff_models.StaffInvitationOut,
    summary="Email a new temporary password (409 once the person has signed in)",
    errors=(409,),
)
def resend_staff_invitation(sub: str, *, caller: Caller) -> StaffInvitationOut:
    return staff_service.resend_invitation(caller, sub)


@bp.route("/admin/staff/{sub}/reset-mfa", methods=["POST"])
@requires(
    "staff_admin:write",
    body=lambda: staff_models.ResetMfaIn,
    returns=lambda: staff_models.StaffMember,
    summary="Remove a lost authenticator, with the reason; the person enrols a new one at next sign-in",
)
def reset_mfa(sub: str, *, caller: Caller, body: ResetMfaIn) -> StaffMember:
    return staff_service.reset_mfa(caller, sub, body)


@bp.route("/admin/audit", methods=["GET"])
@requires(
    "admin_audit:read",
    query=lambda: staff_models.AdminAuditQuery,
    returns=lambda: staff_models.AdminAuditList,
    summary="What administrators did (who, what, when, on whom), newest first",
)
def list_admin_audit(*, caller: Caller, query: AdminAuditQuery) -> AdminAuditList:
    return staff_service.list_admin_audit(query)


# --- access review: who opened a patient's record ---------------------------------------------------


@bp.route("/admin/patients/{patient_id}/access", methods=["GET"])
@requires(
    "access_review:read",
    query=lambda: staff_models.AccessReviewQuery,
    returns=lambda: staff_models.AccessReviewPage,
    summary="Who read or changed this patient's record, newest first, by person and clinic days; "
    "the review is recorded in the admin audit and the patient's access log",
)
def review_patient_access(patient_id: str, *, caller: Caller, query: AccessReviewQuery) -> AccessReviewPage:
    return review_service.review(caller, patient_id, query)


@bp.route("/admin/patients/{patient_id}/access/export", methods=["GET"])
@requires(
    "access_review:read",
    query=lambda: staff_models.AccessExportQuery,
    summary="The same review as a CSV file download (at most 5,000 rows: 400 asks for a shorter range)",
    media_type="text/csv",
)
def export_patient_access(patient_id: str, *, caller: Caller, query: AccessExportQuery) -> Response:
    text = review_service.export_csv(caller, patient_id, query)
    return Response(
        body=text,
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="access-{patient_id}.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/admin/privacy-report", methods=["GET"])
@requires(
    "access_review:read",
    query=lambda: staff_models.PrivacyReportQuery,
    returns=lambda: staff_models.PrivacyReportPage,
    summary="Staff who opened records of patients they had no visit with in the year before, over clinic "
    "days; a few staff members a page (next_cursor)",
)
def privacy_report(*, caller: Caller, query: PrivacyReportQuery) -> PrivacyReportPage:
    return review_service.privacy_report(caller, query)


@bp.route("/admin/privacy-report/export", methods=["GET"])
@requires(
    "access_review:read",
    query=lambda: staff_models.PrivacyReportExportQuery,
    summary="The whole privacy report as a CSV file download",
    media_type="text/csv",
)
def export_privacy_report(*, caller: Caller, query: PrivacyReportExportQuery) -> Response:
    text = review_service.privacy_report_csv(caller, query)
    return Response(
        body=text,
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="privacy-report.csv"',
            "Cache-Control": "no-store",
        },
    )
