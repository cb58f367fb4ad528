"""Patient data at rest: the table, the documents bucket, the key, the backups."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Match

from chalicelib.core import schema
from tests.infra.conftest import Synthesized, audit_table, clinic_table, data_key, only, resources

CLINICS = ["riverside", "lakeside"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_table_has_the_schema_from_store_schema(synthesized: Synthesized, clinic: str) -> None:
    _, table = clinic_table(synthesized.templates[clinic])
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
    key_id, _ = data_key(synthesized.templates[clinic])

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
def test_audit_events_have_a_table_of_their_own_that_never_expires_and_is_hard_to_delete(
    synthesized: Synthesized, clinic: str
) -> None:
    _, table = audit_table(synthesized.templates[clinic])
    key_id, _ = data_key(synthesized.templates[clinic])
    props = table["Properties"]

    assert props["TableName"] == f"{clinic}-portal-audit"
    assert props["KeySchema"] == schema.TABLE_SPEC["KeySchema"]
    assert props["GlobalSecondaryIndexes"] == schema.TABLE_SPEC["GlobalSecondaryIndexes"]
    assert "TimeToLiveSpecification" not in props  # events are never expired by the table
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["KMSMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert table["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_keys_rotate_and_are_kept(synthesized: Synthesized, clinic: str) -> None:
    synthesized.template(clinic).resource_count_is("AWS::KMS::Key", 2)  # data, and the backups' own
    synthesized.template(clinic).all_resources(
        "AWS::KMS::Key",
        {"DeletionPolicy": "Retain", "Properties": Match.object_like({"EnableKeyRotation": True})},
    )


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_documents_bucket_is_private_encrypted_versioned_and_tls_only(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.template(clinic)
    key_id, _ = data_key(synthesized.templates[clinic])
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

    assert len(buckets) == 4  # documents, web, access logs, trail
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
            if statement["Effect"] != "Allow":
                continue
            # Only AWS services, each scoped by a condition; CloudTrail may read its own bucket's ACL.
            assert set(statement["Principal"]) == {"Service"}, statement
            if statement["Principal"]["Service"] == "cloudtrail.amazonaws.com":
                assert statement["Action"] in ("s3:GetBucketAcl", "s3:PutObject"), statement
                assert statement["Action"] == "s3:GetBucketAcl" or statement.get("Condition"), statement
            else:
                assert statement.get("Condition"), statement


@pytest.mark.parametrize(("clinic", "days"), [("riverside", 35), ("lakeside", 14)])
def test_the_table_and_documents_are_backed_up_daily_into_a_locked_vault_under_its_own_key(
    synthesized: Synthesized, clinic: str, days: int
) -> None:
    template = synthesized.templates[clinic]
    table_id, _ = clinic_table(template)
    audit_id, _ = audit_table(template)
    documents_id = next(k for k in resources(template, "AWS::S3::Bucket") if "Documents" in k)
    keys = resources(template, "AWS::KMS::Key")
    [backup_key] = [k for k in keys if "BackupKey" in k]
    [data_key] = [k for k in keys if "DataKey" in k]
    _, vault = only(template, "AWS::Backup::BackupVault")
    _, plan = only(template, "AWS::Backup::BackupPlan")
    _, selection = only(template, "AWS::Backup::BackupSelection")

    assert vault["DeletionPolicy"] == "Retain"
    assert vault["Properties"]["EncryptionKeyArn"] == {"Fn::GetAtt": [backup_key, "Arn"]} != data_key
    assert vault["Properties"]["LockConfiguration"] == {
        "MinRetentionDays": 7,
        "MaxRetentionDays": days,
        "ChangeableForDays": 3,
    }
    [rule] = plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert rule["ScheduleExpression"] == "cron(0 7 * * ? *)"
    assert rule["Lifecycle"] == {"DeleteAfterDays": days}
    selected = json.dumps(selection["Properties"]["BackupSelection"]["Resources"])
    assert table_id in selected
    assert audit_id in selected
    assert json.dumps({"Fn::GetAtt": [documents_id, "Arn"]}) in selected
    if clinic == "riverside":  # its clinic file names a vault in another region for a copy of each backup
        [copy] = rule["CopyActions"]
        assert copy["DestinationBackupVaultArn"] == (
            "arn:aws:backup:us-west-2:123456789012:backup-vault:riverside-portal-copies"
        )
        assert copy["Lifecycle"] == {"DeleteAfterDays": days}
    else:
        assert "CopyActions" not in rule


@pytest.mark.parametrize("clinic", CLINICS)
def test_a_restore_role_for_the_documented_restore(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    [role] = [
        r
        for r in resources(template, "AWS::IAM::Role").values()
        if r["Properties"].get("RoleName") == f"{clinic}-portal-restore"
    ]

    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}}
    ]
    policies = json.dumps(role["Properties"]["ManagedPolicyArns"])
    assert "AWSBackupServiceRolePolicyForRestores" in policies
    assert "AWSBackupServiceRolePolicyForS3Restore" in policies
    assert "RestoreRoleArn" in template["Outputs"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_cloudtrail_records_every_table_and_document_access_into_a_locked_bucket(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    _, trail = only(template, "AWS::CloudTrail::Trail")
    props = trail["Properties"]
    buckets = resources(template, "AWS::S3::Bucket")
    trail_bucket = buckets[props["S3BucketName"]["Ref"]]
    documents_id = next(k for k in buckets if "Documents" in k)
    tables = [{"Fn::GetAtt": [k, "Arn"]} for k in resources(template, "AWS::DynamoDB::Table")]

    assert props["IsLogging"] is True
    assert props["EnableLogFileValidation"] is True
    assert props["IsMultiRegionTrail"] is True
    assert "KMSKeyId" in props
    [selector] = props["EventSelectors"]
    assert selector["ReadWriteType"] == "All"
    assert selector["IncludeManagementEvents"] is True
    data = {resource["Type"]: resource["Values"] for resource in selector["DataResources"]}
    assert data["AWS::S3::Object"] == [{"Fn::Join": ["", [{"Fn::GetAtt": [documents_id, "Arn"]}, "/"]]}]
    assert data["AWS::DynamoDB::Table"] == tables
    lock = trail_bucket["Properties"]["ObjectLockConfiguration"]
    assert trail_bucket["Properties"]["ObjectLockEnabled"] is True
    assert lock["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    assert lock["Rule"]["DefaultRetention"]["Days"] == (365 if clinic == "riverside" else 180)
    assert trail_bucket["DeletionPolicy"] == "Retain"
