"""The front desk's clinic day in the browser: every provider's visits on one screen; the front desk marks
one visit arrived (mouse) and another a no-show (keyboard only), and the day shows both, after a reload too;
screenshots and axe at 390 and 1280 px."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, phone_and_desktop, sign_in


def provider_day(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("region", name=re.compile(f"^{name}"))


def row_of(page: Page, provider: str, patient: str, time: str):  # type: ignore[no-untyped-def]
    return provider_day(page, provider).get_by_role("row").filter(has_text=patient).filter(has_text=time)


def test_front_desk_marks_one_visit_arrived_and_another_no_show(page: Page, portal_url: str) -> None:
    # Given the front desk on the clinic day, from the navigation
    sign_in(page, portal_url, "frontdesk")
    page.get_by_role("navigation").get_by_role("link", name="Clinic day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic day")

    # Every provider's day is on the one screen, with the seeded visits at their steps
    for provider in ("Dr. Priya Rivera", "Dr. Marcus Chen", "Jordan Alvarez"):
        expect(provider_day(page, provider)).to_be_visible(timeout=SLOW)
    # Alex's 8:40 visit is seeded "seen" only if the portal started after 8:40 clinic time: before then it
    # is still to come, so booked (and the portal cannot have started later than now).
    first = row_of(page, "Dr. Priya Rivera", "Alex Morgan", "8:40")
    if datetime.now(ZoneInfo("America/Chicago")).time() < time(8, 40):
        expect(first).to_contain_text("Booked")
    else:
        expect(first).to_contain_text(re.compile("Seen|Booked"))
    expect(row_of(page, "Jordan Alvarez", "Chris Taylor", "3:00")).to_contain_text("Cancelled")
    maria = row_of(page, "Dr. Marcus Chen", "María González", "10:20")
    alex = row_of(page, "Jordan Alvarez", "Alex Morgan", "2:00")
    expect(maria).to_contain_text("Booked")

    # When they mark María arrived
    maria.get_by_role("button", name=re.compile(r"^Arrived\W+María González at 10:20")).click()

    # Then they hear it, and her row says who marked her and when; her next step is offered
    expect(page.get_by_role("status")).to_contain_text(
        "María González (10:20 AM) marked arrived", timeout=SLOW
    )
    expect(maria).to_contain_text("Arrived")
    expect(maria).to_contain_text("Sam Lee")
    expect(maria.get_by_role("button", name=re.compile("^Roomed"))).to_be_visible()
    expect(maria.get_by_role("button", name=re.compile("^No-show"))).to_have_count(0)

    # When they mark Alex a no-show with the keyboard only
    no_show = alex.get_by_role("button", name=re.compile(r"^No-show\W+Alex Morgan at 2:00"))
    no_show.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Alex Morgan (2:00 PM) marked no-show", timeout=SLOW)
    expect(alex).to_contain_text("No-show")
    # Only "Undo" is left, for a mark made by mistake: it puts the visit back to booked
    expect(alex.get_by_role("button")).to_have_count(1)
    alex.get_by_role("button", name=re.compile(r"^Undo\W+No-show\W+Alex Morgan")).click()
    expect(alex).to_contain_text("Booked", timeout=SLOW)
    no_show.click()
    expect(alex.get_by_role("button", name=re.compile(r"^Undo"))).to_be_visible(timeout=SLOW)
    expect(alex).to_contain_text("No-show")

    # And the day shows both after a reload
    page.reload()
    expect(maria).to_contain_text("Arrived", timeout=SLOW)
    expect(alex).to_contain_text("No-show")
    expect(page.get_by_label("Visits by status")).to_contain_text("no-show")


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_clinic_day_is_accessible_and_fits(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-front-desk-day") as (page, check):
        sign_in(page, portal_url, "frontdesk")
        page.goto(portal_url + "/schedule/day")
        expect(provider_day(page, "Dr. Marcus Chen")).to_be_visible(timeout=SLOW)
        check("all-providers")
        check.assert_accessible()
