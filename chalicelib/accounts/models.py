"""Who is signed in, whose records they may open, and the account's own security settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from chalicelib.core.identity import Relationship, Role
from chalicelib.core.models import InputModel, Model


class UserOut(Model):
    sub: str
    username: str
    display_name: str
    role: Role
    mfa_enabled: bool = False
    # Staff must enrol an authenticator app before any other page opens to them.
    mfa_required: bool = False


class PatientRef(Model):
    id: str
    display_name: str
    relationship: Relationship


class MeOut(Model):
    user: UserOut
    patients: list[PatientRef]


class TotpSetupOut(Model):
    """What an authenticator app needs: the shared secret, also as an otpauth:// URI for a QR code."""

    secret: str
    otpauth_uri: str
    issuer: str
    account_name: str


class TotpVerifyIn(InputModel):
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$", description="The 6-digit code the app shows now")]


class MfaStatusOut(Model):
    mfa_enabled: bool


class ForgotUsernameIn(InputModel):
    email: Annotated[EmailStr, StringConstraints(max_length=254)]


class ForgotUsernameOut(Model):
    """The same answer whether or not an account has this address (no enumeration)."""

    message: str
