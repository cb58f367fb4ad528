"""Email: a failed send never fails the caller silently: it is logged by code and counted as a metric."""

from __future__ import annotations

import json

import boto3
import pytest

from chalicelib.core import aws, config, notify


def metric_lines(output: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line]


def test_a_rejected_email_is_reported_as_false_and_counted(capsys: pytest.CaptureFixture[str]) -> None:
    # moto refuses mail from a sender SES has not verified, as SES does.
    sent = notify.send("patient@example.org", notify.new_result_notice())

    [metric] = metric_lines(capsys.readouterr().out)
    assert sent is False
    assert metric["EmailSendFailed"] == [1.0]
    [[definition]] = [m["Metrics"] for m in metric["_aws"]["CloudWatchMetrics"]]  # type: ignore[index]
    assert definition == {"Name": "EmailSendFailed", "Unit": "Count"}
    assert metric["clinic"] == config.settings().clinic_id
    assert "patient@example.org" not in json.dumps(metric)


def test_a_sent_email_counts_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=config.clinic().mail_from)

    assert notify.send("patient@example.org", notify.new_result_notice()) is True
    assert metric_lines(capsys.readouterr().out) == []


def test_links_use_the_stacks_own_address_when_it_has_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_URL", "https://d111111abcdef8.cloudfront.net")
    aws.reset_caches()

    notice = notify.new_result_notice()

    assert "https://d111111abcdef8.cloudfront.net\n" in notice.text
    assert notify.portal_base() == "https://d111111abcdef8.cloudfront.net"


def test_without_a_stack_address_links_use_the_clinic_domain() -> None:
    assert notify.portal_base() == f"https://{config.clinic().domain}"
