"""Go live, in the browser, on a stack with no demo seed (as `make deploy` leaves it): the first admin,
made as README's "Go live" says, signs in, chooses a password and enrols an authenticator; creates a front
desk member, who does the same from the invitation email, registers a patient and invites her and her
caregiver; she activates with the code and her birth date and sees her (empty) record; the caregiver's
activation becomes a proxy grant. Every page is checked at phone and desktop size (screenshot, axe, no
sideways scroll).
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.local.first_admin import create_first_admin
from tests.e2e.helpers import NEEDS_AXE, SLOW, PageChecks, phone_and_desktop
from tests.local_portal import PortalProcess, local_portal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def empty_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalProcess]:
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        pytest.fail("web/dist is not built: run `make web` (make e2e does it for you)")
    with local_portal(tmp_path_factory.mktemp("empty-portal"), empty=True) as running:
        yield running


def newest_email(portal_url: str, address: str) -> str:
    with urllib.request.urlopen(f"{portal_url}/_local/outbox.json", timeout=10) as response:  # noqa: S310
        messages = [m for m in json.load(response) if address in m["to"]]
    assert messages, f"no email to {address}"
    return str(messages[-1]["body"])


def first_sign_in(page: Page, portal_url: str, username: str, temporary: str, password: str) -> None:
    """Temporary password -> own password -> authenticator enrolment -> home, as a new staff member."""
    page.goto(portal_url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(temporary)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(password)
    page.get_by_role("button", name="Save password and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in", timeout=SLOW)
    from chalicelib.local.totp import current_code

    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(current_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello", timeout=SLOW)


def new_page(browser: Browser, viewport: dict[str, int]) -> Page:
    # bypass_csp only so the injected axe script may run; the app itself runs unchanged.
    return browser.new_context(viewport=viewport, bypass_csp=True).new_page()  # type: ignore[arg-type]


def activate(page: Page, portal_url: str, code: str, username: str, password: str) -> None:
    page.goto(portal_url + "/activate")
    page.get_by_label("Activation code").fill(code)
    page.get_by_label("Patient's date of birth").fill("03/14/1991")
    page.get_by_label("ZIP code").fill("97214")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your sign-in", timeout=SLOW)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Create account and sign in").click()


def activation_code(body: str) -> str:
    found = re.search(r"activation code: ([A-Z0-9-]+)", body)
    assert found, "the invitation holds no activation code"
    return found[1]


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_a_new_clinic_goes_live_from_the_first_admin_to_the_first_patient(
    browser: Browser,
    empty_portal: PortalProcess,
    screenshot_dir: Path,
    device: str,
    viewport: dict[str, int],
) -> None:
    url = empty_portal.url
    admin_name, desk_name = f"ops-{device}", f"desk-{device}"
    desk_email, patient_email = f"{desk_name}@lakeside.example", f"rosa.{device}@example.org"
    caregiver_email = f"ana.{device}@example.org"
    family = "Golive" if device == "phone" else "Launchday"

    temporary = create_first_admin(url, admin_name, f"{admin_name}@lakeside.example")
    admin = new_page(browser, viewport)
    checks = PageChecks(admin, screenshot_dir, f"go-live-{device}")
    first_sign_in(admin, url, admin_name, temporary, "Admin-Chose-This-2026")
    checks("admin-home")

    # The admin adds the front desk; the invitation email carries a temporary password.
    admin.get_by_role("link", name="Manage staff accounts").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Staff accounts")
    admin.get_by_role("link", name="Add a staff member").click()
    admin.get_by_label("Username").fill(desk_name)
    admin.get_by_label("Email").fill(desk_email)
    admin.get_by_label("Full name").fill("Jo Park")
    admin.get_by_label("Role").select_option("front_desk")
    admin.get_by_role("button", name="Create account and send invitation").click()
    expect(admin.get_by_text(f"The invitation was sent to {desk_email}.")).to_be_visible(timeout=SLOW)
    checks("admin-created-front-desk")
    desk_temporary = re.search(r"Temporary password: (\S+)", newest_email(url, desk_email))
    assert desk_temporary
    admin.context.close()

    # The front desk member enrols, registers the first patient and invites her by email.
    desk = new_page(browser, viewport)
    desk_checks = PageChecks(desk, screenshot_dir, f"go-live-{device}-desk")
    first_sign_in(desk, url, desk_name, desk_temporary[1], "Desk-Chose-This-2026")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Hello, Jo Park")
    desk.goto(url + "/staff/patients")
    desk.get_by_role("link", name="Register a patient").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Register a patient")
    desk.get_by_label("Given name").fill("Rosa")
    desk.get_by_label("Family name").fill(family)
    desk.get_by_label("Date of birth").fill("03/14/1991")
    desk.get_by_label("Sex").select_option("female")
    desk.get_by_label("Email").fill(patient_email)
    desk.get_by_label("Street address").fill("8 Belmont St")
    desk.get_by_label("City").fill("Portland")
    desk.get_by_label("State").fill("OR")
    desk.get_by_label("ZIP code").fill("97214")
    desk.get_by_role("button", name="Register patient").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Rosa {family}", timeout=SLOW)
    invitations = desk.get_by_role("region", name="Portal invitations")
    invitations.get_by_role("button", name="Email the invitation").click()
    expect(invitations.get_by_text(f"Invitation emailed to {patient_email}.")).to_be_visible(timeout=SLOW)
    desk_checks("patient-invited")

    # The patient activates from the email and sees her record: empty, and saying so.
    patient = new_page(browser, viewport)
    patient_checks = PageChecks(patient, screenshot_dir, f"go-live-{device}-patient")
    activate(
        patient, url, activation_code(newest_email(url, patient_email)), f"rosa-{device}", "Rosa-Is-Live-2026"
    )
    expect(patient.get_by_role("heading", level=1)).to_have_text("Health record", timeout=SLOW)
    patient_checks("empty-record")
    patient.goto(url + "/")
    expect(patient.get_by_role("heading", level=1)).to_contain_text("Rosa")
    patient_checks("home")
    patient.context.close()

    # A caregiver invited by email activates into a proxy grant on her record.
    invitations.get_by_label("A caregiver").check()
    invitations.get_by_label("Caregiver's full name").fill("Ana Golive")
    invitations.get_by_label("Relationship to the patient").select_option("parent")
    invitations.get_by_label("Email address").fill(caregiver_email)
    invitations.get_by_role("button", name="Email the invitation").click()
    expect(invitations.get_by_text(f"Invitation emailed to {caregiver_email}.")).to_be_visible(timeout=SLOW)
    caregiver = new_page(browser, viewport)
    activate(
        caregiver,
        url,
        activation_code(newest_email(url, caregiver_email)),
        f"ana-{device}",
        "Ana-Helps-2026!",
    )
    expect(caregiver.get_by_role("heading", level=1)).to_have_text(
        f"Rosa {family}'s health record", timeout=SLOW
    )
    caregiver.context.close()
    desk.reload()
    expect(desk.get_by_role("region", name="Proxy access").get_by_text("Ana Golive")).to_be_visible(
        timeout=SLOW
    )
    desk_checks("caregiver-granted")
    desk.context.close()

    checks.assert_accessible()
    desk_checks.assert_accessible()
    patient_checks.assert_accessible()
