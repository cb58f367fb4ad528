"""The API: Chalice functions behind the REST API stage `api`; a role that reaches only this clinic."""

from __future__ import annotations

import json
import re
import zipfile
from typing import Any

import pytest

from chalicelib.core.clinic import ClinicConfig
from infrastructure.api import CLINIC_FILE_IN_PACKAGE
from infrastructure.package import FORBIDDEN, PACKAGE_BUDGET_MB, RUNTIME_NAME, distributions, size_of
from tests.conftest import ROOT
from tests.infra.conftest import (
    CLINIC_FILES,
    Synthesized,
    app_functions,
    as_list,
    audit_table,
    clinic_table,
    data_key,
    only,
    resources,
    statements,
)
from tests.infra.policy import evaluate, render

CLINICS = ["riverside", "lakeside"]


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return app_functions(template)


def logical(template: dict[str, Any], resource_type: str, contains: str = "") -> str:
    [found] = [k for k in resources(template, resource_type) if contains in k]
    return found


def handler_of(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    [(name, function)] = [
        (k, f) for k, f in functions(template).items() if f["Properties"]["Handler"] == "app.app"
    ]
    return name, function


@pytest.mark.parametrize("clinic", CLINICS)
def test_no_sam_resource_is_left_for_cdk_nag_to_miss(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]

    assert "Transform" not in template
    assert not [k for k, r in template["Resources"].items() if r["Type"].startswith("AWS::Serverless::")]
    assert len(functions(template)) == 7  # the API handler and six scheduled jobs, each checked by cdk-nag


@pytest.mark.parametrize("clinic", CLINICS)
def test_every_function_gets_this_stacks_resources(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    found = functions(template)

    assert {f["Properties"]["FunctionName"] for f in found.values()} >= {f"{clinic}-portal-apihandler"}
    for function in found.values():
        env = function["Properties"]["Environment"]["Variables"]
        assert env["STAGE"] == ("staging" if clinic == "riverside" else "prod")  # demo.json is a staging file
        assert env["TABLE_NAME"] == {"Ref": clinic_table(template)[0]}
        assert env["DOCUMENTS_BUCKET"] == {"Fn::Join": ["", [f"{clinic}-docs-", {"Ref": "AWS::AccountId"}]]}
        assert env["USER_POOL_ID"] == {"Ref": logical(template, "AWS::Cognito::UserPool")}
        assert env["USER_POOL_CLIENT_ID"] == {"Ref": logical(template, "AWS::Cognito::UserPoolClient")}
        assert env["CLINIC_CONFIG_FILE"] == CLINIC_FILE_IN_PACKAGE
        assert "CLINIC_CONFIG" not in env  # the clinic file exceeds Lambda's 4 KB environment limit
        assert env["ACTIVATION_PEPPER_SECRET_ARN"] == {
            "Ref": logical(template, "AWS::SecretsManager::Secret", "ActivationPepper")
        }
        assert env["ORIGIN_SECRET_ARN"] == {
            "Ref": logical(template, "AWS::SecretsManager::Secret", "OriginSecret")
        }


@pytest.mark.parametrize(("clinic", "tracing"), [("riverside", True), ("lakeside", False)])
def test_functions_are_pinned_encrypted_logged_limited_and_traced_as_configured(
    synthesized: Synthesized, clinic: str, tracing: bool
) -> None:
    template = synthesized.templates[clinic]
    key_id, _ = data_key(template)
    groups = resources(template, "AWS::Logs::LogGroup")
    queue_id, queue = only(template, "AWS::SQS::Queue")
    [layer] = [k for k, r in resources(template, "AWS::Lambda::LayerVersion").items() if "Dependencies" in k]
    retention = 365 if clinic == "riverside" else 180

    for function in functions(template).values():
        props = function["Properties"]
        assert props["Runtime"] == RUNTIME_NAME == "python3.12"  # not whatever Python the deployer has
        assert props["Layers"] == [{"Ref": layer}]
        assert props["KmsKeyArn"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert props["TracingConfig"] == {"Mode": "Active" if tracing else "PassThrough"}
        assert props["Timeout"] <= 29  # API Gateway's integration limit
        assert props["ReservedConcurrentExecutions"] == (50 if props["Handler"] == "app.app" else 2)
        assert props["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [queue_id, "Arn"]}}
        group = groups[props["LoggingConfig"]["LogGroup"]["Ref"]]
        assert group["Properties"]["LogGroupName"] == f"/aws/lambda/{props['FunctionName']}"
        assert group["Properties"]["RetentionInDays"] == retention
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert group["DeletionPolicy"] == "Retain"
    assert queue["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}


@pytest.mark.parametrize("clinic", CLINICS)
def test_each_scheduled_job_runs_on_its_own_rule(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    rules = resources(template, "AWS::Events::Rule")
    jobs = {k for k, f in functions(template).items() if f["Properties"]["Handler"] != "app.app"}

    targeted = {rule["Properties"]["Targets"][0]["Arn"]["Fn::GetAtt"][0] for rule in rules.values()}
    assert targeted == jobs
    schedules = {rule["Properties"]["ScheduleExpression"] for rule in rules.values()}
    assert "rate(15 minutes)" in schedules
    assert "cron(0 10 * * ? *)" in schedules


@pytest.mark.parametrize(("clinic", "tracing"), [("riverside", True), ("lakeside", False)])
def test_the_rest_api_has_one_stage_api_throttled_and_logged_without_bodies(
    synthesized: Synthesized, clinic: str, tracing: bool
) -> None:
    template = synthesized.templates[clinic]
    _, api = only(template, "AWS::ApiGateway::RestApi")
    _, stage = only(template, "AWS::ApiGateway::Stage")  # no second stage named "Stage"
    groups = resources(template, "AWS::Logs::LogGroup")
    props = stage["Properties"]

    assert api["Properties"]["Name"] == f"{clinic}-portal-api"
    assert api["Properties"]["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert props["StageName"] == "api"
    assert props["TracingEnabled"] is tracing
    assert props["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": 50,
            "ThrottlingBurstLimit": 100,
            "LoggingLevel": "ERROR",
            "DataTraceEnabled": False,  # never a request or response body in the execution log
            "MetricsEnabled": True,
        }
    ]
    access = props["AccessLogSetting"]
    group = groups[access["DestinationArn"]["Fn::GetAtt"][0]]
    assert group["Properties"]["LogGroupName"] == f"/aws/apigateway/{clinic}-portal-api"
    fields = json.loads(access["Format"])
    assert fields["route"] == "$context.resourcePath"  # the route's template: no ids, no query string
    assert not [value for value in fields.values() if "path" in value.lower() and "resourcePath" not in value]
    _, account = only(template, "AWS::ApiGateway::Account")  # the account's role for execution logs
    assert account["Properties"]["CloudWatchRoleArn"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_api_answers_only_requests_carrying_cloudfronts_origin_secret(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    secret_id = logical(template, "AWS::SecretsManager::Secret", "OriginSecret")
    secret_value = {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:::}}"]]}
    _, api = only(template, "AWS::ApiGateway::RestApi")
    policy = api["Properties"]["Policy"]
    _, distribution = only(template, "AWS::CloudFront::Distribution")
    [origin] = [
        o for o in distribution["Properties"]["DistributionConfig"]["Origins"] if "CustomOriginConfig" in o
    ]

    assert origin["OriginCustomHeaders"] == [{"HeaderName": "Referer", "HeaderValue": secret_value}]
    secret = "the-secret"  # what the deploy-time reference resolves to
    resolved = json.loads(json.dumps(policy).replace(json.dumps(secret_value), json.dumps(secret)))
    invoke = "execute-api:Invoke"
    assert evaluate(resolved["Statement"], invoke, "execute-api:/api/GET/health", {}) == "deny"
    assert (
        evaluate(resolved["Statement"], invoke, "execute-api:/api/GET/health", {"aws:Referer": "guess"})
        == "deny"
    )
    assert (
        evaluate(resolved["Statement"], invoke, "execute-api:/api/POST/me", {"aws:Referer": secret})
        == "allow"
    )
    # Only stage api may call the function, and the stack prints no execute-api URL.
    [permission] = [
        p
        for p in resources(template, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert "/api/*/*" in json.dumps(permission["Properties"]["SourceArn"])
    assert "execute-api" not in json.dumps(template["Outputs"])
    # Rotated every 30 days by a function that updates the API policy and CloudFront together.
    _, schedule = only(template, "AWS::SecretsManager::RotationSchedule")
    assert schedule["Properties"]["SecretId"] == {"Ref": secret_id}
    assert schedule["Properties"]["RotationRules"]["ScheduleExpression"] == "rate(30 days)"


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_function_role_is_lambdas_alone_and_has_one_customer_policy(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    role_id = logical(template, "AWS::IAM::Role", "ApiFunctionRole")
    role = template["Resources"][role_id]["Properties"]
    policy = api_policy(template)

    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in role  # no AWS-managed policies
    assert "Policies" not in role  # no inline policies
    assert not [
        p
        for p in resources(template, "AWS::IAM::Policy").values()
        if {"Ref": role_id} in p["Properties"]["Roles"]
    ]
    assert policy["Properties"]["Roles"] == [{"Ref": role_id}]
    for function in functions(template).values():
        assert function["Properties"]["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}


def api_policy(template: dict[str, Any]) -> dict[str, Any]:
    [policy] = [p for k, p in resources(template, "AWS::IAM::ManagedPolicy").items() if "FunctionPolicy" in k]
    return policy


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_function_policy_reaches_only_this_clinics_resources(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    policy = api_policy(template)
    by_sid = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    table = clinic_table(template)[0]
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
    assert by_sid["ClinicKey"]["Resource"] == {"Fn::GetAtt": [data_key(template)[0], "Arn"]}
    sender = json.dumps(by_sid["ClinicSender"]["Resource"])
    assert ":identity/" in sender
    log_groups = resources(template, "AWS::Logs::LogGroup")
    own_logs = by_sid["WriteOwnLogs"]["Resource"]
    assert len(own_logs) == len(functions(template))
    assert all(resource["Fn::GetAtt"][0] in log_groups for resource in own_logs)
    for statement in by_sid.values():
        assert statement["Effect"] == ("Deny" if statement["Sid"] == "AuditNeverChanged" else "Allow")
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
        if statement["Sid"] not in {"Tracing", "SendQuota"}:  # actions with no resource-level permissions
            assert "*" not in as_list(statement["Resource"]), statement
    assert ("Tracing" in by_sid) is (clinic == "riverside")
    assert as_list(by_sid["SendQuota"]["Action"]) == ["ses:GetSendQuota"]  # reads limits, sends nothing
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
    # The activation-code pepper and the origin secret: this stack's own generated secrets, read only.
    for sid, name in (("ActivationPepper", "ActivationPepper"), ("OriginSecret", "OriginSecret")):
        assert by_sid[sid]["Action"] == "secretsmanager:GetSecretValue"
        assert by_sid[sid]["Resource"] == {"Ref": logical(template, "AWS::SecretsManager::Secret", name)}
    assert by_sid["FailedRuns"]["Action"] == "sqs:SendMessage"
    if clinic == "lakeside":  # Stripe: exactly the clinic's own API key and webhook signing secret
        assert by_sid["ClinicPaymentSecret"]["Action"] == "secretsmanager:GetSecretValue"
        assert by_sid["ClinicPaymentSecret"]["Resource"] == [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakeside/stripe-secret-key-Ab12Cd",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakeside/stripe-webhook-secret-Ef34Gh",
        ]
    else:  # simulated payments: no secret to read
        assert "ClinicPaymentSecret" not in by_sid
    if clinic == "lakeside":  # Chime video visits: the four meeting calls, on this account's meetings only
        assert sorted(as_list(by_sid["VideoMeetings"]["Action"])) == [
            "chime:CreateAttendee",
            "chime:CreateMeeting",
            "chime:DeleteMeeting",
            "chime:GetMeeting",
        ]
        assert by_sid["VideoMeetings"]["Resource"] == {
            "Fn::Join": ["", ["arn:aws:chime:us-east-1:", {"Ref": "AWS::AccountId"}, ":meeting/*"]]
        }
    else:  # simulated meetings: no Chime at all
        assert "VideoMeetings" not in by_sid


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_app_role_can_add_and_read_audit_events_but_never_change_or_delete_one(
    synthesized: Synthesized, clinic: str
) -> None:
    """Policy simulation over the role's synthesized statements (every policy attached to it)."""
    template = synthesized.templates[clinic]
    role_id = logical(template, "AWS::IAM::Role", "ApiFunctionRole")
    attached = [
        statement
        for kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy")
        for policy in resources(template, kind).values()
        if {"Ref": role_id} in policy["Properties"].get("Roles", [])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    audit_id, _ = audit_table(template)
    table_id, _ = clinic_table(template)
    audit_arn = render({"Fn::GetAtt": [audit_id, "Arn"]})
    audit_index = render({"Fn::Join": ["", [{"Fn::GetAtt": [audit_id, "Arn"]}, "/index/GSI1"]]})
    table_arn = render({"Fn::GetAtt": [table_id, "Arn"]})

    def may(action: str, resource: str) -> str:
        return evaluate(attached, f"dynamodb:{action}", resource)

    for action in ("PutItem", "Query", "ConditionCheckItem"):
        assert may(action, audit_arn) == "allow", action
    assert may("Query", audit_index) == "allow"  # everything one user did, by actor
    for action in (
        "DeleteItem",
        "UpdateItem",
        "BatchWriteItem",
        "PartiQLDelete",
        "DeleteTable",
        "UpdateTable",
    ):
        assert may(action, audit_arn) == "deny", action  # an explicit deny: no later grant can open it
    for action in ("Scan", "GetItem", "DeleteBackup"):
        assert may(action, audit_arn) in ("deny", "implicit-deny"), action
    # The clinic's own table keeps what the app does to it (the audit events are not in it).
    assert may("DeleteItem", table_arn) == "allow"
    assert may("UpdateItem", table_arn) == "allow"
    env = functions(template)
    for function in env.values():
        assert function["Properties"]["Environment"]["Variables"]["AUDIT_TABLE_NAME"] == {"Ref": audit_id}


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
    _, handler = handler_of(template)
    key = handler["Properties"]["Code"]["S3Key"]

    with zipfile.ZipFile(synthesized.outdir / f"asset.{key}") as package:
        names = package.namelist()
        packaged = ClinicConfig.model_validate_json(package.read("chalicelib/clinic.json"))

    expected = ClinicConfig.model_validate_json(CLINIC_FILES[clinic].read_text(encoding="utf-8"))
    assert CLINIC_FILE_IN_PACKAGE == "/var/task/chalicelib/clinic.json"
    assert packaged == expected
    assert "app.py" in names
    assert {"chalice/__init__.py", "chalice/app.py"} <= set(names)  # Chalice's runtime, added by its packager
    assert not [name for name in names if name.startswith("chalicelib/local/")]


def test_the_dependency_layer_is_built_for_the_runtime_without_what_lambda_provides(
    synthesized: Synthesized,
) -> None:
    template = synthesized.templates["riverside"]
    [layer] = [r for k, r in resources(template, "AWS::Lambda::LayerVersion").items() if "Dependencies" in k]
    path = synthesized.outdir / f"asset.{layer['Properties']['Content']['S3Key']}"
    _, handler = handler_of(template)
    code = synthesized.outdir / f"asset.{handler['Properties']['Code']['S3Key']}"
    size = size_of(code, path)

    with zipfile.ZipFile(path) as archive:
        binaries = [name for name in archive.namelist() if name.endswith(".so") and "cpython-" in name]
    found = distributions(path)
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.12"]
    assert binaries
    assert all("cpython-312-x86_64-linux-gnu" in name for name in binaries)
    assert {"pydantic", "aws-lambda-powertools", "pyjwt"} <= found
    assert not found & set(FORBIDDEN)  # no boto3, botocore, pip, setuptools, wheel or chalice
    print(f"\n{size.describe()}")
    assert size.unzipped_mb < PACKAGE_BUDGET_MB


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
    policy = api_policy(synthesized.templates["lakeside"])
    granted = {a for s in policy["Properties"]["PolicyDocument"]["Statement"] for a in as_list(s["Action"])}
    needed = app_calls()

    assert "dynamodb:Scan" not in needed.values()  # the house rule, read from the code itself
    assert {"get_item", "query", "send_email", "admin_user_global_sign_out"} <= set(needed)  # real calls
    # IAM matches action names case-insensitively (the call admin_set_user_mfa_preference derives
    # AdminSetUserMfaPreference; IAM spells it AdminSetUserMFAPreference).
    granted_lower = {action.lower() for action in granted}
    missing = {call: action for call, action in needed.items() if action.lower() not in granted_lower}
    assert missing == {}, "grant these in infrastructure/api.py"
