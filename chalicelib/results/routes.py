"""Test results: the patient's list, one result, trends and release preferences; clinicians' entry,
review, holds, releases and the staff work list; and the job that ends delays whose time has run out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.results import importer as import_service
    from chalicelib.results import models as result_models
    from chalicelib.results import service as result_service
    from chalicelib.results.models import (
        HoldIn,
        ResultImportIn,
        ResultIn,
        ResultOut,
        ResultPage,
        ResultPageQuery,
        ResultPreferencesIn,
        ResultPreferencesOut,
        ReviewIn,
        TrendOut,
        TrendQuery,
        WorkListPage,
    )
else:
    result_models = lazy_module("chalicelib.results.models")
    import_service = lazy_module("chalicelib.results.importer")
    result_service = lazy_module("chalicelib.results.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/patients/{patient_id}/results", methods=["GET"])
@requires(
    "result:read",
    query=lambda: result_models.ResultPageQuery,
    returns=lambda: result_models.ResultPage,
    summary="Results newest first, each marked new until opened (patients see released results only)",
)
def list_results(patient_id: str, *, caller: Caller, query: ResultPageQuery) -> ResultPage:
    return result_service.list_results(caller, patient_id, limit=query.limit, cursor=query.cursor)


@bp.route("/patients/{patient_id}/results/trend", methods=["GET"])
@requires(
    "result:read",
    query=lambda: result_models.TrendQuery,
    returns=lambda: result_models.TrendOut,
    summary="One component (LOINC code) across all results, oldest first; no code: what can be charted",
)
def result_trend(patient_id: str, *, caller: Caller, query: TrendQuery) -> TrendOut:
    return result_service.trend(caller, patient_id, query.code)


@bp.route("/patients/{patient_id}/results/{result_id}", methods=["GET"])
@requires(
    "result:read",
    returns=lambda: result_models.ResultOut,
    summary="One result: every value with unit, range and flag in words, and the clinician's comment",
)
def get_result(patient_id: str, result_id: str, *, caller: Caller) -> ResultOut:
    return result_service.get_result(caller, patient_id, result_id)


@bp.route("/patients/{patient_id}/results", methods=["POST"])
@requires(
    "result:write",
    body=lambda: result_models.ResultIn,
    returns=lambda: result_models.ResultOut,
    summary="Enter a result; released at once unless the patient chose to wait or a hold is given",
    status=201,
)
def create_result(patient_id: str, *, caller: Caller, body: ResultIn) -> Response:
    out = result_service.create_result(caller, patient_id, body)
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/results/import", methods=["POST"])
@requires(
    "result:write",
    body=lambda: result_models.ResultImportIn,
    returns=lambda: result_models.ImportOut,
    summary="Import results from a FHIR R4 Bundle or a CSV file: all valid or none imported (max 30)",
    status=201,
)
def import_results(patient_id: str, *, caller: Caller, body: ResultImportIn) -> Response:
    out = import_service.import_results(caller, patient_id, body)
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/patients/{patient_id}/results/{result_id}/review", methods=["POST"])
@requires(
    "result:write",
    body=lambda: result_models.ReviewIn,
    returns=lambda: result_models.ResultOut,
    summary="Mark reviewed, add a comment for the patient, optionally release now",
    errors=(409,),
)
def review_result(patient_id: str, result_id: str, *, caller: Caller, body: ReviewIn) -> ResultOut:
    return result_service.review(caller, patient_id, result_id, body)


@bp.route("/patients/{patient_id}/results/{result_id}/hold", methods=["POST"])
@requires(
    "result:write",
    body=lambda: result_models.HoldIn,
    returns=lambda: result_models.ResultOut,
    summary="Hold one unreleased result: a documented harm reason and an end date (at most 30 days)",
    errors=(409,),
)
def hold_result(patient_id: str, result_id: str, *, caller: Caller, body: HoldIn) -> ResultOut:
    return result_service.hold(caller, patient_id, result_id, body)


@bp.route("/patients/{patient_id}/results/{result_id}/release", methods=["POST"])
@requires(
    "result:write",
    returns=lambda: result_models.ResultOut,
    summary="Release a waiting result to the patient now",
    errors=(409,),
)
def release_result(patient_id: str, result_id: str, *, caller: Caller) -> ResultOut:
    return result_service.release(caller, patient_id, result_id)


@bp.route("/patients/{patient_id}/result-preferences", methods=["GET"])
@requires(
    "result_prefs:read",
    returns=lambda: result_models.ResultPreferencesOut,
    summary="The patient's choice per result category: see at once, or after the clinician (max wait)",
)
def get_preferences(patient_id: str, *, caller: Caller) -> ResultPreferencesOut:
    return result_service.get_preferences(caller, patient_id)


@bp.route("/patients/{patient_id}/result-preferences", methods=["PUT"])
@requires(
    "result_prefs:update",
    body=lambda: result_models.ResultPreferencesIn,
    returns=lambda: result_models.ResultPreferencesOut,
    summary="Change the release choices; send the version you edited (0 the first time)",
    errors=(409,),
)
def update_preferences(patient_id: str, *, caller: Caller, body: ResultPreferencesIn) -> ResultPreferencesOut:
    return result_service.update_preferences(caller, patient_id, body)


@bp.route("/staff/results/waiting", methods=["GET"])
@requires(
    "result:worklist",
    query=lambda: result_models.ResultPageQuery,
    returns=lambda: result_models.WorkListPage,
    summary="Results not yet released (clinician holds and patients' review-first choices), soonest first",
)
def unreleased_results(*, caller: Caller, query: ResultPageQuery) -> WorkListPage:
    return result_service.work_list(caller, limit=query.limit, cursor=query.cursor)


@bp.schedule(Rate(15, unit=Rate.MINUTES))
def release_due_results(event: Any) -> None:
    """End delays whose time has run out and send the "sign in to see it" emails."""
    result_service.release_due()
