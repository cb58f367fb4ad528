"""Synthesize two clinics' stacks once per session (offline, ~30 s) and share the templates across tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infrastructure.clinic_file import load
from tests.conftest import ROOT

# Filled by the cdk-nag test and printed at the end of the run (both stacks together).
NAG_COUNTS: dict[str, int] = {}

CLINIC_FILES = {"riverside": ROOT / "clinics" / "demo.json", "lakeside": ROOT / "clinics" / "lakeside.json"}


@dataclass
class Synthesized:
    outdir: Path
    templates: dict[str, dict[str, Any]]  # clinic id -> CloudFormation template
    nag_failure: str | None
    report: Path

    def template(self, clinic_id: str) -> Any:
        """An aws_cdk.assertions.Template for one clinic's stack."""
        from aws_cdk.assertions import Template

        return Template.from_json(self.templates[clinic_id], skip_cyclical_dependencies_check=True)


def _stub_web_dist(root: Path) -> Path:
    """A tiny built SPA, so these tests don't depend on `npm run build` (make web builds the real one)."""
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head>'
        '<body><div id="app"></div></body></html>',
        encoding="utf-8",
    )
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    (root / "assets" / "app-abc123.js").write_text("console.log('portal')", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    from infrastructure.build import NagFailure, build, synth
    from infrastructure.naming import stack_name

    outdir = tmp_path_factory.mktemp("cdk.out")
    web_dist = _stub_web_dist(tmp_path_factory.mktemp("web") / "dist")
    clinics = [load(path) for path in CLINIC_FILES.values()]
    app, _ = build(clinics, outdir=outdir, web_dist=web_dist)
    failure = None
    try:
        synth(app, outdir)
    except NagFailure as error:  # templates are written before validation; the nag test reports this
        failure = str(error)
    templates = {
        clinic.id: json.loads((outdir / f"{stack_name(clinic)}.template.json").read_text(encoding="utf-8"))
        for clinic in clinics
    }
    return Synthesized(outdir, templates, failure, outdir / "validation-report.json")


def resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == resource_type}


def only(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = resources(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    [(logical_id, resource)] = found.items()
    return logical_id, resource


def statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every IAM statement in the template's policies and roles (inline and managed)."""
    found: list[dict[str, Any]] = []
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            found += props["PolicyDocument"]["Statement"]
        if resource["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                found += policy["PolicyDocument"]["Statement"]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def app_functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The portal's own functions (the API and the scheduled jobs): those that read the clinic's table."""
    return {
        logical_id: function
        for logical_id, function in resources(template, "AWS::Lambda::Function").items()
        if "TABLE_NAME" in function["Properties"].get("Environment", {}).get("Variables", {})
    }


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if NAG_COUNTS:
        terminalreporter.write_line(
            f"cdk-nag (AwsSolutions + HIPAA, two stacks): {NAG_COUNTS['findings']} findings, "
            f"{NAG_COUNTS['acknowledged']} acknowledged with reasons, "
            f"{NAG_COUNTS['findings'] - NAG_COUNTS['acknowledged']} unacknowledged"
        )


def data_key(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The key of the table, documents, logs and alarms (the backups have their own)."""
    [(logical_id, key)] = [(k, r) for k, r in resources(template, "AWS::KMS::Key").items() if "DataKey" in k]
    return logical_id, key


def clinic_table(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The clinic's single table (the audit events have a table of their own)."""
    [found] = [
        (k, r) for k, r in resources(template, "AWS::DynamoDB::Table").items() if k.startswith("DataTable")
    ]
    return found


def audit_table(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    [found] = [(k, r) for k, r in resources(template, "AWS::DynamoDB::Table").items() if "AuditTable" in k]
    return found
