"""The local server's document headers by path: the same per-page families CloudFront serves."""

from __future__ import annotations

import pytest

from chalicelib.local.server import page_headers

COGNITO = "http://127.0.0.1:4566"


def connect_src(policy: str) -> list[str]:
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("connect-src ")]
    return directive.split()[1:]


@pytest.mark.parametrize("path", ["/visit/p-1/a-1", "/visit/abc/def"])
@pytest.mark.parametrize("on_chime", [True, False])
def test_the_visit_page_may_use_camera_and_microphone_and_reach_chime_only_on_chime(
    path: str, on_chime: bool
) -> None:
    page = page_headers(path, COGNITO, on_stripe=False, on_chime=on_chime)

    assert "camera=(self)" in page.permissions
    assert "microphone=(self)" in page.permissions
    chime = ["https://*.chime.aws", "wss://*.chime.aws"]
    assert connect_src(page.csp) == ["'self'", COGNITO, *(chime if on_chime else [])]
    assert "stripe" not in page.csp


@pytest.mark.parametrize(
    "path", ["/", "/appointments", "/visits/p/a", "/visit", "/billing/card/x", "/messages/visit/p/a"]
)
def test_every_other_page_keeps_the_camera_and_microphone_off_and_names_no_chime_host(path: str) -> None:
    page = page_headers(path, COGNITO, on_stripe=True, on_chime=True)

    assert "camera=()" in page.permissions
    assert "microphone=()" in page.permissions
    assert connect_src(page.csp) == ["'self'", COGNITO]
    assert "chime" not in page.csp


def test_a_card_page_on_stripe_may_run_stripe_but_not_use_the_camera() -> None:
    page = page_headers("/billing/statements/s-1/pay", COGNITO, on_stripe=True, on_chime=True)

    assert "https://js.stripe.com" in page.csp
    assert "chime" not in page.csp
    assert "camera=()" in page.permissions
    assert 'payment=(self "https://js.stripe.com")' in page.permissions
