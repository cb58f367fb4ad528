"""Registration and activation in the browser: the front desk registers a patient and invites her by email;
the email is read from the local SES outbox (the local server's /_local/outbox.json); she activates at
/activate with the code, her birth date and ZIP code, sets a password and lands on her (empty) record. A
caregiver invited by email activates into a proxy grant. Screenshots and axe at phone and desktop widths.

Each run registers people of its own (names per device), so the shared e2e server keeps the seed intact.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, PageChecks, no_sideways_scroll, phone_and_desktop, sign_in
from tests.local_portal import PortalProcess

PASSWORD = "Sunny-Garden-42!"


def mailed_code(portal_url: str, address: str) -> str:
    """The activation code in the newest email to `address` in the local SES outbox."""
    with urllib.request.urlopen(f"{portal_url}/_local/outbox.json", timeout=10) as response:  # noqa: S310
        messages = [m for m in json.load(response) if address in m["to"]]
    assert messages, f"no email to {address}"
    found = re.search(r"activation code: ([A-Z0-9-]+)", messages[-1]["body"])
    assert found
    return found[1]


def activate(
    browser: Browser, portal: PortalProcess, viewport: dict[str, int], code: str, username: str
) -> Page:
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(portal.url + "/activate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate your portal account")
    page.get_by_label("Activation code").fill(code.lower())
    page.get_by_label("Patient's date of birth").fill("06/09/1984")
    page.get_by_label("ZIP code").fill("97201")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your sign-in", timeout=SLOW)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    return page


def fill_registration(page: Page, family: str, email: str) -> None:
    page.get_by_label("Given name").fill("Maria")
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Date of birth").fill("06/09/1984")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Street address").fill("1 Main St")
    page.get_by_label("City").fill("Portland")
    page.get_by_label("State").fill("OR")
    page.get_by_label("ZIP code").fill("97201")


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_front_desk_registers_and_invites_and_the_patient_and_a_caregiver_activate(
    browser: Browser, portal: PortalProcess, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    family = "Activa" if device == "phone" else "Desktopa"
    email = f"maria.{device}@example.org"
    caregiver_email = f"sam.{device}@example.org"
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
    desk = context.new_page()
    checks = PageChecks(desk, screenshot_dir, f"enrolment-{device}")
    try:
        sign_in(desk, portal.url, "frontdesk")
        desk.goto(portal.url + "/staff/patients")
        desk.get_by_role("link", name="Register a patient").click()
        expect(desk.get_by_role("heading", level=1)).to_have_text("Register a patient")
        fill_registration(desk, family, email)
        checks("register")
        desk.get_by_role("button", name="Register patient").click()
        expect(desk.get_by_role("heading", level=1)).to_have_text(f"Maria {family}", timeout=SLOW)
        expect(desk.get_by_text("is registered")).to_be_visible()

        # Registering her again offers the existing record instead of a second one.
        desk.go_back()
        expect(desk.get_by_role("heading", level=1)).to_have_text("Register a patient")
        fill_registration(desk, family, email)
        desk.get_by_role("button", name="Register patient").click()
        offer = desk.get_by_role("alert").filter(has_text="may already be registered")
        expect(offer).to_be_visible(timeout=SLOW)
        checks("duplicate-offer")
        offer.get_by_role("link", name="Open the existing record").click()
        expect(desk.get_by_role("heading", level=1)).to_have_text(f"Maria {family}", timeout=SLOW)

        panel = desk.get_by_role("region", name="Portal invitations")
        expect(panel.get_by_text("No invitations yet.")).to_be_visible(timeout=SLOW)
        panel.get_by_role("button", name="Email the invitation").click()
        expect(panel.get_by_text(f"Invitation emailed to {email}.")).to_be_visible(timeout=SLOW)
        checks("invited")

        patient = activate(browser, portal, viewport, mailed_code(portal.url, email), f"maria.{device}")
        patient_checks = PageChecks(patient, screenshot_dir, f"enrolment-{device}-patient")
        patient_checks("choose-sign-in")
        patient.get_by_role("button", name="Create account and sign in").click()
        expect(patient.get_by_role("heading", level=1)).to_have_text("Health record", timeout=SLOW)
        no_sideways_scroll(patient)
        patient_checks("record")
        patient.context.close()

        # A caregiver, by email: activation makes the proxy grant.
        panel.get_by_label("A caregiver").check()
        panel.get_by_label("Caregiver's full name").fill("Sam Lopez")
        panel.get_by_label("Relationship to the patient").select_option("spouse")
        panel.get_by_label("Email address").fill(caregiver_email)
        panel.get_by_role("button", name="Email the invitation").click()
        expect(panel.get_by_text(f"Invitation emailed to {caregiver_email}.")).to_be_visible(timeout=SLOW)
        caregiver = activate(
            browser, portal, viewport, mailed_code(portal.url, caregiver_email), f"sam.{device}"
        )
        caregiver.get_by_role("button", name="Create account and sign in").click()
        expect(caregiver.get_by_role("heading", level=1)).to_have_text(
            f"Maria {family}'s health record", timeout=SLOW
        )
        caregiver.context.close()

        desk.reload()
        proxies = desk.get_by_role("region", name="Proxy access")
        expect(proxies.get_by_text("Sam Lopez")).to_be_visible(timeout=SLOW)
        expect(panel.get_by_text("Activated")).to_have_count(2, timeout=SLOW)

        # A printed letter for someone without email.
        panel.get_by_label("Printed letter").check()
        panel.get_by_label(f"Maria {family}").check()
        panel.get_by_role("button", name="Make a letter to print").click()
        expect(panel.locator(".en-code")).to_have_text(
            re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$"), timeout=SLOW
        )
        checks("letter")
        checks.assert_accessible()
        patient_checks.assert_accessible()
    finally:
        context.close()
