"""Sign-in: the Cognito user pool, a group per role and the SPA's public client (core/identity.py)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from chalicelib.core.clinic import ClinicConfig
from chalicelib.core.identity import (
    ACCESS_TOKEN_MINUTES,
    CLIENT_AUTH_FLOWS,
    GROUP_DESCRIPTIONS,
    ID_TOKEN_MINUTES,
    PASSWORD_POLICY,
    REFRESH_TOKEN_HOURS,
    ROLE_PRECEDENCE,
)
from infrastructure.nag import acknowledge
from infrastructure.naming import physical


class Login(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, clinic: ClinicConfig) -> None:
        super().__init__(scope, construct_id)
        plus = clinic.deploy.threat_protection
        if clinic.deploy.cognito_email_via_ses:
            email = cognito.UserPoolEmail.with_ses(
                from_email=clinic.mail_from,
                from_name=clinic.name,
                reply_to=str(clinic.email),
                ses_region=cdk.Stack.of(self).region,
            )
        else:
            # Cognito's own mailer (50 mails a day) until the SES sender is verified; see README.
            email = cognito.UserPoolEmail.with_cognito(reply_to=str(clinic.email))
        self.pool = cognito.UserPool(
            self,
            "Users",
            user_pool_name=physical(clinic, "users"),
            self_sign_up_enabled=False,  # the clinic invites its patients and staff
            sign_in_aliases=cognito.SignInAliases(username=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            keep_original=cognito.KeepOriginalAttrs(email=True),
            password_policy=cognito.PasswordPolicy(
                min_length=int(PASSWORD_POLICY["MinimumLength"]),
                require_uppercase=bool(PASSWORD_POLICY["RequireUppercase"]),
                require_lowercase=bool(PASSWORD_POLICY["RequireLowercase"]),
                require_digits=bool(PASSWORD_POLICY["RequireNumbers"]),
                require_symbols=bool(PASSWORD_POLICY["RequireSymbols"]),
                temp_password_validity=cdk.Duration.days(
                    int(PASSWORD_POLICY["TemporaryPasswordValidityDays"])
                ),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS if plus else cognito.FeaturePlan.ESSENTIALS,
            standard_threat_protection_mode=(
                cognito.StandardThreatProtectionMode.FULL_FUNCTION if plus else None
            ),
            email=email,
            user_invitation=cognito.UserInvitationConfig(
                email_subject=f"Your {clinic.name} patient portal account",
                email_body=(
                    f"{clinic.name} has set up your patient portal account. Your username is {{username}} "
                    "and your temporary password is {####}. You will choose your own password when you first "
                    f"sign in. Questions? Call {clinic.phone_display}."
                ),
            ),
            user_verification=cognito.UserVerificationConfig(
                email_subject=f"{clinic.name}: your verification code",
                email_body="Your verification code is {####}.",
                email_style=cognito.VerificationEmailStyle.CODE,
            ),
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.pool,
            "AwsSolutions-COG2",
            "MFA is OPTIONAL (TOTP) by design: patients without an authenticator app "
            "must still reach their records; a required-MFA pool would lock them out.",
        )
        if not plus:
            acknowledge(
                self.pool,
                "AwsSolutions-COG8",
                f"{clinic.id} set deploy.threat_protection=false in its clinic file to avoid the per-user "
                "Plus plan charge; password policy and optional TOTP still apply.",
            )

        for precedence, role in enumerate(ROLE_PRECEDENCE):
            cognito.UserPoolGroup(
                self,
                f"Group-{role.value}",
                user_pool=self.pool,
                group_name=role.value,
                description=GROUP_DESCRIPTIONS[role],
                precedence=precedence,
            )

        flows = set(CLIENT_AUTH_FLOWS)
        self.client = self.pool.add_client(
            "Web",
            user_pool_client_name="web",
            generate_secret=False,  # a browser can't keep a secret
            auth_flows=cognito.AuthFlow(
                user_password="ALLOW_USER_PASSWORD_AUTH" in flows, user_srp="ALLOW_USER_SRP_AUTH" in flows
            ),
            disable_o_auth=True,  # no hosted UI: the SPA talks to the Cognito API directly
            access_token_validity=cdk.Duration.minutes(ACCESS_TOKEN_MINUTES),
            id_token_validity=cdk.Duration.minutes(ID_TOKEN_MINUTES),
            refresh_token_validity=cdk.Duration.hours(REFRESH_TOKEN_HOURS),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            # Refresh token rotation stays off: with it on Cognito refuses REFRESH_TOKEN_AUTH, which the SPA
            # (web/src/cognito.ts) and moto use; switching to GetTokensFromRefreshToken is its own change.
        )
