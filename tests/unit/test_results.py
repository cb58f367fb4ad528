"""Results: released at once by default; delayed only by the patient's own choice or a clinician's
documented, time-limited hold; new until opened; trends; the work list; and emails without PHI."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from chalicelib.core import audit_log, config, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.patients.models import PatientProfile
from chalicelib.results import service as results
from chalicelib.results import store as result_store
from chalicelib.results.models import HoldIn, ResultIn, ResultPreferencesIn, ReviewIn
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def sent_emails() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].sent_messages)


@pytest.fixture(autouse=True)
def _verified_sender() -> None:
    boto3.client("ses", region_name=os.environ["AWS_DEFAULT_REGION"]).verify_email_identity(
        EmailAddress=config.clinic().mail_from
    )


def result_in(category: str = "lab", *, when: datetime | None = None, **overrides: Any) -> ResultIn:
    data: dict[str, Any] = {
        "category": category,
        "name": "Basic metabolic panel" if category == "lab" else "Skin biopsy",
        "code": "51990-0",
        "collected_at": (when or NOW - timedelta(days=1)).isoformat(),
        "components": [
            {
                "code": "2345-7",
                "name": "Glucose",
                "value": 131,
                "unit": "mg/dL",
                "ref_low": 70,
                "ref_high": 99,
                "critical_high": 400,
            },
            {
                "code": "2951-2",
                "name": "Sodium",
                "value": "139",
                "unit": "mmol/L",
                "ref_low": 135,
                "ref_high": 145,
            },
        ],
        **overrides,
    }
    return ResultIn.model_validate(data)


@pytest.fixture
def patient(make_patient: PatientFactory) -> PatientProfile:
    return make_patient(email="pat@example.com")


@pytest.fixture
def me(patient: PatientProfile, caller_for: CallerFactory) -> Caller:
    return caller_for(acts_for={patient.id: "self"}, sub="sub-me", name="Pat Self")


@pytest.fixture
def doctor(caller_for: CallerFactory) -> Caller:
    return Caller(
        sub="sub-doc", username="doc", role=Role.CLINICIAN, display_name="Dr. Rivera", request_id="r"
    )


def choose_review_first(me: Caller, patient_id: str, category: str = "pathology", days: int = 5) -> None:
    results.update_preferences(
        me,
        patient_id,
        ResultPreferencesIn.model_validate(
            {"version": 0, "categories": {category: {"review_first": True, "max_wait_days": days}}}
        ),
    )


# --- release by default --------------------------------------------------------------------------


def test_a_result_is_released_at_once_and_the_patient_is_emailed_without_phi(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    created = results.create_result(doctor, patient.id, result_in(), now=NOW)

    assert created.release is not None
    assert created.release.state == "released"
    page = results.list_results(me, patient.id, limit=10, cursor=None, now=NOW)
    assert [item.id for item in page.items] == [created.id]
    assert page.items[0].is_new
    assert page.items[0].release is None  # patients do not see release bookkeeping
    [email] = sent_emails()
    assert email.destinations["ToAddresses"] == ["pat@example.com"]
    text = f"{email.subject} {email.body}"
    assert "sign in" in text.lower()
    for phi in ("Glucose", "metabolic", "131", patient.legal_name.family, patient.legal_name.given):
        assert phi not in text
    assert result_store.get(patient.id, created.id).notified_at is not None


def test_opening_a_result_ends_new_and_is_logged(patient: PatientProfile, me: Caller, doctor: Caller) -> None:
    created = results.create_result(doctor, patient.id, result_in(), now=NOW)

    staff_view = results.get_result(doctor, patient.id, created.id, now=NOW)
    assert staff_view.is_new  # a clinician looking does not count as the patient opening it
    opened = results.get_result(me, patient.id, created.id, now=NOW)

    assert not opened.is_new
    glucose = opened.components[0]
    assert (glucose.value, glucose.unit, glucose.ref_low, glucose.ref_high) == (131.0, "mg/dL", 70.0, 99.0)
    assert (glucose.flag, glucose.flag_text) == ("high", "Above the normal range")
    assert opened.components[1].flag == "normal"
    assert opened.abnormal_count == 1
    assert not results.list_results(me, patient.id, limit=10, cursor=None, now=NOW).items[0].is_new
    events, _ = audit_log.list_for_patient(patient.id, limit=50, cursor=None)
    reads = [(e.action, e.target, e.actor_sub) for e in events]
    assert ("result.read", created.id, "sub-me") in reads
    assert ("result.read", created.id, "sub-doc") in reads
    assert ("result.list", "results", "sub-me") in reads


# --- the patient's own choice --------------------------------------------------------------------


def test_review_first_delays_only_the_chosen_category_until_released(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    choose_review_first(me, patient.id, "pathology", days=5)

    biopsy = results.create_result(
        doctor,
        patient.id,
        result_in("pathology", components=[{"name": "Diagnosis", "value_text": "Benign nevus"}]),
        now=NOW,
    )
    lab = results.create_result(doctor, patient.id, result_in("lab"), now=NOW)

    assert biopsy.release is not None
    assert biopsy.release.state == "awaiting_review"
    seen = [i.id for i in results.list_results(me, patient.id, limit=10, cursor=None, now=NOW).items]
    assert seen == [lab.id]
    with pytest.raises(errors.NotFound):
        routed(results.get_result, me, patient.id, biopsy.id, now=NOW)
    assert len(sent_emails()) == 1  # for the lab result only
    waiting = results.work_list(doctor, limit=50, cursor=None, now=NOW)
    assert [(i.result_id, i.state) for i in waiting.items] == [(biopsy.id, "awaiting_review")]

    reviewed = results.review(
        doctor, patient.id, biopsy.id, ReviewIn(comment="Benign. Nothing to do.", release=True), now=NOW
    )

    assert reviewed.release is not None
    assert reviewed.release.state == "released"
    assert reviewed.reviewed
    assert reviewed.reviewed_by == "Dr. Rivera"
    after = results.get_result(me, patient.id, biopsy.id, now=NOW + timedelta(minutes=1))
    assert after.comment == "Benign. Nothing to do."
    assert len(sent_emails()) == 2
    assert results.work_list(doctor, limit=50, cursor=None, now=NOW).items == []


def test_the_maximum_wait_releases_a_review_first_result_by_itself(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    choose_review_first(me, patient.id, "genetic", days=3)
    created = results.create_result(
        doctor,
        patient.id,
        result_in("genetic", components=[{"name": "BRCA1", "value_text": "Negative"}]),
        now=NOW,
    )
    before = NOW + timedelta(days=3) - timedelta(seconds=1)
    after = NOW + timedelta(days=3, seconds=1)

    assert results.list_results(me, patient.id, limit=10, cursor=None, now=before).items == []
    assert [i.id for i in results.list_results(me, patient.id, limit=10, cursor=None, now=after).items] == [
        created.id
    ]

    assert results.release_due(now=before) == 0
    assert results.release_due(now=after) == 1
    assert results.release_due(now=after) == 0  # a second run finds nothing
    assert len(sent_emails()) == 1
    stored = result_store.get(patient.id, created.id)
    assert stored.released_by == "Automatic (wait ended)"
    assert results.work_list(doctor, limit=10, cursor=None, now=after).items == []


def test_preferences_are_bounded_by_the_clinic_and_versioned(patient: PatientProfile, me: Caller) -> None:
    initial = results.get_preferences(me, patient.id)
    assert initial.version == 0
    assert not any(c.review_first for c in initial.categories)  # nothing is delayed unless chosen

    for body, field in (
        ({"version": 0, "categories": {"made_up": {"review_first": True}}}, "categories.made_up"),
        (
            {"version": 0, "categories": {"pathology": {"review_first": True, "max_wait_days": 29}}},
            "categories.pathology.max_wait_days",
        ),
    ):
        with pytest.raises(errors.BadRequest) as raised:
            results.update_preferences(me, patient.id, ResultPreferencesIn.model_validate(body))
        assert raised.value.fields is not None
        assert field in raised.value.fields

    choose_review_first(me, patient.id)
    with pytest.raises(errors.Conflict):
        choose_review_first(me, patient.id)  # version 0 again: stale
    saved = results.get_preferences(me, patient.id)
    assert saved.version == 1
    assert [c.id for c in saved.categories if c.review_first] == ["pathology"]


# --- a clinician's individual hold ---------------------------------------------------------------


def test_a_hold_needs_a_reason_and_an_end_and_shows_on_the_work_list(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    with pytest.raises(ValidationError):
        HoldIn.model_validate({"reason": "", "until": (NOW + timedelta(days=2)).isoformat()})
    with pytest.raises(ValidationError):
        HoldIn.model_validate({"until": (NOW + timedelta(days=2)).isoformat()})
    too_long = HoldIn(reason="Discuss a new cancer diagnosis in person first", until=NOW + timedelta(days=31))
    with pytest.raises(errors.BadRequest):
        results.create_result(doctor, patient.id, result_in(hold=too_long.model_dump(mode="json")), now=NOW)

    hold = {
        "reason": "Discuss a new cancer diagnosis in person first",
        "until": (NOW + timedelta(days=2)).isoformat(),
    }
    held = results.create_result(doctor, patient.id, result_in("pathology", hold=hold), now=NOW)

    assert held.release is not None
    assert (held.release.state, held.release.held_by) == ("held", "Dr. Rivera")
    assert results.list_results(me, patient.id, limit=10, cursor=None, now=NOW).items == []
    [item] = results.work_list(doctor, limit=10, cursor=None, now=NOW).items
    assert (item.result_id, item.state, item.hold_reason) == (held.id, "held", hold["reason"])
    assert item.patient_name == patient.display_name
    assert sent_emails() == []
    events, _ = audit_log.list_for_patient(patient.id, limit=50, cursor=None)
    assert {"result.create", "result.worklist"} <= {e.action for e in events}

    released = results.release(doctor, patient.id, held.id, now=NOW + timedelta(hours=1))
    assert released.release is not None
    assert released.release.released_by == "Dr. Rivera"
    with pytest.raises(errors.Conflict):
        results.release(doctor, patient.id, held.id, now=NOW + timedelta(hours=2))
    with pytest.raises(errors.Conflict):
        results.hold(doctor, patient.id, held.id, HoldIn.model_validate(hold), now=NOW + timedelta(hours=2))
    assert len(sent_emails()) == 1


def test_holding_a_waiting_result_extends_its_wait(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    choose_review_first(me, patient.id, "pathology", days=2)
    created = results.create_result(doctor, patient.id, result_in("pathology"), now=NOW)
    until = NOW + timedelta(days=10)

    held = results.hold(
        doctor, patient.id, created.id, HoldIn(reason="Needs an in-person talk first", until=until), now=NOW
    )

    assert held.release is not None
    assert (held.release.state, held.release.visible_from) == ("held", until)
    assert results.list_results(me, patient.id, limit=5, cursor=None, now=NOW + timedelta(days=3)).items == []
    [item] = results.work_list(doctor, limit=10, cursor=None, now=NOW + timedelta(days=3)).items
    assert item.hold_until == until


# --- lists, trends and bad input -----------------------------------------------------------------


def test_pages_are_newest_first_with_a_cursor_and_one_query_each(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    for months in range(5):
        results.create_result(
            doctor, patient.id, result_in(when=NOW - timedelta(days=30 * months + 1)), now=NOW
        )
    from chalicelib.core import aws

    calls: list[str] = []
    aws.dynamodb_client().meta.events.register(
        "before-call.dynamodb", lambda event_name, **_: calls.append(event_name.rsplit(".", 1)[-1])
    )
    first = results.list_results(me, patient.id, limit=3, cursor=None, now=NOW)
    assert calls == ["Query", "PutItem"]
    second = results.list_results(me, patient.id, limit=3, cursor=first.next_cursor, now=NOW)
    dates = [i.collected_at for i in first.items + second.items]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 5
    with pytest.raises(errors.BadRequest):
        results.list_results(me, patient.id, limit=3, cursor="bm90LWEtY3Vyc29y", now=NOW)


def test_a_trend_follows_one_component_across_results(
    patient: PatientProfile, me: Caller, doctor: Caller
) -> None:
    for months, glucose in ((24, 92), (12, 104), (1, 131)):
        component = {
            "code": "2345-7",
            "name": "Glucose",
            "value": glucose,
            "unit": "mg/dL",
            "ref_low": 70,
            "ref_high": 99,
        }
        results.create_result(
            doctor,
            patient.id,
            result_in(when=NOW - timedelta(days=30 * months), components=[component]),
            now=NOW,
        )
    hold = {"reason": "Talk about this in person first", "until": (NOW + timedelta(days=3)).isoformat()}
    results.create_result(doctor, patient.id, result_in(hold=hold), now=NOW)

    trend = results.trend(me, patient.id, "2345-7", now=NOW)

    assert [p.value for p in trend.points] == [92.0, 104.0, 131.0]  # the held one is not there
    assert [p.flag for p in trend.points] == ["normal", "high", "high"]
    assert (trend.name, trend.unit) == ("Glucose", "mg/dL")
    assert len(results.trend(doctor, patient.id, "2345-7", now=NOW).points) == 4  # staff see all


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ({"name": "Glucose", "value": "high", "unit": "mg/dL"}, "components.0.value"),
        ({"name": "Glucose", "value_text": "high", "unit": "mg/dL"}, "components.0"),
        ({"name": "Glucose"}, "components.0"),
        ({"name": "Glucose", "value": "NaN"}, "components.0.value"),
        ({"name": "Glucose", "value": 5, "ref_low": 10, "ref_high": 1}, "components.0"),
        ({"name": "Glucose", "value": 5, "code": "not-loinc"}, "components.0.code"),
    ],
)
def test_a_number_is_required_where_a_number_belongs(component: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        result_in(components=[component])
    assert field in {".".join(str(p) for p in e["loc"]) for e in raised.value.errors()}


def test_unknown_category_or_patient_writes_nothing(patient: PatientProfile, doctor: Caller) -> None:
    with pytest.raises(errors.BadRequest):
        results.create_result(doctor, patient.id, result_in("astrology"), now=NOW)
    with pytest.raises(errors.NotFound):
        routed(results.create_result, doctor, "p-nobody", result_in(), now=NOW)
    assert result_store.list_page(patient.id, limit=10, cursor=None, visible_at=None)[0] == []
    events, _ = audit_log.list_for_patient(patient.id, limit=10, cursor=None)
    assert events == []


def test_a_patient_never_reaches_another_patients_results(
    patient: PatientProfile, make_patient: PatientFactory, caller_for: CallerFactory, doctor: Caller
) -> None:
    other = make_patient()
    theirs = results.create_result(doctor, other.id, result_in(), now=NOW)
    me = caller_for(acts_for={patient.id: "self"})
    for call in (
        lambda: routed(results.get_result, me, other.id, theirs.id, now=NOW),
        lambda: routed(results.get_result, me, patient.id, theirs.id, now=NOW),
        lambda: routed(results.list_results, me, other.id, limit=5, cursor=None, now=NOW),
        lambda: routed(results.trend, me, other.id, "2345-7", now=NOW),
    ):
        with pytest.raises(errors.NotFound):
            call()
