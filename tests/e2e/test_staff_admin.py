"""Staff administration in the browser: the admin adds a front-desk member, the invitation arrives (read
from the local SES outbox), and the new person signs in with its temporary password and chooses their own.
Every admin page is checked at phone and desktop size (screenshot, axe, no sideways scroll)."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, phone_and_desktop, sign_in


def invitation_to(portal_url: str, address: str) -> str:
    """The body of the newest email sent to `address`, from the local cloud's SES outbox (moto's data API).

    The SPA's /config.json names the local cloud's endpoint (the Cognito one), which also serves moto's API.
    """
    with urllib.request.urlopen(f"{portal_url}/config.json") as response:  # noqa: S310 (localhost)
        endpoint = json.load(response)["cognito"]["endpoint"]
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json") as response:  # noqa: S310 (localhost)
        data: dict[str, Any] = json.load(response)
    bodies = [
        str(message["body"])
        for message in data.get("ses", {}).get("Message", [])
        if address in (message.get("destinations") or {}).get("ToAddresses", [])
    ]
    assert bodies, f"no email to {address}"
    return bodies[-1]


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_admin_invites_a_front_desk_member_who_signs_in_and_chooses_a_password(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    username = f"casey.{device}.{uuid.uuid4().hex[:6]}"
    email = f"{username}@riverside.example"
    with checked_page(browser, viewport, screenshot_dir, f"staff-admin-{device}") as (page, checks):
        sign_in(page, portal_url, "admin")
        page.get_by_role("link", name="Manage staff accounts").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Staff accounts")
        staff = page.get_by_role("list", name="Staff accounts")
        expect(staff.get_by_role("link", name="Sam Lee")).to_be_visible()  # the demo staff are listed
        checks("list")

        page.get_by_role("link", name="Add a staff member").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a staff member")
        page.get_by_role("button", name="Create account and send invitation").click()
        expect(page.get_by_text("Username: Enter a username.")).to_be_visible()
        page.get_by_label("Username").fill(username)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Full name").fill("Casey Rivers")
        page.get_by_label("Role").select_option("front_desk")
        page.get_by_label("Front desk", exact=True).check()
        checks("new")
        page.get_by_role("button", name="Create account and send invitation").click()
        expect(page.get_by_text(f"The invitation was sent to {email}.")).to_be_visible(timeout=SLOW)

        page.get_by_role("link", name="Open Casey Rivers's account").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Casey Rivers")
        expect(page.get_by_role("button", name="Resend invitation")).to_be_visible()
        checks("account")
        page.get_by_role("button", name="Disable account").click()
        dialog = page.get_by_role("alertdialog", name="Disable Casey Rivers's account?")
        expect(dialog).to_be_visible()
        checks("disable-dialog")
        dialog.get_by_role("button", name="Cancel").click()

        page.get_by_role("link", name="Back to staff accounts").click()
        page.get_by_role("link", name="Admin audit").click()
        expect(page.get_by_text(f"Created the account: {username}")).to_be_visible()
        checks("audit")

        body = invitation_to(portal_url, email)
        assert f"Username: {username}" in body
        temporary = re.search(r"Temporary password: (\S+)", body)
        assert temporary
    # The new staff member, in a browser of their own
    with checked_page(browser, viewport, screenshot_dir, f"staff-admin-{device}") as (page, _):
        page.goto(portal_url + "/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(temporary.group(1))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
        page.get_by_label("New password", exact=True).fill("Casey-Chose-This-2026")
        page.get_by_label("Confirm new password").fill("Casey-Chose-This-2026")
        page.get_by_role("button", name="Save password and continue").click()
        # Staff need an authenticator before they reach any data: the new member is sent to set one up.
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in", timeout=SLOW)
    checks.assert_accessible()
