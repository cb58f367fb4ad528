"""The environment every bench part runs in: dummy AWS credentials, and no way to reach real ones.

Everything the bench talks to is moto on 127.0.0.1, yet boto3 signs each request and so looks for
credentials first. A developer's shell may hold real ones (keys, a profile, SSO, a role to assume), so
the bench drops every AWS_* variable, points the credential and config files at nothing and turns off
the instance metadata lookup: boto3 can only find the dummy keys set here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

REGION: Final = "us-east-1"

# The app's own settings come from the local cloud each part starts, never from the caller's shell.
_DROPPED_PREFIXES: Final = ("AWS_", "TABLE_NAME", "USER_POOL", "JWT_", "JWKS_", "CLINIC_CONFIG", "DOCUMENTS_")

_SET: Final = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "clinic-portal",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "ClinicPortalBench",
    "POWERTOOLS_LOG_LEVEL": "ERROR",  # the app's INFO lines would bury the table
}


def sandboxed(env: Mapping[str, str]) -> dict[str, str]:
    """A copy of env with every AWS and app setting replaced by the bench's dummy, local-only ones."""
    kept = {name: value for name, value in env.items() if not name.startswith(_DROPPED_PREFIXES)}
    return {**kept, **_SET}


def apply() -> None:
    """Sandbox this process (and so every interpreter it starts); call before anything loads boto3."""
    clean = sandboxed(os.environ)
    os.environ.clear()
    os.environ.update(clean)
