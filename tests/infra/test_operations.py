"""Operations: alarms to the clinic's IT contact, a dashboard, the outputs an operator needs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ROOT
from tests.infra.conftest import Synthesized, app_functions, data_key, only, resources

CLINICS = ["riverside", "lakeside"]


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
    }


@pytest.mark.parametrize("clinic", CLINICS)
def test_alarms_cover_api_errors_latency_functions_and_the_table(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    found = alarms(template)
    [topic_id] = [k for k in resources(template, "AWS::SNS::Topic") if "MonitoringAlarms" in k]
    functions = app_functions(template)

    api_5xx = found[f"{clinic}-portal-api-5xx"]
    assert (api_5xx["Namespace"], api_5xx["MetricName"]) == ("AWS/ApiGateway", "5XXError")
    assert {"Name": "ApiName", "Value": f"{clinic}-portal-api"} in api_5xx["Dimensions"]
    assert {"Name": "Stage", "Value": "api"} in api_5xx["Dimensions"]
    latency = found[f"{clinic}-portal-api-latency-p95"]
    assert (latency["MetricName"], latency["ExtendedStatistic"]) == ("Latency", "p95")
    assert f"{clinic}-portal-table-throttles" in found
    assert len(functions) == 7  # the API and six scheduled jobs
    for name, function in functions.items():
        for kind in ("errors", "throttles"):
            alarm = found[f"{function['Properties']['FunctionName']}-{kind}"]
            assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": name}}]
    failed = found[f"{clinic}-portal-failed-runs"]
    assert (failed["Namespace"], failed["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    for alarm in found.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize(
    ("clinic", "email"),
    [("riverside", "it@riverside.example"), ("lakeside", "frontdesk@lakeside-health.example")],
)
def test_alarms_are_mailed_over_an_encrypted_topic(synthesized: Synthesized, clinic: str, email: str) -> None:
    template = synthesized.templates[clinic]
    key_id, key = data_key(template)
    [topic] = [t for k, t in resources(template, "AWS::SNS::Topic").items() if "MonitoringAlarms" in k]
    _, subscription = only(template, "AWS::SNS::Subscription")
    principals = [s["Principal"] for s in key["Properties"]["KeyPolicy"]["Statement"]]

    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert (subscription["Properties"]["Protocol"], subscription["Properties"]["Endpoint"]) == (
        "email",
        email,
    )
    assert {"Service": "cloudwatch.amazonaws.com"} in principals


@pytest.mark.parametrize("clinic", CLINICS)
def test_a_dashboard_and_the_outputs_an_operator_needs(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    _, dashboard = only(template, "AWS::CloudWatch::Dashboard")

    assert dashboard["Properties"]["DashboardName"] == f"{clinic}-portal-operations"
    assert set(template["Outputs"]) == {
        "PortalUrl",
        "UserPoolId",
        "UserPoolClientId",
        "TableName",
        "AuditTableName",
        "DocumentsBucket",
        "BackupVault",
        "RestoreRoleArn",
        "TrailBucket",
        "DistributionId",
        *(f"MailDkim{n}" for n in (1, 2, 3)),
        "MailFromMx",
        "MailFromSpf",
        "MailDmarc",
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = [name for name in template["Outputs"] if f"`{name}`" not in readme]
    assert undocumented == [], "README's Deploy section lists every output"
    assert not [
        o for o in template["Outputs"].values() if "Export" in o
    ]  # nothing for other stacks to import


@pytest.mark.parametrize("clinic", CLINICS)
def test_every_log_group_is_encrypted_and_expires(synthesized: Synthesized, clinic: str) -> None:
    groups = resources(synthesized.templates[clinic], "AWS::Logs::LogGroup")

    assert len(groups) >= 3  # the functions' and the firewall's, plus the deploy copier's
    for group in groups.values():
        assert "KmsKeyId" in group["Properties"]
        assert group["Properties"]["RetentionInDays"] in (180, 365)
