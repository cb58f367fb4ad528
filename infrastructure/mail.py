"""Mail: the clinic's sender domain in SES (DKIM, its own MAIL FROM), a configuration set that suppresses
bouncing and complaining addresses and publishes those events, and the DNS records the clinic must add.

Mail says only "sign in to see it" (no PHI). A free-mail sender (allowed in staging only, see
infrastructure/clinic_file.py) can only be verified as one address, without DKIM of its own.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

from chalicelib.core.clinic import ClinicConfig
from infrastructure.clinic_file import FREE_MAIL_DOMAINS, sender_domain
from infrastructure.naming import physical

MAIL_FROM_SUBDOMAIN = "bounce"  # SES's own MAIL FROM (Return-Path) under the clinic's domain: SPF aligns


class Mail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, clinic: ClinicConfig, key: Any) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        domain = sender_domain(clinic)
        self.domain_verified = domain not in FREE_MAIL_DOMAINS

        # Bounces, complaints, rejections and delays: published here, counted by an alarm (monitoring.py).
        self.events_topic = sns.Topic(
            self,
            "Events",
            display_name=f"{clinic.name} portal mail events",
            master_key=key,
            enforce_ssl=True,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SesPublishesMailEventsToEncryptedTopic",
                principals=[iam.ServicePrincipal("ses.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )
        self.configuration_set_name = physical(clinic, "mail")
        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=self.configuration_set_name,
            # An address that bounced or complained is not mailed again (SES's suppression list).
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
            reputation_metrics=True,
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
        )
        self.configuration_set.add_event_destination(
            "Problems",
            destination=ses.EventDestination.sns_topic(self.events_topic),
            events=[
                ses.EmailSendingEvent.BOUNCE,
                ses.EmailSendingEvent.COMPLAINT,
                ses.EmailSendingEvent.REJECT,
                ses.EmailSendingEvent.RENDERING_FAILURE,
                ses.EmailSendingEvent.DELIVERY_DELAY,
            ],
        )
        if self.domain_verified:
            self.identity_name = domain
            self.identity = ses.EmailIdentity(
                self,
                "Sender",
                identity=ses.Identity.domain(domain),
                configuration_set=self.configuration_set,  # every mail from it goes through the set
                dkim_signing=True,
                mail_from_domain=f"{MAIL_FROM_SUBDOMAIN}.{domain}",
            )
        else:
            self.identity_name = clinic.mail_from
            self.identity = ses.EmailIdentity(
                self,
                "Sender",
                identity=ses.Identity.email(clinic.mail_from),
                configuration_set=self.configuration_set,
            )
        self.identity_arn = stack.format_arn(
            service="ses", resource="identity", resource_name=self.identity_name
        )
        self.configuration_set_arn = stack.format_arn(
            service="ses", resource="configuration-set", resource_name=self.configuration_set_name
        )

    def dns_records(self, clinic: ClinicConfig) -> dict[str, tuple[str, str]]:
        """Outputs: each DNS record the clinic adds for its sender domain, as "name TYPE value"."""
        if not self.domain_verified:
            return {}
        domain = sender_domain(clinic)
        records = {
            f"MailDkim{n}": (
                cdk.Fn.join(
                    " ",
                    [
                        getattr(self.identity, f"dkim_dns_token_name{n}"),
                        "CNAME",
                        getattr(self.identity, f"dkim_dns_token_value{n}"),
                    ],
                ),
                f"DKIM record {n} of 3 for {domain}",
            )
            for n in (1, 2, 3)
        }
        region = cdk.Stack.of(self).region
        records["MailFromMx"] = (
            f"{MAIL_FROM_SUBDOMAIN}.{domain} MX 10 feedback-smtp.{region}.amazonses.com",
            "MAIL FROM (bounce) domain: where bounces return",
        )
        records["MailFromSpf"] = (
            f'{MAIL_FROM_SUBDOMAIN}.{domain} TXT "v=spf1 include:amazonses.com ~all"',
            "SPF for the MAIL FROM domain",
        )
        reports = clinic.deploy.alarm_email or clinic.email
        records["MailDmarc"] = (
            f'_dmarc.{domain} TXT "v=DMARC1; p=quarantine; rua=mailto:{reports}"',
            "DMARC: receivers quarantine mail that fails DKIM and SPF (if you have none yet)",
        )
        return records
