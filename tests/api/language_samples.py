"""Helpers for the API tests about language: a JSON request, and a patient who reads a language."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


def send(api: Client, method: str, path: str, who: User, body: Any = None, **headers: str) -> Any:
    payload = json.dumps(body).encode() if body is not None else b""
    return api.http.request(
        method, path, headers={**who.auth, "Content-Type": "application/json", **headers}, body=payload
    )


def reader(api: Client, make_user: UserFactory, name: str, language: str) -> User:
    """A new patient who saved `language` (on their record, as the language switch does)."""
    user = make_user(Role.PATIENT, name=name)
    saved = send(api, "PUT", "/me/language", user, {"language": language})
    assert saved.status_code == 204, saved.body
    return user
