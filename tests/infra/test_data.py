"""Patient data at rest: the table, the documents bucket, the key, the backups."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

from chalicelib.core import schema
from tests.infra.conftest import Synthesized, only, resources

CLINICS = ["riverside", "lakeside"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_table_has_the_schema_from_store_schema(synthesized: Synthesized, clinic: str) -> None:
    _, table = only(synthesized.templates[clinic], "AWS::DynamoDB::Table")
    props = table["Properties"]

    assert props["KeySchema"] == schema.TABLE_SPEC["KeySchema"]
    assert sorted(props["AttributeDefinitions"], key=str) == sorted(
        schema.TABLE_SPEC["AttributeDefinitions"], key=str
    )
    assert props["GlobalSecondaryIndexes"] == schema.TABLE_SPEC["GlobalSecondaryIndexes"]
    assert props["BillingMode"] == schema.TABLE_SPEC["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": schema.TTL_ATTRIBUTE, "Enabled": True}


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_table_is_recoverable_encrypted_and_hard_to_delete(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.template(clinic)
    key_id, _ = only(synthesized.templates[clinic], "AWS::KMS::Key")

    template.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "PointInTimeRecoverySpecification": {
                        "PointInTimeRecoveryEnabled": True,
                        "RecoveryPeriodInDays": 35,
                    },
                    "SSESpecification": {
                        "SSEEnabled": True,
                        "SSEType": "KMS",
                        "KMSMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]},
                    },
                    "DeletionProtectionEnabled": True,
                }
            ),
        },
    )


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_key_rotates_and_is_kept(synthesized: Synthesized, clinic: str) -> None:
    synthesized.template(clinic).has_resource(
        "AWS::KMS::Key",
        {"DeletionPolicy": "Retain", "Properties": Match.object_like({"EnableKeyRotation": True})},
    )


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_documents_bucket_is_private_encrypted_versioned_and_tls_only(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.template(clinic)
    key_id, _ = only(synthesized.templates[clinic], "AWS::KMS::Key")
    docs = {
        logical_id: bucket
        for logical_id, bucket in resources(synthesized.templates[clinic], "AWS::S3::Bucket").items()
        if "Documents" in logical_id
    }
    [(docs_id, bucket)] = docs.items()
    props = bucket["Properties"]

    assert bucket["DeletionPolicy"] == "Retain"
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {
            "BucketKeyEnabled": True,
            "ServerSideEncryptionByDefault": {
                "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
                "SSEAlgorithm": "aws:kms",
            },
        }
    ]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 365}
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert props["LoggingConfiguration"]["LogFilePrefix"] == "s3/documents/"
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": docs_id},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Principal": {"AWS": "*"},
                                "Action": "s3:*",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ),
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
                            }
                        ),
                    ]
                )
            },
        },
    )


@pytest.mark.parametrize("clinic", CLINICS)
def test_no_bucket_is_public(synthesized: Synthesized, clinic: str) -> None:
    buckets = resources(synthesized.templates[clinic], "AWS::S3::Bucket")
    policies = resources(synthesized.templates[clinic], "AWS::S3::BucketPolicy")

    assert len(buckets) == 3  # documents, web, access logs
    for bucket in buckets.values():
        assert bucket["Properties"]["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert "AccessControl" not in bucket["Properties"]
    for policy in policies.values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Allow":  # only AWS services, each scoped by a condition
                assert set(statement["Principal"]) == {"Service"}, statement
                assert statement.get("Condition"), statement


@pytest.mark.parametrize(("clinic", "days"), [("riverside", 35), ("lakeside", 14)])
def test_the_table_is_backed_up_daily_into_an_encrypted_vault(
    synthesized: Synthesized, clinic: str, days: int
) -> None:
    template = synthesized.templates[clinic]
    table_id, _ = only(template, "AWS::DynamoDB::Table")
    key_id, _ = only(template, "AWS::KMS::Key")
    _, vault = only(template, "AWS::Backup::BackupVault")
    _, plan = only(template, "AWS::Backup::BackupPlan")
    _, selection = only(template, "AWS::Backup::BackupSelection")

    assert vault["DeletionPolicy"] == "Retain"
    assert vault["Properties"]["EncryptionKeyArn"] == {"Fn::GetAtt": [key_id, "Arn"]}
    [rule] = plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert rule["ScheduleExpression"] == "cron(0 7 * * ? *)"
    assert rule["Lifecycle"] == {"DeleteAfterDays": days}
    resources_selected = selection["Properties"]["BackupSelection"]["Resources"]
    assert resources_selected == [
        {
            "Fn::Join": [
                "",
                [
                    "arn:aws:dynamodb:us-east-1:",
                    {"Ref": "AWS::AccountId"},
                    ":table/",
                    {"Ref": table_id},
                ],
            ]
        }
    ] or resources_selected == [{"Fn::GetAtt": [table_id, "Arn"]}]
