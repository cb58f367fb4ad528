"""The printable health summary in the browser: opened in one click from the health record, every section
there, a clean printout (no portal chrome, black on white) at phone and desktop widths, axe clean, and in
Spanish for María.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import NEEDS_AXE, checked_page, phone_and_desktop, sign_in

SECTIONS = ["Allergies", "Health problems", "Medicines", "Vaccines", "Recent test results", "Visits"]
SECCIONES = [
    "Alergias",
    "Problemas de salud",
    "Medicinas",
    "Vacunas",
    "Resultados de pruebas recientes",
    "Citas",
]


def open_summary(page: Page, link_name: str) -> None:
    page.get_by_role("link", name=link_name).click()
    expect(page.locator(".hs-sheet")).to_be_visible(timeout=30_000)


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_the_patient_opens_reads_and_prints_the_summary(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"health-summary-{device}") as (page, checks):
        sign_in(page, portal_url, "alex")
        page.goto(portal_url + "/record")
        expect(page.get_by_role("button", name="Download my record (FHIR)")).to_be_visible(timeout=30_000)
        open_summary(page, "Printable health summary")
        expect(page.get_by_role("heading", level=1)).to_have_text("Health summary")

        sheet = page.locator(".hs-sheet")
        expect(sheet).to_contain_text(re.compile(r"Health summary for \w+"))
        expect(sheet).to_contain_text("Date of birth")
        expect(sheet.get_by_role("heading", level=2)).to_have_text(SECTIONS)
        expect(sheet.get_by_role("heading", level=3, name="Recent visits")).to_be_visible()
        # A flag is written in words beside the value and its normal range.
        expect(sheet.locator("tr.hs-abnormal strong").first).to_have_text(re.compile(r"^(Low|High|Very)"))
        expect(sheet.get_by_role("columnheader", name="Normal range").first).to_be_visible()
        checks("screen")

        page.emulate_media(media="print")
        expect(page.get_by_role("banner")).to_be_hidden()
        expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
        expect(sheet.locator(".hs-clinic")).to_be_visible()
        colour = sheet.locator(".hs-section h2").first.evaluate("h => getComputedStyle(h).color")
        assert colour == "rgb(0, 0, 0)"
        breaks = sheet.locator(".hs-section").nth(1).evaluate("s => getComputedStyle(s).breakBefore")
        assert breaks == "page"
        checks("print")
        page.emulate_media(media="screen")
        checks.assert_accessible()


@NEEDS_AXE
def test_maria_gets_her_summary_in_spanish(browser: Browser, portal_url: str, screenshot_dir: Path) -> None:
    with checked_page(browser, {"width": 390, "height": 844}, screenshot_dir, "health-summary-es") as (
        page,
        checks,
    ):
        sign_in(page, portal_url, "maria")
        page.goto(portal_url + "/record")
        open_summary(page, "Resumen de salud para imprimir")
        expect(page.get_by_role("heading", level=1)).to_have_text("Resumen de salud")
        sheet = page.locator(".hs-sheet")
        expect(sheet.get_by_role("heading", level=2)).to_have_text(SECCIONES)
        expect(sheet).to_contain_text("Fecha de nacimiento")
        expect(page.get_by_role("button", name="Imprimir o guardar como PDF")).to_be_visible()
        checks("screen")
        checks.assert_accessible()
