"""Mail: the sender's domain signed by SES (DKIM, its own MAIL FROM), bounces suppressed and published,
failures alarmed, and links that name the portal's real address."""

from __future__ import annotations

import json

import pytest

from tests.infra.conftest import Synthesized, app_functions, only, resources

CLINICS = ["riverside", "lakeside"]
DOMAINS = {"riverside": "riverside.example", "lakeside": "lakeside-health.example"}


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_sender_is_the_clinics_domain_with_dkim_and_its_own_mail_from(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    _, identity = only(template, "AWS::SES::EmailIdentity")
    config_set_id, config_set = only(template, "AWS::SES::ConfigurationSet")
    props = identity["Properties"]
    domain = DOMAINS[clinic]

    assert props["EmailIdentity"] == domain  # the domain, not one address
    assert props["DkimAttributes"] == {"SigningEnabled": True}
    assert props["MailFromAttributes"]["MailFromDomain"] == f"bounce.{domain}"
    assert props["ConfigurationSetAttributes"] == {"ConfigurationSetName": {"Ref": config_set_id}}
    outputs = template["Outputs"]
    for n in (1, 2, 3):
        record = json.dumps(outputs[f"MailDkim{n}"]["Value"])
        assert f"DkimDNSTokenName{n}" in record
        assert "CNAME" in record
    assert outputs["MailFromMx"]["Value"] == f"bounce.{domain} MX 10 feedback-smtp.us-east-1.amazonses.com"
    assert outputs["MailFromSpf"]["Value"] == f'bounce.{domain} TXT "v=spf1 include:amazonses.com ~all"'
    assert outputs["MailDmarc"]["Value"].startswith(f'_dmarc.{domain} TXT "v=DMARC1; p=quarantine;')
    assert config_set["Properties"]["Name"] == f"{clinic}-portal-mail"


@pytest.mark.parametrize("clinic", CLINICS)
def test_bounces_and_complaints_are_suppressed_published_and_alarmed(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    config_set_id, config_set = only(template, "AWS::SES::ConfigurationSet")
    _, destination = only(template, "AWS::SES::ConfigurationSetEventDestination")
    topics = resources(template, "AWS::SNS::Topic")
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
    }

    assert config_set["Properties"]["SuppressionOptions"] == {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}
    event = destination["Properties"]["EventDestination"]
    assert event["Enabled"] is True
    assert {"bounce", "complaint", "reject"} <= set(event["MatchingEventTypes"])
    topic_id = event["SnsDestination"]["TopicARN"]["Ref"]
    assert "KmsMasterKeyId" in topics[topic_id]["Properties"]
    bounces = alarms[f"{clinic}-portal-mail-bounces"]
    assert (bounces["Namespace"], bounces["MetricName"]) == ("AWS/SNS", "NumberOfMessagesPublished")
    assert bounces["Dimensions"] == [{"Name": "TopicName", "Value": {"Fn::GetAtt": [topic_id, "TopicName"]}}]
    failures = alarms[f"{clinic}-portal-mail-send-failures"]
    assert (failures["Namespace"], failures["MetricName"]) == ("ClinicPortal", "EmailSendFailed")
    assert {"Name": "clinic", "Value": clinic} in failures["Dimensions"]
    assert failures["Threshold"] == 1
    for function in app_functions(template).values():
        assert function["Properties"]["Environment"]["Variables"]["CLINIC_ID"] == clinic
    del config_set_id


@pytest.mark.parametrize(
    ("clinic", "url"),
    [
        ("riverside", "https://portal.riverside.example"),
        (
            "lakeside",
            {"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["WebDistributionCF3E234B", "DomainName"]}]]},
        ),
    ],
)
def test_links_in_email_name_the_portals_address_even_without_a_domain(
    synthesized: Synthesized, clinic: str, url: object
) -> None:
    template = synthesized.templates[clinic]
    [distribution] = resources(template, "AWS::CloudFront::Distribution")

    for function in app_functions(template).values():
        value = function["Properties"]["Environment"]["Variables"]["PORTAL_URL"]
        assert json.dumps(value).replace(distribution, "WebDistributionCF3E234B") == json.dumps(url)


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_app_may_send_only_as_this_sender_through_this_configuration_set(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    [policy] = [p for k, p in resources(template, "AWS::IAM::ManagedPolicy").items() if "FunctionPolicy" in k]
    [sender] = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Sid"] == "ClinicSender"]

    resources_ = json.dumps(sender["Resource"])
    assert f":identity/{DOMAINS[clinic]}" in resources_
    assert f":configuration-set/{clinic}-portal-mail" in resources_
