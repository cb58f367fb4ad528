"""Two clinic files give two independent stacks: nothing shared, nothing named alike."""

from __future__ import annotations

import json
from typing import Any

from tests.infra.conftest import Synthesized

# Where each resource type keeps the name AWS makes unique per account (and region).
NAME_PATHS = {
    "AWS::DynamoDB::Table": ("TableName",),
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::Cognito::UserPool": ("UserPoolName",),
    "AWS::CloudWatch::Alarm": ("AlarmName",),
    "AWS::CloudWatch::Dashboard": ("DashboardName",),
    "AWS::Logs::LogGroup": ("LogGroupName",),
    "AWS::WAFv2::WebACL": ("Name",),
    "AWS::CloudFront::Function": ("Name",),
    "AWS::CloudFront::ResponseHeadersPolicy": ("ResponseHeadersPolicyConfig", "Name"),
    "AWS::Backup::BackupVault": ("BackupVaultName",),
    "AWS::Backup::BackupPlan": ("BackupPlan", "BackupPlanName"),
    "AWS::KMS::Alias": ("AliasName",),
    "AWS::ApiGateway::RestApi": ("Name",),
    "AWS::Lambda::Function": ("FunctionName",),
    "AWS::Events::Rule": ("Name",),
    "AWS::SQS::Queue": ("QueueName",),
    "AWS::SES::EmailIdentity": ("EmailIdentity",),
}


def physical_names(template: dict[str, Any]) -> dict[str, str]:
    """logical id -> physical name as text (a name built from references is compared as its JSON)."""
    names = {}
    for logical_id, resource in template["Resources"].items():
        path = NAME_PATHS.get(resource["Type"])
        value: Any = resource.get("Properties", {})
        for key in path or ():
            value = value.get(key) if isinstance(value, dict) else None
        if path and value is not None:
            names[logical_id] = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return names


def test_two_clinics_share_no_physical_name(synthesized: Synthesized) -> None:
    riverside = physical_names(synthesized.templates["riverside"])
    lakeside = physical_names(synthesized.templates["lakeside"])

    assert len(riverside) >= 15
    assert set(riverside.values()).isdisjoint(lakeside.values())


def test_every_chosen_name_carries_the_clinic_id(synthesized: Synthesized) -> None:
    for clinic, template in synthesized.templates.items():
        for logical_id, name in physical_names(template).items():
            if template["Resources"][logical_id]["Type"] == "AWS::SES::EmailIdentity":
                continue  # the clinic's own address
            assert clinic in name, (logical_id, name)


def test_the_stacks_do_not_reference_each_other(synthesized: Synthesized) -> None:
    for clinic, template in synthesized.templates.items():
        text = json.dumps(template)
        assert "Fn::ImportValue" not in text
        others = [other for other in synthesized.templates if other != clinic]
        for other in others:
            assert f"clinic-portal-{other}" not in text
            assert f'"{other}-portal' not in text


def test_each_stack_is_its_own_deployable_unit(synthesized: Synthesized) -> None:
    manifest = json.loads((synthesized.outdir / "manifest.json").read_text(encoding="utf-8"))
    stacks = {
        name: artifact
        for name, artifact in manifest["artifacts"].items()
        if artifact["type"] == "aws:cloudformation:stack"
    }

    assert set(stacks) == {"clinic-portal-riverside", "clinic-portal-lakeside"}
    for name, artifact in stacks.items():
        assert artifact["environment"] == "aws://unknown-account/us-east-1"
        assert artifact["properties"]["terminationProtection"] is True
        others = [d for d in artifact.get("dependencies", []) if d != f"{name}.assets"]
        assert others == [], name  # only its own asset manifest
