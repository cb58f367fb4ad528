"""The Cognito calls of the account's own security: TOTP enrolment with the user's access token, and the
server-side sign-out that revokes refresh tokens (the only one needing IAM: AdminUserGlobalSignOut).

Cognito's refusals become our errors here, so services never see botocore.
"""

from __future__ import annotations

from typing import Final

from chalicelib.core import aws, errors
from chalicelib.core.config import settings

# What Cognito answers for a wrong or stale code at VerifySoftwareToken (moto and AWS differ in the name).
_WRONG_CODE: Final = frozenset({"CodeMismatchException", "EnableSoftwareTokenMFAException"})


def _code_of(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def associate_software_token(access_token: str) -> str:
    """A new TOTP secret for the token's user (it replaces any earlier, unverified one)."""
    from botocore.exceptions import ClientError

    try:
        answer = aws.cognito_client().associate_software_token(AccessToken=access_token)
    except ClientError as exc:
        if _code_of(exc) == "NotAuthorizedException":
            raise errors.Unauthorized("sign in again to set up your authenticator app") from None
        raise
    return str(answer["SecretCode"])


def verify_software_token(access_token: str, code: str) -> bool:
    """Whether `code` is right for the secret just associated; Cognito then marks the token verified."""
    from botocore.exceptions import ClientError

    try:
        answer = aws.cognito_client().verify_software_token(
            AccessToken=access_token, UserCode=code, FriendlyDeviceName="Authenticator app"
        )
    except ClientError as exc:
        code_name = _code_of(exc)
        if code_name in _WRONG_CODE:
            return False
        if code_name == "NotAuthorizedException":
            raise errors.Unauthorized("sign in again to set up your authenticator app") from None
        if code_name == "InvalidParameterException":  # no secret associated yet
            raise errors.Conflict("start the set-up again: scan a new code") from None
        raise
    return answer.get("Status") == "SUCCESS"


def set_software_token_mfa(access_token: str, *, enabled: bool) -> None:
    """Make TOTP the user's sign-in second step (or turn it off)."""
    from botocore.exceptions import ClientError

    try:
        aws.cognito_client().set_user_mfa_preference(
            AccessToken=access_token,
            SoftwareTokenMfaSettings={"Enabled": enabled, "PreferredMfa": enabled},
        )
    except ClientError as exc:
        code_name = _code_of(exc)
        if code_name == "NotAuthorizedException":
            raise errors.Unauthorized("sign in again to change your sign-in settings") from None
        if code_name == "InvalidParameterException":
            raise errors.Conflict("start the set-up again: scan a new code") from None
        raise


def global_sign_out(username: str) -> None:
    """Revoke every refresh token of the user (their access tokens are refused by the account item)."""
    from botocore.exceptions import ClientError

    try:
        aws.cognito_client().admin_user_global_sign_out(UserPoolId=settings().user_pool_id, Username=username)
    except ClientError as exc:
        if _code_of(exc) != "UserNotFoundException":  # deleted in Cognito meanwhile: nothing to revoke
            raise
