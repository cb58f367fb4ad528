"""The API: the Chalice app as plain CloudFormation, its own least-privilege role, the REST API stage `api`.

Chalice packages a per-clinic copy of the app (chalice.out/src/<clinic>/) so the clinic file can travel
inside the Lambda package: the demo clinic's JSON is ~9 KB and Lambda environment variables are capped at
4 KB, so the function gets CLINIC_CONFIG_FILE (read by chalicelib.core.config.clinic()). Chalice's own
template is AWS SAM, which cdk-nag cannot inspect and which adds a second, unthrottled stage named `Stage`;
so this module reads what Chalice packaged (the handlers, their schedules, the OpenAPI body with its
Lambda integrations) and declares the functions, rules and REST API itself, every one checked by cdk-nag.
Dependencies go into one layer built for the pinned runtime (infrastructure/package.py).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib.core.clinic import ClinicConfig
from chalicelib.core.config import PROJECT_ROOT
from infrastructure.nag import acknowledge, logical_id
from infrastructure.naming import physical, retention
from infrastructure.origin_rotation.index import API_STAGE_ENV, gateway_policy
from infrastructure.package import LAMBDA_PYTHON, dependency_layer

API_STAGE = "api"  # .chalice/config.json api_gateway_stage: CloudFront's /api/* lands on it unchanged
CLINIC_FILE_IN_PACKAGE = "/var/task/chalicelib/clinic.json"  # the package root is /var/task
LAMBDA_MEMORY_MB = 512
LAMBDA_TIMEOUT_SECONDS = 20  # under API Gateway's 29 s integration limit
# The stage's ceiling for all clients together, far above a small clinic's use; each client is limited
# before that by the firewall's per-IP rate rule on CloudFront (deploy.waf_rate_limit).
API_RATE_LIMIT = 50  # requests per second
API_BURST_LIMIT = 100
# Reserved concurrency: caps what one burst can cost and how hard it can hit the table. Their sum (plus
# Lambda's 10 unreserved) must fit the account's concurrency quota (README: new accounts start at 10).
API_CONCURRENCY = 50
JOB_CONCURRENCY = 2
ORIGIN_ROTATION_DAYS = 30
RUNTIME = lambda_.Runtime(f"python{LAMBDA_PYTHON}", lambda_.RuntimeFamily.PYTHON)
# Access log lines: who, when, which route (its template, never the path with ids or the query), outcome.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "time": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "method": "$context.httpMethod",
    "route": "$context.resourcePath",
    "status": "$context.status",
    "bytes": "$context.responseLength",
    "latencyMs": "$context.responseLatency",
    "integrationStatus": "$context.integrationStatus",
    "error": "$context.error.responseType",
}

# What the app may do, resource by resource: what chalicelib calls today, nothing more (no Scan, no table
# admin). tests/infra/test_api.py reads chalicelib for boto3 calls and fails when one is not granted here.
TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
# The audit table: add an event (never over another: the app's condition) and read; nothing else.
AUDIT_TABLE_ACTIONS = ("dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:Query")
# Refused outright on the audit table, whatever else is ever granted: nothing may change or erase an event.
AUDIT_TABLE_DENIED = (
    "dynamodb:DeleteItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLDelete",
    "dynamodb:PartiQLUpdate",
    "dynamodb:DeleteTable",
    "dynamodb:UpdateTable",
    "dynamodb:UpdateTimeToLive",
    "dynamodb:DeleteBackup",
)
# Presigned uploads/downloads are signed by this role; a delete leaves the previous version (versioning).
DOCUMENT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")
# Staff administration (staff_admin/store.py), patient activation (enrolment/store.py) and sign-out
# everywhere (revokes refresh tokens), on this clinic's user pool only. MFA enrolment is authorized by the
# user's own access token and needs no IAM.
USER_POOL_ACTIONS: tuple[str, ...] = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminSetUserMFAPreference",
)
SECRET_ACTIONS = (
    "secretsmanager:GetSecretValue",
)  # the clinic's Stripe key, when billing.provider is stripe
MAIL_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")
# The patient import paces its invitations to the account's SES sending rate and daily quota.
MAIL_QUOTA_ACTIONS = ("ses:GetSendQuota",)
# Video visits on Amazon Chime SDK Meetings (appointments/meetings/chime.py): exactly the calls it makes,
# on meetings in this stack's account and region. Only when the clinic file chooses "chime".
MEETING_ACTIONS = ("chime:CreateMeeting", "chime:GetMeeting", "chime:CreateAttendee", "chime:DeleteMeeting")

QUEUE_ACTIONS = ("sqs:SendMessage",)  # failed scheduled runs into the dead-letter queue
_PACKAGE_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", "local")


def stage_source(clinic: ClinicConfig, *, project_dir: Path = PROJECT_ROOT) -> Path:
    """Copy what Chalice packages (app.py, chalicelib/ without the local dev cloud) plus the clinic file.

    The copy lives in chalice.out/src/<clinic id>/ (gitignored). It has no requirements.txt: the
    dependencies are the layer's, so Chalice's package is the app's code alone.
    """
    dest = project_dir / "chalice.out" / "src" / clinic.id
    (dest / ".chalice").mkdir(parents=True, exist_ok=True)
    (dest / "requirements.txt").unlink(missing_ok=True)
    shutil.copy2(project_dir / "app.py", dest / "app.py")
    shutil.copy2(project_dir / ".chalice" / "config.json", dest / ".chalice" / "config.json")
    shutil.rmtree(dest / "chalicelib", ignore_errors=True)
    shutil.copytree(project_dir / "chalicelib", dest / "chalicelib", ignore=_PACKAGE_SKIP)
    (dest / "chalicelib" / "clinic.json").write_text(clinic.model_dump_json(indent=2), encoding="utf-8")
    return dest


@contextmanager
def _isolated_packaging(region: str, project_dir: Path) -> Iterator[None]:
    """`chalice package` imports `app` and copies the stage env into os.environ: undo the env afterwards.

    The app is imported from the project first, so the staged copies (same code) never import it a second
    time: blueprints register their routes once per process.
    """
    saved_env, saved_path = dict(os.environ), list(sys.path)
    if "app" not in sys.modules:
        sys.path.insert(0, str(project_dir))
        importlib.import_module("app")
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        sys.path[:] = saved_path


@dataclass(frozen=True)
class ApiInputs:
    table: Any  # dynamodb.Table
    audit_table: Any  # dynamodb.Table: audit events, add and read only
    documents: Any  # s3.Bucket
    documents_name: str
    key: Any  # kms.Key
    user_pool: Any  # cognito.UserPool
    user_pool_client: Any  # cognito.UserPoolClient
    email_identity_arn: str
    configuration_set_arn: str  # SES authorizes a send on the identity and on its configuration set


@dataclass(frozen=True)
class PackagedFunction:
    """One function of Chalice's package: the API handler or a scheduled job."""

    name: str  # Chalice's resource name, e.g. APIHandler, ReleaseDueResults
    handler: str
    schedule: str | None  # rate(...) or cron(...) for a scheduled job


@dataclass(frozen=True)
class ChalicePackage:
    code: Path  # deployment.zip: app.py, chalicelib/ and Chalice's small runtime
    functions: list[PackagedFunction]
    openapi: dict[str, Any]  # the REST API's body, with API Gateway's integration extensions


def package_chalice_app(source: Path, *, region: str, project_dir: Path) -> ChalicePackage:
    """Run `chalice package` on the staged source and read what it made (its SAM template, never deployed)."""
    from chalice.api import package_app

    out = source.parent.parent / "package" / source.name
    shutil.rmtree(out, ignore_errors=True)
    config = {
        "api_gateway_stage": API_STAGE,
        "automatic_layer": False,
        "manage_iam_role": False,
        "iam_role_arn": "arn:aws:iam::123456789012:role/unused",  # the real role is declared below
        "autogen_policy": False,
    }
    with _isolated_packaging(region, project_dir):
        package_app(project_dir=str(source), output_dir=str(out), stage="prod", chalice_config=config)
    sam = json.loads((out / "sam.json").read_text(encoding="utf-8"))
    functions, openapi = [], None
    for name, resource in sam["Resources"].items():
        kind, props = resource["Type"], resource.get("Properties", {})
        if kind == "AWS::Serverless::Function":
            events_ = list(props.get("Events", {}).values())
            if any(event["Type"] != "Schedule" for event in events_) or len(events_) > 1:
                raise ValueError(f"{name}: only API and scheduled functions are supported, not {events_}")
            schedule = events_[0]["Properties"]["Schedule"] if events_ else None
            functions.append(PackagedFunction(name=name, handler=props["Handler"], schedule=schedule))
        elif kind == "AWS::Serverless::Api":
            openapi = props["DefinitionBody"]
        elif kind not in ("AWS::Lambda::Permission",):  # the API's permission is declared below
            raise ValueError(f"Chalice packaged a {kind} ({name}); declare it in infrastructure/api.py")
    if openapi is None or not any(f.name == "APIHandler" for f in functions):
        raise ValueError("Chalice's package has no REST API")
    return ChalicePackage(code=out / "deployment.zip", functions=functions, openapi=openapi)


def _with_integration(openapi: dict[str, Any], function_arn: str) -> dict[str, Any]:
    """The OpenAPI body with every Lambda integration pointing at our API function."""
    uri = cdk.Fn.sub(
        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Arn}/invocations",
        {"Arn": function_arn},
    )
    body = json.loads(json.dumps(openapi))
    for methods in body["paths"].values():
        for method in methods.values():
            integration = method.get("x-amazon-apigateway-integration")
            if integration is not None:
                if "${APIHandler.Arn}" not in json.dumps(integration["uri"]):
                    raise ValueError(f"unexpected integration {integration['uri']}")
                integration["uri"] = uri
    return body


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        clinic: ClinicConfig,
        inputs: ApiInputs,
        project_dir: Path = PROJECT_ROOT,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        tracing = clinic.deploy.tracing
        self.api_name = physical(clinic, "api")

        self.role = iam.Role(
            self,
            "FunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{clinic.name} portal API: this table, bucket, user pool and sender only",
        )
        # Every grant is in the one managed policy below; nothing adds an inline policy behind our back.
        role = self.role.without_policy_updates()
        # The pepper of activation-code hashes: generated by Secrets Manager, never in the template.
        self.activation_pepper = secretsmanager.Secret(
            self,
            "ActivationPepper",
            description=f"{clinic.name} portal: pepper for activation-code hashes",
            encryption_key=inputs.key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        never_rotated = "Rotating the pepper would void every outstanding activation code (90 days at most)."
        for finding in ("AwsSolutions-SMG4", "HIPAA.Security-SecretsManagerRotationEnabled"):
            acknowledge(self.activation_pepper, finding, never_rotated)
        # What CloudFront sends the API (as Referer) and the API requires: the resource policy refuses a
        # request without it, and the app checks it again. Rotated by add_origin_rotation().
        self.origin_secret = secretsmanager.Secret(
            self,
            "OriginSecret",
            description=f"{clinic.name} portal: the header CloudFront sends so the API answers only it",
            encryption_key=inputs.key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        self.origin_value = self.origin_secret.secret_value.unsafe_unwrap()  # a deploy-time reference

        # Failed runs of the scheduled jobs (asynchronous invocations) land here, and an alarm says so.
        self.dead_letters = sqs.Queue(
            self,
            "FailedRuns",
            queue_name=physical(clinic, "failed-runs"),
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=inputs.key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        source = stage_source(clinic, project_dir=project_dir)
        packaged = package_chalice_app(source, region=stack.region, project_dir=project_dir)
        self.code_zip = packaged.code
        self.layer_zip = dependency_layer(
            project_dir / "requirements.txt", project_dir / "chalice.out" / "cache"
        )
        layer = lambda_.LayerVersion(
            self,
            "Dependencies",
            code=lambda_.Code.from_asset(str(self.layer_zip)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[lambda_.Architecture.X86_64],
            description=f"{clinic.name} portal: requirements.txt for {RUNTIME.name}",
        )
        code = lambda_.Code.from_asset(str(packaged.code))
        environment = {
            "ACTIVATION_PEPPER_SECRET_ARN": self.activation_pepper.secret_arn,
            "ORIGIN_SECRET_ARN": self.origin_secret.secret_arn,
            "STAGE": "prod" if clinic.deploy.environment == "production" else "staging",
            "TABLE_NAME": inputs.table.table_name,
            "AUDIT_TABLE_NAME": inputs.audit_table.table_name,
            "DOCUMENTS_BUCKET": inputs.documents_name,
            "USER_POOL_ID": inputs.user_pool.user_pool_id,
            "USER_POOL_CLIENT_ID": inputs.user_pool_client.user_pool_client_id,
            "CLINIC_CONFIG_FILE": CLINIC_FILE_IN_PACKAGE,
            "POWERTOOLS_SERVICE_NAME": "clinic-portal",
            "POWERTOOLS_METRICS_NAMESPACE": "ClinicPortal",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            "POWERTOOLS_TRACE_DISABLED": "false" if tracing else "true",
            "CLINIC_ID": clinic.id,  # a dimension of the app's metrics: two clinics may share an account
        }

        self.functions: dict[str, lambda_.Function] = {}
        self.log_groups: list[logs.LogGroup] = []
        for packaged_function in packaged.functions:
            name = packaged_function.name
            # Our own log group, created before the function: retention and encryption from the first line.
            group = logs.LogGroup(
                self,
                f"Logs{name}",
                log_group_name=f"/aws/lambda/{physical(clinic, name.lower())}",
                retention=retention(clinic.deploy.log_retention_days),
                encryption_key=inputs.key,
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            self.log_groups.append(group)
            is_api = packaged_function.schedule is None
            function = lambda_.Function(
                self,
                name,
                function_name=physical(clinic, name.lower()),
                runtime=RUNTIME,
                architecture=lambda_.Architecture.X86_64,
                handler=packaged_function.handler,
                code=code,
                layers=[layer],
                role=role,
                memory_size=LAMBDA_MEMORY_MB,
                timeout=cdk.Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
                environment=environment,
                environment_encryption=inputs.key,
                tracing=lambda_.Tracing.ACTIVE if tracing else lambda_.Tracing.PASS_THROUGH,
                log_group=group,
                reserved_concurrent_executions=API_CONCURRENCY if is_api else JOB_CONCURRENCY,
                dead_letter_queue=self.dead_letters,
                retry_attempts=None if is_api else 2,
            )
            self.functions[name] = function
            _drop_role_dependency(function)
            if packaged_function.schedule is not None:
                events.Rule(
                    self,
                    f"{name}Schedule",
                    rule_name=physical(clinic, name.lower()),
                    schedule=events.Schedule.expression(packaged_function.schedule),
                    targets=[targets.LambdaFunction(function, retry_attempts=2)],
                )
            _acknowledge_runtime(function)
            acknowledge(
                function,
                "HIPAA.Security-LambdaInsideVPC",
                "The functions reach only AWS APIs (DynamoDB, S3, SES, Cognito, Secrets Manager) over TLS "
                "with IAM; the portal has no VPC resources, and a VPC would add NAT or endpoint charges.",
            )
        if not tracing:
            acknowledge(
                self,
                "HIPAA.Security-APIGWXrayEnabled",
                f"{clinic.id} turned X-Ray off in its clinic file (deploy.tracing: false); API Gateway "
                "access and execution logs and CloudWatch metrics still cover every request.",
            )
        handler = self.functions["APIHandler"]
        # The integration names the function by its ARN as text, not by reference: the function's
        # environment names CloudFront (PORTAL_URL), which names this API, which would name the function.
        handler_arn = stack.format_arn(
            service="lambda",
            resource="function",
            resource_name=physical(clinic, "apihandler"),
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )

        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            log_group_name=f"/aws/apigateway/{physical(clinic, 'api')}",
            retention=retention(clinic.deploy.log_retention_days),
            encryption_key=inputs.key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.log_groups_api = [access_logs]
        self.rest_api = apigateway.SpecRestApi(
            self,
            "RestApi",
            rest_api_name=self.api_name,
            api_definition=apigateway.ApiDefinition.from_inline(
                _with_integration(packaged.openapi, handler_arn)
            ),
            endpoint_types=[apigateway.EndpointType.REGIONAL],  # CloudFront is the edge; no second one
            policy=iam.PolicyDocument.from_json(gateway_policy([self.origin_value])),
            # API Gateway writes execution logs through one account-wide role (kept if the stack goes).
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=cdk.RemovalPolicy.RETAIN,
            deploy=True,
            deploy_options=apigateway.StageOptions(
                stage_name=API_STAGE,
                throttling_rate_limit=API_RATE_LIMIT,
                throttling_burst_limit=API_BURST_LIMIT,
                tracing_enabled=tracing,
                metrics_enabled=True,
                # Errors only, and never a request or response body (data trace): bodies hold PHI.
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                access_log_destination=apigateway.LogGroupLogDestination(access_logs),
                access_log_format=apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
            ),
        )
        # CDK prints the stage's execute-api URL as an output; nobody should be pointed around CloudFront.
        self.rest_api.node.try_remove_child("Endpoint")
        handler.add_permission(
            "InvokeFromApi",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=self.rest_api.arn_for_execute_api(stage=API_STAGE),
        )
        self.rest_api_id = self.rest_api.rest_api_id
        self.origin_domain = cdk.Fn.join(
            "", [self.rest_api_id, ".execute-api.", stack.region, ".", stack.url_suffix]
        )
        self._acknowledge_stage(clinic)

        statements = [
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[group.log_group_arn for group in self.log_groups],
            ),
            iam.PolicyStatement(
                sid="ClinicTable",
                actions=list(TABLE_ACTIONS),
                resources=_table_and_indexes(inputs.table),
            ),
            iam.PolicyStatement(
                sid="AuditAddAndRead",
                actions=list(AUDIT_TABLE_ACTIONS),
                resources=_table_and_indexes(inputs.audit_table),
            ),
            iam.PolicyStatement(
                sid="AuditNeverChanged",
                effect=iam.Effect.DENY,
                actions=list(AUDIT_TABLE_DENIED),
                resources=_table_and_indexes(inputs.audit_table),
            ),
            iam.PolicyStatement(
                sid="ClinicDocuments",
                actions=list(DOCUMENT_ACTIONS),
                resources=[inputs.documents.arn_for_objects("*")],
            ),
            iam.PolicyStatement(sid="ClinicKey", actions=list(KEY_ACTIONS), resources=[inputs.key.key_arn]),
            iam.PolicyStatement(
                sid="ClinicSender",
                actions=list(MAIL_ACTIONS),
                resources=[inputs.email_identity_arn, inputs.configuration_set_arn],
            ),
            iam.PolicyStatement(sid="SendQuota", actions=list(MAIL_QUOTA_ACTIONS), resources=["*"]),
            iam.PolicyStatement(
                sid="ActivationPepper",
                actions=list(SECRET_ACTIONS),
                resources=[self.activation_pepper.secret_arn],
            ),
            iam.PolicyStatement(
                sid="OriginSecret", actions=list(SECRET_ACTIONS), resources=[self.origin_secret.secret_arn]
            ),
            iam.PolicyStatement(
                sid="FailedRuns", actions=list(QUEUE_ACTIONS), resources=[self.dead_letters.queue_arn]
            ),
        ]
        if USER_POOL_ACTIONS:
            statements.append(
                iam.PolicyStatement(
                    sid="ClinicUserPool",
                    actions=list(USER_POOL_ACTIONS),
                    resources=[inputs.user_pool.user_pool_arn],
                )
            )
        stripe = clinic.billing.stripe if clinic.billing.provider == "stripe" else None
        if stripe is not None:
            statements.append(
                iam.PolicyStatement(  # the API key and the webhook signing secret, nothing else
                    sid="ClinicPaymentSecret",
                    actions=list(SECRET_ACTIONS),
                    resources=[stripe.secret_key_arn, stripe.webhook_secret_arn],
                )
            )
        if clinic.scheduling.video.provider == "chime":
            statements.append(
                iam.PolicyStatement(
                    sid="VideoMeetings",
                    actions=list(MEETING_ACTIONS),
                    resources=[
                        cdk.Stack.of(self).format_arn(service="chime", resource="meeting", resource_name="*")
                    ],
                )
            )
        if tracing:
            statements.append(
                iam.PolicyStatement(
                    sid="Tracing",
                    actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                    resources=["*"],
                )
            )
        # A customer-managed policy, not an inline one (HIPAA IAMNoInlinePolicy), attached to our role only.
        self.policy = iam.ManagedPolicy(
            self,
            "FunctionPolicy",
            description=f"{clinic.name} portal API least-privilege policy",
            statements=statements,
            roles=[self.role],
        )
        acknowledge(
            self.policy,
            f"AwsSolutions-IAM5[Resource::<{logical_id(inputs.documents)}.Arn>/*]",
            "Object keys are per-patient and created at run time; access is limited to this clinic's "
            "documents bucket and to GetObject/PutObject.",
        )
        if clinic.scheduling.video.provider == "chime":
            acknowledge(
                self.policy,
                f"AwsSolutions-IAM5[Resource::arn:aws:chime:{clinic.deploy.region}:<AWS::AccountId>:meeting/*]",
                "Meetings are created at run time, one per video visit, with ids Chime chooses; access is "
                "limited to meetings in this account and region and to the four calls video visits make.",
            )
        acknowledge(
            self.policy,
            "AwsSolutions-IAM5[Resource::*]",
            "Only actions without resource-level permissions: SES GetSendQuota (reads the account's sending "
            "limits)" + (", X-Ray PutTraceSegments and PutTelemetryRecords." if tracing else "."),
        )

    def set_portal_url(self, url: str) -> None:
        for function in self.functions.values():
            function.add_environment("PORTAL_URL", url)

    def _acknowledge_stage(self, clinic: ClinicConfig) -> None:
        stage = self.rest_api.deployment_stage
        acknowledge(
            stage,
            "AwsSolutions-APIG3",
            "The stage answers only requests carrying CloudFront's origin secret (resource policy); "
            "CloudFront's web ACL (managed rules, per-IP rate) screens each of them, so a regional ACL "
            "would inspect the same traffic twice.",
        )
        acknowledge(
            self.rest_api,
            "AwsSolutions-APIG2",
            "Every route validates its body, query and path ids with the app's pydantic models (a 400 in "
            "one error shape); the OpenAPI body Chalice generates carries no schemas to validate against.",
        )
        acknowledge(
            stage,
            "HIPAA.Security-APIGWCacheEnabledAndEncrypted",
            "Answers are per-user PHI and marked no-store; caching them at the stage would serve one "
            "user's data to another, so the stage cache stays off.",
        )
        acknowledge(
            stage,
            "HIPAA.Security-APIGWSSLEnabled",
            "The only integration is Lambda (AWS_PROXY), which API Gateway calls over AWS's signed API; "
            "a client certificate authenticates HTTP back ends, of which there are none.",
        )
        cloud_watch_role = self.rest_api.node.try_find_child("CloudWatchRole")
        if cloud_watch_role is not None:
            acknowledge(
                cloud_watch_role,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                "API Gateway's account-wide logging role needs exactly this AWS policy (create and write its "
                "own log groups); it is assumable by apigateway.amazonaws.com only.",
            )

    def add_origin_rotation(self, clinic: ClinicConfig, *, key: Any, distribution_id: str) -> None:
        """Rotate the origin secret every ORIGIN_ROTATION_DAYS: the gateway, then CloudFront, then the app."""
        stack = cdk.Stack.of(self)
        group = logs.LogGroup(
            self,
            "LogsOriginRotation",
            log_group_name=f"/aws/lambda/{physical(clinic, 'origin-rotation')}",
            retention=retention(clinic.deploy.log_retention_days),
            encryption_key=key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        role = iam.Role(
            self,
            "OriginRotationRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{clinic.name} portal: rotates the origin secret",
        )
        rotation = lambda_.Function(
            self,
            "OriginRotation",
            function_name=physical(clinic, "origin-rotation"),
            runtime=RUNTIME,
            handler="index.handler",
            code=lambda_.Code.from_asset(str(Path(__file__).parent / "origin_rotation")),
            role=role.without_policy_updates(),
            timeout=cdk.Duration.seconds(60),
            memory_size=256,
            environment={
                "REST_API_ID": self.rest_api_id,
                API_STAGE_ENV: API_STAGE,
                "DISTRIBUTION_ID": distribution_id,
            },
            environment_encryption=key,
            log_group=group,
            reserved_concurrent_executions=1,
            dead_letter_queue=self.dead_letters,
        )
        policy = iam.ManagedPolicy(
            self,
            "OriginRotationPolicy",
            description=f"{clinic.name} portal: rotate the origin secret in the API policy and CloudFront",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    sid="WriteOwnLogs",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[group.log_group_arn],
                ),
                iam.PolicyStatement(
                    sid="Secret",
                    actions=[
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:GetSecretValue",
                        "secretsmanager:PutSecretValue",
                        "secretsmanager:UpdateSecretVersionStage",
                    ],
                    resources=[self.origin_secret.secret_arn],
                ),
                iam.PolicyStatement(
                    sid="SecretKey",
                    actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                    resources=[key.key_arn],
                ),
                iam.PolicyStatement(
                    sid="ApiPolicy",
                    actions=["apigateway:PATCH", "apigateway:POST"],
                    resources=[
                        f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/{self.rest_api_id}",
                        f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/{self.rest_api_id}"
                        "/deployments",
                    ],
                ),
                iam.PolicyStatement(
                    sid="DistributionHeader",
                    actions=["cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"],
                    resources=[
                        stack.format_arn(
                            service="cloudfront",
                            region="",
                            resource="distribution",
                            resource_name=distribution_id,
                        )
                    ],
                ),
                iam.PolicyStatement(
                    sid="FailedRuns", actions=list(QUEUE_ACTIONS), resources=[self.dead_letters.queue_arn]
                ),
            ],
        )
        _drop_role_dependency(rotation)
        rotation.node.add_dependency(policy)
        _acknowledge_runtime(rotation)
        acknowledge(
            rotation,
            "HIPAA.Security-LambdaInsideVPC",
            "The rotation calls only the Secrets Manager, API Gateway and CloudFront APIs over TLS with IAM; "
            "the portal has no VPC resources.",
        )
        self.origin_secret.add_rotation_schedule(
            "Rotation", rotation_lambda=rotation, automatically_after=cdk.Duration.days(ORIGIN_ROTATION_DAYS)
        )


def _drop_role_dependency(function: lambda_.Function) -> None:
    """CDK makes a function depend on its role, which the Role GetAtt already does (cfn-lint W3005)."""
    resource = function.node.default_child
    assert isinstance(resource, cdk.CfnResource)
    resource.add_deletion_override("DependsOn")


def _acknowledge_runtime(function: lambda_.Function) -> None:
    acknowledge(
        function,
        "AwsSolutions-L1",
        f"Pinned to {RUNTIME.name} (supported by Lambda into 2028): the code and the layer's wheels are "
        "tested for it; a newer runtime is a deliberate upgrade with its own test run, not a silent one.",
    )


def _table_and_indexes(table: Any) -> list[str]:
    return [table.table_arn, *(f"{table.table_arn}/index/{name}" for name in _index_names())]


def _index_names() -> list[str]:
    from chalicelib.core import schema

    return [index["IndexName"] for index in schema.TABLE_SPEC["GlobalSecondaryIndexes"]]
