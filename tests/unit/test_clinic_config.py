"""The clinic file: a broken one must stop a deploy with a message that says which field is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.core import config
from chalicelib.core.clinic import ClinicConfig, load_clinic_file
from tests.conftest import ROOT

DEMO = ROOT / "clinics" / "demo.json"


def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    return data


def only_error(data: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    with pytest.raises(ValidationError) as caught:
        ClinicConfig.model_validate(data)
    [error] = caught.value.errors(include_input=False, include_url=False)
    return error["loc"], error["msg"]


def test_the_demo_clinic_loads() -> None:
    clinic = load_clinic_file(DEMO)

    assert (clinic.id, clinic.name, clinic.time_zone) == (
        "riverside",
        "Riverside Family Clinic",
        "America/Chicago",
    )
    assert str(clinic.email) == "help@riverside.example"
    assert [pool.id for pool in clinic.care_team_pools] == [
        "dr-rivera-team",
        "dr-chen-team",
        "np-alvarez-team",
        "front-desk",
        "billing",
    ]
    assert {p.id: p.care_team_pool for p in clinic.providers} == {
        "dr-rivera": "dr-rivera-team",
        "dr-chen": "dr-chen-team",
        "np-alvarez": "np-alvarez-team",
    }
    assert clinic.branding.primary_color == "#0f5f8c"


def test_the_app_serves_the_file_named_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "hillside.json"
    other.write_text(json.dumps({**demo(), "id": "hillside", "name": "Hillside Clinic"}), encoding="utf-8")
    monkeypatch.setenv("CLINIC_CONFIG_FILE", str(other))
    config.clinic.cache_clear()

    assert config.clinic().name == "Hillside Clinic"


def test_a_clinic_without_an_email_is_refused() -> None:
    data = demo()
    del data["email"]

    loc, msg = only_error(data)

    assert loc == ("email",)
    assert msg == "Field required"


def test_an_unknown_time_zone_is_refused() -> None:
    loc, msg = only_error({**demo(), "time_zone": "Mars/Olympus"})

    assert loc == ("time_zone",)
    assert "time zone" in msg


@pytest.mark.parametrize("colour", ["blue", "#12345", "#12345g", "0f5f8c"])
def test_a_malformed_brand_colour_is_refused(colour: str) -> None:
    loc, _ = only_error({**demo(), "branding": {"primary_color": colour}})

    assert loc == ("branding", "primary_color")


def test_duplicate_care_team_pool_ids_are_refused() -> None:
    pools = [{"id": "front-desk", "name": "Front desk"}, {"id": "front-desk", "name": "Reception"}]

    _, msg = only_error({**demo(), "care_team_pools": pools})

    assert "care_team_pools" in msg
    assert "unique" in msg


def test_north_american_phone_is_displayed_in_local_format() -> None:
    clinic = ClinicConfig.model_validate({**demo(), "phone": "+15550100100"})

    assert clinic.phone_display == "(555) 010-0100"


def test_other_phone_numbers_are_displayed_as_given() -> None:
    clinic = ClinicConfig.model_validate({**demo(), "phone": "+442079460958"})

    assert clinic.phone_display == "+442079460958"


def test_a_phone_that_is_not_e164_is_refused() -> None:
    loc, _ = only_error({**demo(), "phone": "(555) 010-0100"})

    assert loc == ("phone",)


def test_the_minors_rules_come_from_the_clinic_file() -> None:
    minors = load_clinic_file(DEMO).minors
    assert (minors.teen_from_age, minors.adult_at_age, minors.teen_own_account_from_age) == (12, 18, 13)
    assert minors.teen_safe_areas == ["appointments", "billing", "immunizations"]
    assert "sexual-health" in minors.confidential_categories
    lakeside = load_clinic_file(ROOT / "clinics" / "lakeside.json").minors
    assert lakeside.teen_own_account_from_age == 14


@pytest.mark.parametrize(
    ("minors", "field", "words"),
    [
        ({"teen_from_age": 18, "adult_at_age": 18}, "minors", "below minors.adult_at_age"),
        ({"teen_own_account_from_age": 19}, "minors", "between teen_from_age and adult_at_age"),
        ({"teen_safe_areas": ["appointments", "x-rays"]}, "minors.teen_safe_areas.1", "Input should be"),
        ({"teen_safe_areas": ["billing", "billing"]}, "minors", "must not repeat"),
        ({"confidential_categories": ["Sexual Health"]}, "minors.confidential_categories.0", "pattern"),
        ({"teen_age": 12}, "minors.teen_age", "Extra inputs"),
    ],
)
def test_a_wrong_minors_section_names_its_field(minors: dict[str, Any], field: str, words: str) -> None:
    loc, message = only_error({**demo(), "minors": {**demo()["minors"], **minors}})
    assert ".".join(str(part) for part in loc) == field
    assert words in message
