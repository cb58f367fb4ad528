"""The single table's key schema: the one definition used by the CDK stack, local bootstrap and tests."""

from __future__ import annotations

from typing import Any, Final

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


def user_pk(sub: str) -> str:
    return f"USER#{sub}"


PATIENT_PREFIX: Final = "PATIENT#"


def patient_pk(patient_id: str) -> str:
    return f"{PATIENT_PREFIX}{patient_id}"


PROFILE_SK: Final = "PROFILE"
ACTS_FOR_PREFIX: Final = "ACTS_FOR#"
PROXY_PREFIX: Final = "PROXY#"
AUDIT_PREFIX: Final = "AUDIT#"
