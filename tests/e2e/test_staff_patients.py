"""Staff patient search in the browser: the front desk finds Alex Morgan by family name, opens her record,
books a visit for her, and Alex then sees it; a clinician finds her by birth date and lands on the chart
with its action bar; errors and the empty state; screenshots and axe at 390 and 1280 px."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    NEEDS_AXE,
    SLOW,
    checked_page,
    phone_and_desktop,
    sign_in,
)
from tests.e2e.test_appointments import appointment_card, first_time, slot_parts

ALEX_ID = "p-4f1c2a9e"  # chalicelib/local/seed.py: Alexandra "Alex" Morgan, born 1984-03-09


def sign_out(page: Page) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()


def search(page: Page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Find a patient")
    box.fill(text)
    box.press("Enter")  # keyboard only


def test_front_desk_finds_a_patient_books_for_her_and_she_sees_it(page: Page, portal_url: str) -> None:
    # Given the front desk on the Patients page, from the navigation
    sign_in(page, portal_url, "frontdesk")
    page.get_by_role("navigation").get_by_role("link", name="Patients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")
    box = page.get_by_role("searchbox", name="Find a patient")
    expect(box).to_have_accessible_description(re.compile("date of birth, phone, email, MRN or patient ID"))

    # An empty search is explained at the field, and focus stays there
    search(page, "")
    expect(box).to_have_accessible_description(re.compile("Enter a family name"))
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()

    # When they search by family name, in lower case
    search(page, "morg")

    # Then focus moves to the results, a captioned table with the listed fields only
    results = page.get_by_role("heading", level=2, name=re.compile("^Results for"))
    expect(results).to_be_focused(timeout=SLOW)
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("found by family name")
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name="Morgan, Alexandra (Alex)"))
    expect(row).to_contain_text("03/09/1984")
    expect(row).to_contain_text(re.compile(r"ending in \d{4}"))  # another test may have changed her phone
    expect(row).to_contain_text(ALEX_ID)

    # When they open her record: the overview with the action bar
    row.get_by_role("link", name="Morgan, Alexandra (Alex)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alexandra Morgan", timeout=SLOW)
    actions = page.get_by_role("navigation", name="Actions for Alexandra Morgan")
    actions.get_by_role("link", name="Book appointment").click()

    # And book a follow-up at the earliest time, through the patients' own booking flow
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Book an appointment for Alex Morgan", timeout=SLOW)
    page.get_by_role("radio", name=re.compile("^Follow-up visit")).check()
    radio = first_time(page)
    day_label, time_label, provider = slot_parts(radio.get_attribute("aria-label") or "")
    radio.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and confirm")).to_be_focused()
    expect(page.get_by_role("main")).to_contain_text("For: Alex Morgan")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_role("heading", name="The appointment is booked")).to_be_visible(timeout=SLOW)

    # Back on her record, it is listed
    page.get_by_role("link", name="Back to the patient").last.click()
    expect(page.get_by_role("region", name="Upcoming appointments")).to_contain_text(provider, timeout=SLOW)

    # Then Alex sees it on her appointments page
    sign_out(page)
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/appointments")
    expect(appointment_card(page, day_label, time_label)).to_have_count(1, timeout=SLOW)

    # And her access log says the front desk found her in a search
    page.goto(portal_url + "/access-log")
    expect(page.get_by_role("table")).to_contain_text("Appeared in a staff search", timeout=SLOW)


def test_clinician_finds_by_birth_date_and_gets_the_chart_with_actions(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "drrivera")
    page.goto(portal_url + "/staff/patients")
    search(page, "3/9/1984")
    link = page.get_by_role("link", name="Morgan, Alexandra (Alex)")
    expect(page.get_by_role("table").locator("caption")).to_contain_text("by date of birth", timeout=SLOW)
    link.click()
    expect(page.get_by_role("heading", level=2, name="Results")).to_be_visible(timeout=SLOW)  # the chart
    actions = page.get_by_role("navigation", name=re.compile("^Actions for"))
    book = actions.get_by_role("link", name="Book appointment")
    expect(book).to_have_attribute("href", f"/staff/patients/{ALEX_ID}/book")

    # Going back returns to the same results
    page.go_back()
    expect(page.get_by_role("link", name="Morgan, Alexandra (Alex)")).to_be_visible(timeout=SLOW)


def test_billing_gets_no_book_button_and_a_patient_gets_no_search(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "billing")
    page.goto(portal_url + f"/staff/patients/{ALEX_ID}")
    actions = page.get_by_role("navigation", name=re.compile("^Actions for"))
    expect(actions.get_by_role("link", name="Find another patient")).to_be_visible(timeout=SLOW)
    expect(actions.get_by_role("link", name="Book appointment")).to_have_count(0)
    sign_out(page)

    sign_in(page, portal_url, "alex")
    expect(page.get_by_role("navigation").get_by_role("link", name="Patients")).to_have_count(0)
    page.goto(portal_url + "/staff/patients")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Patients")
    expect(page.get_by_role("searchbox")).to_have_count(0)


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_staff_patient_pages_are_accessible_and_fit(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-staff-patients") as (page, check):
        sign_in(page, portal_url, "frontdesk")
        page.goto(portal_url + "/staff/patients")
        expect(page.get_by_role("searchbox", name="Find a patient")).to_be_visible()
        search(page, "02/30/1990")
        expect(page.get_by_role("searchbox")).to_have_accessible_description(re.compile("not a real date"))
        check("error")
        search(page, "Nobodyhere")
        expect(page.locator(".sp-results .empty")).to_contain_text("No patients found", timeout=SLOW)
        check("empty")
        search(page, "go")
        expect(page.get_by_role("table")).to_be_visible(timeout=SLOW)
        check("results")
        page.goto(portal_url + f"/staff/patients/{ALEX_ID}")
        expect(page.get_by_role("region", name="Upcoming appointments")).to_be_visible(timeout=SLOW)
        documents = page.get_by_role("region", name="Documents")
        expect(documents.get_by_role("listitem").first).to_be_visible(timeout=SLOW)
        expect(documents.get_by_role("button", name=re.compile("^Mark confidential"))).to_have_count(0)
        check("overview")
        page.goto(portal_url + f"/staff/patients/{ALEX_ID}/book")
        page.get_by_role("radio", name=re.compile("^Follow-up visit")).check()
        first_time(page).check()
        check("book")
        sign_out(page)
        sign_in(page, portal_url, "drrivera")
        page.goto(portal_url + f"/staff/patients/{ALEX_ID}")
        expect(page.get_by_role("heading", level=2, name="Results")).to_be_visible(timeout=SLOW)
        mark = documents.get_by_role("button", name=re.compile("^Mark confidential"))
        expect(mark.first).to_be_visible(timeout=SLOW)  # front desk sees the list, only clinicians the switch
        check("clinician-chart")
        check.assert_accessible()


MARIA_ID = "p-8b3d7e21"  # chalicelib/local/seed.py: María González, phone (217) 555-0187


def _edit_phone(page: Page, new_phone: str) -> None:
    page.get_by_role("button", name="Edit contact details").click()
    phone = page.get_by_label("Phone number")
    phone.fill(new_phone)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Your changes were saved.")).to_be_visible(timeout=SLOW)


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_front_desk_finds_by_phone_and_email_and_edits_the_phone_in_words_about_the_patient(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-staff-contact") as (page, check):
        sign_in(page, portal_url, "frontdesk")
        page.goto(portal_url + "/staff/patients")
        # By phone, typed with its punctuation; then by email, in capitals
        search(page, "217-555-0187")
        table = page.get_by_role("table")
        expect(table.locator("caption")).to_contain_text("phone", timeout=SLOW)
        expect(table.get_by_role("link", name=re.compile("^González, María"))).to_be_visible()
        search(page, "MARIA@PATIENTS.EXAMPLE")
        expect(table.locator("caption")).to_contain_text("email", timeout=SLOW)
        table.get_by_role("link", name=re.compile("^González, María")).click()

        # The editor speaks about the patient, not to them
        page.get_by_role("button", name="Edit contact details").click()
        form = page.locator("form.profile-form")
        expect(form).to_contain_text("Legal name")
        expect(form).not_to_contain_text("your legal name")
        expect(form.get_by_role("heading", name="About the patient")).to_be_visible()
        expect(form.get_by_text("Relationship to the patient")).to_be_visible()
        check("editor")
        page.get_by_label("Phone number").fill("(217) 555-0166")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_role("status").filter(has_text="Your changes were saved.")).to_be_visible(
            timeout=SLOW
        )
        check("saved")
        check.assert_accessible()

        # The new number finds her; then the seed's number is put back for the other tests
        page.goto(portal_url + "/staff/patients")
        search(page, "(217) 555-0166")
        expect(
            page.get_by_role("table").get_by_role("link", name=re.compile("^González, María"))
        ).to_be_visible(timeout=SLOW)
        page.goto(portal_url + f"/staff/patients/{MARIA_ID}")
        _edit_phone(page, "(217) 555-0187")
