"""The portal as a person uses it: sign in, read, change contact details, get help, get signed out."""

from __future__ import annotations

import re
from pathlib import Path

import boto3
import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from chalicelib.local.seed import DEMO_PASSWORD, TEMPORARY_PASSWORD
from tests.e2e.helpers import AXE, enter_security_code
from tests.e2e.helpers import axe_violations as _axe_violations

CLINIC_NAME = "Riverside Family Clinic"
CLINIC_PHONE_DISPLAY = "(555) 010-0100"


def sign_in(page: Page, portal_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(portal_url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_patient_changes_phone_and_it_is_kept_after_reload(page: Page, portal_url: str) -> None:
    # Given a demo patient signed in
    sign_in(page, portal_url, "alex")
    # Then they are greeted by their preferred name, under the clinic's name
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alex")
    expect(page.get_by_role("banner")).to_contain_text(CLINIC_NAME)
    expect(page).to_have_title(re.compile(CLINIC_NAME))

    # When they change their phone number on the profile page and save
    page.get_by_role("link", name="Profile & contact info").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profile & contact info")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    phone = page.get_by_label("Phone number")
    expect(phone).to_have_value("(217) 555-0142")
    phone.fill("312-555-0177")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Your changes were saved.")).to_be_visible()
    expect(phone).to_have_value("(312) 555-0177")  # shown back as the API normalised it

    # Then the new number is still there after a reload (same tab keeps the session)
    page.reload()
    expect(page.get_by_label("Phone number")).to_have_value("(312) 555-0177")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profile & contact info")


def test_wrong_password_shows_a_clear_message(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "alex", "not-the-password")
    expect(page.get_by_text("Incorrect username or password.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    # An unknown user gets exactly the same message
    sign_in(page, portal_url, "nobody-here")
    expect(page.get_by_text("Incorrect username or password.")).to_be_visible()


def test_clinician_lands_on_the_staff_home(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "drrivera")
    enter_security_code(page)  # staff sign in with their authenticator app too
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Dr. Priya Rivera")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Clinician")
    expect(main).to_contain_text(CLINIC_NAME)
    expect(main.get_by_role("heading", name="Your role: Clinician")).to_be_visible()
    # No patient features for staff
    expect(page.get_by_role("link", name="Who viewed my record")).to_have_count(0)
    expect(page.get_by_label("Viewing record of:")).to_have_count(0)


def test_first_sign_in_with_temporary_password_asks_for_a_new_one(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "newpatient", TEMPORARY_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")

    # A password that breaks the policy is explained before anything is sent
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Save password and continue").click()
    expect(page.get_by_text("Your password needs at least 12 characters")).to_be_visible()

    page.get_by_label("New password", exact=True).fill("Chosen-By-Chris-2026")
    page.get_by_label("Confirm new password").fill("Chosen-By-Chris-2026")
    page.get_by_role("button", name="Save password and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Chris")

    # And the new password works from then on
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    sign_in(page, portal_url, "newpatient", "Chosen-By-Chris-2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Chris")


def _check_help(
    page: Page,
    button: str = "Help",
    title: str = "Help and contact",
    clinic_text: tuple[str, str] = ("call 911", "Monday–Friday"),
) -> None:
    page.get_by_role("banner").get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    call = dialog.get_by_role("link", name=CLINIC_PHONE_DISPLAY)
    expect(call).to_have_attribute("href", "tel:+15550100100")
    expect(dialog.get_by_role("link", name="help@riverside.example")).to_have_attribute(
        "href", "mailto:help@riverside.example"
    )
    for text in clinic_text:  # the clinic's own notice and hours, in the language on screen
        expect(dialog).to_contain_text(text)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_help_is_on_the_sign_in_page_and_on_home(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/")
    _check_help(page)
    sign_in(page, portal_url, "maria")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
    _check_help(page, "Ayuda", "Ayuda y contacto", ("llame al 911", "Lunes a viernes"))  # María saved Spanish


def test_invalid_phone_shows_a_field_error(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "maria")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
    page.goto(portal_url + "/profile")
    phone = page.get_by_label("Número de teléfono")
    phone.fill("12345")
    page.get_by_role("button", name="Guardar los cambios").click()  # María's portal is in Spanish

    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_be_focused()
    expect(page.locator("#profile-phone-error")).to_contain_text(
        re.compile("no es un número de teléfono válido", re.I)
    )
    expect(phone).to_have_attribute("aria-describedby", re.compile("profile-phone-error"))
    summary = page.get_by_role("heading", name="Hay un problema")
    expect(summary).to_be_visible()

    # Nothing was saved
    page.reload()
    expect(page.get_by_label("Número de teléfono")).to_have_value("(217) 555-0187")


def test_edit_based_on_a_stale_version_reloads_the_latest(page: Page, portal_url: str) -> None:
    # Given the same profile open in two tabs
    other = page.context.new_page()
    for tab in (page, other):
        sign_in(tab, portal_url, "alex")
        expect(tab.get_by_role("heading", level=1)).to_have_text("Hello, Alex")
        tab.goto(portal_url + "/profile")
        expect(tab.get_by_label("Pronouns")).to_be_visible()

    # When the second tab saves first
    other.get_by_label("Pronouns").fill("they/them")
    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_text("Your changes were saved.")).to_be_visible()

    # Then saving the first tab's older copy is refused, explained, and the latest version is shown
    page.get_by_label("Pronouns").fill("she/they")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("This profile was changed elsewhere.")).to_be_visible()
    expect(page.get_by_label("Pronouns")).to_have_value("they/them")
    other.close()


def test_caregiver_can_switch_to_the_record_they_look_after(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "alex")
    switcher = page.get_by_label("Viewing record of:")
    expect(switcher).to_be_visible()
    options = switcher.locator("option")
    expect(options).to_have_count(2)
    other = options.nth(1).get_attribute("value")
    child = (options.nth(1).text_content() or "").strip()
    assert other
    assert child
    switcher.select_option(other)
    expect(page.get_by_role("heading", name=f"{child}'s record")).to_be_visible()

    # Opening the child's profile is recorded in the child's access log, under the caregiver's name
    page.get_by_role("link", name="Profile & contact info").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(child)
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()  # the profile has loaded
    page.get_by_role("navigation").get_by_role("link", name="Who viewed my record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Who viewed {child}'s record")
    # The caregiver's own reads are listed only on request (others' access comes first)
    page.get_by_label("Include my own views and changes").check()
    # Other reads of this visit (the record's home page) may land in either order: find the profile view
    rows = page.get_by_role("table").get_by_role("row")
    expect(
        rows.filter(has_text="Viewed profile").filter(has_text="Alex Morgan, as caregiver").first
    ).to_be_visible()


def test_idle_warning_then_sign_out(page: Page, portal_url: str) -> None:
    page.clock.install()
    sign_in(page, portal_url, "alex")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alex")

    page.clock.fast_forward("13:01")
    dialog = page.get_by_role("alertdialog", name="Are you still there?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You'll be signed out in 1:59 for your security")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()

    # Staying resets the clock
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("12:00")
    expect(dialog).to_be_hidden()

    # Doing nothing signs out at 15 minutes
    page.clock.fast_forward("03:05")
    expect(page.get_by_text("You were signed out after 15 minutes of inactivity")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


@pytest.mark.parametrize(
    ("device", "viewport"),
    [("phone", {"width": 360, "height": 800}), ("desktop", {"width": 1280, "height": 800})],
)
def test_screenshots_for_review(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(portal_url + "/")
        expect(page.get_by_label("Username")).to_be_visible()
        page.screenshot(path=screenshot_dir / f"{device}-sign-in.png", full_page=True)
        sign_in(page, portal_url, "alex")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alex")
        _assert_no_horizontal_scroll(page)
        page.screenshot(path=screenshot_dir / f"{device}-home.png", full_page=True)
        page.get_by_role("link", name="Profile & contact info").click()
        expect(page.get_by_label("Phone number")).to_be_visible()
        _assert_no_horizontal_scroll(page)
        page.screenshot(path=screenshot_dir / f"{device}-profile.png", full_page=True)
        page.goto(portal_url + "/access-log")
        expect(page.get_by_role("table")).to_be_visible()
        _assert_no_horizontal_scroll(page)
        page.screenshot(path=screenshot_dir / f"{device}-access-log.png", full_page=True)
    finally:
        context.close()


def _assert_no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


def _cognito_op(headers: dict[str, str]) -> str:
    return headers.get("x-amz-target", "").rpartition(".")[2]


def _set_password(portal_url: str, username: str, password: str) -> None:
    cognito_config = requests.get(f"{portal_url}/config.json", timeout=10).json()["cognito"]
    cognito = boto3.client(
        "cognito-idp", endpoint_url=cognito_config["endpoint"], region_name=cognito_config["region"]
    )
    cognito.admin_set_user_password(
        UserPoolId=cognito_config["userPoolId"], Username=username, Password=password, Permanent=True
    )


def test_forgot_password_sets_a_new_one(page: Page, portal_url: str) -> None:
    try:
        _reset_the_admins_password(page, portal_url)
    finally:  # other browser tests sign in as the admin with the demo password
        _set_password(portal_url, "admin", DEMO_PASSWORD)


def _reset_the_admins_password(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    page.get_by_label("Username").fill("admin")
    with page.expect_response(lambda r: _cognito_op(r.request.headers) == "ForgotPassword") as sent:
        page.get_by_role("button", name="Send code").click()
    # moto hands back the code it would have emailed, in a response header
    code = sent.value.headers.get("x-moto-forgot-password-confirmation-code")
    assert code
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your messages")

    page.get_by_label("Code").fill(code)
    page.get_by_label("New password").fill("Reset-By-Admin-2026")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    sign_in(page, portal_url, "admin", "Reset-By-Admin-2026")
    enter_security_code(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Taylor Brooks")


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (npm ci in web/)")
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 800}, {"width": 1280, "height": 800}])
def test_pages_have_no_axe_violations(browser: Browser, portal_url: str, viewport: dict[str, int]) -> None:
    # The page's CSP (script-src 'self') would block the injected axe script; the app itself runs unchanged.
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        found: dict[str, list[str]] = {}
        page.goto(portal_url + "/")
        expect(page.get_by_label("Username")).to_be_visible()
        found["sign-in"] = _axe_violations(page)
        page.get_by_role("banner").get_by_role("button", name="Help").click()
        expect(page.get_by_role("dialog", name="Help and contact")).to_be_visible()
        found["help"] = _axe_violations(page)
        page.keyboard.press("Escape")

        sign_in(page, portal_url, "alex")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alex")
        found["home"] = _axe_violations(page)
        page.goto(portal_url + "/profile")
        expect(page.get_by_label("Phone number")).to_be_visible()
        found["profile"] = _axe_violations(page)
        page.get_by_label("Phone number").fill("12345")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        found["profile-errors"] = _axe_violations(page)
        page.goto(portal_url + "/access-log")
        expect(page.get_by_role("table")).to_be_visible()
        found["access-log"] = _axe_violations(page)
        assert {name: v for name, v in found.items() if v} == {}
    finally:
        context.close()
