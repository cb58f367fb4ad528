"""cdk-nag: the two rule packs every clinic stack must pass, and the one way to accept a finding."""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks
from constructs import IConstruct

MIN_REASON = 40  # a reason has to say why *here*, not just "not needed"

# Every acknowledgment made while building, as (construct path, acknowledged id, reason): the tests check
# that each one matches a real finding, so none outlives the problem it excused.
ACKNOWLEDGED: list[tuple[str, str, str]] = []


def add_checks(app: cdk.App) -> None:
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), HIPAASecurityChecks(app))


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Accept one finding (e.g. "AwsSolutions-IAM5[Resource::*]") on `scope` and below, with its reason."""
    if len(reason) < MIN_REASON:
        raise ValueError(f"{finding}: give a specific reason ({MIN_REASON}+ characters)")
    pack = "AwsSolutions" if finding.startswith("AwsSolutions-") else "HIPAA.Security"
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=f"{pack}::{finding}", reason=reason))
    ACKNOWLEDGED.append((scope.node.path, f"{pack}::{finding}", reason))


def logical_id(resource: IConstruct) -> str:
    """The CloudFormation logical id as cdk-nag spells it in findings such as Resource::<Id.Arn>/*."""
    cfn = resource.node.default_child if not isinstance(resource, cdk.CfnElement) else resource
    assert isinstance(cfn, cdk.CfnElement)
    stack = cdk.Stack.of(cfn)
    return str(stack.resolve(stack.get_logical_id(cfn)))
