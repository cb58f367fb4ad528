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

    assert "  - branding.primary_color: String should match pattern" in message


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
