"""The signed-in user: who am I, sign-out everywhere, two-step sign-in, changing the password; and, signed
out, "forgot username" and signing in with an email address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core import access
from chalicelib.core.access import Caller, Visitor
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.accounts import models as account_models
    from chalicelib.accounts import service as account_service
    from chalicelib.accounts.models import (
        EmailSignInIn,
        EmailSignInOut,
        ForgotUsernameIn,
        ForgotUsernameOut,
        LanguageIn,
        MeOut,
        MfaStatusOut,
        PasswordChangeIn,
        TotpSetupOut,
        TotpVerifyIn,
    )
else:
    account_models = lazy_module("chalicelib.accounts.models")
    account_service = lazy_module("chalicelib.accounts.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/me", methods=["GET"])
@requires(
    "me:read",
    returns=lambda: account_models.MeOut,
    summary="Who am I, my role, and the patients I may act for",
)
def me(*, caller: Caller) -> MeOut:
    return account_service.whoami(caller)


@bp.route("/session/sign-out", methods=["POST"])
@requires(
    "session:end",
    summary="Sign out everywhere: every access token issued until now stops working at once, "
    "and every refresh token is revoked (204)",
    status=204,
)
def sign_out(*, caller: Caller) -> Response:
    account_service.sign_out(caller)
    return Response(body="", status_code=204)


@bp.route("/me/mfa/totp/setup", methods=["POST"])
@requires(
    "mfa:setup",
    returns=lambda: account_models.TotpSetupOut,
    summary="Start enrolling an authenticator app: a new secret and its otpauth:// URI (for a QR code)",
    errors=(409,),
)
def start_totp_setup(*, caller: Caller) -> TotpSetupOut:
    return account_service.start_totp_setup(caller)


@bp.route("/me/mfa/totp/verify", methods=["POST"])
@requires(
    "mfa:verify",
    body=lambda: account_models.TotpVerifyIn,
    returns=lambda: account_models.MfaStatusOut,
    summary="Finish enrolling: a code from the app turns two-step sign-in on (400 for a wrong code)",
    errors=(409,),
)
def verify_totp(*, caller: Caller, body: TotpVerifyIn) -> MfaStatusOut:
    return account_service.verify_totp(caller, body.code)


@bp.route("/me/mfa", methods=["DELETE"])
@requires(
    "mfa:disable",
    returns=lambda: account_models.MfaStatusOut,
    summary="Turn two-step sign-in off (patients only: staff must keep it)",
    errors=(409,),
)
def turn_off_mfa(*, caller: Caller) -> MfaStatusOut:
    return account_service.turn_off_mfa(caller)


@bp.route("/account/forgot-username", methods=["POST"])
@access.public(
    "account:forgot_username",
    body=lambda: account_models.ForgotUsernameIn,
    returns=lambda: account_models.ForgotUsernameOut,
    summary="Email the username(s) of the accounts on this address; the same answer whether or not any "
    "(429: too many requests from this address or for this email in the last hour)",
    errors=(429,),
)
def forgot_username(*, visitor: Visitor, body: ForgotUsernameIn) -> ForgotUsernameOut:
    return account_service.forgot_username(str(body.email), visitor)


@bp.route("/me/password", methods=["POST"])
@requires(
    "password:change",
    body=lambda: account_models.PasswordChangeIn,
    summary="Change my password (the current one is checked), then sign out everywhere, this session "
    "too (204); 400 names the field: a wrong current password, or a new one off the pool's policy",
    status=204,
    errors=(429,),
)
def change_password(*, caller: Caller, body: PasswordChangeIn) -> Response:
    account_service.change_password(
        caller,
        current=body.current_password.get_secret_value(),
        new=body.new_password.get_secret_value(),
    )
    return Response(body="", status_code=204)


@bp.route("/me/language", methods=["PUT"])
@requires(
    "language:save",
    body=lambda: account_models.LanguageIn,
    summary="Save the language the portal speaks to me: on my record if I have one (the clinic's emails "
    "follow it), else on my account (staff, caregivers) (204)",
    status=204,
    errors=(409,),
)
def save_language(*, caller: Caller, body: LanguageIn) -> Response:
    account_service.save_language(caller, body.language)
    return Response(body="", status_code=204)


@bp.route("/account/sign-in", methods=["POST"])
@access.public(
    "account:sign_in_with_email",
    body=lambda: account_models.EmailSignInIn,
    returns=lambda: account_models.EmailSignInOut,
    summary="Sign in with an email address instead of a username: Cognito's own answer (tokens, or the next "
    "challenge for the account's username); one 401 for an unknown address and a wrong password alike",
    errors=(401,),
)
def sign_in_with_email(*, body: EmailSignInIn) -> EmailSignInOut:
    return account_service.sign_in_with_email(str(body.email), body.password.get_secret_value())
