"""What every browser test shares: signing in as a demo user, axe (WCAG 2.2 AA), the sideways-scroll check,
a tiny real PNG to upload, and how long to wait for writes."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from playwright.sync_api import Page, expect

from chalicelib.local.seed import DEMO_PASSWORD

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = """async (tags) => {
    const result = await axe.run(document, { runOnly: tags });
    return result.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""
# Writes go through moto, which is slow on a busy machine: give mutations room.
SLOW = 30_000


def sign_in(page: Page, portal_url: str, username: str) -> None:
    """Sign in as a demo user (chalicelib.local.seed) and wait for their home page."""
    page.goto(portal_url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


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


def tiny_png() -> bytes:
    """A valid 1x1 PNG, made here so the tests ship no binary file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
