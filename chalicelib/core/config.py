"""Settings from the environment, read once per container."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ConfigDict, Field

from chalicelib.core.models import Model

if TYPE_CHECKING:
    from chalicelib.core.clinic import ClinicConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CLINIC_FILE = PROJECT_ROOT / "clinics" / "demo.json"


class Settings(Model):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    # prod: a production clinic's stack; staging: a clinic's trial stack (simulated payments allowed).
    stage: Literal["local", "test", "dev", "staging", "prod"] = Field("dev", alias="STAGE")
    region: str = Field("us-east-1", alias="AWS_DEFAULT_REGION", min_length=1)
    table_name: str = Field(alias="TABLE_NAME", min_length=1)
    documents_bucket: str = Field("", alias="DOCUMENTS_BUCKET")
    # The audit events' table (core/audit_log.py); the stack names it, elsewhere it is TABLE_NAME + "-audit".
    audit_table_override: str | None = Field(None, alias="AUDIT_TABLE_NAME")
    user_pool_id: str = Field(alias="USER_POOL_ID", min_length=1)
    user_pool_client_id: str = Field(alias="USER_POOL_CLIENT_ID", min_length=1)
    # The portal's own address for links in email (the stack sets it; unset locally: the clinic's domain).
    portal_url: str | None = Field(None, alias="PORTAL_URL")
    clinic_id: str = Field("local", alias="CLINIC_ID")  # a dimension of the app's metrics
    # Only set locally (moto server). Deployed, boto3 talks to the real regional endpoints.
    aws_endpoint_url: str | None = Field(None, alias="AWS_ENDPOINT_URL")
    # moto issues tokens with the real AWS issuer but serves the JWKS itself, so both are configurable.
    jwt_issuer_override: str | None = Field(None, alias="JWT_ISSUER")
    jwks_url_override: str | None = Field(None, alias="JWKS_URL")

    @property
    def audit_table_name(self) -> str:
        from chalicelib.core.schema import audit_table_for

        return self.audit_table_override or audit_table_for(self.table_name)

    @property
    def jwt_issuer(self) -> str:
        return self.jwt_issuer_override or (
            f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"
        )

    @property
    def jwks_url(self) -> str:
        return self.jwks_url_override or f"{self.jwt_issuer}/.well-known/jwks.json"


@cache
def settings() -> Settings:
    env = dict(os.environ)
    env.setdefault("AWS_DEFAULT_REGION", env.get("AWS_REGION", "us-east-1"))
    return Settings.model_validate(env)


@cache
def clinic() -> ClinicConfig:
    """The clinic this stack serves: JSON in CLINIC_CONFIG (deployed) or a file (local, tests)."""
    # Imported here: the clinic model pulls in the billing, results and scheduling models (cold starts).
    from chalicelib.core.clinic import ClinicConfig, load_clinic_file

    raw = os.environ.get("CLINIC_CONFIG")
    if raw:
        return ClinicConfig.model_validate_json(raw)
    return load_clinic_file(Path(os.environ.get("CLINIC_CONFIG_FILE") or DEFAULT_CLINIC_FILE))
