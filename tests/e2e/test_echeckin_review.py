"""eCheck-in into the record: a patient reports a new allergy and a new insurance card at eCheck-in, the
front desk opens the visit from the schedule, sees both beside what is on file and accepts them, and the
chart and the insurance on file then show them with where they came from."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, own_session, sign_in, tiny_png

CLINIC_ZONE = ZoneInfo("America/Chicago")
MARIA = "p-8b3d7e21"


pytestmark = pytest.mark.usefixtures("maria_reads_english")


def _iso_day(label: str) -> str:
    """'Friday, December 11' (or with a year) -> the next such clinic date, as YYYY-MM-DD."""
    today = datetime.now(CLINIC_ZONE).date()
    _, month_day, *year = [part.strip() for part in label.split(",")]
    for candidate in [int(year[0])] if year else [today.year, today.year + 1]:
        day = datetime.strptime(f"{month_day} {candidate}", "%B %d %Y").date()
        if day >= today:
            return day.isoformat()
    raise AssertionError(f"not an upcoming day: {label!r}")


def _patient_checks_in(page: Page, portal_url: str) -> tuple[str, str]:
    """María's next visit: she keeps her medication, adds an allergy and a new card. Returns (id, day)."""
    sign_in(page, portal_url, "maria")
    page.goto(portal_url + "/appointments")
    card = page.locator("li.appt-card").filter(has=page.get_by_role("link", name="Start eCheck-in")).first
    expect(card).to_be_visible(timeout=SLOW)
    day = card.locator(".appt-card-day").inner_text()
    card.get_by_role("link", name="Start eCheck-in").click()
    expect(page.get_by_role("button", name="Submit eCheck-in")).to_be_visible(timeout=SLOW)
    appointment_id = re.search(r"/appointments/([^/]+)/check-in", page.url)
    assert appointment_id, page.url
    # The form starts from the record: her insurance on file, her medication, her allergy.
    expect(page.get_by_label("With my health insurance")).to_be_checked()
    expect(page.get_by_label("Insurance company")).not_to_have_value("")
    expect(page.get_by_role("textbox", name="Medication 1", exact=True)).to_have_value(
        re.compile("Levothyroxine")
    )
    expect(page.get_by_role("textbox", name="Allergic to 1", exact=True)).to_have_value("Codeine")

    page.get_by_label("These details are correct").check()
    page.get_by_label("Insurance company").fill("Lakeshore Health Plan")
    page.get_by_label("Member ID").fill("LHP-9000-4321")
    page.get_by_role("button", name="Add an allergy").click()
    page.get_by_role("textbox", name="Allergic to 2", exact=True).fill("Penicillin")
    page.get_by_role("textbox", name="Reaction for allergy 2 (optional)").fill("Hives")
    page.get_by_label("What would you like to talk about at this visit?").fill("Knee pain")
    page.get_by_role("button", name="Submit eCheck-in").click()
    expect(page.get_by_role("heading", name="You're checked in")).to_be_visible(timeout=SLOW)
    return appointment_id[1], day


def test_front_desk_accepts_a_new_allergy_and_card_into_the_record(
    browser: Browser, page: Page, portal_url: str
) -> None:
    appointment_id, day = _patient_checks_in(page, portal_url)

    with own_session(browser, portal_url, "frontdesk") as desk:
        # The schedule links to the visit's answers
        desk.get_by_role("navigation").get_by_role("link", name="Schedule").click()
        provider = desk.get_by_label("Provider")
        expect(provider).to_be_visible(timeout=SLOW)
        provider.select_option(
            label=next(o for o in provider.locator("option").all_text_contents() if "Rivera" in o)
        )
        desk.get_by_label("Date").fill(_iso_day(day))
        desk.get_by_role("link", name="Review answers of María González").first.click()
        expect(desk.get_by_role("heading", level=1)).to_have_text("eCheck-in review", timeout=SLOW)
        assert appointment_id in desk.url

        # Each answer beside what is on file
        changes = desk.get_by_role("region", name="Changes to review")
        allergy = changes.get_by_role("listitem").filter(has_text="Penicillin (Hives)")
        expect(allergy).to_contain_text("New allergy", timeout=SLOW)
        expect(allergy).to_contain_text("Nothing on file")
        card = changes.get_by_role("listitem").filter(has_text="Lakeshore Health Plan, member LHP-9000-4321")
        expect(card).to_contain_text("Changed insurance card")
        expect(card.locator("dd").nth(1)).not_to_contain_text("Lakeshore")  # the card on file today
        expect(desk.get_by_role("region", name="Matches the record")).to_contain_text("Codeine")

        allergy.get_by_role("button", name=re.compile("^Accept into the record")).click()
        expect(allergy).to_contain_text("Accepted by Sam Lee", timeout=SLOW)
        card.get_by_role("button", name=re.compile("^Accept into the record")).click()
        expect(card).to_contain_text("Accepted by Sam Lee", timeout=SLOW)

        # The insurance on file shows the new card, waiting for a check, and where it came from
        desk.goto(f"{portal_url}/staff/patients/{MARIA}")
        insurance = desk.get_by_role("region", name="Insurance on file")
        new_card = insurance.get_by_role("listitem").filter(has_text="Lakeshore Health Plan")
        expect(new_card).to_contain_text("eCheck-in, accepted by Sam Lee", timeout=SLOW)

    # The clinician's chart shows the allergy with its source
    with own_session(browser, portal_url, "drrivera") as doctor:
        doctor.goto(f"{portal_url}/staff/patients/{MARIA}")
        allergies = doctor.get_by_role("region", name="Allergies")
        expect(allergies.get_by_role("listitem").filter(has_text="Penicillin")).to_contain_text(
            "From the patient's eCheck-in, accepted by Sam Lee", timeout=SLOW
        )


@NEEDS_AXE
def test_review_page_screenshots_and_axe(browser: Browser, portal_url: str, screenshot_dir: Path) -> None:
    # The demo clinic's seeded check-in (María, today): one of each change to review.
    found: dict[str, list[str]] = {}
    for device, viewport in (
        ("desktop", {"width": 1280, "height": 800}),
        ("phone", {"width": 390, "height": 844}),
    ):
        with checked_page(browser, viewport, screenshot_dir, f"{device}-echeckin-review") as (page, check):
            sign_in(page, portal_url, "frontdesk")
            page.goto(portal_url + "/schedule")  # the phone's menu hides the navigation
            provider = page.get_by_label("Provider")
            expect(provider).to_be_visible(timeout=SLOW)
            provider.select_option(
                label=next(o for o in provider.locator("option").all_text_contents() if "Alvarez" in o)
            )
            link = page.get_by_role("link", name="Review answers of María González").first
            page.wait_for_load_state("networkidle")
            if link.count() == 0:  # seeded on the next clinic day when today's hours are over
                page.get_by_role("button", name=re.compile("Next day")).click()
            expect(link).to_be_visible(timeout=SLOW)
            check("schedule")
            link.click()
            expect(page.get_by_role("region", name="Changes to review")).to_contain_text(
                "Sulfa drugs", timeout=SLOW
            )
            check("page")
            found.update(check.found)
    assert {name: v for name, v in found.items() if v} == {}


def test_patient_adds_a_card_from_billing_and_the_front_desk_checks_it(
    browser: Browser, page: Page, portal_url: str
) -> None:
    sign_in(page, portal_url, "maria")
    page.goto(portal_url + "/billing")
    insurance = page.get_by_role("region", name="Insurance on file")
    insurance.get_by_role("button", name="Add an insurance card").click()
    page.get_by_label("Insurance company").fill("Harbor Dental Plan")
    page.get_by_label("Member ID").fill("HDP-771-002")
    front: FilePayload = {"name": "front.png", "mimeType": "image/png", "buffer": tiny_png()}
    page.get_by_label("Photo of the card's front").set_input_files(files=[front])
    page.get_by_role("button", name="Save card").click()
    added = insurance.get_by_role("listitem").filter(has_text="Harbor Dental Plan")
    expect(added).to_contain_text("Waiting for the clinic to check", timeout=SLOW)

    with own_session(browser, portal_url, "frontdesk") as desk:
        desk.goto(f"{portal_url}/staff/patients/{MARIA}")
        on_file = desk.get_by_role("region", name="Insurance on file")
        card = on_file.get_by_role("listitem").filter(has_text="Harbor Dental Plan")
        expect(card).to_contain_text("Not yet checked", timeout=SLOW)
        card.get_by_role("button", name=re.compile("^Mark verified")).click()
        expect(card).to_contain_text("Verified", timeout=SLOW)
