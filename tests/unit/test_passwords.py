"""The pool's password policy, as the API checks it and as the web shows it."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from chalicelib.accounts.models import EmailSignInIn, PasswordChangeIn
from chalicelib.core.identity import PASSWORD_POLICY, password_policy_rules, password_problems
from tests.conftest import ROOT


def test_the_policy_in_words_follows_the_pools_settings() -> None:
    assert password_policy_rules() == [
        f"at least {PASSWORD_POLICY['MinimumLength']} characters",
        "an uppercase letter",
        "a lowercase letter",
        "a number",
        "a symbol",
    ]


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Long-Enough-2027!", []),
        ("Sh0rt!", ["at least 12 characters"]),
        ("lowercase-only-2027!", ["an uppercase letter"]),
        ("UPPERCASE-ONLY-2027!", ["a lowercase letter"]),
        ("No-Number-At-All!", ["a number"]),
        ("NoSymbolAtAll2027", ["a symbol"]),
        ("", ["at least 12 characters", "an uppercase letter", "a lowercase letter", "a number", "a symbol"]),
    ],
)
def test_each_rule_a_password_breaks_is_named(password: str, problems: list[str]) -> None:
    assert password_problems(password) == problems


def test_the_web_shows_the_pools_policy() -> None:
    source = (ROOT / "web" / "src" / "shared" / "cognito.ts").read_text()
    found = re.search(r"export function passwordPolicy\(\): string \{\s*return t`([^`]+)`", source)
    assert found, "passwordPolicy() not found in cognito.ts"
    shown = found[1].lower()
    for rule in password_policy_rules():
        assert rule in shown, rule


def test_passwords_are_kept_as_typed_and_secret() -> None:
    body = PasswordChangeIn.model_validate(
        {"current_password": " old one ", "new_password": "Long-Enough-2027!"}
    )

    assert body.current_password.get_secret_value() == " old one "  # never trimmed
    assert "old one" not in repr(body)
    assert "Long-Enough" not in str(body)


def test_a_refused_password_is_named_never_quoted() -> None:
    with pytest.raises(ValidationError) as refused:
        PasswordChangeIn.model_validate({"current_password": "x", "new_password": "weakPasswordxx"})
    [error] = refused.value.errors(include_input=False)
    assert error["loc"] == ("new_password",)
    assert "a number" in error["msg"]
    assert "a symbol" in error["msg"]
    assert "weakPasswordxx" not in str(error)

    with pytest.raises(ValidationError) as too_long:
        EmailSignInIn.model_validate({"email": "a@b.example", "password": "y" * 257})
    assert [e["loc"] for e in too_long.value.errors(include_input=False)] == [("password",)]
