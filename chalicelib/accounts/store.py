"""The Cognito calls of the account's own security: TOTP enrolment and the password change with the user's
access token, password sign-in for an email address with the app client's id (both public Cognito APIs,
no IAM), and the server-side sign-out that revokes refresh tokens (the only one needing IAM:
AdminUserGlobalSignOut).

Cognito's refusals become our errors here, so services never see botocore.
"""

from __future__ import annotations

from typing import Any, Final

from chalicelib.core import aws, errors
from chalicelib.core.config import settings
from chalicelib.core.identity import password_policy_rules, rules_sentence

# What Cognito answers for a wrong or stale code at VerifySoftwareToken (moto and AWS differ in the name).
_WRONG_CODE: Final = frozenset({"CodeMismatchException", "EnableSoftwareTokenMFAException"})


# Cognito's refusals of a username and password. With the pool's "prevent user existence errors" an unknown
# user is a NotAuthorizedException too; moto says UserNotFoundException. A reset or unconfirmed account is
# refused like a wrong password: these answers must not tell whether an address has an account.
_SIGN_IN_REFUSED: Final = frozenset(
    {
        "NotAuthorizedException",
        "UserNotFoundException",
        "PasswordResetRequiredException",
        "UserNotConfirmedException",
    }
)


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


def initiate_password_auth(username: str, password: str) -> dict[str, Any] | None:
    """Cognito's answer to this username and password (tokens, or a challenge with its Session), or None
    when it refuses them. The password goes to Cognito only; nothing here logs it."""
    from botocore.exceptions import ClientError

    try:
        answer = aws.cognito_client().initiate_auth(
            ClientId=settings().user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except ClientError as exc:
        if _code_of(exc) in _SIGN_IN_REFUSED:
            return None
        raise
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def _message_of(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Message", "")) if isinstance(response, dict) else ""


def change_password(access_token: str, *, current: str, new: str) -> None:
    """Cognito's ChangePassword for the token's user; its refusals become errors naming the field."""
    from botocore.exceptions import ClientError

    try:
        aws.cognito_client().change_password(
            AccessToken=access_token, PreviousPassword=current, ProposedPassword=new
        )
    except ClientError as exc:
        code_name, message = _code_of(exc), _message_of(exc).lower()
        if code_name == "NotAuthorizedException" and "attempts exceeded" in message:
            raise errors.TooManyAttempts(
                "too many wrong passwords: wait a few minutes before trying again"
            ) from None
        if code_name == "NotAuthorizedException" and "access token" in message:  # revoked or expired
            raise errors.Unauthorized("sign in again to change your password") from None
        if code_name == "NotAuthorizedException":
            raise errors.BadRequest(
                "your current password is not right",
                fields={"current_password": "this is not your current password"},
            ) from None
        if code_name == "InvalidPasswordException":
            rules = rules_sentence(password_policy_rules())
            raise errors.BadRequest(
                "a new password needs {rules}",
                params={"rules": rules},
                fields={"new_password": errors.FieldMessage("needs {rules}", {"rules": rules})},
            ) from None
        if code_name == "PasswordHistoryPolicyViolationException":
            raise errors.BadRequest(
                "you have used this password before: choose a new one",
                fields={"new_password": "used before"},
            ) from None
        if code_name == "LimitExceededException":
            raise errors.TooManyAttempts(
                "too many attempts: wait a few minutes before trying again"
            ) from None
        raise
