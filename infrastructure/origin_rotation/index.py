"""Rotates the origin secret: the value CloudFront sends as Referer and the API lets in.

Secrets Manager calls this function in four steps. While a new value is pending, the API's resource
policy (and the app, which reads AWSCURRENT and AWSPREVIOUS) accepts the old and the new value, so requests
CloudFront sends during its few minutes of propagation keep working. Runs on the Lambda runtime's boto3;
the infrastructure imports `gateway_policy` from here, so the deployed policy and the rotated one agree.
"""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

ORIGIN_HEADER = "Referer"  # the one request header API Gateway resource policies can test (aws:Referer)
API_STAGE_ENV = "API_STAGE"


def gateway_policy(accepted: list[str]) -> dict[str, Any]:
    """The REST API's resource policy: invoke only with one of the accepted origin secrets."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Invoke",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
            },
            {
                "Sid": "OnlyThroughCloudFront",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"StringNotEquals": {"aws:Referer": accepted}},
            },
        ],
    }


def handler(event: dict[str, Any], context: object) -> None:
    import boto3  # the Lambda runtime's copy

    manager = boto3.client("secretsmanager")
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    stages = manager.describe_secret(SecretId=arn)["VersionIdsToStages"]
    if token not in stages:
        raise ValueError("the rotation's version is not a version of this secret")
    if "AWSCURRENT" in stages[token]:
        return  # already done

    def value(**version: str) -> str:
        return str(manager.get_secret_value(SecretId=arn, **version)["SecretString"])

    if step == "createSecret":
        try:
            value(VersionId=token, VersionStage="AWSPENDING")
        except manager.exceptions.ResourceNotFoundException:
            manager.put_secret_value(
                SecretId=arn,
                ClientRequestToken=token,
                SecretString=secrets.token_urlsafe(48),
                VersionStages=["AWSPENDING"],
            )
    elif step == "setSecret":
        current, pending = value(VersionStage="AWSCURRENT"), value(VersionId=token)
        _accept_at_gateway([current, pending])
        _send_from_cloudfront(pending)
    elif step == "finishSecret":
        [current_version] = [version for version, names in stages.items() if "AWSCURRENT" in names]
        manager.update_secret_version_stage(
            SecretId=arn,
            VersionStage="AWSCURRENT",
            MoveToVersionId=token,
            RemoveFromVersionId=current_version,
        )
    # testSecret: nothing to test that setSecret did not already do; both values stay accepted.


def _accept_at_gateway(accepted: list[str]) -> None:
    import boto3

    gateway = boto3.client("apigateway")
    api_id = os.environ["REST_API_ID"]
    gateway.update_rest_api(
        restApiId=api_id,
        patchOperations=[{"op": "replace", "path": "/policy", "value": json.dumps(gateway_policy(accepted))}],
    )
    # A resource policy takes effect with the stage's next deployment.
    gateway.create_deployment(restApiId=api_id, stageName=os.environ[API_STAGE_ENV])


def _send_from_cloudfront(value: str) -> None:
    import boto3

    cloudfront = boto3.client("cloudfront")
    distribution = os.environ["DISTRIBUTION_ID"]
    answer = cloudfront.get_distribution_config(Id=distribution)
    config = answer["DistributionConfig"]
    changed = 0
    for origin in config["Origins"]["Items"]:
        for header in origin.get("CustomHeaders", {}).get("Items", []):
            if header["HeaderName"].lower() == ORIGIN_HEADER.lower():
                header["HeaderValue"] = value
                changed += 1
    if changed != 1:
        raise RuntimeError(f"expected one origin sending {ORIGIN_HEADER}, found {changed}")
    cloudfront.update_distribution(Id=distribution, IfMatch=answer["ETag"], DistributionConfig=config)
