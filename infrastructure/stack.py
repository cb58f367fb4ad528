"""One clinic's portal: everything it runs on, in one stack, named after the clinic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from chalicelib.core.clinic import ClinicConfig
from chalicelib.core.config import PROJECT_ROOT
from infrastructure.api import Api, ApiInputs
from infrastructure.data import Data
from infrastructure.login import Login
from infrastructure.mail import Mail
from infrastructure.monitoring import Monitoring, MonitoringInputs
from infrastructure.web import Web, WebInputs


class PortalStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        clinic: ClinicConfig,
        web_dist: Path,
        project_dir: Path = PROJECT_ROOT,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            description=f"Clinic Portal for {clinic.name} ({clinic.id})",
            termination_protection=True,  # patient data: deleting the stack takes a deliberate extra step
            **kwargs,
        )
        self.clinic = clinic
        cdk.Tags.of(self).add("app", "clinic-portal")
        cdk.Tags.of(self).add("clinic", clinic.id)

        data = Data(self, "Data", clinic=clinic)
        login = Login(self, "Login", clinic=clinic)
        mail = Mail(self, "Mail", clinic=clinic, key=data.key)
        api = Api(
            self,
            "Api",
            clinic=clinic,
            project_dir=project_dir,
            inputs=ApiInputs(
                table=data.table,
                audit_table=data.audit_table,
                documents=data.documents,
                documents_name=data.documents_name,
                key=data.key,
                user_pool=login.pool,
                user_pool_client=login.client,
                email_identity_arn=mail.identity_arn,
                configuration_set_arn=mail.configuration_set_arn,
            ),
        )
        api.policy.node.add_dependency(mail.identity)
        self.api = api
        web = Web(
            self,
            "Web",
            clinic=clinic,
            web_dist=web_dist,
            inputs=WebInputs(
                logs_bucket=data.logs_bucket,
                documents=data.documents,
                documents_name=data.documents_name,
                key=data.key,
                api_origin_domain=api.origin_domain,
                api_origin_secret=api.origin_value,
                user_pool_id=login.pool.user_pool_id,
                user_pool_client_id=login.client.user_pool_client_id,
            ),
        )
        # Links in email need the portal's address, which for a stack without a domain is CloudFront's.
        api.set_portal_url(web.url)
        api.add_origin_rotation(clinic, key=data.key, distribution_id=web.distribution.distribution_id)
        Monitoring(
            self,
            "Monitoring",
            clinic=clinic,
            inputs=MonitoringInputs(
                key=data.key,
                table=data.table,
                api_name=api.api_name,
                functions={name: function.function_name for name, function in api.functions.items()},
                dead_letters=api.dead_letters,
                mail_events=mail.events_topic,
                web_acl_name=web.web_acl.name or "",
            ),
        )

        outputs = {
            "PortalUrl": (web.url, "Open this in a browser"),
            "UserPoolId": (login.pool.user_pool_id, "Cognito user pool (create staff accounts here)"),
            "UserPoolClientId": (login.client.user_pool_client_id, "The SPA's public app client"),
            "TableName": (data.table.table_name, "DynamoDB table (point-in-time recovery on)"),
            "AuditTableName": (
                data.audit_table.table_name,
                "Audit events: the app may add and read, never change",
            ),
            "DocumentsBucket": (data.documents_name, "Patient documents (versioned, KMS)"),
            "BackupVault": (
                data.vault.backup_vault_name,
                "AWS Backup vault (locked) with the daily table and documents backups",
            ),
            "RestoreRoleArn": (data.restore_role.role_arn, "The role AWS Backup restore jobs run as"),
            "TrailBucket": (data.trail_bucket.bucket_name, "CloudTrail: every table and document access"),
            "DistributionId": (web.distribution.distribution_id, "CloudFront distribution"),
        }
        outputs.update(mail.dns_records(clinic))
        for name, (value, description) in outputs.items():
            cdk.CfnOutput(self, name, value=value, description=description)
