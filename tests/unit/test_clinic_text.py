"""Text the clinic writes comes in each language the portal speaks: wherever the clinic file has a string it
also takes {"en": ..., "es": ...} (a plain string is English), and a reader sees the text in the language
chosen for them: a patient's saved language, else the one on screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chalice.app import Request
from pydantic import ValidationError

from chalicelib.core import access
from chalicelib.core.clinic import ClinicConfig
from chalicelib.core.clinic_settings import localize
from chalicelib.core.identity import Role
from tests.conftest import ROOT
from tests.unit.conftest import CallerFactory, PatientFactory


def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "clinics" / "demo.json").read_text(encoding="utf-8"))
    return data


def error_of(data: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    with pytest.raises(ValidationError) as caught:
        ClinicConfig.model_validate(data)
    [error] = caught.value.errors(include_input=False, include_url=False)
    return error["loc"], error["msg"]


def test_a_visit_type_name_in_both_languages_and_a_plain_one_as_english() -> None:
    data = demo()
    data["visit_types"][0]["name"] = {"en": "New patient visit", "es": "Cita de paciente nuevo"}
    data["visit_types"][1]["name"] = "Follow-up visit"

    clinic = ClinicConfig.model_validate(data)

    first, second = clinic.visit_types[0], clinic.visit_types[1]
    assert first.name == "New patient visit"  # read as a string, it is the English text
    assert (localize(first.name, "es"), localize(first.name, "en")) == (
        "Cita de paciente nuevo",
        "New patient visit",
    )
    assert localize(second.name, "es") == "Follow-up visit"  # no Spanish written: the English shows
    # Dumped (the deployed copy of the clinic file), each keeps the shape it was written in.
    dumped = json.loads(clinic.model_dump_json())
    assert dumped["visit_types"][0]["name"] == {"en": "New patient visit", "es": "Cita de paciente nuevo"}
    assert dumped["visit_types"][1]["name"] == "Follow-up visit"
    assert localize(ClinicConfig.model_validate(dumped).visit_types[0].name, "es") == "Cita de paciente nuevo"


def test_the_demo_clinic_writes_its_consent_and_hours_in_spanish() -> None:
    clinic = ClinicConfig.model_validate(demo())

    consent = next(q for q in clinic.questionnaires if q.id == "telehealth-consent").in_locale("es")
    assert consent.title == "Permiso para una cita por video"
    assert consent.items[1].text == "Acepto recibir atención por video."
    assert localize(clinic.hours[0].days, "es") == "Lunes a viernes"
    assert localize(clinic.emergency_notice, "es").startswith("Si es una emergencia médica")


@pytest.mark.parametrize("path", sorted((ROOT / "clinics").glob("*.json")), ids=lambda p: p.stem)
def test_each_clinic_file_writes_what_patients_read_in_spanish(path: Path) -> None:
    clinic = ClinicConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))

    patient_text: list[str] = [clinic.emergency_notice]
    patient_text += [text for h in clinic.hours for text in (h.days, h.hours)]
    patient_text += [text for v in clinic.visit_types for text in (v.name, v.description) if text]
    untranslated = [str(text) for text in patient_text if localize(text, "es") == str(text)]
    assert untranslated == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ({"es": "Cita"}, 'give the English text under "en"'),
        ({"en": "Visit", "fr": "Visite"}, "languages must be among en, es"),
        ({"en": "Visit", "es": ""}, "the es text must be 1 to 80 characters"),
        ({"en": "Visit", "es": "x" * 81}, "the es text must be 1 to 80 characters"),
        ({"en": "Visit", "es": 3}, "the es text must be a string"),
        (["Visit"], 'expected text, or the text in each language such as {"en": "...", "es": "..."}'),
    ],
)
def test_a_badly_shaped_text_names_the_field_and_the_problem(name: object, message: str) -> None:
    data = demo()
    data["visit_types"][0]["name"] = name

    loc, msg = error_of(data)

    assert loc == ("visit_types", 0, "name")
    assert msg == f"Value error, {message}"


def _request(accept_language: str) -> Request:
    return Request(
        {
            "multiValueQueryStringParameters": None,
            "headers": {"accept-language": accept_language},
            "pathParameters": None,
            "requestContext": {"httpMethod": "GET", "resourcePath": "/", "requestId": "req-lang"},
            "stageVariables": None,
            "body": None,
        }
    )


def test_the_language_chosen_for_a_reader(make_patient: PatientFactory, caller_for: CallerFactory) -> None:
    make_patient("p-es", preferred_language="es")
    make_patient("p-en")
    maria = caller_for(Role.PATIENT, acts_for={"p-es": "self"})
    alex = caller_for(Role.PATIENT, acts_for={"p-en": "self"})
    desk = caller_for(Role.FRONT_DESK)

    with access.serving(_request("en-US,en;q=0.9")):
        assert access.caller_locale(maria) == "es"  # her saved language wins over the browser
    with access.serving(_request("es-MX")):
        assert access.caller_locale(alex) == "en"
        assert access.caller_locale(desk) == "es"  # staff: the language on screen
        assert access.caller_locale(None) == "es"
    assert access.caller_locale(desk) == "en"  # no request (a job): English
