"""Forged and broken tokens for the security tests.

moto signs every pool with one fixed, published key. Tokens signed with it but wrong in a claim (expired,
other client) test our claim checks; forgeries use keys other than moto's or no key at all.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import hmac
import json
import time
import urllib.request
from importlib.resources import files
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _moto_private_key() -> Any:
    raw = files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz").read_bytes()
    return jwt.PyJWK(json.loads(gzip.decompress(raw))).key


def signed_by_moto_key(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, _moto_private_key(), algorithm="RS256", headers={"kid": "dummy"})


def expired(real_token: str) -> str:
    claims = claims_of(real_token)
    claims.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    return signed_by_moto_key(claims)


def other_client(real_token: str) -> str:
    return signed_by_moto_key({**claims_of(real_token), "client_id": "someone-elses-app"})


def other_issuer(real_token: str) -> str:
    return signed_by_moto_key({**claims_of(real_token), "iss": "https://evil.example/pool"})


def alg_none(real_token: str) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": "dummy"}).encode())
    return f"{header}.{_b64(json.dumps(claims_of(real_token)).encode())}."


@functools.cache
def _served_public_pem(jwks_url: str) -> bytes:
    with urllib.request.urlopen(jwks_url) as response:  # noqa: S310  (local moto server)
        jwk = json.load(response)["keys"][0]
    key = jwt.PyJWK(jwk).key
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return bytes(pem)


@functools.cache
def _stranger_key() -> Any:
    """One key of nobody's pool for the whole run: making a 2048-bit key costs more than the test."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def hs256_with_public_key(real_token: str, jwks_url: str) -> str:
    """The classic key-confusion attack: HMAC-sign with the server's own public key."""
    public_pem = _served_public_pem(jwks_url)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "dummy"}).encode())
    payload = _b64(json.dumps(claims_of(real_token)).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def signed_by_stranger(real_token: str) -> str:
    return jwt.encode(claims_of(real_token), _stranger_key(), algorithm="RS256", headers={"kid": "dummy"})


def tampered_signature(real_token: str) -> str:
    header, payload, signature = real_token.split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    return f"{header}.{payload}.{flipped}"


def tampered_payload(real_token: str) -> str:
    """Keep the real signature but claim to be in the admin group."""
    header, _, signature = real_token.split(".")
    claims = {**claims_of(real_token), "cognito:groups": ["admin"]}
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
