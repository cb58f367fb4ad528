"""cdk-nag (AWS Solutions + HIPAA Security) with zero unacknowledged errors, and cfn-lint clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from infrastructure.build import suppressions, violations
from infrastructure.nag import ACKNOWLEDGED, MIN_REASON
from tests.infra.conftest import NAG_COUNTS, Synthesized

# Each accepted finding, by rule. Adding one here is a review decision: the reason lives next to the code.
EXPECTED_RULES = {
    "AwsSolutions::AwsSolutions-APIG2",  # request validation is the app's (pydantic), not the gateway's
    "AwsSolutions::AwsSolutions-APIG3",  # the WAF sits on CloudFront, the only way in
    "AwsSolutions::AwsSolutions-CFR1",  # no geo blocking: patients travel
    "AwsSolutions::AwsSolutions-CFR4",  # lakeside has no custom domain yet (default certificate)
    "AwsSolutions::AwsSolutions-COG2",  # MFA optional for patients by design
    "AwsSolutions::AwsSolutions-COG8",  # lakeside opted out of the Cognito Plus plan
    "AwsSolutions::AwsSolutions-IAM4",  # AWS Backup / CDK deployment handler service policies
    "AwsSolutions::AwsSolutions-IAM5",  # per-object S3 keys, X-Ray, CDK's deployment handler
    "AwsSolutions::AwsSolutions-L1",  # runtimes pinned (ours python3.12; CDK's deployment handler)
    "AwsSolutions::AwsSolutions-SMG4",  # the activation-code pepper is not rotated (it would void codes)
    "HIPAA.Security::HIPAA.Security-APIGWCacheEnabledAndEncrypted",  # PHI answers are never cached
    "HIPAA.Security::HIPAA.Security-APIGWSSLEnabled",  # client certificates are for HTTP back ends
    "HIPAA.Security::HIPAA.Security-APIGWXrayEnabled",  # lakeside turned tracing off
    "HIPAA.Security::HIPAA.Security-CloudTrailCloudWatchLogsEnabled",  # the trail's bucket is locked
    "HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy",  # CDK's deployment handler
    "HIPAA.Security::HIPAA.Security-LambdaConcurrency",  # CDK's deployment handler
    "HIPAA.Security::HIPAA.Security-LambdaDLQ",  # CDK's deployment handler
    "HIPAA.Security::HIPAA.Security-LambdaInsideVPC",  # no VPC resources to reach
    "HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled",  # single-region stack
    "HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS",  # log and SPA buckets: no PHI, SSE-S3
    "HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled",  # the activation-code pepper, as SMG4
}


def test_cdk_nag_finds_no_unacknowledged_errors(synthesized: Synthesized) -> None:
    assert synthesized.nag_failure is None, synthesized.nag_failure
    assert synthesized.report.is_file()  # the checks did run
    unacknowledged, acknowledged = violations(synthesized.report), suppressions(synthesized.report)
    NAG_COUNTS.update(findings=len(unacknowledged) + len(acknowledged), acknowledged=len(acknowledged))
    assert unacknowledged == []


def test_cdk_nag_sees_the_api_stage_and_every_function(synthesized: Synthesized) -> None:
    """The rules match CloudFormation types only: the API and functions must be plain resources."""
    report = json.loads(synthesized.report.read_text(encoding="utf-8"))
    checked = {
        construct["constructPath"]
        for plugin in report["pluginReports"]
        for violation in plugin.get("suppressedViolations", []) + plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    }

    for clinic in ("riverside", "lakeside"):
        assert f"clinic-portal-{clinic}/Api/APIHandler/Resource" in checked
        assert f"clinic-portal-{clinic}/Api/RestApi/DeploymentStage.api/Resource" in checked


def test_every_acknowledgment_has_a_specific_reason(synthesized: Synthesized) -> None:
    accepted = suppressions(synthesized.report)

    assert accepted, "expected some accepted findings (the CDK deployment handler at least)"
    for row in accepted:
        assert len(row["reason"]) >= MIN_REASON, row
    assert {row["rule"].split("[")[0] for row in accepted} == EXPECTED_RULES


def test_no_acknowledgment_is_stale(synthesized: Synthesized) -> None:
    """Every acknowledgment we make matches a finding; one that excuses nothing should be deleted."""
    report_rows = suppressions(synthesized.report)
    report = json.loads(synthesized.report.read_text(encoding="utf-8"))
    used = {
        (violation["acknowledgedAt"], violation["acknowledgedId"])
        for plugin in report["pluginReports"]
        for violation in plugin.get("suppressedViolations", [])
    }

    assert report_rows
    stale = [(path, finding) for path, finding, _ in ACKNOWLEDGED if (path, finding) not in used]
    assert stale == []


def test_cfn_lint_is_clean(synthesized: Synthesized) -> None:
    templates = sorted(str(path) for path in synthesized.outdir.glob("*.template.json"))

    result = subprocess.run(  # noqa: S603  our own interpreter and tools, fixed arguments
        [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", *templates],
        capture_output=True,
        text=True,
        check=False,
    )

    assert len(templates) == 2
    assert (result.returncode, result.stdout.strip()) == (0, ""), result.stdout + result.stderr
