"""A bad clinic file stops a deploy before any synthesis, with a message that names the field."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from infrastructure.clinic_file import ClinicFileError, load
from tests.conftest import ROOT

DEMO = ROOT / "clinics" / "demo.json"


def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def problem(tmp_path: Path, data: dict[str, Any]) -> str:
    with pytest.raises(ClinicFileError) as caught:
        load(write(tmp_path, data))
    return str(caught.value)


def test_every_clinic_file_in_the_repo_is_valid() -> None:
    files = sorted((ROOT / "clinics").glob("*.json"))

    clinics = [load(path) for path in files]

    assert len(files) >= 2
    assert len({clinic.id for clinic in clinics}) == len(clinics)


def test_a_missing_contact_email_is_named(tmp_path: Path) -> None:
    data = demo()
    del data["email"]

    assert "  - email: Field required" in problem(tmp_path, data)


def test_an_unknown_time_zone_is_named(tmp_path: Path) -> None:
    message = problem(tmp_path, {**demo(), "time_zone": "Mars/Olympus_Mons"})

    assert "  - time_zone: unknown IANA time zone" in message


def test_a_malformed_colour_is_named(tmp_path: Path) -> None:
    message = problem(tmp_path, {**demo(), "branding": {"primary_color": "#12345g"}})

    assert "  - branding.primary_color: expected a colour as #rrggbb, e.g. #0f5f8c" in message
    assert "pattern" not in message  # the expected form, never a regular expression


@pytest.mark.parametrize(
    ("written", "zone"),
    [("PST", "America/Los_Angeles"), ("EST", "America/New_York"), ("cst", "America/Chicago")],
)
def test_an_abbreviated_time_zone_gets_its_iana_name(tmp_path: Path, written: str, zone: str) -> None:
    message = problem(tmp_path, {**demo(), "time_zone": written})

    assert f"  - time_zone: unknown IANA time zone; for {written} use {zone}" in message


def production(**changes: Any) -> dict[str, Any]:
    """The demo file as a production clinic: Stripe, its own sender domain, a domain with a certificate."""
    lakeside = json.loads((ROOT / "clinics" / "lakeside.json").read_text(encoding="utf-8"))
    data = {**demo(), "billing": lakeside["billing"], **changes}
    data["deploy"] = {**data["deploy"], "environment": "production"}
    return data


def test_a_production_file_that_can_serve_patients_passes(tmp_path: Path) -> None:
    assert load(write(tmp_path, production())).deploy.environment == "production"


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        (
            {"billing": {"provider": "simulated"}},
            '  - billing.provider: "simulated" charges nothing and refuses to run in production; expected',
        ),
        (
            {"sender_email": "riverside.clinic@gmail.com"},
            "  - sender_email: gmail.com is a free-mail domain SES cannot sign for; expected an address at",
        ),
        (
            {"sender_email": None, "email": "riverside@outlook.com"},
            "  - email (the sender, as sender_email is not set): outlook.com is a free-mail domain",
        ),
    ],
)
def test_a_production_file_that_cannot_serve_patients_is_refused_with_one_line(
    tmp_path: Path, changes: dict[str, Any], line: str
) -> None:
    message = problem(tmp_path, production(**changes))

    assert "not ready for production (deploy.environment):" in message
    assert line in message
    assert len(message.splitlines()) == 2  # the heading and this one problem


def test_a_production_domain_without_a_certificate_is_refused(tmp_path: Path) -> None:
    data = production()
    del data["deploy"]["certificate_arn"]

    assert "  - domain: portal.riverside.example has no deploy.certificate_arn" in problem(tmp_path, data)


def test_the_same_file_as_staging_may_try_simulated_payments_and_free_mail(tmp_path: Path) -> None:
    data = production(billing={"provider": "simulated"}, sender_email="riverside.clinic@gmail.com")
    data["deploy"]["environment"] = "staging"

    assert load(write(tmp_path, data)).billing.provider == "simulated"


def test_duplicate_care_team_pool_names_are_named(tmp_path: Path) -> None:
    pools = [{"id": "front-desk", "name": "Front desk"}, {"id": "reception", "name": "front desk"}]

    message = problem(tmp_path, {**demo(), "care_team_pools": pools})

    assert "care_team_pools names must be unique" in message


def test_a_certificate_without_a_domain_is_refused(tmp_path: Path) -> None:
    data = demo()
    del data["domain"]

    assert "deploy.certificate_arn needs the clinic's domain" in problem(tmp_path, data)


@pytest.mark.parametrize(
    ("deploy", "field"),
    [
        ({"region": "eu-west-1"}, "deploy.region"),
        ({"log_retention_days": 10}, "deploy.log_retention_days"),
        ({"waf_rate_limit": 5}, "deploy.waf_rate_limit"),
        ({"certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"}, "deploy.certificate_arn"),
        ({"unknown_setting": True}, "deploy.unknown_setting"),
    ],
)
def test_bad_deploy_settings_are_named(tmp_path: Path, deploy: dict[str, Any], field: str) -> None:
    assert f"  - {field}: " in problem(tmp_path, {**demo(), "deploy": deploy})


def test_a_missing_file_lists_the_clinics_there_are(tmp_path: Path) -> None:
    (tmp_path / "lakeside.json").write_text("{}", encoding="utf-8")

    with pytest.raises(ClinicFileError, match=r"no such clinic file \(clinics available: lakeside\)"):
        load(tmp_path / "nowhere.json")


def test_synth_with_a_bad_file_fails_fast_and_writes_nothing(tmp_path: Path) -> None:
    data = demo()
    del data["email"]
    out = tmp_path / "cdk.out"
    started = time.monotonic()

    result = subprocess.run(  # noqa: S603  our own interpreter and tools, fixed arguments
        [
            sys.executable,
            "-m",
            "infrastructure",
            "synth",
            "--clinic",
            str(write(tmp_path, data)),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "this clinic configuration is not valid" in result.stderr
    assert "  - email: Field required" in result.stderr
    assert not out.exists()  # stopped before the CDK app was even built
    assert time.monotonic() - started < 15
