"""The web front: private SPA bucket behind CloudFront OAC, /api/* to the API, headers, WAF, config.json."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk.assertions import Match

from chalicelib.local.server import content_security_policy
from tests.infra.conftest import Synthesized, only, resources

CLINICS = ["riverside", "lakeside"]
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def distribution(template: dict[str, Any]) -> dict[str, Any]:
    _, found = only(template, "AWS::CloudFront::Distribution")
    config: dict[str, Any] = found["Properties"]["DistributionConfig"]
    return config


def site_bucket(template: dict[str, Any]) -> str:
    [logical_id] = [k for k in resources(template, "AWS::S3::Bucket") if k.startswith("WebSite")]
    return logical_id


def header_policies(template: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The response headers policies by role: "site" (every page), "visit" (the video visit page) and, on
    Stripe, "card" (card pages)."""
    found = resources(template, "AWS::CloudFront::ResponseHeadersPolicy")
    role = {"CardPage": "card", "VisitPage": "visit"}
    return {next((r for m, r in role.items() if m in k), "site"): (k, v) for k, v in found.items()}


def csp_text(template: dict[str, Any], role: str = "site") -> str:
    """The CSP with CloudFormation references rendered as <Ref>, to read it as a string."""
    _, policy = header_policies(template)[role]
    value = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"][
        "ContentSecurityPolicy"
    ]
    joined = value["ContentSecurityPolicy"]
    parts = joined["Fn::Join"][1] if isinstance(joined, dict) else [joined]
    return "".join(p if isinstance(p, str) else f"<{p['Ref']}>" for p in parts)


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_spa_bucket_is_reachable_only_through_cloudfront_oac(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    bucket = site_bucket(template)
    config = distribution(template)
    [s3_origin] = [o for o in config["Origins"] if "S3OriginConfig" in o]
    dist_id, _ = only(template, "AWS::CloudFront::Distribution")

    assert s3_origin["DomainName"] == {"Fn::GetAtt": [bucket, "RegionalDomainName"]}
    assert s3_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert "OriginAccessControlId" in s3_origin
    _, oac = only(template, "AWS::CloudFront::OriginAccessControl")
    assert oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    synthesized.template(clinic).has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Action": "s3:GetObject",
                                "Condition": {
                                    "StringEquals": {
                                        "AWS:SourceArn": Match.object_like(
                                            {"Fn::Join": ["", Match.array_with([{"Ref": dist_id}])]}
                                        )
                                    }
                                },
                            }
                        )
                    ]
                )
            },
        },
    )


@pytest.mark.parametrize("clinic", CLINICS)
def test_api_requests_go_to_api_gateway_uncached_with_authorization(
    synthesized: Synthesized, clinic: str
) -> None:
    config = distribution(synthesized.templates[clinic])
    [api] = [b for b in config["CacheBehaviors"] if b["PathPattern"].startswith("/api")]
    [origin] = [o for o in config["Origins"] if o["Id"] == api["TargetOriginId"]]

    assert api["PathPattern"] == "/api/*"
    assert api["CachePolicyId"] == CACHING_DISABLED
    # With caching disabled, this managed policy forwards every viewer header (Authorization included)
    # except Host, which API Gateway must see as its own.
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert api["ViewerProtocolPolicy"] == "https-only"
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    [rest_api] = resources(synthesized.templates[clinic], "AWS::ApiGateway::RestApi")
    assert origin["DomainName"] == {
        "Fn::Join": ["", [{"Ref": rest_api}, ".execute-api.us-east-1.", {"Ref": "AWS::URLSuffix"}]]
    }
    assert "OriginPath" not in origin or origin["OriginPath"] == ""  # /api/x lands on stage api, route /x
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_spa_is_cached_and_client_routes_get_the_shell(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    default = distribution(template)["DefaultCacheBehavior"]
    _, router = only(template, "AWS::CloudFront::Function")

    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["AllowedMethods"] == ["GET", "HEAD"]
    [association] = default["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert "request.uri = '/index.html'" in router["Properties"]["FunctionCode"]
    assert "ErrorResponses" not in distribution(template)  # would turn API 404s into the SPA shell


def test_tls_1_2_with_the_clinics_certificate_when_it_has_a_domain(synthesized: Synthesized) -> None:
    riverside, lakeside = (distribution(synthesized.templates[c]) for c in CLINICS)

    assert riverside["Aliases"] == ["portal.riverside.example"]
    assert riverside["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert riverside["ViewerCertificate"]["SslSupportMethod"] == "sni-only"
    assert riverside["ViewerCertificate"]["AcmCertificateArn"].startswith("arn:aws:acm:us-east-1:")
    assert "Aliases" not in lakeside  # *.cloudfront.net until lakeside sets a domain and certificate
    assert "ViewerCertificate" not in lakeside  # CloudFront's default certificate (cdk-nag CFR4 accepted)


@pytest.mark.parametrize("clinic", CLINICS)
def test_every_response_carries_the_security_headers(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    policy_id, policy = header_policies(template)["site"]
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    config = distribution(template)
    csp = csp_text(template)

    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": policy_id}
    assert config["CacheBehaviors"][0]["ResponseHeadersPolicyId"] == {"Ref": policy_id}
    assert headers["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 63072000,
        "IncludeSubdomains": True,
        "Override": True,
    }
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["ReferrerPolicy"] == {"ReferrerPolicy": "no-referrer", "Override": True}
    assert "frame-ancestors 'none'" in csp
    assert "connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com " in csp
    assert f"https://{clinic}-docs-<AWS::AccountId>.s3.us-east-1.amazonaws.com" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_deployed_csp_is_the_local_one_plus_the_deployed_origins(synthesized: Synthesized) -> None:
    deployed = directives(csp_text(synthesized.templates["riverside"]))
    local = directives(content_security_policy("http://127.0.0.1:4566"))

    for name, value in local.items():
        if name != "connect-src":
            assert deployed[name] == value, name
    assert deployed["connect-src"].startswith("'self' ")


def directives(policy: str) -> dict[str, str]:
    pairs = (d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in pairs}


STRIPE_ORIGINS = re.compile(r"https://[^ ]*stripe[^ ]*")


def test_only_the_card_pages_of_a_clinic_on_stripe_may_run_stripe_js(synthesized: Synthesized) -> None:
    lakeside = synthesized.templates["lakeside"]  # billing.provider: stripe
    card_id, card = header_policies(lakeside)["card"]
    site = directives(csp_text(lakeside))
    pay = directives(csp_text(lakeside, "card"))

    # Exactly the origins Stripe's CSP guide lists for Stripe.js and Elements, each where it belongs
    assert STRIPE_ORIGINS.findall(pay["script-src"]) == ["https://js.stripe.com", "https://*.js.stripe.com"]
    assert pay["frame-src"] == "https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com"
    assert STRIPE_ORIGINS.findall(pay["connect-src"]) == ["https://api.stripe.com"]
    assert all(
        not STRIPE_ORIGINS.findall(value)
        for name, value in pay.items()
        if name not in ("script-src", "frame-src", "connect-src")
    )
    # and otherwise the site's own policy, unchanged
    assert {k: v for k, v in pay.items() if k != "frame-src"} == {
        **site,
        "script-src": site["script-src"] + " https://js.stripe.com https://*.js.stripe.com",
        "connect-src": site["connect-src"] + " https://api.stripe.com",
    }
    assert "unsafe-inline" not in csp_text(lakeside, "card")
    assert not STRIPE_ORIGINS.findall(csp_text(lakeside))  # every other page names no Stripe origin

    # The card pages (and only they) are served with it
    behaviors = {b["PathPattern"]: b for b in distribution(lakeside)["CacheBehaviors"]}
    card_pages = {p for p, b in behaviors.items() if b["ResponseHeadersPolicyId"] == {"Ref": card_id}}
    assert card_pages == {"/billing/statements/*/pay", "/billing/statements/*/plan", "/billing/card"}
    assert all(b["FunctionAssociations"] for p, b in behaviors.items() if p in card_pages)  # the SPA router
    permissions = card["Properties"]["ResponseHeadersPolicyConfig"]["CustomHeadersConfig"]["Items"]
    assert permissions == [
        {
            "Header": "Permissions-Policy",
            "Override": True,
            "Value": 'camera=(), microphone=(), geolocation=(), payment=(self "https://js.stripe.com")',
        }
    ]
    # A clinic on the simulated processor gets no card-page policy at all
    riverside = synthesized.templates["riverside"]
    assert set(header_policies(riverside)) == {"site", "visit"}
    assert not STRIPE_ORIGINS.findall(json.dumps(riverside))


CHIME_ORIGINS = re.compile(r"[a-z]+://[^ ;\"]*chime[^ ;\"]*")


def permissions_policy(policy: dict[str, Any]) -> str:
    [header] = policy["Properties"]["ResponseHeadersPolicyConfig"]["CustomHeadersConfig"]["Items"]
    assert header["Header"] == "Permissions-Policy"
    value: str = header["Value"]
    return value


@pytest.mark.parametrize(("clinic", "chime"), [("lakeside", True), ("riverside", False)])
def test_the_visit_page_alone_may_use_the_camera_and_only_a_chime_clinic_reaches_chime(
    synthesized: Synthesized, clinic: str, chime: bool
) -> None:
    template = synthesized.templates[clinic]  # lakeside: video.provider chime; riverside: simulated
    policies = header_policies(template)
    visit_id, visit = policies["visit"]
    site = directives(csp_text(template))
    page = directives(csp_text(template, "visit"))

    expected_connect = site["connect-src"] + (" https://*.chime.aws wss://*.chime.aws" if chime else "")
    assert page == {**site, "connect-src": expected_connect}
    assert CHIME_ORIGINS.findall(json.dumps(template)) == (
        ["https://*.chime.aws", "wss://*.chime.aws"] if chime else []
    )  # in that one policy, nowhere else
    assert "camera=(self), microphone=(self)" in permissions_policy(visit)
    for role, (_, other) in policies.items():
        if role != "visit":
            assert "camera=(), microphone=()" in permissions_policy(other), role

    behaviors = {b["PathPattern"]: b for b in distribution(template)["CacheBehaviors"]}
    visit_pages = {p for p, b in behaviors.items() if b["ResponseHeadersPolicyId"] == {"Ref": visit_id}}
    assert visit_pages == {"/visit/*"}
    assert behaviors["/visit/*"]["FunctionAssociations"]  # the SPA router: the app shell for the page


@pytest.mark.parametrize(("clinic", "limit"), [("riverside", 1000), ("lakeside", 500)])
def test_the_waf_has_managed_rules_and_a_rate_limit_and_logs_blocks(
    synthesized: Synthesized, clinic: str, limit: int
) -> None:
    template = synthesized.templates[clinic]
    acl_id, acl = only(template, "AWS::WAFv2::WebACL")
    _, logging = only(template, "AWS::WAFv2::LoggingConfiguration")
    props = acl["Properties"]
    rules = {rule["Name"]: rule for rule in props["Rules"]}

    assert props["Scope"] == "CLOUDFRONT"
    assert distribution(template)["WebACLId"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert rules["rate-limit-per-ip"]["Statement"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "Limit": limit,
    }
    assert rules["rate-limit-per-ip"]["Action"] == {"Block": {}}
    for group in (
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    ):
        statement = rules[group]["Statement"]["ManagedRuleGroupStatement"]
        assert (statement["VendorName"], statement["Name"]) == ("AWS", group)
    # Message bodies reach 10,000 characters; the common set's 8 KB body limit only counts.
    assert rules["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"][
        "RuleActionOverrides"
    ] == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
    assert logging["Properties"]["ResourceArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert logging["Properties"]["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}}]
    assert logging["Properties"]["LoggingFilter"]["DefaultBehavior"] == "DROP"


@pytest.mark.parametrize("clinic", CLINICS)
def test_config_json_is_written_at_deploy_time_from_the_stack(synthesized: Synthesized, clinic: str) -> None:
    template = synthesized.templates[clinic]
    [shell] = [r for k, r in resources(template, "Custom::CDKBucketDeployment").items() if "Shell" in k]
    props = shell["Properties"]
    [markers] = [m for m in props["SourceMarkers"] if m]
    [config_key] = [
        key
        for key in props["SourceObjectKeys"]
        if (synthesized.outdir / f"asset.{key[:-4]}/config.json").is_file()
    ]
    raw = (synthesized.outdir / f"asset.{config_key[:-4]}" / "config.json").read_text(encoding="utf-8")
    for marker, value in markers.items():  # each marker becomes the quoted Ref at deploy time
        raw = raw.replace(marker, json.dumps("REF:" + value["Fn::Join"][1][1]["Ref"]))
    config = json.loads(raw)

    assert config == {
        "apiBase": "/api",
        "stage": "prod",
        "cognito": {
            "endpoint": "https://cognito-idp.us-east-1.amazonaws.com/",
            "region": "us-east-1",
            "clientId": "REF:" + only(template, "AWS::Cognito::UserPoolClient")[0],
            "userPoolId": "REF:" + only(template, "AWS::Cognito::UserPool")[0],
        },
    }
    assert props["DestinationBucketName"] == {"Ref": site_bucket(template)}
    assert props["SystemMetadata"] == {"cache-control": "no-cache"}
    assert "/config.json" in props["DistributionPaths"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_documents_accept_presigned_browser_requests_only_from_the_portal(
    synthesized: Synthesized, clinic: str
) -> None:
    template = synthesized.templates[clinic]
    [docs] = [r for k, r in resources(template, "AWS::S3::Bucket").items() if "Documents" in k]
    [rule] = docs["Properties"]["CorsConfiguration"]["CorsRules"]
    origin = json.dumps(rule["AllowedOrigins"])

    expected = "https://portal.riverside.example" if clinic == "riverside" else "DomainName"
    assert expected in origin
    assert not re.search(r'"\*"', origin)


def test_password_and_code_checks_have_a_tighter_rate_limit_per_ip(synthesized: Synthesized) -> None:
    _, acl = only(synthesized.templates["riverside"], "AWS::WAFv2::WebACL")
    rules = {rule["Name"]: rule for rule in acl["Properties"]["Rules"]}
    rule = rules["password-checks-per-ip"]
    rate = rule["Statement"]["RateBasedStatement"]

    assert rule["Action"] == {"Block": {}}
    assert (rate["AggregateKeyType"], rate["Limit"]) == ("IP", 100)
    post, paths = rate["ScopeDownStatement"]["AndStatement"]["Statements"]
    assert post["ByteMatchStatement"]["FieldToMatch"] == {"Method": {}}
    assert post["ByteMatchStatement"]["SearchString"] == "POST"  # the sign-in page's GETs do not count
    matched = [s["ByteMatchStatement"] for s in paths["OrStatement"]["Statements"]]
    assert {(m["SearchString"], m["PositionalConstraint"]) for m in matched} == {
        ("/api/account/", "STARTS_WITH"),
        ("/api/activation/", "STARTS_WITH"),
    }
    assert all(m["FieldToMatch"] == {"UriPath": {}} for m in matched)
    assert len({r["Priority"] for r in rules.values()}) == len(rules)
