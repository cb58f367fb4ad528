"""Sign-in: the pool and client match chalicelib/core/identity.py, the definitions the local cloud uses."""

from __future__ import annotations

import pytest

from chalicelib.core.identity import (
    ACCESS_TOKEN_MINUTES,
    CLIENT_AUTH_FLOWS,
    GROUP_DESCRIPTIONS,
    ID_TOKEN_MINUTES,
    PASSWORD_POLICY,
    REFRESH_TOKEN_HOURS,
    ROLE_PRECEDENCE,
)
from tests.infra.conftest import Synthesized, only, resources

CLINICS = ["riverside", "lakeside"]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_pool_has_the_shared_password_policy_optional_totp_and_is_kept(
    synthesized: Synthesized, clinic: str
) -> None:
    _, pool = only(synthesized.templates[clinic], "AWS::Cognito::UserPool")
    props = pool["Properties"]

    assert pool["DeletionPolicy"] == "Retain"
    assert props["DeletionProtection"] == "ACTIVE"
    assert props["Policies"]["PasswordPolicy"] == PASSWORD_POLICY
    assert props["MfaConfiguration"] == "OPTIONAL"
    assert props["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert props["AutoVerifiedAttributes"] == ["email"]
    assert props["UsernameConfiguration"] == {"CaseSensitive": False}
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert props["AccountRecoverySetting"] == {
        "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
    }
    assert props["UserPoolName"] == f"{clinic}-portal-users"


@pytest.mark.parametrize(("clinic", "tier"), [("riverside", "PLUS"), ("lakeside", "ESSENTIALS")])
def test_threat_protection_follows_the_clinic_file(synthesized: Synthesized, clinic: str, tier: str) -> None:
    _, pool = only(synthesized.templates[clinic], "AWS::Cognito::UserPool")
    props = pool["Properties"]

    assert props["UserPoolTier"] == tier
    assert (props.get("UserPoolAddOns") == {"AdvancedSecurityMode": "ENFORCED"}) is (tier == "PLUS")


@pytest.mark.parametrize("clinic", CLINICS)
def test_one_group_per_role_in_precedence_order(synthesized: Synthesized, clinic: str) -> None:
    groups = resources(synthesized.templates[clinic], "AWS::Cognito::UserPoolGroup").values()

    found = {g["Properties"]["GroupName"]: g["Properties"] for g in groups}

    assert list(found) == [role.value for role in ROLE_PRECEDENCE]
    for precedence, role in enumerate(ROLE_PRECEDENCE):
        assert found[role.value]["Precedence"] == precedence
        assert found[role.value]["Description"] == GROUP_DESCRIPTIONS[role]


@pytest.mark.parametrize("clinic", CLINICS)
def test_the_spa_client_is_public_with_short_lived_tokens(synthesized: Synthesized, clinic: str) -> None:
    _, client = only(synthesized.templates[clinic], "AWS::Cognito::UserPoolClient")
    props = client["Properties"]

    assert props["GenerateSecret"] is False
    assert sorted(props["ExplicitAuthFlows"]) == sorted(CLIENT_AUTH_FLOWS)
    assert props["AllowedOAuthFlowsUserPoolClient"] is False  # no hosted UI, no callback URLs
    assert props["AccessTokenValidity"] == ACCESS_TOKEN_MINUTES
    assert props["IdTokenValidity"] == ID_TOKEN_MINUTES
    assert props["RefreshTokenValidity"] == REFRESH_TOKEN_HOURS * 60
    assert props["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "minutes",
    }
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    assert props["EnableTokenRevocation"] is True
    assert "RefreshTokenRotation" not in props  # the SPA refreshes with REFRESH_TOKEN_AUTH (see login.py)
