"""Where patient data lives: the KMS key, the single table, the documents bucket, access logs, backups."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_cloudtrail as cloudtrail
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
BACKUP_MIN_RETENTION_DAYS = 7  # the vault lock's floor; clinic files allow 7 days or more
BACKUP_LOCK_GRACE_DAYS = 3
BACKUP_POLICIES = (
    "AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForS3Backup",
)  # the lock can be changed or removed this long after the first deploy

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
            description=f"{clinic.name} portal: table, documents, logs, alarms, trail",
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
            "S3 server access log delivery only supports SSE-S3 target buckets. The logs hold request "
            "lines with opaque ids only: no URL carries a name or birth date (staff search is a POST).",
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
        # Audit events: the same key schema, no expiry, and grants that let the app add and read only.
        self.audit_table = dynamodb.Table(
            self,
            "AuditTable",
            table_name=physical(clinic, "audit"),
            partition_key=_key(key_schema, "HASH"),
            sort_key=_key(key_schema, "RANGE"),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True, recovery_period_in_days=35
            ),
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.tables = [self.table, self.audit_table]  # the trail records every read and write of both
        for table in self.tables:
            for index in schema.TABLE_SPEC["GlobalSecondaryIndexes"]:
                table.add_global_secondary_index(
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

        self._backups(clinic)
        self._trail(clinic)

    def _backups(self, clinic: ClinicConfig) -> None:
        """Daily backups of the table and the documents into a locked vault under a key of its own."""
        # Its own key: losing or disabling the data key must not take the backups with it.
        self.backup_key = kms.Key(
            self,
            "BackupKey",
            alias=f"alias/{physical(clinic, 'backups')}",
            description=f"{clinic.name} portal: backup vault",
            enable_key_rotation=True,
            pending_window=cdk.Duration.days(30),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        retention_days = clinic.deploy.backup_retention_days
        vault = backup.BackupVault(
            self,
            "BackupVault",
            backup_vault_name=physical(clinic, "backups"),
            encryption_key=self.backup_key,
            # Vault lock (compliance mode once the grace period ends): no one, the account's root included,
            # can delete a recovery point before its retention is up or shorten retention below these.
            lock_configuration=backup.LockConfiguration(
                min_retention=cdk.Duration.days(BACKUP_MIN_RETENTION_DAYS),
                max_retention=cdk.Duration.days(max(retention_days, BACKUP_MIN_RETENTION_DAYS)),
                changeable_for=cdk.Duration.days(BACKUP_LOCK_GRACE_DAYS),
            ),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        copy = clinic.deploy.backup_copy_vault_arn
        plan = backup.BackupPlan(
            self,
            "BackupPlan",
            backup_plan_name=physical(clinic, "daily"),
            backup_vault=vault,
            backup_plan_rules=[
                backup.BackupPlanRule(
                    rule_name="Daily",
                    schedule_expression=events.Schedule.cron(hour="7", minute="0"),
                    delete_after=cdk.Duration.days(retention_days),
                    copy_actions=[
                        backup.BackupPlanCopyActionProps(
                            destination_backup_vault=backup.BackupVault.from_backup_vault_arn(
                                self, "CopyVault", copy
                            ),
                            delete_after=cdk.Duration.days(retention_days),
                        )
                    ]
                    if copy
                    else None,
                )
            ],
        )
        # The backup jobs' role: the table's and the bucket's AWS Backup policies (CDK adds only the first).
        backup_role = iam.Role(
            self,
            "BackupRole",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description=f"{clinic.name} portal: AWS Backup jobs of the table and documents",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(f"service-role/{name}")
                for name in BACKUP_POLICIES
            ],
        )
        plan.add_selection(
            "TableAndDocuments",
            role=backup_role,
            disable_default_backup_policy=True,
            resources=[
                backup.BackupResource.from_dynamo_db_table(self.table),
                backup.BackupResource.from_dynamo_db_table(self.audit_table),
                backup.BackupResource.from_arn(self.documents.bucket_arn),
            ],
        )
        for name in BACKUP_POLICIES:
            acknowledge(
                backup_role,
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{name}]",
                "AWS Backup's own service-role policies are the documented minimum for backup jobs and AWS "
                "keeps them current as services change; the role is assumable by backup.amazonaws.com only.",
            )
        # The role README's restore procedure passes to `aws backup start-restore-job` (restores only).
        self.restore_role = iam.Role(
            self,
            "RestoreRole",
            role_name=physical(clinic, "restore"),
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description=f"{clinic.name} portal: AWS Backup restores of the table and documents",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(f"service-role/{name}")
                for name in (
                    "AWSBackupServiceRolePolicyForRestores",
                    "AWSBackupServiceRolePolicyForS3Restore",
                )
            ],
        )
        for name in ("AWSBackupServiceRolePolicyForRestores", "AWSBackupServiceRolePolicyForS3Restore"):
            acknowledge(
                self.restore_role,
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{name}]",
                "AWS Backup's restore policies are what a restore job needs to recreate a table or bucket "
                "objects; the role is assumable by backup.amazonaws.com only.",
            )
        self.backup_key.grant_encrypt_decrypt(iam.ServicePrincipal("backup.amazonaws.com"))
        self.vault = vault

    def _trail(self, clinic: ClinicConfig) -> None:
        """CloudTrail: management events and every read and write of the table and the documents."""
        stack = cdk.Stack.of(self)
        days = clinic.deploy.log_retention_days
        self.trail_bucket = s3.Bucket(
            self,
            "Trail",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            # Compliance-mode object lock: no one can delete or overwrite a log file before it expires.
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(cdk.Duration.days(days)),
            server_access_logs_bucket=self.logs_bucket,
            server_access_logs_prefix="s3/trail/",
            lifecycle_rules=[s3.LifecycleRule(id="expire-trail", expiration=cdk.Duration.days(days + 1))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.trail_bucket,
            "HIPAA.Security-S3BucketReplicationEnabled",
            "The trail's files are object-locked in compliance mode for the log retention; a cross-region "
            "replica is left to clinics whose policy needs one.",
        )
        trail_name = physical(clinic, "trail")
        trail_arn = stack.format_arn(service="cloudtrail", resource="trail", resource_name=trail_name)
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudTrailEncryptsThisTrail",
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["kms:GenerateDataKey*", "kms:DescribeKey"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceArn": trail_arn}},
            )
        )
        self.trail = cloudtrail.Trail(
            self,
            "AuditTrail",
            trail_name=trail_name,
            bucket=self.trail_bucket,
            encryption_key=self.key,
            enable_file_validation=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
        )
        acknowledge(
            self.trail,
            "HIPAA.Security-CloudTrailCloudWatchLogsEnabled",
            "The trail goes to an object-locked bucket, which is the record that cannot be altered; "
            "copying every data event to CloudWatch Logs as well would double what is paid per event.",
        )
        trail = self.trail.node.default_child
        assert isinstance(trail, cdk.CfnResource)
        trail.add_property_override(
            "EventSelectors",
            [
                {
                    "ReadWriteType": "All",
                    "IncludeManagementEvents": True,
                    "DataResources": [
                        {"Type": "AWS::S3::Object", "Values": [f"{self.documents.bucket_arn}/"]},
                        {
                            "Type": "AWS::DynamoDB::Table",
                            "Values": [table.table_arn for table in self.tables],
                        },
                    ],
                }
            ],
        )
