"""Where patient data lives: the KMS key, the single table, the documents bucket, access logs, backups."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from chalicelib.core import schema
from chalicelib.core.clinic import ClinicConfig
from infrastructure.nag import acknowledge
from infrastructure.naming import physical

DOCUMENT_VERSIONS_KEPT_DAYS = 365  # an overwritten or deleted document can be restored for a year
WEB_VERSIONS_KEPT_DAYS = 30

_KEY_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER}


def _attribute(name: str) -> dynamodb.Attribute:
    types = {d["AttributeName"]: d["AttributeType"] for d in schema.TABLE_SPEC["AttributeDefinitions"]}
    return dynamodb.Attribute(name=name, type=_KEY_TYPES[types[name]])


def _key(key_schema: list[dict[str, Any]], key_type: str) -> dynamodb.Attribute:
    [name] = [k["AttributeName"] for k in key_schema if k["KeyType"] == key_type]
    return _attribute(name)


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, clinic: ClinicConfig) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)

        self.key = kms.Key(
            self,
            "Key",
            alias=f"alias/{physical(clinic, 'data')}",
            description=f"{clinic.name} portal: table, documents, logs, alarms, backups",
            enable_key_rotation=True,
            pending_window=cdk.Duration.days(30),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # CloudWatch Logs encrypts our log groups (function logs, WAF logs) with this key.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsEncryptThisAccountsLogGroups",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=[
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                            service="logs",
                            resource="log-group",
                            resource_name="*",
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                        )
                    }
                },
            )
        )

        # Server access logs for both buckets and CloudFront's standard logs. S3 log delivery needs SSE-S3,
        # and CloudFront's legacy log delivery needs ACLs, hence the object ownership.
        self.logs_bucket = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-access-logs",
                    expiration=cdk.Duration.days(clinic.deploy.log_retention_days),
                    noncurrent_version_expiration=cdk.Duration.days(7),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.logs_bucket,
            "HIPAA.Security-S3DefaultEncryptionKMS",
            "S3 server access log delivery only supports SSE-S3 target buckets; access logs hold no PHI.",
        )
        acknowledge(
            self.logs_bucket,
            "HIPAA.Security-S3BucketReplicationEnabled",
            "Access logs are kept in-region for the retention period; cross-region copies are out of scope "
            "for a single-region small-clinic stack.",
        )

        key_schema = schema.TABLE_SPEC["KeySchema"]
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=_key(key_schema, "HASH"),
            sort_key=_key(key_schema, "RANGE"),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True, recovery_period_in_days=35
            ),
            time_to_live_attribute=schema.TTL_ATTRIBUTE,
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for index in schema.TABLE_SPEC["GlobalSecondaryIndexes"]:
            self.table.add_global_secondary_index(
                index_name=index["IndexName"],
                partition_key=_key(index["KeySchema"], "HASH"),
                sort_key=_key(index["KeySchema"], "RANGE"),
                projection_type=dynamodb.ProjectionType(index["Projection"]["ProjectionType"]),
            )

        # A fixed name, so the function's environment, the CSP and the bucket's own CORS rule (which names
        # the CloudFront URL) can all mention it without a dependency cycle through the distribution.
        self.documents_name = f"{clinic.id}-docs-{stack.account}"
        self.documents = s3.Bucket(
            self,
            "Documents",
            bucket_name=self.documents_name,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,  # one KMS call per bucket key, not per object: cheaper at idle
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            server_access_logs_bucket=self.logs_bucket,
            server_access_logs_prefix="s3/documents/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-old-versions",
                    noncurrent_version_expiration=cdk.Duration.days(DOCUMENT_VERSIONS_KEPT_DAYS),
                    expired_object_delete_marker=False,
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.documents,
            "HIPAA.Security-S3BucketReplicationEnabled",
            "Documents are versioned and old versions kept for a year in-region; cross-region replication "
            "doubles storage cost and is left to clinics that need it.",
        )

        # Daily backups of the table into a vault encrypted with our key, on top of 35 days of PITR.
        vault = backup.BackupVault(
            self,
            "BackupVault",
            backup_vault_name=physical(clinic, "backups"),
            encryption_key=self.key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        plan = backup.BackupPlan(
            self,
            "BackupPlan",
            backup_plan_name=physical(clinic, "daily"),
            backup_vault=vault,
            backup_plan_rules=[
                backup.BackupPlanRule(
                    rule_name="Daily",
                    schedule_expression=events.Schedule.cron(hour="7", minute="0"),
                    delete_after=cdk.Duration.days(clinic.deploy.backup_retention_days),
                )
            ],
        )
        selection = plan.add_selection(
            "Table", resources=[backup.BackupResource.from_dynamo_db_table(self.table)]
        )
        acknowledge(
            selection,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSBackupServiceRolePolicyForBackup]",
            "AWS Backup's own service-role policy is the documented minimum for backup jobs and AWS keeps it "
            "current as services change.",
        )
        self.vault = vault
