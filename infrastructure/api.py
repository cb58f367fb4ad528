"""The API: the Chalice app packaged by `chalice.cdk`, its own least-privilege role, the REST API stage `api`.

The Chalice construct packages a per-clinic copy of the app (chalice.out/src/<clinic>/) so the clinic file
can travel inside the Lambda package: the demo clinic's JSON is ~9 KB and Lambda environment variables
are capped at 4 KB, so the function gets CLINIC_CONFIG_FILE (read by chalicelib.core.config.clinic()).
Dependencies go into Chalice's managed layer, built once per requirements.txt and shared by every clinic.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.core.clinic import ClinicConfig
from chalicelib.core.config import PROJECT_ROOT
from infrastructure.nag import acknowledge, logical_id
from infrastructure.naming import physical, retention

API_STAGE = "api"  # .chalice/config.json api_gateway_stage: CloudFront's /api/* lands on it unchanged
CLINIC_FILE_IN_PACKAGE = "/var/task/chalicelib/clinic.json"  # the package root is /var/task
LAMBDA_MEMORY_MB = 512
LAMBDA_TIMEOUT_SECONDS = 20  # under API Gateway's 29 s integration limit
API_RATE_LIMIT = 50  # requests per second for the whole stage, a ceiling far above a small clinic's use
API_BURST_LIMIT = 100

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

_PACKAGE_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", "local")


def stage_source(clinic: ClinicConfig, *, project_dir: Path = PROJECT_ROOT) -> Path:
    """Copy what Chalice packages (app.py, chalicelib/ without the local dev cloud) plus the clinic file.

    The copy lives in chalice.out/src/<clinic id>/ (gitignored). Its .chalice/deployments points at one
    cache shared by all clinics, so the dependency layer is downloaded once per requirements.txt.
    """
    out = project_dir / "chalice.out"
    dest, cache = out / "src" / clinic.id, out / "cache"
    (dest / ".chalice").mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    deployments = dest / ".chalice" / "deployments"
    if not deployments.is_symlink():
        shutil.rmtree(deployments, ignore_errors=True)
        deployments.symlink_to(cache, target_is_directory=True)
    for name in ("app.py", "requirements.txt"):
        shutil.copy2(project_dir / name, dest / name)
    shutil.copy2(project_dir / ".chalice" / "config.json", dest / ".chalice" / "config.json")
    shutil.rmtree(dest / "chalicelib", ignore_errors=True)
    shutil.copytree(project_dir / "chalicelib", dest / "chalicelib", ignore=_PACKAGE_SKIP)
    (dest / "chalicelib" / "clinic.json").write_text(clinic.model_dump_json(indent=2), encoding="utf-8")
    return dest


def _prune_package_cache(source: Path) -> None:
    """App zips are cheap to rebuild and change with every edit; keep only the newest dependency layer."""
    cache = source / ".chalice" / "deployments"
    for app_zip in cache.glob("appcode-*.zip"):
        app_zip.unlink(missing_ok=True)
    layers = sorted(cache.glob("managed-layer-*.zip"), key=lambda p: p.stat().st_mtime)
    for old in layers[:-1]:
        old.unlink(missing_ok=True)


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
    documents: Any  # s3.Bucket
    documents_name: str
    key: Any  # kms.Key
    user_pool: Any  # cognito.UserPool
    user_pool_client: Any  # cognito.UserPoolClient
    email_identity_arn: str


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
        source = stage_source(clinic, project_dir=project_dir)
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
        environment = {
            "ACTIVATION_PEPPER_SECRET_ARN": self.activation_pepper.secret_arn,
            "STAGE": "prod",
            "TABLE_NAME": inputs.table.table_name,
            "DOCUMENTS_BUCKET": inputs.documents_name,
            "USER_POOL_ID": inputs.user_pool.user_pool_id,
            "USER_POOL_CLIENT_ID": inputs.user_pool_client.user_pool_client_id,
            "CLINIC_CONFIG_FILE": CLINIC_FILE_IN_PACKAGE,
            "POWERTOOLS_SERVICE_NAME": "clinic-portal",
            "POWERTOOLS_METRICS_NAMESPACE": "ClinicPortal",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            "POWERTOOLS_TRACE_DISABLED": "false" if tracing else "true",
        }
        with _isolated_packaging(stack.region, project_dir):
            # The Chalice stage is named after its scope, so it sits directly under the stack.
            self.chalice = Chalice(
                stack,
                "Chalice",
                source_dir=str(source),
                stage_config={
                    "api_gateway_stage": API_STAGE,
                    "api_gateway_endpoint_type": "REGIONAL",  # CloudFront is the edge; no second one
                    "automatic_layer": True,  # dependencies in a layer: cached apart from our code
                    "manage_iam_role": False,
                    "iam_role_arn": self.role.role_arn,
                    "autogen_policy": False,
                    "lambda_memory_size": LAMBDA_MEMORY_MB,
                    "lambda_timeout": LAMBDA_TIMEOUT_SECONDS,
                    "xray": tracing,
                    "environment_variables": environment,
                },
            )
        _prune_package_cache(source)

        template = self.chalice.sam_template
        self.functions: dict[str, cdk.CfnResource] = {}
        self.log_groups: list[logs.LogGroup] = []
        for child in template.node.children:
            if isinstance(child, cdk.CfnResource) and child.cfn_resource_type == "AWS::Serverless::Function":
                name = child.node.id
                self.functions[name] = child
                # Our own log group, created before the function: retention and encryption from the first
                # line. (Chalice's log_retention_in_days names "ApiHandler" in a Fn::Sub after renaming that
                # resource "APIHandler", so it cannot be used with a REST API in `chalice package`.)
                group = logs.LogGroup(
                    self,
                    f"Logs{name}",
                    log_group_name=f"/aws/lambda/{physical(clinic, name.lower())}",
                    retention=retention(clinic.deploy.log_retention_days),
                    encryption_key=inputs.key,
                    removal_policy=cdk.RemovalPolicy.RETAIN,
                )
                self.log_groups.append(group)
                child.add_property_override("LoggingConfig", {"LogGroup": group.log_group_name})
                child.add_property_override("KmsKeyArn", inputs.key.key_arn)  # env vars under our key
        self.rest_api = template.get_resource("RestAPI")
        self.rest_api.add_property_override("Name", self.api_name)
        self.rest_api.add_property_override("TracingEnabled", tracing)
        self.rest_api.add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": API_RATE_LIMIT,
                    "ThrottlingBurstLimit": API_BURST_LIMIT,
                }
            ],
        )
        self.rest_api_id = self.rest_api.ref
        self.origin_domain = cdk.Fn.join(
            "", [self.rest_api_id, ".execute-api.", stack.region, ".", stack.url_suffix]
        )

        statements = [
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[group.log_group_arn for group in self.log_groups],
            ),
            iam.PolicyStatement(
                sid="ClinicTable",
                actions=list(TABLE_ACTIONS),
                resources=[
                    inputs.table.table_arn,
                    *(f"{inputs.table.table_arn}/index/{name}" for name in _index_names()),
                ],
            ),
            iam.PolicyStatement(
                sid="ClinicDocuments",
                actions=list(DOCUMENT_ACTIONS),
                resources=[inputs.documents.arn_for_objects("*")],
            ),
            iam.PolicyStatement(sid="ClinicKey", actions=list(KEY_ACTIONS), resources=[inputs.key.key_arn]),
            iam.PolicyStatement(
                sid="ClinicSender", actions=list(MAIL_ACTIONS), resources=[inputs.email_identity_arn]
            ),
        ]
        statements.append(
            iam.PolicyStatement(
                sid="ActivationPepper",
                actions=list(SECRET_ACTIONS),
                resources=[self.activation_pepper.secret_arn],
            )
        )
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
        if tracing:
            acknowledge(
                self.policy,
                "AwsSolutions-IAM5[Resource::*]",
                "X-Ray's PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.",
            )


def _index_names() -> list[str]:
    from chalicelib.core import schema

    return [index["IndexName"] for index in schema.TABLE_SPEC["GlobalSecondaryIndexes"]]
