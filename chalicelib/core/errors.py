"""Domain errors. Services raise these; the route guard maps them to one JSON shape.

Messages reach the client word for word: keep them generic and free of PHI.
"""

from __future__ import annotations

from collections.abc import Mapping


class FieldMessage(str):
    """A field's message made from an English template and its values: it reads as the filled-in English,
    and keeps both so the message can be said in the caller's language (core/i18n.py)."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, params: Mapping[str, object]) -> FieldMessage:
        message = super().__new__(cls, template.format(**params))
        message.template = template
        message.params = dict(params)
        return message


class InvalidValue(ValueError):
    """A validator's refusal with values in it ("must be between {first} and {last}"): its field message
    keeps the template (FieldMessage), as PortalError keeps its own."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template.format(**params))
        self.template = template
        self.params = params


class PortalError(Exception):
    STATUS_CODE = 500
    CODE = "internal"
    # Seconds the caller should wait before trying again, sent as Retry-After (None: no such header).
    retry_after_seconds: int | None = None

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        # `message` is an English template; its {placeholders} come from `params`, so the whole sentence
        # can be looked up in the caller's language (core/i18n.py).
        self.template = message
        self.params = dict(params or {})
        self.message = message.format(**self.params) if self.params else message
        super().__init__(self.message)
        self.fields = fields

    def to_body(self, request_id: str | None = None) -> dict[str, object]:
        error: dict[str, object] = {"code": self.CODE, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        if request_id:
            error["request_id"] = request_id
        return {"error": error}


class BadRequest(PortalError):
    STATUS_CODE = 400
    CODE = "bad_request"


class Unauthorized(PortalError):
    STATUS_CODE = 401
    CODE = "unauthorized"


class SignInFailed(Unauthorized):
    """A sign-in refused: the one answer for an unknown account and a wrong password alike."""

    CODE = "sign_in_failed"


class Forbidden(PortalError):
    STATUS_CODE = 403
    CODE = "forbidden"


class MfaRequired(Forbidden):
    """A staff member without an authenticator app: only MFA enrolment, /me and sign-out are open."""

    CODE = "mfa_required"


class NotFound(PortalError):
    STATUS_CODE = 404
    CODE = "not_found"


class Conflict(PortalError):
    STATUS_CODE = 409
    CODE = "conflict"


class TooManyAttempts(PortalError):
    """Too many attempts in a while, nothing was done: Cognito locked this account's password checks (too
    many wrong passwords), or a public route's rate limit for this address or account is used up (with the
    seconds to wait, sent as Retry-After)."""

    STATUS_CODE = 429
    CODE = "too_many_attempts"

    def __init__(
        self,
        message: str,
        *,
        retry_after_seconds: int | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, params=params)
        self.retry_after_seconds = retry_after_seconds


class PayloadTooLarge(PortalError):
    STATUS_CODE = 413
    CODE = "payload_too_large"


class UnsupportedMediaType(PortalError):
    STATUS_CODE = 415
    CODE = "unsupported_media_type"


class ServiceUnavailable(PortalError):
    """Something we depend on is busy or down: nothing was changed, and the same request may be retried."""

    STATUS_CODE = 503
    CODE = "unavailable"

    def __init__(self, message: str, *, retry_after_seconds: int = 2) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class InternalError(PortalError):
    STATUS_CODE = 500
    CODE = "internal"
