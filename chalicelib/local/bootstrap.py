"""Create the table, bucket, user pool, groups and app client on a moto server.

Uses the same definitions as the CDK stack (core/schema.py, core/identity.py) so local and deployed match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from chalicelib.core.identity import (
    ACCESS_TOKEN_MINUTES,
    CLIENT_AUTH_FLOWS,
    GROUP_DESCRIPTIONS,
    ID_TOKEN_MINUTES,
    PASSWORD_POLICY,
    REFRESH_TOKEN_HOURS,
    ROLE_PRECEDENCE,
)
from chalicelib.core.schema import TABLE_SPEC, audit_table_for


@dataclass(frozen=True)
class LocalResources:
    endpoint_url: str
    region: str
    table_name: str
    documents_bucket: str
    user_pool_id: str
    user_pool_client_id: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint_url}/{self.user_pool_id}/.well-known/jwks.json"

    def environment(self) -> dict[str, str]:
        """The app's settings for talking to this local cloud."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_DEFAULT_REGION": self.region,
            "TABLE_NAME": self.table_name,
            "DOCUMENTS_BUCKET": self.documents_bucket,
            "USER_POOL_ID": self.user_pool_id,
            "USER_POOL_CLIENT_ID": self.user_pool_client_id,
            "JWT_ISSUER": self.issuer,
            "JWKS_URL": self.jwks_url,
        }


def _client(service: str, endpoint_url: str, region: str) -> Any:
    return boto3.client(service, endpoint_url=endpoint_url, region_name=region)


def create_table(endpoint_url: str, region: str, table_name: str) -> None:
    """The clinic's table and its audit table (same key schema, TABLE_NAME + "-audit")."""
    dynamodb = _client("dynamodb", endpoint_url, region)
    existing = dynamodb.list_tables()["TableNames"]
    for name in (table_name, audit_table_for(table_name)):
        if name not in existing:
            dynamodb.create_table(TableName=name, **TABLE_SPEC)


def verify_email_sender(endpoint_url: str, region: str, address: str) -> None:
    """SES refuses mail from unverified senders (moto too): verify the clinic's "From" address."""
    _client("ses", endpoint_url, region).verify_email_identity(EmailAddress=address)


def create_bucket(endpoint_url: str, region: str, bucket: str) -> None:
    s3 = _client("s3", endpoint_url, region)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        s3.create_bucket(Bucket=bucket)


def create_user_pool(endpoint_url: str, region: str, pool_name: str) -> tuple[str, str]:
    """The pool, one group per role and the SPA's public app client. Returns (pool id, client id)."""
    cognito = _client("cognito-idp", endpoint_url, region)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    pool_id = next((p["Id"] for p in pools if p["Name"] == pool_name), None)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=pool_name,
            Policies={"PasswordPolicy": PASSWORD_POLICY},
            AutoVerifiedAttributes=["email"],
            UsernameConfiguration={"CaseSensitive": False},
        )["UserPool"]["Id"]
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
        )
    existing_groups = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    for precedence, role in enumerate(ROLE_PRECEDENCE):
        if role.value not in existing_groups:
            cognito.create_group(
                UserPoolId=pool_id,
                GroupName=role.value,
                Description=GROUP_DESCRIPTIONS[role],
                Precedence=precedence,
            )
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_id = next((c["ClientId"] for c in clients if c["ClientName"] == "web"), None)
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            GenerateSecret=False,
            ExplicitAuthFlows=CLIENT_AUTH_FLOWS,
            AccessTokenValidity=ACCESS_TOKEN_MINUTES,
            IdTokenValidity=ID_TOKEN_MINUTES,
            RefreshTokenValidity=REFRESH_TOKEN_HOURS,
            TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "hours"},
            PreventUserExistenceErrors="ENABLED",
            EnableTokenRevocation=True,
        )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def bootstrap(endpoint_url: str, *, region: str = "us-east-1", name: str = "clinic-portal") -> LocalResources:
    """Idempotent: running it twice against the same server changes nothing."""
    table_name, bucket = f"{name}-table", f"{name}-documents"
    create_table(endpoint_url, region, table_name)
    create_bucket(endpoint_url, region, bucket)
    pool_id, client_id = create_user_pool(endpoint_url, region, f"{name}-users")
    from chalicelib.core import config  # the sender of "new result" emails

    verify_email_sender(endpoint_url, region, config.clinic().mail_from)
    return LocalResources(
        endpoint_url=endpoint_url,
        region=region,
        table_name=table_name,
        documents_bucket=bucket,
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
    )
