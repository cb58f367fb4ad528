"""Family access in the browser, at phone width (390 px): Alex invites Jamie with appointments and billing
only, sees the invitation pending and cancels a second one (whose code then fails); Jamie accepts with
the code from the local SES outbox and, acting for Alex, sees the banner on every page, appointments and
billing, and nothing else (no menu entry; the address of any other page says it is not part of the
access). Jamie opens Quinn's (15) record: the immunizations and a notice that some information is hidden,
never the confidential result. Someone without an account activates a patient's invitation at /activate
and lands acting for the patient within the chosen areas. Screenshots and axe on every page visited.

The e2e server is shared: the invitations use addresses of their own, and every run ends with its
caregivers' access to Alex's record removed and its invitations cancelled, so the seed is as it was.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, PageChecks, checked_page, sign_in

PHONE = {"width": 390, "height": 844}
ALEX = "Alex Morgan"
QUINN_PID = "p-7a3e5b10"
CONFIDENTIAL_RESULT = f"seed-{QUINN_PID}-result-2"  # Quinn's confidential sexual-health test (the seed)
BANNER = "Acting for Alex Morgan · You can use: Appointments and Billing"
# Pages outside an appointments-and-billing grant, by address.
OUTSIDE = ("/record", "/results", "/messages", "/documents", "/refills", "/access-log")


def invitation_code(portal_url: str, address: str) -> str:
    """The code in the newest caregiver invitation emailed to `address` (the local SES outbox)."""
    with urllib.request.urlopen(f"{portal_url}/_local/outbox.json", timeout=10) as response:  # noqa: S310
        messages = [m for m in json.load(response) if address in m["to"]]
    assert messages, f"no email to {address}"
    found = re.search(r"invitation code: ([A-Z0-9-]+)", messages[-1]["body"])
    assert found
    return found[1]


def assert_clean(*checks: PageChecks) -> None:
    """Every page axe-clean; a failure names each page's violations."""
    found = {f"{c.prefix}-{name}": v for c in checks for name, v in c.found.items() if v}
    assert not found, json.dumps(found, indent=1)


def open_menu(page: Page) -> None:
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def invite(page: Page, name: str, email: str) -> None:
    card = page.get_by_role("region", name="Invite someone to help with your care")
    card.get_by_label("Their name").fill(name)
    card.get_by_label("Their email address").fill(email)
    card.get_by_label("How they are related to you").select_option(label="Spouse or partner")
    card.get_by_label("Only the areas I choose").check()
    card.get_by_label("Appointments").check()
    card.get_by_label("Billing").check()
    card.get_by_role("button", name="Send invitation").click()
    expect(card.get_by_role("status")).to_contain_text(f"We emailed an invitation to {name}.", timeout=SLOW)


def _clean_up(
    browser: Browser, portal_url: str, names: tuple[str, ...], remove: tuple[str, ...] = ("Jamie Morgan",)
) -> None:
    """Whatever happened: the run's caregivers' access to Alex's record removed, its invitations cancelled."""
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, portal_url, "alex")
        page.goto(portal_url + "/profile")
        who = page.get_by_role("region", name="Who can see your record")
        expect(who.locator(".proxy-list, .proxy-empty")).to_be_visible(timeout=SLOW)
        for person in remove:
            button = who.get_by_role("button", name=f"Remove access for {person}")
            if button.count():
                button.click()
                page.get_by_role("button", name="Yes, remove access").click()
                expect(button).to_have_count(0, timeout=SLOW)
        for name in names:
            cancel = page.get_by_role("button", name=f"Cancel invitation for {name}")
            if cancel.count():
                cancel.click()
                expect(cancel).to_have_count(0, timeout=SLOW)
    finally:
        context.close()


@NEEDS_AXE
def test_a_patient_invites_a_caregiver_for_appointments_and_billing_only(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    jamie_email, robin_email = f"jamie.{run}@example.org", f"robin.{run}@example.org"
    robin = f"Robin Test{run[:3].upper()}"
    try:
        with (
            checked_page(browser, PHONE, screenshot_dir, "family-phone-patient") as (alex, alex_checks),
            checked_page(browser, PHONE, screenshot_dir, "family-phone-caregiver") as (jamie, checks),
        ):
            sign_in(alex, portal_url, "alex")
            alex.goto(portal_url + "/profile")
            invite(alex, "Jamie Morgan", jamie_email)
            invite(alex, robin, robin_email)
            pending = alex.get_by_role("region", name="Invitations not yet accepted")
            row = pending.locator(".item-row").filter(has_text="Jamie Morgan")
            expect(row).to_contain_text("j\u2022\u2022\u2022@example.org", timeout=SLOW)
            expect(row).to_contain_text("Appointments, Billing · Can act on their behalf · No end date")
            expect(row).to_contain_text(
                re.compile(r"Sent \w+ \d+, \d{4} · The code works until \w+ \d+, \d{4}")
            )
            expect(row).not_to_contain_text(jamie_email)  # masked on the screen
            pending.scroll_into_view_if_needed()
            alex_checks("pending")

            # Cancelling the second one takes it off the list; its code no longer works.
            robin_code = invitation_code(portal_url, robin_email)
            pending.get_by_role("button", name=f"Cancel invitation for {robin}").click()
            expect(pending.get_by_role("status")).to_contain_text(
                f"The invitation to {robin} is cancelled.", timeout=SLOW
            )
            expect(pending.locator(".item-row").filter(has_text=robin)).to_have_count(0)
            expect(pending.locator(".item-row").filter(has_text="Jamie Morgan")).to_have_count(1)
            expect(pending.get_by_role("heading", name="Invitations not yet accepted")).to_be_focused()
            alex_checks("cancelled")

            # Jamie accepts on their own profile: first the cancelled code (refused, saying why), then theirs.
            sign_in(jamie, portal_url, "jamie")
            jamie.goto(portal_url + "/profile")
            accept = jamie.get_by_role("region", name="Accept a caregiver invitation")
            accept.get_by_label("Invitation code").fill(robin_code)
            accept.get_by_role("button", name="Accept invitation").click()
            expect(accept.get_by_text("It may have been cancelled or used already.")).to_be_visible(
                timeout=SLOW
            )
            accept.get_by_label("Invitation code").fill(invitation_code(portal_url, jamie_email))
            accept.get_by_role("button", name="Accept invitation").click()
            expect(accept.get_by_role("status")).to_contain_text("Invitation accepted.", timeout=SLOW)
            checks("accepted")

            switcher = jamie.get_by_label("Viewing record of:")
            expect(switcher.locator("option", has_text=ALEX)).to_have_count(1, timeout=SLOW)
            switcher.select_option(label=ALEX)
            banner = jamie.locator(".acting-banner")
            expect(banner).to_have_text(BANNER, timeout=SLOW)

            # The menu offers only what the grant covers.
            jamie.goto(portal_url + "/")
            expect(jamie.get_by_role("heading", level=1)).to_be_visible(timeout=SLOW)
            open_menu(jamie)
            nav = jamie.get_by_role("navigation", name="Main")
            links = [text.strip() for text in nav.get_by_role("link").all_inner_texts()]
            assert "Appointments" in links
            assert "Billing" in links
            assert not {"Health record", "Who viewed my record"} & set(links)
            assert not any(text.startswith("Messages") for text in links)
            expect(banner).to_have_text(BANNER)
            checks("home")

            for path, heading in (
                ("/appointments", "Alex Morgan's appointments"),
                ("/billing", "Billing for Alex Morgan"),
            ):
                jamie.goto(portal_url + path)
                expect(jamie.get_by_role("heading", level=1)).to_have_text(heading, timeout=SLOW)
                expect(banner).to_have_text(BANNER)
                expect(jamie.get_by_role("status").filter(has_text="Loading")).to_have_count(0, timeout=SLOW)
                checks(path.strip("/"))

            for path in OUTSIDE:
                jamie.goto(portal_url + path)
                expect(jamie.get_by_role("heading", level=1)).to_have_text(
                    "Not part of your access", timeout=SLOW
                )
                expect(jamie.locator("main")).to_contain_text("You can use: Appointments and Billing.")
                expect(banner).to_have_text(BANNER)
                checks(f"outside-{path.strip('/')}")

            # Alex now sees Jamie under "Who can see your record", and nothing pending.
            alex.reload()
            who = alex.get_by_role("region", name="Who can see your record")
            expect(who.locator(".item-row").filter(has_text="Jamie Morgan")).to_contain_text(
                "Appointments, Billing · Can act on their behalf", timeout=SLOW
            )
            expect(alex.get_by_role("region", name="Invitations not yet accepted")).to_have_count(0)
            alex_checks("accepted")
            assert_clean(checks, alex_checks)
    finally:
        _clean_up(browser, portal_url, ("Jamie Morgan", robin))


@NEEDS_AXE
def test_a_parent_sees_a_teenagers_safe_areas_and_never_the_confidential_result(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    with checked_page(browser, PHONE, screenshot_dir, "family-phone-parent") as (jamie, checks):
        sign_in(jamie, portal_url, "jamie")
        jamie.get_by_label("Viewing record of:").select_option(label="Quinn Morgan")
        banner = jamie.locator(".acting-banner")
        expect(banner).to_contain_text("Acting for Quinn Morgan", timeout=SLOW)
        main = jamie.locator("main")

        jamie.goto(portal_url + "/")
        expect(jamie.get_by_role("heading", level=1)).to_be_visible(timeout=SLOW)
        expect(jamie.get_by_role("status").filter(has_text="Loading")).to_have_count(0, timeout=SLOW)
        expect(main).not_to_contain_text("Chlamydia")
        expect(main).not_to_contain_text(re.compile(r"new test results?", re.IGNORECASE))
        checks("home")

        jamie.goto(portal_url + "/record")
        expect(jamie.get_by_role("heading", level=1)).to_have_text(
            "Quinn Morgan's health record", timeout=SLOW
        )
        expect(main).to_contain_text("HPV, 9-valent", timeout=SLOW)
        expect(main).to_contain_text("Tdap")
        expect(main).to_contain_text("Some information is private to the patient and is not shown here.")
        expect(main).not_to_contain_text("Chlamydia")
        expect(banner).to_contain_text("Acting for Quinn Morgan")
        # No links to results or documents, no download or printed summary: the vaccines are all there is.
        expect(main.get_by_role("link", name="Test results")).to_have_count(0)
        expect(main.get_by_role("link", name="Documents")).to_have_count(0)
        expect(main.get_by_role("button", name="Download my record (FHIR)")).to_have_count(0)
        checks("record")

        jamie.goto(portal_url + "/appointments")
        expect(jamie.get_by_role("heading", level=1)).to_have_text(
            "Quinn Morgan's appointments", timeout=SLOW
        )
        expect(jamie.get_by_role("status").filter(has_text="Loading")).to_have_count(0, timeout=SLOW)
        expect(banner).to_contain_text("Acting for Quinn Morgan")
        checks("appointments")

        # The vaccines are all of the health record a teenager's parent is given: results and documents
        # are not offered, and their addresses, the confidential result's too, show the not-available page.
        expect(banner).to_contain_text("You can use: Appointments, Billing and Vaccines")
        for path in ("/results", f"/results/{CONFIDENTIAL_RESULT}", "/documents", "/messages"):
            jamie.goto(portal_url + path)
            expect(jamie.get_by_role("heading", level=1)).to_have_text(
                "Not part of your access", timeout=SLOW
            )
            expect(main).not_to_contain_text("Chlamydia")
            expect(main).not_to_contain_text("Not detected")
        checks("results")
        assert_clean(checks)


@NEEDS_AXE
def test_someone_without_an_account_activates_a_patients_invitation(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    email, name = f"pat.{run}@example.org", f"Pat Newcomer{run[:3].upper()}"
    try:
        with (
            checked_page(browser, PHONE, screenshot_dir, "family-phone-patient-new") as (alex, _),
            checked_page(browser, PHONE, screenshot_dir, "family-phone-new-caregiver") as (pat, checks),
        ):
            sign_in(alex, portal_url, "alex")
            alex.goto(portal_url + "/profile")
            invite(alex, name, email)

            # The activation asks for the patient's birth date and ZIP code, as for any invited caregiver.
            pat.goto(portal_url + "/activate")
            pat.get_by_label("Activation code").fill(invitation_code(portal_url, email))
            pat.get_by_label("Patient's date of birth").fill("03/09/1984")
            pat.get_by_label("ZIP code").fill("62704")
            pat.get_by_role("button", name="Continue").click()
            expect(pat.get_by_role("heading", level=1)).to_have_text("Choose your sign-in", timeout=SLOW)
            pat.get_by_label("Username").fill(f"pat.{run}")
            pat.get_by_label("Password", exact=True).fill("Sunny-Garden-42!")
            pat.get_by_label("Type the password again").fill("Sunny-Garden-42!")
            checks("choose-sign-in")
            pat.get_by_role("button", name="Create account and sign in").click()
            banner = pat.locator(".acting-banner")
            expect(banner).to_have_text(
                f"Acting for {ALEX} · You can use: Appointments and Billing", timeout=SLOW
            )
            pat.goto(portal_url + "/appointments")
            expect(pat.get_by_role("heading", level=1)).to_have_text(
                "Alex Morgan's appointments", timeout=SLOW
            )
            expect(pat.get_by_role("status").filter(has_text="Loading")).to_have_count(0, timeout=SLOW)
            checks("appointments")

            alex.reload()
            who = alex.get_by_role("region", name="Who can see your record")
            expect(who.locator(".item-row").filter(has_text=name)).to_contain_text(
                "Appointments, Billing · Can act on their behalf", timeout=SLOW
            )
            assert_clean(checks)
    finally:
        _clean_up(browser, portal_url, (name,), remove=(name,))
