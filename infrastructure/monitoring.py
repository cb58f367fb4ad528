"""Operations: alarms mailed to the clinic's IT contact, and one small dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from chalicelib.core.clinic import ClinicConfig
from infrastructure.api import API_STAGE
from infrastructure.naming import physical

FIVE_MINUTES = cdk.Duration.minutes(5)
LATENCY_P95_MS = 3000
APP_METRICS_NAMESPACE = "ClinicPortal"  # POWERTOOLS_METRICS_NAMESPACE (infrastructure/api.py)
MAIL_PROBLEMS_PER_HOUR = 5


@dataclass(frozen=True)
class MonitoringInputs:
    key: Any  # kms.Key
    table: Any  # dynamodb.Table
    api_name: str
    functions: dict[str, str]  # Chalice resource name -> function name (token)
    dead_letters: Any  # sqs.Queue: failed scheduled runs
    mail_events: Any  # sns.Topic: SES bounces, complaints, rejections
    web_acl_name: str


class Monitoring(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, clinic: ClinicConfig, inputs: MonitoringInputs
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"{clinic.name} portal alarms",
            master_key=inputs.key,
            enforce_ssl=True,
        )
        self.topic.add_subscription(
            subscriptions.EmailSubscription(str(clinic.deploy.alarm_email or clinic.email))
        )
        # CloudWatch publishes to the encrypted topic, so it needs to use the key.
        inputs.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublishToEncryptedTopic",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": cdk.Stack.of(self).account}},
            )
        )
        api_dimensions = {"ApiName": inputs.api_name, "Stage": API_STAGE}

        def api_metric(name: str, statistic: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name=name,
                dimensions_map=api_dimensions,
                statistic=statistic,
                period=FIVE_MINUTES,
            )

        def lambda_metric(function_name: str, name: str, statistic: str = "Sum") -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name=name,
                dimensions_map={"FunctionName": function_name},
                statistic=statistic,
                period=FIVE_MINUTES,
            )

        table_throttles = cloudwatch.MathExpression(
            expression="reads + writes",
            using_metrics={
                "reads": inputs.table.metric("ReadThrottleEvents", statistic="Sum", period=FIVE_MINUTES),
                "writes": inputs.table.metric("WriteThrottleEvents", statistic="Sum", period=FIVE_MINUTES),
            },
            label="DynamoDB throttled requests",
            period=FIVE_MINUTES,
        )
        alarms = [
            self._alarm(
                clinic, "api-5xx", api_metric("5XXError", "Sum"), 5, "API answered 5xx 5+ times in 5 min"
            ),
            self._alarm(
                clinic,
                "api-latency-p95",
                api_metric("Latency", "p95"),
                LATENCY_P95_MS,
                f"API p95 latency above {LATENCY_P95_MS} ms for 15 minutes",
                periods=3,
            ),
            self._alarm(clinic, "table-throttles", table_throttles, 1, "DynamoDB throttled requests"),
            self._alarm(
                clinic,
                "failed-runs",
                inputs.dead_letters.metric_approximate_number_of_messages_visible(
                    period=FIVE_MINUTES, statistic="Maximum"
                ),
                1,
                "A scheduled job failed after its retries (see the failed-runs queue)",
            ),
            self._alarm(
                clinic,
                "mail-send-failures",
                cloudwatch.Metric(
                    namespace=APP_METRICS_NAMESPACE,
                    metric_name="EmailSendFailed",
                    dimensions_map={"service": "clinic-portal", "clinic": clinic.id},
                    statistic="Sum",
                    period=FIVE_MINUTES,
                ),
                1,
                "The portal could not hand an email to SES (see the function logs for the error code)",
            ),
            self._alarm(
                clinic,
                "mail-bounces",
                inputs.mail_events.metric_number_of_messages_published(period=cdk.Duration.hours(1)),
                MAIL_PROBLEMS_PER_HOUR,
                f"{MAIL_PROBLEMS_PER_HOUR}+ bounces, complaints or rejections in an hour (SES mail events)",
            ),
        ]
        for resource_name, function_name in sorted(inputs.functions.items()):
            slug = resource_name.lower()
            alarms.append(
                self._alarm(
                    clinic,
                    f"{slug}-errors",
                    lambda_metric(function_name, "Errors"),
                    3,
                    f"{resource_name}: 3+ errors in 5 min",
                )
            )
            alarms.append(
                self._alarm(
                    clinic,
                    f"{slug}-throttles",
                    lambda_metric(function_name, "Throttles"),
                    1,
                    f"{resource_name}: throttled invocations",
                )
            )

        dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=physical(clinic, "operations"),
            default_interval=cdk.Duration.days(1),
        )
        waf_blocked = cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name="BlockedRequests",
            dimensions_map={"WebACL": inputs.web_acl_name, "Rule": "ALL"},
            statistic="Sum",
            period=FIVE_MINUTES,
        )
        dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=alarms, width=24, height=4),
            cloudwatch.GraphWidget(
                title="API requests and errors",
                left=[
                    api_metric("Count", "Sum"),
                    api_metric("4XXError", "Sum"),
                    api_metric("5XXError", "Sum"),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="API latency (ms)",
                left=[api_metric("Latency", "p50"), api_metric("Latency", "p95")],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Functions: errors and throttles",
                left=[
                    lambda_metric(name, metric)
                    for name in sorted(inputs.functions.values(), key=str)
                    for metric in ("Errors", "Throttles")
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Table and firewall",
                left=[
                    inputs.table.metric_consumed_read_capacity_units(period=FIVE_MINUTES),
                    inputs.table.metric_consumed_write_capacity_units(period=FIVE_MINUTES),
                ],
                right=[table_throttles, waf_blocked],
                width=12,
            ),
        )

    def _alarm(
        self,
        clinic: ClinicConfig,
        what: str,
        metric: cloudwatch.IMetric,
        threshold: float,
        description: str,
        *,
        periods: int = 1,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            f"Alarm-{what}",
            alarm_name=physical(clinic, what),
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,  # no traffic is not an outage
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        return alarm
