"""The portal on a cheap phone with large text: what needs attention first, no sideways scrolling at
200% text or 320 CSS px, a steady page while it loads (CLS), and the installable app's offline page.

Large text is the browser's text size setting as a page sees it: the root font size doubled, so every
rem-based size doubles (an injected stylesheet; bypass_csp lets it, and axe, run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import axe_violations, sign_in

ALEX_OVERDUE = "st-demo-alex-overdue"
PAGES = {
    "home": "/",
    "results": "/results",
    "appointments": "/appointments",
    "messages": "/messages",
    "billing": "/billing",
    "pay": f"/billing/statements/{ALEX_OVERDUE}/pay",
}
LARGE_TEXT = "html { font-size: 200% !important; }"

# Every layout shift the page makes without input, summed (Chromium's layout-shift entries).
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({ type: 'layout-shift', buffered: true });
"""

# Elements whose box reaches past the viewport's sides (ignoring those clipped away, e.g. visually hidden).
TOO_WIDE = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.right <= width + 1 && box.left >= -1) continue;
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== 'visible' && up.getBoundingClientRect().right <= width + 1) clipped = true;
    }
    if (clipped) continue;
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
    const up = el.parentElement ? el.parentElement.className : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (classes ? '.' + classes : '');
    found.push(`${name} in .${up} ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
  }
  return found.slice(0, 12);
}
"""


def settle(page: Page) -> None:
    """Loaded and still: no request running and nothing that says it is loading."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.querySelector('[aria-busy=\"true\"]')", timeout=15_000)
    page.wait_for_timeout(300)


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 320, "height": 720}, bypass_csp=True)
    try:
        yield context
    finally:
        context.close()


@pytest.mark.parametrize("text", ["normal", "large"])
def test_no_page_is_wider_than_a_320px_phone(
    phone: BrowserContext, portal_url: str, screenshot_dir: Path, text: str
) -> None:
    page = phone.new_page()
    sign_in(page, portal_url, "alex")
    too_wide: dict[str, list[str]] = {}
    for name, path in PAGES.items():
        page.goto(portal_url + path)
        if text == "large":
            page.add_style_tag(content=LARGE_TEXT)
        settle(page)
        page.screenshot(path=screenshot_dir / f"phone-320-{text}-{name}.png", full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(TOO_WIDE)
        if overflow > 0 or wide:
            too_wide[name] = [f"scrolls sideways by {overflow}px", *wide]
    assert too_wide == {}


@pytest.mark.parametrize("width", [320, 390])
def test_pages_hold_still_while_they_load(browser: Browser, portal_url: str, width: int) -> None:
    # Each page is a fresh load (boot, account, page data): the whole of what a phone user sees arrive.
    context = browser.new_context(viewport={"width": width, "height": 720}, bypass_csp=True)
    try:
        context.add_init_script(CLS_OBSERVER)
        page = context.new_page()
        sign_in(page, portal_url, "alex")
        shifts: dict[str, float] = {}
        for name, path in PAGES.items():
            page.goto(portal_url + path)
            settle(page)
            shifts[name] = round(float(page.evaluate("window.__cls")), 3)
    finally:
        context.close()
    print(f"cumulative layout shift per page at {width} px:", shifts)
    assert {name: cls for name, cls in shifts.items() if cls > 0.1} == {}


def test_home_shows_what_needs_attention_first(
    phone: BrowserContext, portal_url: str, screenshot_dir: Path
) -> None:
    page = phone.new_page()
    sign_in(page, portal_url, "alex")
    attention = page.get_by_role("region", name="Needs your attention")
    expect(attention.get_by_role("link", name="overdue")).to_have_attribute("href", "/billing")
    expect(attention.get_by_role("link", name="new test result")).to_have_attribute("href", "/results")
    # (Alex's unread message is not checked: other browser tests on the shared server may have read it.)
    # First on the page: on a phone it is what shows without scrolling.
    box = attention.bounding_box()
    assert box is not None
    assert box["y"] < 720
    page.screenshot(path=screenshot_dir / "phone-320-home-attention.png")
    assert axe_violations(page) == []


def test_offline_reload_opens_the_offline_page_and_no_cache_holds_data(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True)
    try:
        page = context.new_page()
        sign_in(page, portal_url, "alex")
        # The worker takes the page over once installed (clients.claim): then visit a few pages.
        page.wait_for_function(
            "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20_000
        )
        for path in ("/results", "/messages", "/billing", "/"):
            page.goto(portal_url + path)
            settle(page)

        kept: list[str] = page.evaluate(
            """async () => {
                const urls = [];
                for (const name of await caches.keys()) {
                    const cache = await caches.open(name);
                    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
                }
                return urls;
            }"""
        )
        assert "/index.html" in kept
        assert "/offline.html" in kept
        assert any(p.startswith("/assets/") and p.endswith(".js") for p in kept)
        assert [p for p in kept if p.startswith("/api") or p == "/config.json"] == []

        context.set_offline(True)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")
        expect(page.get_by_role("link", name="(555) 010-0100")).to_have_attribute("href", "tel:+15550100100")
        expect(page.get_by_text("never kept on this device")).to_be_visible()
        page.screenshot(path=screenshot_dir / "phone-offline.png", full_page=True)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_app_is_installable(page: Page, portal_url: str) -> None:
    manifest = page.request.get(portal_url + "/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    body = manifest.json()
    assert body["name"] == "Riverside Family Clinic patient portal"
    assert body["theme_color"] == "#0f5f8c"
    assert {i["sizes"] for i in body["icons"] if i["type"] == "image/png"} == {"192x192", "512x512"}
    assert any(i["purpose"] == "maskable" for i in body["icons"])
    for icon in body["icons"]:
        assert page.request.get(portal_url + icon["src"]).ok
    csp = page.request.get(portal_url + "/").headers["content-security-policy"]
    assert "worker-src 'self'" in csp
    assert "manifest-src 'self'" in csp


def test_robots_are_told_to_stay_out(page: Page, portal_url: str) -> None:
    robots = page.request.get(portal_url + "/robots.txt")
    assert robots.ok
    assert robots.headers["content-type"].startswith("text/plain")
    assert robots.text() == "User-agent: *\nDisallow: /\n"
