"""Who is signed in, whose records they may open, and the account's own security settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, EmailStr, Field, StringConstraints

from chalicelib.core.i18n import Locale
from chalicelib.core.identity import Access, Area, Relationship, Role
from chalicelib.core.models import InputModel, Model, NewPassword, Password


class UserOut(Model):
    sub: str
    username: str
    display_name: str
    role: Role
    mfa_enabled: bool = False
    # Staff must enrol an authenticator app before any other page opens to them.
    mfa_required: bool = False
    # The saved language when the portal speaks it (a patient's on their record; anyone else's on the
    # account); the web app then shows that language.
    language: Locale | None = None


class LanguageIn(InputModel):
    language: Locale


class PatientRef(Model):
    id: str
    display_name: str
    relationship: Relationship
    # What the caller may use of this record (the web offers nothing else): None is every area.
    areas: list[Area] | None = None
    access: Access = "act"
    # A teenager's parent, when the clinic opens only the immunizations of the health record: the record
    # page shows that list alone, and results and documents stay closed.
    immunizations_only: bool = False


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


class _PasswordInput(InputModel):
    """A form holding passwords: they are taken exactly as typed (InputModel would trim them)."""

    model_config = ConfigDict(str_strip_whitespace=False)


class EmailSignInIn(_PasswordInput):
    email: Annotated[EmailStr, StringConstraints(strip_whitespace=True, max_length=254)]
    password: Password


class CognitoTokens(Model):
    """Cognito's AuthenticationResult, as InitiateAuth returns it."""

    AccessToken: str
    IdToken: str
    RefreshToken: str
    ExpiresIn: int
    TokenType: str = "Bearer"


class EmailSignInOut(Model):
    """Cognito's own answer to InitiateAuth: tokens, or the next challenge with its Session. The browser
    answers a challenge straight to Cognito as the account's username, which `ChallengeParameters`
    always carries as USER_ID_FOR_SRP (as Cognito does)."""

    AuthenticationResult: CognitoTokens | None = None
    ChallengeName: str | None = None
    Session: str | None = None
    ChallengeParameters: dict[str, str] = Field(default_factory=dict)


class PasswordChangeIn(_PasswordInput):
    current_password: Password
    new_password: NewPassword
