"""Who opened a record, in the browser: the patient sees staff access first (their own reads only on
request); an admin reviews a patient's record access, filters it by a staff member and downloads the CSV;
the privacy report flags the demo's record opened without a visit. Phone and desktop: screenshots, axe,
no sideways scroll."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Browser, expect

from chalicelib.patients.models import ACTION_LABELS
from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, phone_and_desktop, sign_in


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_the_patient_sees_staff_access_first(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"access-log-{device}") as (page, checks):
        sign_in(page, portal_url, "alex")
        page.goto(portal_url + "/access-log")
        table = page.get_by_role("table")
        expect(table.get_by_text("Dr. Priya Rivera, clinician").first).to_be_visible(timeout=SLOW)
        expect(table.get_by_text("Jordan Kim, billing").first).to_be_visible()
        expect(table.get_by_text("(you)")).to_have_count(0)  # Alex's own reads are left out
        checks("others")

        page.get_by_label("Include my own views and changes").check()
        expect(table.get_by_text("(you)").first).to_be_visible(timeout=SLOW)
        expect(table.get_by_text("Dr. Priya Rivera, clinician").first).to_be_visible()
        checks("with-own")
        checks.assert_accessible()


@NEEDS_AXE
def test_a_spanish_reading_patient_reads_who_and_what_in_spanish(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    # María's saved language is Spanish: the server words who and what in it, the page around them too.
    with checked_page(browser, {"width": 1280, "height": 900}, screenshot_dir, "access-log-es") as (
        page,
        checks,
    ):
        sign_in(page, portal_url, "maria")
        page.goto(portal_url + "/access-log")
        expect(page.get_by_role("heading", level=1)).to_have_text("Quién vio mi expediente", timeout=SLOW)
        page.get_by_label("Incluir mis propias consultas y cambios").check()
        table = page.get_by_role("table")
        expect(table.get_by_text("María González, paciente").first).to_be_visible(timeout=SLOW)
        expect(table.get_by_text("(usted)").first).to_be_visible()
        labels = table.locator("td[data-label='Qué']").all_inner_texts()
        assert "Vio la página de inicio" in labels
        assert set(labels) & set(ACTION_LABELS.values()) == set()  # no English label left
        checks("with-own")
        checks.assert_accessible()


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_an_admin_filters_record_access_by_a_staff_member_and_downloads_it(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"access-review-{device}") as (page, checks):
        sign_in(page, portal_url, "admin")
        page.get_by_role("link", name="Review who accessed records").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Review record access")
        page.get_by_label("Find a patient").fill("Morgan")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("button", name="Review access for Morgan, Alexandra (Alex)").click()
        table = page.get_by_role("table")
        expect(table.get_by_text("Sam Lee, front desk").first).to_be_visible(timeout=SLOW)
        checks("everyone")

        page.get_by_label("Staff member").select_option(label="Dr. Priya Rivera (drrivera)")
        page.get_by_role("button", name="Show").click()
        expect(table.get_by_text("Sam Lee, front desk")).to_have_count(0, timeout=SLOW)
        expect(table.get_by_text("Viewed health summary").first).to_be_visible()
        whos = table.locator("td[data-label='Who']").all_inner_texts()
        assert set(whos) == {"Dr. Priya Rivera, clinician"}
        checks("one-staff-member")

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download CSV").click()
        download = download_info.value
        assert download.suggested_filename == "access-p-4f1c2a9e.csv"
        rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
        assert rows[0][:2] == ["When (UTC)", "Who"]
        assert {row[1] for row in rows[1:]} == {"Dr. Priya Rivera, clinician"}

        page.get_by_role("link", name="Privacy report: records opened without a visit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Privacy report")
        page.get_by_role("button", name="Run report").click()
        report = page.get_by_role("table")
        expect(
            report.get_by_role("row").filter(has_text="Jordan Kim").filter(has_text="p-c5a0f613")
        ).to_be_visible(timeout=SLOW)
        checks("privacy-report")
        checks.assert_accessible()
