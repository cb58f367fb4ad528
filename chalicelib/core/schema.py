"""The single table's key schema: the one definition used by the CDK stack, local bootstrap and tests."""

from __future__ import annotations

from typing import Any, Final

# Audit events live in a table of their own beside the clinic's table, with the same key schema: the app
# may add events to it and read them, never change or delete one (infrastructure/api.py's grants).
AUDIT_TABLE_SUFFIX: Final = "-audit"

PK: Final = "PK"
SK: Final = "SK"
GSI1: Final = "GSI1"
GSI1PK: Final = "GSI1PK"
GSI1SK: Final = "GSI1SK"
TTL_ATTRIBUTE: Final = "ttl"

# Keyword arguments for DynamoDB CreateTable (local bootstrap and tests); the CDK stack reads the same names.
TABLE_SPEC: Final[dict[str, Any]] = {
    "KeySchema": [{"AttributeName": PK, "KeyType": "HASH"}, {"AttributeName": SK, "KeyType": "RANGE"}],
    "AttributeDefinitions": [
        {"AttributeName": name, "AttributeType": "S"} for name in (PK, SK, GSI1PK, GSI1SK)
    ],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": GSI1,
            "KeySchema": [
                {"AttributeName": GSI1PK, "KeyType": "HASH"},
                {"AttributeName": GSI1SK, "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
    ],
    "BillingMode": "PAY_PER_REQUEST",
}


def audit_table_for(table_name: str) -> str:
    """The audit table's name where nothing says otherwise (laptop, tests): the table's, suffixed."""
    return f"{table_name}{AUDIT_TABLE_SUFFIX}"


def user_pk(sub: str) -> str:
    return f"USER#{sub}"


PATIENT_PREFIX: Final = "PATIENT#"


def patient_pk(patient_id: str) -> str:
    return f"{PATIENT_PREFIX}{patient_id}"


PROFILE_SK: Final = "PROFILE"
ACTS_FOR_PREFIX: Final = "ACTS_FOR#"
PROXY_PREFIX: Final = "PROXY#"
AUDIT_PREFIX: Final = "AUDIT#"
