"""Verify Cognito access tokens in the app, identically locally and deployed.

API Gateway's Cognito authorizer may stand in front when deployed, but chalice local and the test
client do not verify tokens, so this check is the one that counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from chalicelib.core.config import settings
from chalicelib.core.errors import ServiceUnavailable, Unauthorized
from chalicelib.core.identity import ROLE_PRECEDENCE, Role

if TYPE_CHECKING:
    from jwt import PyJWKClient

_INVALID = "sign in again: the access token is missing, invalid or expired"


@dataclass(frozen=True)
class TokenIdentity:
    """Who the verified token says the caller is."""

    sub: str
    username: str
    role: Role | None
    issued_at: int  # epoch seconds; a sign-out ends every token issued up to then


@cache
def _jwks_client() -> PyJWKClient:
    from jwt import PyJWKClient

    # Keys are cached for the container's life; an unknown kid triggers one refetch (key rotation).
    return PyJWKClient(settings().jwks_url, cache_keys=True, lifespan=3600, timeout=5)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized(_INVALID)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(_INVALID)
    return token.strip()


def verify_access_token(token: str) -> TokenIdentity:
    import jwt

    cfg = settings()
    try:
        signing_key = _jwks_client().get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            issuer=cfg.jwt_issuer,
            options={"require": ["exp", "iat", "iss", "sub", "token_use", "client_id"], "verify_aud": False},
            leeway=30,
        )
    except jwt.PyJWKClientConnectionError:
        # The key set could not be fetched and this key is not cached: the token may well be good.
        raise ServiceUnavailable("sign-in could not be checked just now; please try again") from None
    except jwt.PyJWTError:
        raise Unauthorized(_INVALID) from None
    # Cognito access tokens carry no aud; the app client is named in client_id instead.
    if claims.get("token_use") != "access" or claims.get("client_id") != cfg.user_pool_client_id:
        raise Unauthorized(_INVALID)
    return TokenIdentity(
        sub=str(claims["sub"]),
        username=str(claims.get("username") or claims["sub"]),
        role=role_from_groups(claims.get("cognito:groups") or []),
        issued_at=int(claims["iat"]),
    )


def role_from_groups(groups: list[str]) -> Role | None:
    for role in ROLE_PRECEDENCE:
        if role.value in groups:
            return role
    return None


def reset_key_cache() -> None:
    _jwks_client.cache_clear()
