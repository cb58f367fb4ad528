"""Build the CDK app for one or more clinics, synthesize it offline, and explain cdk-nag failures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import cx_api

from chalicelib.core.clinic import ClinicConfig
from chalicelib.core.config import PROJECT_ROOT
from infrastructure.nag import ACKNOWLEDGED, add_checks
from infrastructure.naming import stack_name
from infrastructure.stack import PortalStack

WEB_DIST = PROJECT_ROOT / "web" / "dist"

# CDK feature flags a new project gets from `cdk init`; without a cdk.json we set the ones we rely on.
CONTEXT = {
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,  # log delivery by bucket policy, not ACLs
    "@aws-cdk/aws-s3:createDefaultLoggingPolicy": True,
    "@aws-cdk/aws-s3:publicAccessBlockedByDefault": True,
    "@aws-cdk/aws-iam:minimizePolicies": True,
    "@aws-cdk/aws-kms:aliasNameRef": True,
    "@aws-cdk/aws-cloudfront:defaultSecurityPolicyTLSv1.2_2021": True,
    "@aws-cdk/core:enablePartitionLiterals": True,
    "@aws-cdk/core:target-partitions": ["aws"],
    "aws:cdk:version-reporting": False,  # no AWS::CDK::Metadata resource
    "aws:cdk:disable-stack-trace": True,  # faster synth; the validation report names construct paths
}


class DuplicateClinic(Exception):
    pass


class NagFailure(Exception):
    """cdk-nag found unacknowledged errors; the message lists rule, construct and description."""


def build(
    clinics: Sequence[ClinicConfig],
    *,
    outdir: Path,
    web_dist: Path = WEB_DIST,
    project_dir: Path = PROJECT_ROOT,
) -> tuple[cdk.App, dict[str, PortalStack]]:
    ids = [clinic.id for clinic in clinics]
    if len(ids) != len(set(ids)):
        raise DuplicateClinic(f"two clinic files share an id: {sorted(ids)}")
    ACKNOWLEDGED.clear()
    app = cdk.App(outdir=str(outdir), context=CONTEXT)
    stacks = {
        clinic.id: PortalStack(
            app,
            stack_name(clinic),
            clinic=clinic,
            web_dist=web_dist,
            project_dir=project_dir,
            env=cdk.Environment(region=clinic.deploy.region),
        )
        for clinic in clinics
    }
    add_checks(app)
    return app, stacks


def synth(app: cdk.App, outdir: Path) -> cx_api.CloudAssembly:
    report = outdir / "validation-report.json"
    report.unlink(missing_ok=True)
    try:
        return app.synth()
    except RuntimeError as error:
        if report.is_file():
            raise NagFailure(summarize(report)) from None
        raise error
    finally:
        _forget_chalice_packages()


def _forget_chalice_packages() -> None:
    """chalice.cdk leaves a ~35 MB package per stack and synth in ./chalice.out; cdk.out has its own copy.

    chalice.out/src (the per-clinic sources) and chalice.out/cache (the dependency layer) stay.
    """
    out = Path.cwd() / "chalice.out"
    for entry in out.glob("*") if out.is_dir() else []:
        if entry.name in ("src", "cache"):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def violations(report_path: Path) -> list[dict[str, str]]:
    """Unacknowledged findings, one row per rule and construct."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return [
        {
            "rule": violation["ruleName"],
            "severity": violation.get("severity", ""),
            "construct": construct["constructPath"],
            "description": violation["description"],
        }
        for plugin in report.get("pluginReports", [])
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def suppressions(report_path: Path) -> list[dict[str, str]]:
    """Acknowledged findings with the reason each was accepted."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return [
        {
            "rule": violation.get("acknowledgedId", violation["ruleName"]),
            "construct": construct["constructPath"],
            "reason": violation.get("reason", ""),
        }
        for plugin in report.get("pluginReports", [])
        for violation in plugin.get("suppressedViolations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def summarize(report_path: Path) -> str:
    rows = violations(report_path)
    lines = [f"cdk-nag: {len(rows)} unacknowledged finding(s) (full report: {report_path})"]
    lines += [f"  {row['rule']} at {row['construct']}" for row in rows]
    return "\n".join(lines)
