"""The health record in the browser: results with flags in words and a trend chart (with its
table), "Download my record" as a FHIR Bundle, documents, the patient's "review first" choice and the
clinician releasing a held-back result, plus screenshots and axe checks of these pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import NEEDS_AXE, checked_page, own_session, phone_and_desktop, sign_in
from tests.e2e.helpers import tiny_png as _tiny_png

ALEX_ID = "p-4f1c2a9e"


@pytest.fixture
def clinician(browser: Browser, portal_url: str) -> Iterator[Page]:
    """A second, independent browser session for the clinician."""
    with own_session(browser, portal_url, "drrivera") as page:
        yield page


def test_patient_opens_a_result_sees_flags_in_words_and_the_trend(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "alex")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Health record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health record")
    page.get_by_role("link", name=re.compile("^Test results")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test results")
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    # The newest result is marked "New" in text, not by colour alone
    newest = page.locator("a.res-row").filter(has_text="Diabetes monitoring panel").first
    expect(newest).to_contain_text("New")
    expect(newest).to_contain_text("Diabetes monitoring panel")
    expect(newest).to_contain_text("2 values outside the normal range")
    newest.click()

    # Each value with its unit, its flag in words and its normal range, plus the clinician's comment
    expect(page.get_by_role("heading", level=1)).to_have_text("Diabetes monitoring panel")
    a1c = page.locator("li.res-comp").filter(has_text="Hemoglobin A1c")
    expect(a1c).to_contain_text("6.4 %")
    expect(a1c.locator(".flag")).to_have_text(re.compile("High"))
    expect(a1c).to_contain_text("Above the normal range")
    expect(a1c).to_contain_text("Normal range: 5.6 % or lower")
    expect(page.get_by_role("heading", name=re.compile("^Comment from Dr. Priya Rivera"))).to_be_visible()

    # The trend: a sentence for everyone, the chart, and a table screen readers always get
    trend = page.get_by_role("region", name="Hemoglobin A1c over time")
    expect(trend).to_contain_text(re.compile(r"Hemoglobin A1c: \d+ results from"))
    expect(trend.locator(".res-chart canvas")).to_be_visible()
    table = trend.get_by_role("table", name=re.compile("Hemoglobin A1c: every result"))
    expect(table).to_be_attached()  # in the accessibility tree while visually hidden
    rows = table.locator("tbody tr")
    assert rows.count() >= 9
    toggle = trend.get_by_role("button", name="Show as table")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(table).to_be_visible()
    expect(trend.get_by_role("button", name="Hide table")).to_have_attribute("aria-pressed", "true")
    expect(rows.last).to_contain_text("(this result)")
    expect(rows.first.locator(".flag")).to_have_text(re.compile("High"))

    # Another component's trend from its own link
    page.get_by_role("button", name="See Glucose over time").click()
    expect(page.get_by_role("region", name="Glucose over time")).to_contain_text("Glucose:")

    # Back on the list, the opened result is no longer new
    page.get_by_role("link", name="← All test results").click()
    opened = page.locator("a.res-row").filter(has_text="Diabetes monitoring panel").first
    expect(opened).not_to_contain_text("New")
    expect(page.locator("a.res-row").filter(has_text="Lipid panel").first).to_contain_text("New")


def test_results_list_loads_more(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/results")
    rows = page.locator("a.res-row")
    expect(rows).to_have_count(10)
    page.get_by_role("button", name="Load more").click()
    expect(page.get_by_role("status").filter(has_text="more results loaded")).to_be_attached()
    assert rows.count() > 10
    expect(rows.nth(10)).to_be_focused()


def test_patient_downloads_the_record_as_a_fhir_bundle(page: Page, portal_url: str, tmp_path: Path) -> None:
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/record")
    expect(page.get_by_role("heading", name=re.compile("^Allergies"))).to_be_visible()
    expect(page.get_by_text("Penicillin")).to_be_visible()
    expect(page.locator(".rec-item-title").filter(has_text="Metformin 1000 mg tablet")).to_be_visible()
    expect(page.get_by_text("Annual physical", exact=True)).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Download my record (FHIR)").click()
    download = info.value
    assert re.fullmatch(r"health-record-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    assert download.url.startswith("blob:")  # made in the page: no token ever sits in a URL
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    bundle = json.loads(saved.read_text())
    assert bundle["resourceType"] == "Bundle"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation"} <= kinds
    expect(page.get_by_role("status").filter(has_text="Saved health-record-")).to_be_visible()

    # Printing hides the portal's chrome and shows who and when
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    expect(page.locator(".print-meta")).to_be_visible()
    expect(page.get_by_role("button", name="Print summary")).to_be_hidden()
    page.emulate_media(media="screen")


def test_documents_upload_download_and_clear_errors(page: Page, portal_url: str, tmp_path: Path) -> None:
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/documents")
    expect(page.locator(".doc-name", has_text="Springfield Eye Center - exam.pdf")).to_be_visible()

    # A file of the wrong type is refused before anything is sent, with what to do instead
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a scan")
    page.get_by_label("File").set_input_files(wrong)
    expect(page.locator("#doc-file-error")).to_contain_text("only PDF, JPEG and PNG files are accepted")
    expect(page.get_by_label("File")).to_have_attribute("aria-invalid", "true")

    # A real PNG goes straight to storage, is checked, and is listed
    card = tmp_path / "insurance-front.png"
    card.write_bytes(_tiny_png())
    page.get_by_label("What is it?").select_option("insurance_card_front")
    page.get_by_label("File").set_input_files(card)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").filter(has_text="“insurance-front.png” was uploaded.")).to_be_visible()
    item = page.locator("li.doc-item").filter(has_text="insurance-front.png")
    expect(item).to_contain_text("Insurance card (front)")

    with page.expect_download() as info:
        item.get_by_role("button", name=re.compile("^Download")).click()
    assert info.value.suggested_filename == "insurance-front.png"


def test_review_first_result_is_hidden_until_the_clinician_releases_it(
    page: Page, clinician: Page, portal_url: str
) -> None:
    # The patient chooses to hear imaging results from their clinician first
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/record")
    prefs = page.get_by_role("region", name="When you see new test results")
    expect(prefs).to_contain_text("By default, results appear here as soon as they are ready")
    imaging = prefs.get_by_role("group", name="Imaging reports")
    imaging.get_by_label("Let my clinician review these results with me before I see them").check()
    imaging.get_by_label("Longest wait before I see them anyway").select_option("5")
    prefs.get_by_role("button", name="Save my choices").click()
    expect(prefs.get_by_role("status")).to_contain_text("Your choices were saved.")

    # The clinician adds an imaging result on the patient's chart
    clinician.goto(f"{portal_url}/staff/patients/{ALEX_ID}")
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Alexandra Morgan")
    clinician.get_by_text("Add a result").click()
    clinician.get_by_label("Category").select_option("imaging")
    expect(clinician.get_by_text("This patient asked to review imaging reports first")).to_be_visible()
    clinician.get_by_label("Result name").fill("Ankle X-ray, left")
    clinician.get_by_label("Name", exact=True).fill("Impression")
    clinician.get_by_label("Result", exact=True).fill("No fracture. Healed soft-tissue swelling.")
    clinician.get_by_role("button", name="Add result").click()
    added = clinician.get_by_role("status").filter(has_text="Ankle X-ray, left was added.")
    expect(added.first).to_be_attached()

    # The patient does not see it yet
    page.goto(portal_url + "/results")
    expect(page.locator("a.res-row").first).to_be_visible()
    expect(page.get_by_text("Ankle X-ray, left")).to_have_count(0)

    # The clinician releases it from the work list
    clinician.get_by_role("navigation", name="Main").get_by_role("link", name="Results to release").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Results waiting for release")
    row = clinician.locator("li.wl-item").filter(has_text="Ankle X-ray, left")
    expect(row).to_contain_text("Patient asked to review first")
    row.get_by_role("button", name=re.compile("^Release now")).click()
    expect(clinician.get_by_role("status").filter(has_text="was released")).to_be_attached()
    expect(row).to_have_count(0)

    # Now the patient sees it, marked new
    page.reload()
    released = page.locator("a.res-row").filter(has_text="Ankle X-ray, left")
    expect(released).to_contain_text("New")

    # Put the patient's choice back as it was
    page.goto(portal_url + "/record")
    imaging = page.get_by_role("group", name="Imaging reports")
    imaging.get_by_label("Let my clinician review these results with me before I see them").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status").filter(has_text="Your choices were saved.")).to_be_visible()


def test_clinician_holds_with_a_reason_and_reviews_with_a_comment(clinician: Page, portal_url: str) -> None:
    clinician.goto(portal_url + "/staff/results")
    row = clinician.locator("li.wl-item").filter(has_text="Cervical cytology (Pap test)")
    row.get_by_role("button", name=re.compile("^Hold")).click()
    dialog = clinician.get_by_role("dialog", name="Hold this result")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Hold result").click()
    expect(dialog.locator("#hold-reason-error")).to_contain_text("Write the reason for the hold")
    expect(dialog.get_by_label("Reason for the hold")).to_be_focused()
    reason = "Abnormal cells: I will call the patient to explain first."
    dialog.get_by_label("Reason for the hold").fill(reason)
    dialog.get_by_role("button", name="Hold result").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("On hold")
    expect(row).to_contain_text("Abnormal cells: I will call the patient")

    # Review with a comment on the chart
    row.get_by_role("link", name="Alex Morgan").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Alexandra Morgan")
    result = clinician.locator("li.st-result").filter(has_text="Cervical cytology (Pap test)")
    expect(result).to_contain_text("On hold")
    result.get_by_role("button", name=re.compile("^Open")).click()
    comment = "Some cells need a closer look; we will talk by phone."
    result.get_by_label("Comment for the patient").fill(comment)
    result.get_by_role("button", name="Mark reviewed").click()
    expect(result.get_by_role("status")).to_contain_text("Marked reviewed.")
    expect(result.get_by_role("heading", name="Comment from Dr. Priya Rivera")).to_be_visible()


@NEEDS_AXE
@phone_and_desktop(360, 800)
def test_record_pages_screenshots_and_axe(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-records") as (page, check):
        sign_in(page, portal_url, "alex")
        page.goto(portal_url + "/record")
        expect(page.get_by_text("Penicillin")).to_be_visible()
        expect(page.get_by_role("button", name="Save my choices")).to_be_visible()
        check("health-record")
        page.goto(portal_url + "/results")
        expect(page.locator("a.res-row").first).to_be_visible()
        check("results")
        page.locator("a.res-row").nth(2).click()
        expect(page.locator(".res-chart canvas")).to_be_visible()
        page.get_by_role("button", name="Show as table").click()
        check("result")
        page.goto(portal_url + "/documents")
        expect(page.locator("li.doc-item").first).to_be_visible()
        check("documents")

        page.evaluate("sessionStorage.clear()")  # a fresh sign-in as the clinician in the same tab
        sign_in(page, portal_url, "drrivera")
        page.goto(portal_url + "/staff/results")
        expect(page.get_by_role("heading", level=1)).to_have_text("Results waiting for release")
        check("staff-work-list")
        page.goto(f"{portal_url}/staff/patients/{ALEX_ID}")
        expect(page.locator("li.st-result").first).to_be_visible()
        page.locator("li.st-result").first.get_by_role("button", name=re.compile("^Open")).click()
        expect(page.get_by_role("button", name="Mark reviewed")).to_be_visible()
        check("staff-chart")
        check.assert_accessible()
