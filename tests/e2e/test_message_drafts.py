"""A half-written message survives the sign-out for inactivity: Alex is signed out while writing, signs
back in and finds it; an explicit sign-out leaves no draft in the browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import SLOW, sign_in


def open_new_message(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Messages")).click()
    expect(page.get_by_test_id("thread-list")).to_be_visible(timeout=SLOW)
    page.get_by_role("link", name="New message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New message")


def test_a_draft_survives_the_idle_sign_out_and_goes_at_an_explicit_one(page: Page, portal_url: str) -> None:
    page.clock.install()
    sign_in(page, portal_url, "alex")
    open_new_message(page)
    page.get_by_label("Subject").fill("Question about my knee")
    page.get_by_label("Message", exact=True).fill("It still hurts when I climb stairs")

    # Signed out for inactivity mid-sentence
    page.clock.fast_forward("15:05")
    expect(page.get_by_text("You were signed out after 15 minutes of inactivity")).to_be_visible()

    # Back in, the message is where they left it
    sign_in(page, portal_url, "alex")
    open_new_message(page)
    expect(page.get_by_label("Subject")).to_have_value("Question about my knee")
    expect(page.get_by_label("Message", exact=True)).to_have_value("It still hurts when I climb stairs")

    # An explicit sign-out leaves nothing behind
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()
    kept = page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('portal.draft.'))")
    assert kept == []
