"""Importing results from a FHIR Bundle or a CSV file: same validation as typed-in results, all or none."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import audit_log, errors
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.patients.models import PatientProfile
from chalicelib.records import export
from chalicelib.results import importer as result_import
from chalicelib.results import service as results
from chalicelib.results import store as result_store
from chalicelib.results.models import ResultImportIn, ResultPreferencesIn
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DOCTOR = Caller(sub="sub-doc", username="doc", role=Role.CLINICIAN, display_name="Dr. Rivera", request_id="r")


@pytest.fixture
def patient(make_patient: PatientFactory) -> PatientProfile:
    return make_patient()


def stored(patient_id: str) -> list[Any]:
    return result_store.list_page(patient_id, limit=100, cursor=None, visible_at=None)[0]


def run(patient_id: str, fmt: str, content: str, **extra: Any) -> Any:
    body = ResultImportIn.model_validate({"format": fmt, "content": content, **extra})
    return routed(result_import.import_results, DOCTOR, patient_id, body, now=NOW)


def observation(n: int, value: Any, **extra: Any) -> dict[str, Any]:
    return {
        "fullUrl": f"urn:uuid:00000000-0000-4000-8000-00000000000{n}",
        "resource": {
            "resourceType": "Observation",
            "id": f"obs{n}",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
            "effectiveDateTime": (NOW - timedelta(days=n)).isoformat(),
            "valueQuantity": {"value": value, "unit": "mg/dL"},
            "referenceRange": [{"low": {"value": 70}, "high": {"value": 99}}],
            **extra,
        },
    }


def test_a_fhir_bundle_with_a_report_and_a_lone_observation_becomes_two_results(
    patient: PatientProfile,
) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000009",
                "resource": {
                    "resourceType": "DiagnosticReport",
                    "status": "final",
                    "category": [
                        {
                            "coding": [
                                {"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "LAB"}
                            ]
                        }
                    ],
                    "code": {
                        "coding": [{"system": "http://loinc.org", "code": "24323-8"}],
                        "text": "Metabolic panel",
                    },
                    "effectiveDateTime": (NOW - timedelta(days=1)).isoformat(),
                    "conclusion": "Sugar a bit high.",
                    "result": [{"reference": "urn:uuid:00000000-0000-4000-8000-000000000001"}],
                },
            },
            observation(1, 131),
            observation(2, 88),
        ],
    }

    out = run(patient.id, "fhir", json.dumps(bundle))

    assert out.imported == 2
    by_name = {r.name: r for r in stored(patient.id)}
    panel = by_name["Metabolic panel"]
    assert (panel.code, panel.comment, panel.source) == ("24323-8", "Sugar a bit high.", "fhir_import")
    assert [(c.name, c.value, c.resolved_flag()) for c in panel.components] == [("Glucose", 131, "high")]
    assert by_name["Glucose"].components[0].value == 88
    events, _ = audit_log.list_for_patient(patient.id, limit=10, cursor=None)
    assert [e.action for e in events].count("result.import") == 2


def test_an_exported_bundle_imports_back(
    patient: PatientProfile, make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    source = make_patient()
    csv_in = result_import.csv_template(
        [
            {
                "collected_at": "2025-06-01T08:00:00Z",
                "test_name": "Lipid panel",
                "test_code": "57698-3",
                "component_code": "2093-3",
                "component_name": "Cholesterol",
                "value": "212",
                "unit": "mg/dL",
                "ref_high": "199",
            }
        ]
    )
    run(source.id, "csv", csv_in)
    bundle = export.export_record(caller_for(acts_for={source.id: "self"}), source.id, now=NOW)

    out = run(patient.id, "fhir", json.dumps(bundle))

    [result] = stored(patient.id)
    assert out.imported == 1
    assert (result.name, result.components[0].value, result.components[0].resolved_flag()) == (
        "Lipid panel",
        212,
        "high",
    )


def test_a_csv_groups_rows_into_results_and_respects_the_patients_choices(
    patient: PatientProfile, caller_for: CallerFactory
) -> None:
    me = caller_for(acts_for={patient.id: "self"})
    results.update_preferences(
        me,
        patient.id,
        ResultPreferencesIn.model_validate({"version": 0, "categories": {"genetic": {"review_first": True}}}),
    )
    content = result_import.csv_template(
        [
            {
                "collected_at": "2025-06-01T08:00:00Z",
                "test_name": "Basic panel",
                "component_code": "2345-7",
                "component_name": "Glucose",
                "value": "104",
                "unit": "mg/dL",
                "ref_low": "70",
                "ref_high": "99",
            },
            {
                "collected_at": "2025-06-01T08:00:00Z",
                "test_name": "Basic panel",
                "component_code": "2951-2",
                "component_name": "Sodium",
                "value": "140",
                "unit": "mmol/L",
                "ref_low": "135",
                "ref_high": "145",
            },
            {
                "collected_at": "2025-07-01T08:00:00Z",
                "category": "genetic",
                "test_name": "BRCA panel",
                "component_name": "BRCA1",
                "value_text": "No variant found",
            },
        ]
    )

    out = run(patient.id, "csv", content)

    assert out.imported == 2
    visible = results.list_results(me, patient.id, limit=10, cursor=None, now=NOW).items
    assert [r.name for r in visible] == ["Basic panel"]  # the genetic one waits, as the patient chose
    assert visible[0].abnormal_count == 1


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ([{"value": "high"}], "row 3.value"),
        ([{"value": ""}], "row 3"),
        ([{"collected_at": "yesterday"}], "row 3.collected_at"),
        ([{"category": "astrology"}], "row 3.category"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(
    patient: PatientProfile, rows: list[dict[str, str]], field: str
) -> None:
    good = {
        "collected_at": "2025-06-01T08:00:00Z",
        "test_name": "Panel",
        "component_name": "Glucose",
        "value": "90",
        "unit": "mg/dL",
    }
    content = result_import.csv_template([good, {**good, "component_name": "Sodium", **rows[0]}])

    with pytest.raises(errors.BadRequest) as raised:
        run(patient.id, "csv", content)

    assert raised.value.fields is not None
    assert any(key.startswith(field) for key in raised.value.fields), raised.value.fields
    assert stored(patient.id) == []


def test_bad_files_are_refused_clearly(patient: PatientProfile) -> None:
    for fmt, content, field in (
        ("fhir", "not json", "content"),
        (
            "fhir",
            json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [observation(1, "abc")]}),
            "content",
        ),
        ("fhir", json.dumps({"resourceType": "Bundle", "type": "collection"}), "content"),
        ("csv", "name,value\nx,1\n", "content"),
    ):
        with pytest.raises(errors.BadRequest) as raised:
            run(patient.id, fmt, content)
        assert raised.value.fields is not None
        assert any(key.startswith(field) for key in raised.value.fields)
    too_many = result_import.csv_template(
        [
            {
                "collected_at": f"2025-06-{d:02d}T08:00:00Z",
                "test_name": "Glucose",
                "component_name": "Glucose",
                "value": "90",
            }
            for d in range(1, 32)
        ]
    )
    with pytest.raises(errors.BadRequest, match="too many"):
        run(patient.id, "csv", too_many)
    assert stored(patient.id) == []
    with pytest.raises(errors.NotFound):
        run("p-nobody", "csv", too_many)


GOOD_ROW = {
    "collected_at": "2025-06-01T08:00:00Z",
    "test_name": "Panel",
    "component_name": "Glucose",
    "value": "90",
}


@pytest.mark.parametrize(
    ("extra_line", "message"),
    [
        ("2025-06-01T08:00:00Z,,Panel,,,Sodium,140,,,,,,one cell too many\n", "more cells than the header"),
        ("2025-06-01T08:00:00Z,,Panel,,,Sodium,," + "x" * 200_000 + "\n", "not valid CSV"),
    ],
    ids=["row longer than its header", "cell of 200,000 characters"],
)
def test_a_csv_row_the_reader_cannot_take_is_refused_naming_the_row(
    patient: PatientProfile, extra_line: str, message: str
) -> None:
    content = result_import.csv_template([GOOD_ROW]) + extra_line

    with pytest.raises(errors.BadRequest) as raised:
        run(patient.id, "csv", content)

    assert raised.value.fields is not None
    assert list(raised.value.fields) == ["row 3"]
    assert message in raised.value.fields["row 3"]
    assert stored(patient.id) == []


@pytest.mark.parametrize("name", ["Glu\x00cose", "Glucose\u202e", "Glu\x1bcose"])
def test_a_csv_cell_with_hidden_characters_is_refused_naming_the_row(
    patient: PatientProfile, name: str
) -> None:
    content = result_import.csv_template([GOOD_ROW, {**GOOD_ROW, "component_name": name}])

    with pytest.raises(errors.BadRequest) as raised:
        run(patient.id, "csv", content)

    assert raised.value.fields is not None
    assert list(raised.value.fields) == ["row 3.name"]
    assert stored(patient.id) == []
