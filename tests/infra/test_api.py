"""The API: Chalice functions behind the REST API stage `api`; a role that reaches only this clinic."""

from __future__ import annotations

import json
import re
import zipfile
from typing import Any

import pytest

from chalicelib.core.clinic import ClinicConfig
from infrastructure.api import CLINIC_FILE_IN_PACKAGE
from tests.conftest import ROOT
from tests.infra.conftest import CLINIC_FILES, Synthesized, as_list, only, resources, statements

CLINICS = ["riverside", "lakeside"]


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return resources(template, "AWS::Serverless::Function")


def logical(template: dict[str, Any], resource_type: str, contains: str = "") -> str:
    [found] = [k for k in resources(template, resource_type) if contains in k]
    return found


@pytest.mark.parametrize("clinic", CLINICS)
def test_every_function_gets_this_stacks_resources(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    found = functions(template)

    assert "APIHandler" in found
    for function in found.values():
        env = function["Properties"]["Environment"]["Variables"]
        assert env["STAGE"] == "prod"
        assert env["TABLE_NAME"] == {"Ref": logical(template, "AWS::DynamoDB::Table")}
        assert env["DOCUMENTS_BUCKET"] == {"Fn::Join": ["", [f"{clinic}-docs-", {"Ref": "AWS::AccountId"}]]}
        assert env["USER_POOL_ID"] == {"Ref": logical(template, "AWS::Cognito::UserPool")}
        assert env["USER_POOL_CLIENT_ID"] == {"Ref": logical(template, "AWS::Cognito::UserPoolClient")}
        assert env["CLINIC_CONFIG_FILE"] == CLINIC_FILE_IN_PACKAGE
        assert "CLINIC_CONFIG" not in env  # the clinic file exceeds Lambda's 4 KB environment limit
        pepper = env["ACTIVATION_PEPPER_SECRET_ARN"]
        assert pepper == {"Ref": logical(template, "AWS::SecretsManager::Secret")}


@pytest.mark.parametrize(("clinic", "tracing"), [("riverside", True), ("lakeside", False)])
def test_functions_are_encrypted_logged_and_traced_as_configured(
    synthesized: Synthesized, clinic: str, tracing: bool
) -> None:
    template = synthesized.templates[clinic]
    key_id, _ = only(template, "AWS::KMS::Key")
    groups = resources(template, "AWS::Logs::LogGroup")
    retention = 365 if clinic == "riverside" else 180

    for name, function in functions(template).items():
        props = function["Properties"]
        assert props["KmsKeyArn"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert props["Tracing"] == ("Active" if tracing else "PassThrough")
        assert props["Runtime"].startswith("python3.")
        assert props["Timeout"] <= 29  # API Gateway's integration limit
        assert props["Layers"] == [{"Ref": "ManagedLayer"}]
        group = groups[props["LoggingConfig"]["LogGroup"]["Ref"]]
        assert group["Properties"]["LogGroupName"] == f"/aws/lambda/{clinic}-portal-{name.lower()}"
        assert group["Properties"]["RetentionInDays"] == retention
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert group["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize(("clinic", "tracing"), [("riverside", True), ("lakeside", False)])
def test_the_rest_api_is_regional_on_stage_api_and_throttled(
    synthesized: Synthesized, clinic: str, tracing: bool
) -> None:
    _, api = only(synthesized.templates[clinic], "AWS::Serverless::Api")
    props = api["Properties"]

    assert props["StageName"] == "api"
    assert props["EndpointConfiguration"] == "REGIONAL"
    assert props["Name"] == f"{clinic}-portal-api"
    assert props["TracingEnabled"] is tracing
    assert props["MethodSettings"] == [
        {"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100}
    ]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_function_role_is_lambdas_alone_and_has_one_customer_policy(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    role_id = logical(template, "AWS::IAM::Role", "ApiFunctionRole")
    role = template["Resources"][role_id]["Properties"]
    _, policy = only(template, "AWS::IAM::ManagedPolicy")

    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in role  # no AWS-managed policies
    assert "Policies" not in role  # no inline policies
    assert policy["Properties"]["Roles"] == [{"Ref": role_id}]
    for function in functions(template).values():
        assert function["Properties"]["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_function_policy_reaches_only_this_clinics_resources(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    _, policy = only(template, "AWS::IAM::ManagedPolicy")
    by_sid = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    table = logical(template, "AWS::DynamoDB::Table")
    documents = logical(template, "AWS::S3::Bucket", "Documents")

    assert by_sid["ClinicTable"]["Resource"] == [
        {"Fn::GetAtt": [table, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [table, "Arn"]}, "/index/GSI1"]]},
    ]
    assert "dynamodb:Scan" not in by_sid["ClinicTable"]["Action"]  # house rule: every list is a Query
    assert by_sid["ClinicDocuments"]["Resource"] == {
        "Fn::Join": ["", [{"Fn::GetAtt": [documents, "Arn"]}, "/*"]]
    }
    assert sorted(by_sid["ClinicDocuments"]["Action"]) == ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    assert by_sid["ClinicKey"]["Resource"] == {"Fn::GetAtt": [logical(template, "AWS::KMS::Key"), "Arn"]}
    sender = json.dumps(by_sid["ClinicSender"]["Resource"])
    assert ":identity/" in sender
    log_groups = resources(template, "AWS::Logs::LogGroup")
    own_logs = by_sid["WriteOwnLogs"]["Resource"]
    assert len(own_logs) == len(functions(template))
    assert all(resource["Fn::GetAtt"][0] in log_groups for resource in own_logs)
    for statement in by_sid.values():
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
        if statement["Sid"] != "Tracing":
            assert "*" not in as_list(statement["Resource"]), statement
    assert ("Tracing" in by_sid) is (clinic == "riverside")
    # Staff administration, activation and sign-out: exactly the Admin* calls they make, on this pool alone.
    assert by_sid["ClinicUserPool"]["Resource"] == {
        "Fn::GetAtt": [logical(template, "AWS::Cognito::UserPool"), "Arn"]
    }
    assert sorted(as_list(by_sid["ClinicUserPool"]["Action"])) == sorted(
        "cognito-idp:" + name
        for name in (
            "AdminAddUserToGroup",
            "AdminCreateUser",
            "AdminDisableUser",
            "AdminEnableUser",
            "AdminGetUser",
            "AdminListGroupsForUser",
            "AdminRemoveUserFromGroup",
            "AdminSetUserMFAPreference",
            "AdminSetUserPassword",
            "AdminUserGlobalSignOut",
        )
    )
    # The activation-code pepper: this stack's own generated secret, read only.
    assert by_sid["ActivationPepper"]["Action"] == "secretsmanager:GetSecretValue"
    assert by_sid["ActivationPepper"]["Resource"] == {"Ref": logical(template, "AWS::SecretsManager::Secret")}
    if clinic == "lakeside":  # Stripe: exactly the clinic's own API key and webhook signing secret
        assert by_sid["ClinicPaymentSecret"]["Action"] == "secretsmanager:GetSecretValue"
        assert by_sid["ClinicPaymentSecret"]["Resource"] == [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakeside/stripe-secret-key-Ab12Cd",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakeside/stripe-webhook-secret-Ef34Gh",
        ]
    else:  # simulated payments: no secret to read
        assert "ClinicPaymentSecret" not in by_sid


@pytest.mark.parametrize("clinic", CLINICS)
def test_no_policy_in_the_stack_grants_admin_or_service_wide_access(
    synthesized: Synthesized, clinic: str
) -> None:
    for statement in statements(synthesized.templates[clinic]):
        for action in as_list(statement.get("Action", [])):
            assert action != "*", statement
            assert not action.endswith(":*"), statement


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_package_carries_the_clinic_file_and_not_the_local_dev_cloud(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    key = functions(template)["APIHandler"]["Properties"]["CodeUri"]["Key"]

    with zipfile.ZipFile(synthesized.outdir / f"asset.{key}") as package:
        names = package.namelist()
        packaged = ClinicConfig.model_validate_json(package.read("chalicelib/clinic.json"))

    expected = ClinicConfig.model_validate_json(CLINIC_FILES[clinic].read_text(encoding="utf-8"))
    assert CLINIC_FILE_IN_PACKAGE == "/var/task/chalicelib/clinic.json"
    assert packaged == expected
    assert "app.py" in names
    assert not [name for name in names if name.startswith("chalicelib/local/")]


# boto3 calls in chalicelib -> the IAM action each needs; a call that is not granted fails on AWS only.
BOTO3_ACTIONS = {
    "get_item": "dynamodb:GetItem",
    "batch_get_item": "dynamodb:BatchGetItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "batch_writer": "dynamodb:BatchWriteItem",
    "batch_write_item": "dynamodb:BatchWriteItem",
    "transact_get_items": "dynamodb:GetItem",
    "transact_write_items": "dynamodb:ConditionCheckItem",
    "get_object": "s3:GetObject",
    "head_object": "s3:GetObject",
    "generate_presigned_url": "s3:GetObject",
    "put_object": "s3:PutObject",
    "generate_presigned_post": "s3:PutObject",
    "copy_object": "s3:PutObject",
    "delete_object": "s3:DeleteObject",
    "list_objects_v2": "s3:ListBucket",
    "send_email": "ses:SendEmail",
    "send_raw_email": "ses:SendRawEmail",
    "get_secret_value": "secretsmanager:GetSecretValue",
}


def app_calls() -> dict[str, str]:
    """boto3 method -> the IAM action it needs, for every call chalicelib (less the local cloud) makes."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "chalicelib").rglob("*.py")
        if "local" not in path.relative_to(ROOT / "chalicelib").parts
    )
    calls = set(re.findall(r"\.([a-z_0-9]+)\(", source))
    needed = {call: action for call, action in BOTO3_ACTIONS.items() if call in calls}
    for call in calls:
        if call.startswith("admin_"):  # Cognito admin API
            needed[call] = "cognito-idp:" + "".join(part.title() for part in call.split("_"))
    return needed


def test_every_aws_call_the_app_makes_is_granted(synthesized: Synthesized) -> None:
    _, policy = only(synthesized.templates["lakeside"], "AWS::IAM::ManagedPolicy")
    granted = {a for s in policy["Properties"]["PolicyDocument"]["Statement"] for a in as_list(s["Action"])}
    needed = app_calls()

    assert "dynamodb:Scan" not in needed.values()  # the house rule, read from the code itself
    assert {"get_item", "query", "send_email", "admin_user_global_sign_out"} <= set(needed)  # real calls
    # IAM matches action names case-insensitively (the call admin_set_user_mfa_preference derives
    # AdminSetUserMfaPreference; IAM spells it AdminSetUserMFAPreference).
    granted_lower = {action.lower() for action in granted}
    missing = {call: action for call, action in needed.items() if action.lower() not in granted_lower}
    assert missing == {}, "grant these in infrastructure/api.py"
