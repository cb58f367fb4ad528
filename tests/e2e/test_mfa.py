"""A staff member without an authenticator app: signed in, they see only the enrolment page; they scan
(here: read the key), enter the app's code, reach the staff home, and from then on sign in with a code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import requests
from playwright.sync_api import Browser, expect

from chalicelib.local.seed import DEMO_PASSWORD
from chalicelib.local.totp import current_code
from tests.e2e.helpers import NEEDS_AXE, checked_page, enter_security_code, phone_and_desktop


def _new_front_desk_user(portal_url: str, username: str) -> None:
    """Made the way the README makes the first admin: straight in Cognito, no portal account, no MFA."""
    cognito_config: dict[str, Any] = requests.get(f"{portal_url}/config.json", timeout=10).json()["cognito"]
    cognito = boto3.client(
        "cognito-idp", endpoint_url=cognito_config["endpoint"], region_name=cognito_config["region"]
    )
    pool = cognito_config["userPoolId"]
    cognito.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=DEMO_PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName="front_desk")


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_a_staff_member_without_mfa_enrols_and_reaches_the_staff_home(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    username = f"newdesk{viewport['width']}"
    _new_front_desk_user(portal_url, username)
    with checked_page(browser, viewport, screenshot_dir, f"mfa-{device}") as (page, check):
        page.goto(portal_url + "/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        # Only the enrolment page, wherever they go
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
        expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
        check("enrol")
        expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(0)
        page.goto(portal_url + "/schedule")
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")

        # A wrong code is refused clearly
        secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
        right = current_code(secret)
        page.get_by_label("Code from your app").fill(str((int(right) + 1) % 1_000_000).zfill(6))
        page.get_by_role("button", name="Turn on two-step sign-in").click()
        expect(page.get_by_text("That code isn't right.")).to_be_visible()
        check("wrong-code")

        page.get_by_label("Code from your app").fill(current_code(secret))
        page.get_by_role("button", name="Turn on two-step sign-in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {username}")
        check("home")

        # Next sign-in asks for the app's code
        if device == "phone":
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        check("code-step")
        enter_security_code(page, secret)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {username}")
        check.assert_accessible()
