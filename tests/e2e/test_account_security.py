"""Account security in the browser: a patient signs in with her email address, turns two-step sign-in on from
her profile (the QR enrolment staff use), signs out and back in with a code from her app, changes her password
(which signs her out everywhere), is refused the old one and signs in with the new one, then turns two-step
sign-in off after confirming. Screenshots and axe at phone (390) and desktop (1280) widths.

Each run activates a patient of its own (names per device), so the shared e2e server keeps the seed intact;
moto gives every user one TOTP secret, and the code is read off the enrolment's key as a person would type it.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import boto3
from playwright.sync_api import Browser, Page, expect

from chalicelib.local.seed import DEMO_PASSWORD
from chalicelib.local.totp import current_code
from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, enter_security_code, phone_and_desktop, sign_in
from tests.e2e.helpers import PageChecks as Checks

PASSWORD = "Quiet-Harbour-42!"
NEW_PASSWORD = "Bright-Lantern-73!"


def _api(portal_url: str, method: str, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 (the local portal)
        f"{portal_url}/api{path}", data=json.dumps(body).encode(), headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)


def _front_desk_token(portal_url: str) -> str:
    with urllib.request.urlopen(f"{portal_url}/config.json", timeout=10) as response:  # noqa: S310
        cognito_config = json.load(response)["cognito"]
    cognito = boto3.client(
        "cognito-idp", endpoint_url=cognito_config["endpoint"], region_name=cognito_config["region"]
    )
    answer = cognito.initiate_auth(
        ClientId=cognito_config["clientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "frontdesk", "PASSWORD": DEMO_PASSWORD},
    )
    answer = cognito.respond_to_auth_challenge(
        ClientId=cognito_config["clientId"],
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=answer["Session"],
        ChallengeResponses={"USERNAME": "frontdesk", "SOFTWARE_TOKEN_MFA_CODE": current_code()},
    )
    return str(answer["AuthenticationResult"]["AccessToken"])


def _activated_patient(portal_url: str, *, family: str, email: str, username: str) -> None:
    """Registered and invited by the front desk, activated with the code: an account with an email."""
    token = _front_desk_token(portal_url)
    patient = _api(
        portal_url,
        "POST",
        "/staff/registrations",
        {
            "legal_name": {"given": "Rosa", "family": family},
            "birth_date": "1979-03-14",
            "sex": "female",
            "email": email,
            "address": {"line1": "2 Elm St", "city": "Portland", "state": "OR", "postal_code": "97201"},
        },
        token,
    )
    invitation = _api(
        portal_url, "POST", f"/patients/{patient['id']}/invitations", {"delivery": "email"}, token
    )
    _api(
        portal_url,
        "POST",
        "/activation/complete",
        {
            "code": invitation["code"],
            "birth_date": "1979-03-14",
            "second_fact": "97201",
            "username": username,
            "password": PASSWORD,
        },
    )


def _sign_in(page: Page, login: str, password: str) -> None:
    page.get_by_label("Username or email").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _open_security(page: Page, device: str) -> None:
    if device == "phone":
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Sign-in and security")).to_be_visible(timeout=SLOW)
    page.get_by_role("heading", name="Sign-in and security").scroll_into_view_if_needed()


def _sign_out(page: Page, device: str) -> None:
    if device == "phone":
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_a_patient_signs_in_with_email_turns_on_two_step_and_changes_her_password(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    email = f"rosa.{device}@example.org"
    _activated_patient(portal_url, family=f"Secura{device.title()}", email=email, username=f"rosa{device}")
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    check = Checks(page, screenshot_dir, f"security-{device}")
    try:
        # The sign-in page: one field for a username or an email, and the ways in for the new and the lost
        page.goto(portal_url + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        for link in ("Forgot username?", "Forgot password?", "Activate your account"):
            expect(page.get_by_role("link", name=link)).to_be_visible()
        check("sign-in")

        _sign_in(page, email.upper(), PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello", timeout=SLOW)

        # Profile → Sign-in and security: two-step sign-in is off; turn it on with the app's code
        _open_security(page, device)
        section = page.locator("#security")
        expect(section.locator(".security-state")).to_have_text("Off")
        check("security-off")
        section.screenshot(path=screenshot_dir / f"security-{device}-security-off-close-up.png")
        section.get_by_role("button", name="Turn on two-step sign-in").click()
        expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible(timeout=SLOW)
        secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
        check("security-enrol")
        section.screenshot(path=screenshot_dir / f"security-{device}-security-enrol-close-up.png")
        page.get_by_label("Code from your app").fill(current_code(secret))
        section.get_by_role("button", name="Turn on two-step sign-in").click()
        expect(section.locator(".security-state")).to_have_text("On", timeout=SLOW)
        expect(section.get_by_role("status")).to_contain_text("Two-step sign-in is on.")
        check("security-on")
        section.screenshot(path=screenshot_dir / f"security-{device}-security-on-close-up.png")

        # Signing in again now takes a code from the app, after the email and password
        _sign_out(page, device)
        _sign_in(page, email, PASSWORD)
        enter_security_code(page, secret)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello", timeout=SLOW)

        # Change the password: every session ends, this one too, and the sign-in page says why
        _open_security(page, device)
        section.get_by_label("Current password").fill(PASSWORD)
        section.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        section.get_by_label("Type the new password again").fill(NEW_PASSWORD)
        section.get_by_role("button", name="Change password").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in", timeout=SLOW)
        expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
        check("password-changed")

        # The old password no longer opens the account; the new one does (with the code)
        _sign_in(page, email, PASSWORD)
        expect(page.get_by_text("Incorrect email or password.")).to_be_visible(timeout=SLOW)
        check("wrong-password")
        page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_security_code(page, secret)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello", timeout=SLOW)

        # Turning it off asks first
        _open_security(page, device)
        section.get_by_role("button", name="Turn off two-step sign-in").click()
        dialog = page.get_by_role("alertdialog", name="Turn off two-step sign-in?")
        expect(dialog).to_be_visible()
        check("confirm-off")
        page.get_by_role("alertdialog").screenshot(
            path=screenshot_dir / f"security-{device}-confirm-off-close-up.png"
        )
        dialog.get_by_role("button", name="Yes, turn it off").click()
        expect(section.locator(".security-state")).to_have_text("Off", timeout=SLOW)
        check.assert_accessible()
    finally:
        context.close()


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_staff_find_sign_in_and_security_on_their_home_and_must_keep_two_step(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"security-staff-{device}") as (page, check):
        sign_in(page, portal_url, "billing")
        page.get_by_role("link", name="Sign-in and security").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in and security")
        expect(page.locator(".security-state")).to_have_text("On")
        expect(page.get_by_text("Staff accounts must keep two-step sign-in.")).to_be_visible()
        expect(page.get_by_role("button", name="Turn off two-step sign-in")).to_have_count(0)
        expect(page.get_by_role("button", name="Change password")).to_be_visible()
        check("page")
        check.assert_accessible()
