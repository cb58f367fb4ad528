"""What every browser test shares: signing in as a demo user, axe (WCAG 2.2 AA), the sideways-scroll check,
the phone-and-desktop page checks (screenshot, axe, no sideways scroll), a tiny real PNG to upload, and how
long to wait for writes."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.core.identity import Role
from chalicelib.local.seed import DEMO_PASSWORD, DEMO_USERS
from chalicelib.local.totp import DEMO_TOTP_SECRET, current_code
from tests.local_portal import PortalProcess

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = """async (tags) => {
    const result = await axe.run(document, { runOnly: tags });
    return result.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""
DEMO_STAFF = frozenset(user.username for user in DEMO_USERS if user.role is not Role.PATIENT)
# Writes go through moto, which is slow on a busy machine: give mutations room.
SLOW = 30_000


DEMO_LANGUAGES = {"maria": "es"}  # the demo patients whose saved language is not English
_READING_ENGLISH: set[str] = set()


@contextmanager
def reading_english(portal: PortalProcess, username: str) -> Iterator[None]:
    """For a test about something other than language: this demo patient's saved language is English
    meanwhile, then put back (test_spanish.py covers what they see in their own)."""
    [user] = [u for u in DEMO_USERS if u.username == username]
    key = {"PK": f"PATIENT#{user.patient_id}", "SK": "PROFILE"}
    table = portal.table()
    saved = table.get_item(Key=key)["Item"].get("preferred_language", "en")
    table.update_item(
        Key=key, UpdateExpression="SET preferred_language = :en", ExpressionAttributeValues={":en": "en"}
    )
    _READING_ENGLISH.add(username)
    try:
        yield
    finally:
        _READING_ENGLISH.discard(username)
        table.update_item(
            Key=key,
            UpdateExpression="SET preferred_language = :saved",
            ExpressionAttributeValues={":saved": saved},
        )


def sign_in(page: Page, portal_url: str, username: str) -> None:
    """Sign in as a demo user (chalicelib.local.seed) and wait for their home page; staff answer the
    authenticator step with the demo secret they are enrolled with."""
    page.goto(portal_url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if username in DEMO_STAFF:
        enter_security_code(page)
    # Signing in is password work in the browser and in the local Cognito: on a busy machine it takes seconds.
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Hello|Hola"), timeout=SLOW)
    # The app switches to the person's saved language once it knows them: wait, so what a test clicks next
    # is not replaced under it.
    language = "en" if username in _READING_ENGLISH else DEMO_LANGUAGES.get(username, "en")
    expect(page.locator("html")).to_have_attribute("lang", language)


def enter_security_code(page: Page, secret: str = DEMO_TOTP_SECRET) -> None:
    """Answer the sign-in's authenticator step with the code an app holding `secret` shows now."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(current_code(secret))
    page.get_by_role("button", name="Continue").click()


def axe_violations(page: Page) -> list[str]:
    # Measure the page at rest: mid-animation (a dialog fading in) colours are blended and fail contrast.
    page.wait_for_function(
        "document.getAnimations().every((a) => a.playState !== 'running'"
        " || a.effect?.getTiming().iterations === Infinity)"  # spinners never end
    )
    page.add_script_tag(path=AXE)
    return list(page.evaluate(AXE_RUN, AXE_TAGS))


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


# The accessibility-and-fit tests: skipped without axe-core, run at a phone size and at desktop size.
NEEDS_AXE = pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (npm ci in web/)")


def phone_and_desktop(phone_width: int, phone_height: int) -> pytest.MarkDecorator:
    """Parametrize a test with `device` ("phone", "desktop") and its `viewport`."""
    return pytest.mark.parametrize(
        ("device", "viewport"),
        [
            ("phone", {"width": phone_width, "height": phone_height}),
            ("desktop", {"width": 1280, "height": 800}),
        ],
    )


class PageChecks:
    """Call with a name on every page worth checking: it must not scroll sideways, it is saved as a full-page
    screenshot `<prefix>-<name>.png`, and axe runs on it. `assert_accessible` then fails once, listing the
    violations of every page that had any."""

    def __init__(self, page: Page, screenshot_dir: Path, prefix: str) -> None:
        self.page = page
        self.screenshot_dir = screenshot_dir
        self.prefix = prefix
        self.found: dict[str, list[str]] = {}

    def __call__(self, name: str) -> None:
        no_sideways_scroll(self.page)
        self.page.screenshot(path=self.screenshot_dir / f"{self.prefix}-{name}.png", full_page=True)
        self.found[name] = axe_violations(self.page)

    def assert_accessible(self) -> None:
        assert {name: v for name, v in self.found.items() if v} == {}


@contextmanager
def checked_page(
    browser: Browser, viewport: dict[str, int], screenshot_dir: Path, prefix: str
) -> Iterator[tuple[Page, PageChecks]]:
    """A page in a fresh context of that size, and its checks; the context is closed afterwards."""
    # bypass_csp only so the injected axe script may run; the app itself runs unchanged.
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        yield page, PageChecks(page, screenshot_dir, prefix)
    finally:
        context.close()


@contextmanager
def own_session(browser: Browser, portal_url: str, username: str) -> Iterator[Page]:
    """A second, independent desktop browser session, signed in as `username`; closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        sign_in(page, portal_url, username)
        yield page
    finally:
        context.close()


def tiny_png() -> bytes:
    """A valid 1x1 PNG, made here so the tests ship no binary file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
