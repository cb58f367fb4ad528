"""The origin secret's rotation: the API's policy accepts old and new, CloudFront sends the new one."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from infrastructure.origin_rotation import index as rotation

REGION = "us-east-1"


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A secret, a REST API with the deployed policy, a distribution sending the secret to the API."""
    secrets = boto3.client("secretsmanager", region_name=REGION)
    arn = secrets.create_secret(Name="origin", SecretString="old-value")["ARN"]
    gateway = boto3.client("apigateway", region_name=REGION)
    api_id = gateway.create_rest_api(name="api", policy=json.dumps(rotation.gateway_policy(["old-value"])))[
        "id"
    ]
    root = gateway.get_resources(restApiId=api_id)["items"][0]["id"]
    gateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    gateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    origin = {
        "Id": "api",
        "DomainName": f"{api_id}.execute-api.{REGION}.amazonaws.com",
        "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": "Referer", "HeaderValue": "old-value"}]},
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": uuid.uuid4().hex,
            "Comment": "portal",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {"TargetOriginId": "api", "ViewerProtocolPolicy": "https-only"},
        }
    )["Distribution"]["Id"]
    monkeypatch.setenv("REST_API_ID", api_id)
    monkeypatch.setenv(rotation.API_STAGE_ENV, "api")
    monkeypatch.setenv("DISTRIBUTION_ID", distribution)
    return {"arn": arn, "api": api_id, "distribution": distribution}


def rotate(arn: str) -> str:
    token = uuid.uuid4().hex
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        event: dict[str, Any] = {"SecretId": arn, "ClientRequestToken": token, "Step": step}
        if step == "createSecret":
            # Secrets Manager makes the new version (labelled AWSPENDING) before it calls createSecret; moto
            # cannot make one without a value, so this one has the value a first createSecret would put.
            boto3.client("secretsmanager", region_name=REGION).put_secret_value(
                SecretId=arn, ClientRequestToken=token, SecretString="new-value", VersionStages=["AWSPENDING"]
            )
        rotation.handler(event, None)
    return token


def test_a_rotation_moves_gateway_cloudfront_and_the_secret_to_the_new_value(stack: dict[str, str]) -> None:
    rotate(stack["arn"])

    secrets = boto3.client("secretsmanager", region_name=REGION)
    current = secrets.get_secret_value(SecretId=stack["arn"], VersionStage="AWSCURRENT")["SecretString"]
    previous = secrets.get_secret_value(SecretId=stack["arn"], VersionStage="AWSPREVIOUS")["SecretString"]
    policy = json.loads(
        boto3.client("apigateway", region_name=REGION).get_rest_api(restApiId=stack["api"])["policy"]
    )
    config = boto3.client("cloudfront", region_name=REGION).get_distribution_config(Id=stack["distribution"])
    [header] = config["DistributionConfig"]["Origins"]["Items"][0]["CustomHeaders"]["Items"]

    assert (previous, current) == ("old-value", "new-value")
    assert header == {"HeaderName": "Referer", "HeaderValue": current}
    deny = next(s for s in policy["Statement"] if s["Effect"] == "Deny")
    assert sorted(deny["Condition"]["StringNotEquals"]["aws:Referer"]) == sorted([current, "old-value"])
