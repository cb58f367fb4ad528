"""Secure messaging and refills in the browser: a patient writes to Dr. Rivera's team with an
attachment, the clinician finds it unread in the shared inbox, takes it and replies, and the patient's unread
badge comes and goes; a body with markup shows as text; a refill request is approved and the patient sees
it. Plus screenshots (390 px and 1280 px) and axe checks of every messaging page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, own_session, phone_and_desktop, sign_in
from tests.e2e.helpers import tiny_png as _tiny_png

SCRIPT = "<script>alert(1)</script>"


def _no_alerts(page: Page) -> list[str]:
    """Any dialog a page opens lands here (a script in a message body must never run)."""
    seen: list[str] = []

    def record(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def _nav_badge(page: Page) -> int:
    """The unread count on "Messages" in the navigation (0 when no badge is shown)."""
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Messages"))
    expect(link).to_be_visible()
    # The badge loads on its own request: "no badge" only means 0 once that request has answered.
    page.wait_for_load_state("networkidle")
    badge = link.locator(".nav-badge")
    if badge.count() == 0:
        return 0
    return int(re.sub(r"\D", "", badge.inner_text()))


@pytest.fixture
def clinician(browser: Browser, portal_url: str) -> Iterator[Page]:
    """A second, independent browser session for Dr. Rivera (a member of "Dr. Rivera's team")."""
    with own_session(browser, portal_url, "drrivera") as page:
        yield page


def test_message_with_attachment_unread_in_the_inbox_reply_and_the_badge_clears(
    page: Page, clinician: Page, portal_url: str, tmp_path: Path
) -> None:
    alerts = _no_alerts(page) + _no_alerts(clinician)
    subject = f"Readings from my new cuff {uuid.uuid4().hex[:6]}"
    body = f"{SCRIPT}\nMy morning readings are attached. Is this OK?"
    scan = tmp_path / "bp-readings.png"
    scan.write_bytes(_tiny_png())

    # Given Alex on Messages, with the unread count the demo left
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, portal_url, "alex")
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Messages")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_test_id("thread-list")).to_be_visible(timeout=SLOW)
    unread_before = _nav_badge(page)

    # When they start a new message, the emergency notice is there, and mistakes are explained per field
    page.get_by_role("link", name="New message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New message")
    expect(page.get_by_test_id("emergency-notice")).to_contain_text("911")
    page.get_by_role("button", name="Send message").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Choose who your message is for.")
    expect(summary).to_contain_text("Enter a subject.")
    expect(summary).to_contain_text("Write your message.")
    expect(page.get_by_label("Message", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Message", exact=True)).to_have_attribute(
        "aria-describedby", re.compile("msg-body-error")
    )
    summary.get_by_role("link", name="Enter a subject.").click()
    expect(page.get_by_label("Subject")).to_be_focused()

    # Over the 10,000-character limit the counter says so and nothing is sent
    page.get_by_label("Message", exact=True).fill("x" * 10_001)
    expect(page.locator("#msg-body-count")).to_have_text("1 character over the limit of 10,000")
    page.get_by_role("radio", name="Dr. Rivera's team").check()
    page.get_by_label("Subject").fill(subject)
    page.get_by_role("button", name="Send message").click()
    expect(summary).to_contain_text("1 character too long")

    # A file of the wrong type is refused before upload
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a scan")
    page.get_by_label("Attach a file").set_input_files(wrong)
    expect(page.locator("#msg-file-error")).to_contain_text("only PDF, JPEG and PNG files are accepted")

    # Then a proper message with a PNG attached is sent
    page.get_by_label("Message", exact=True).fill(body)
    expect(page.locator("#msg-body-count")).to_contain_text("of 10,000 characters")
    page.get_by_label("Attach a file").set_input_files(scan)
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(subject, timeout=SLOW)
    expect(page.get_by_role("status").filter(has_text="Your message was sent")).to_be_visible()
    mine = page.locator("li.msg").last
    expect(mine.locator(".msg-body")).to_have_text(body)  # the script is text, not markup
    expect(mine.get_by_role("button", name=re.compile("bp-readings.png"))).to_be_visible()
    assert page.locator(".msg-body script").count() == 0

    # The clinician finds it unread in Dr. Rivera's team's inbox, waiting
    clinician.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Care-team inbox")
    expect(clinician.get_by_role("button", name=re.compile("^Unread"))).to_have_attribute(
        "aria-pressed", "true"
    )
    row = clinician.locator("li.msg-thread").filter(has_text=subject)
    expect(row).to_be_visible(timeout=SLOW)
    expect(row.get_by_test_id("thread-unread")).to_be_visible()
    expect(row).to_contain_text("Alex Morgan")
    expect(row).to_contain_text("Waiting")

    # They open it, take it, see the script as text and the attachment, and reply
    row.get_by_role("link").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text(subject, timeout=SLOW)
    expect(clinician.locator("li.msg").last.locator(".msg-body")).to_have_text(body)
    with clinician.expect_download() as download:
        clinician.get_by_role("button", name=re.compile("bp-readings.png")).click()
    assert download.value.suggested_filename == "bp-readings.png"
    clinician.get_by_role("button", name="Assign to me").click()
    expect(clinician.get_by_role("status").filter(has_text="assigned to you")).to_be_visible(timeout=SLOW)
    expect(clinician.locator(".msg-details")).to_contain_text("Dr. Priya Rivera")
    clinician.get_by_label("Your reply").fill("Thanks Alex, these look fine. Keep going as you are.")
    clinician.get_by_role("button", name="Send reply").click()
    expect(clinician.get_by_role("status").filter(has_text="Your reply was sent")).to_be_visible(timeout=SLOW)

    # It has left the unread tab and waits under open
    clinician.get_by_role("link", name="← Inbox").click()
    expect(clinician.get_by_test_id("inbox-list").or_(clinician.locator(".card.empty"))).to_be_visible(
        timeout=SLOW
    )
    expect(clinician.locator("li.msg-thread").filter(has_text=subject)).to_have_count(0)
    clinician.get_by_role("button", name=re.compile("^Open")).click()
    expect(clinician.locator("li.msg-thread").filter(has_text=subject)).to_be_visible(timeout=SLOW)

    # The patient sees a new reply: the badge counts it, and the conversation is marked new
    page.get_by_role("link", name="← Messages").click()
    expect(page.get_by_test_id("thread-list")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("navigation", name="Main").locator(".nav-badge")).to_have_text(
        re.compile(rf"^{unread_before + 1}\b"), timeout=SLOW
    )
    mine_row = page.locator("li.msg-thread").filter(has_text=subject)
    expect(mine_row.get_by_test_id("thread-unread")).to_be_visible()
    expect(mine_row).to_contain_text("Care team replied")
    mine_row.get_by_role("link").click()
    reply = page.locator("li.msg").filter(has_text="these look fine")
    expect(reply).to_be_visible(timeout=SLOW)
    expect(reply).to_contain_text("Dr. Priya Rivera")

    # Having read it, the badge goes back down and the row is no longer new
    page.get_by_role("link", name="← Messages").click()
    expect(page.get_by_test_id("thread-list")).to_be_visible(timeout=SLOW)
    expect(
        page.locator("li.msg-thread").filter(has_text=subject).get_by_test_id("thread-unread")
    ).to_have_count(0)
    badge = page.get_by_role("navigation", name="Main").locator(".nav-badge")
    if unread_before:
        expect(badge).to_have_text(re.compile(rf"^{unread_before}\b"), timeout=SLOW)
    else:
        expect(badge).to_have_count(0, timeout=SLOW)
    assert alerts == []


def test_closed_conversation_takes_no_reply(page: Page, portal_url: str) -> None:
    # The demo's "Parking" conversation was closed by the front desk
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/messages")
    page.locator("li.msg-thread").filter(has_text="Parking").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parking", timeout=SLOW)
    expect(page.get_by_text("This conversation is closed")).to_be_visible()
    expect(page.get_by_role("button", name="Send reply")).to_have_count(0)


def test_refill_request_is_approved_and_the_patient_sees_it(
    page: Page, clinician: Page, portal_url: str
) -> None:
    # Given Alex on Prescription refills: the medication with an open request can't be picked again
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/refills")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prescription refills")
    medication = page.get_by_label("Medication")
    expect(medication).to_be_visible(timeout=SLOW)
    expect(medication.locator("option", has_text="Metformin")).to_be_disabled()
    expect(medication.locator("option", has_text="Glipizide")).to_have_count(0)  # stopped

    # Asking without a medication says what is missing, tied to the field
    page.get_by_role("button", name="Request refill").click()
    expect(page.locator("#refill-medication-error")).to_have_text(
        re.compile("Choose the medication to refill.")
    )
    expect(medication).to_have_attribute("aria-invalid", "true")

    # When they ask for Cetirizine at the corner pharmacy with a note
    medication.select_option(label="Cetirizine 10 mg tablet")
    page.get_by_role("radio", name=re.compile("^Springfield Corner Pharmacy")).check()
    page.get_by_label("Note for your care team (optional)").fill("Down to my last 5 tablets.")
    page.get_by_role("button", name="Request refill").click()
    expect(page.get_by_role("status").filter(has_text="Your refill request for Cetirizine")).to_be_visible(
        timeout=SLOW
    )
    card = page.locator("li.msg-refill").filter(has_text="Cetirizine").first
    expect(card).to_contain_text("Waiting for review")
    expect(medication.locator("option", has_text="Cetirizine")).to_be_disabled()

    # The clinician finds it on the open-refills work list; a denial needs a note
    clinician.get_by_role("navigation", name="Main").get_by_role("link", name="Refills").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Refill requests")
    item = clinician.locator("li.msg-refill").filter(has_text="Cetirizine 10 mg tablet for Alex Morgan")
    expect(item).to_be_visible(timeout=SLOW)
    expect(item).to_contain_text("Down to my last 5 tablets.")
    item.get_by_role("button", name=re.compile("^Deny")).click()
    note = item.get_by_label("Note for the patient")
    expect(note).to_be_focused()
    expect(note).to_have_attribute("aria-invalid", "true")
    note.fill("Sent 90 days with one refill to your pharmacy.")
    item.get_by_role("button", name=re.compile("^Approve")).click()
    expect(item.locator(".msg-pill")).to_have_text("Approved", timeout=SLOW)

    # Then the patient sees it approved, with the note
    page.reload()
    card = page.locator("li.msg-refill").filter(has_text="Cetirizine").first
    expect(card).to_contain_text("Approved", timeout=SLOW)
    expect(card).to_contain_text("Sent 90 days with one refill to your pharmacy.")
    expect(card).to_contain_text("Dr. Priya Rivera")


@pytest.mark.usefixtures("maria_reads_english")
def test_a_patient_saves_a_new_pharmacy_and_removes_it(page: Page, portal_url: str) -> None:
    # Given María on Prescription refills, with one saved pharmacy
    sign_in(page, portal_url, "maria")
    page.goto(portal_url + "/refills")
    pharmacies = page.locator("#pharmacies")
    expect(pharmacies.get_by_role("button", name="Remove Farmacia Central")).to_be_visible(timeout=SLOW)

    # Saving the add form empty names each missing field, tied to the field
    pharmacies.get_by_role("button", name="Add a pharmacy").click()
    pharmacies.get_by_role("button", name="Save pharmacy").click()
    expect(page.locator("#pharmacy-name-error")).to_have_text(re.compile("Enter the pharmacy name."))
    expect(pharmacies.get_by_label("City")).to_have_attribute("aria-invalid", "true")

    # A phone number the clinic can't use comes back from the server, on its field, and nothing is saved
    pharmacies.get_by_label("Pharmacy name").fill("Maple Street Pharmacy")
    pharmacies.get_by_label("Pharmacy phone").fill("12")
    pharmacies.get_by_label("Street address").fill("48 Maple Street")
    pharmacies.get_by_label("City").fill("Springfield")
    pharmacies.get_by_label("State").select_option("IL")
    pharmacies.get_by_label("ZIP code").fill("62701")
    pharmacies.get_by_role("button", name="Save pharmacy").click()
    expect(page.locator("#pharmacy-phone-error")).to_be_visible(timeout=SLOW)
    expect(pharmacies.get_by_role("button", name="Remove Maple Street Pharmacy")).to_have_count(0)

    # With a real number it is saved, kept across a reload, and becomes a choice for refills
    pharmacies.get_by_label("Pharmacy phone").fill("(217) 555-0188")
    pharmacies.get_by_role("button", name="Save pharmacy").click()
    expect(pharmacies.get_by_role("status")).to_contain_text("Maple Street Pharmacy is saved", timeout=SLOW)
    page.reload()
    expect(page.get_by_role("radio", name=re.compile("^Maple Street Pharmacy"))).to_be_visible(timeout=SLOW)

    # And it can be removed again
    page.locator("#pharmacies").get_by_role("button", name="Remove Maple Street Pharmacy").click()
    expect(page.locator("#pharmacies").get_by_role("status")).to_contain_text(
        "Maple Street Pharmacy is removed", timeout=SLOW
    )
    expect(page.get_by_role("radio", name=re.compile("^Maple Street Pharmacy"))).to_have_count(0)


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_messaging_pages_screenshots_and_axe(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-messages") as (page, check):
        sign_in(page, portal_url, "alex")
        page.goto(portal_url + "/messages")
        expect(page.get_by_test_id("thread-list")).to_be_visible(timeout=SLOW)
        check("inbox")
        page.locator("li.msg-thread").filter(has_text="Home blood pressure readings").get_by_role(
            "link"
        ).click()
        expect(page.locator("li.msg").nth(1)).to_be_visible(timeout=SLOW)
        check("thread")
        page.goto(portal_url + "/messages/new")
        expect(page.get_by_test_id("emergency-notice")).to_be_visible(timeout=SLOW)
        page.get_by_role("button", name="Send message").click()
        expect(page.locator(".error-summary")).to_be_visible()
        check("compose-errors")
        page.goto(portal_url + "/refills")
        expect(page.get_by_test_id("refill-list")).to_be_visible(timeout=SLOW)
        check("refills")

        page.evaluate("sessionStorage.clear()")  # a fresh sign-in as the clinician in the same tab
        sign_in(page, portal_url, "drrivera")
        page.goto(portal_url + "/staff/messages")
        page.get_by_role("button", name=re.compile("^Open")).click()
        expect(page.get_by_test_id("inbox-list")).to_be_visible(timeout=SLOW)
        check("staff-inbox")
        page.locator("li.msg-thread").first.get_by_role("link").click()
        expect(page.get_by_role("heading", name="Details")).to_be_visible(timeout=SLOW)
        check("staff-thread")
        page.goto(portal_url + "/staff/refills")
        expect(page.locator("li.msg-refill").first).to_be_visible(timeout=SLOW)
        check("staff-refills")
        check.assert_accessible()
