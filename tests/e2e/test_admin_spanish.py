"""An administrator who chose Spanish on this browser reads the admin pages in Spanish on a phone: the staff
list and an account, the record access review and the privacy report, the patient import. No English the
portal has a translation for, no sideways scroll with the longer Spanish words, axe clean. What the server
writes in English (action names, import reasons) is marked lang="en" and is not counted."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, sign_in
from tests.e2e.language_check import assert_no_english

PHONE = {"width": 390, "height": 844}


@NEEDS_AXE
def test_an_admin_reads_the_admin_pages_in_spanish(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    with checked_page(browser, PHONE, screenshot_dir, "admin-spanish-phone") as (page, checks):
        sign_in(page, portal_url, "admin")
        # Staff keep no saved language: the browser's remembered choice (the sign-in page's switch) decides.
        page.evaluate("localStorage.setItem('portal.language', 'es')")
        page.goto(portal_url + "/admin/staff")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cuentas del personal", timeout=SLOW)
        staff = page.get_by_role("list", name="Cuentas del personal")
        expect(staff.get_by_role("link", name="Sam Lee")).to_be_visible(timeout=SLOW)
        expect(staff.get_by_text("Recepción").first).to_be_visible()
        assert_no_english(page, where="staff list")
        checks("list")

        staff.get_by_role("link", name="Sam Lee").click()
        expect(page.get_by_role("heading", name="Nombre, función y grupos")).to_be_visible(timeout=SLOW)
        assert_no_english(page, where="staff account")
        checks("account")

        page.goto(portal_url + "/admin/access")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Revisar el acceso a expedientes", timeout=SLOW)
        page.get_by_label("Buscar un paciente").fill("Morgan")
        page.get_by_role("button", name="Buscar", exact=True).click()
        page.get_by_role("button", name="Revisar el acceso de Morgan, Alexandra (Alex)").click()
        table = page.get_by_role("table")
        expect(table.get_by_text("Sam Lee, recepción").first).to_be_visible(timeout=SLOW)
        assert_no_english(page, where="access review")
        checks("access-review")

        page.goto(portal_url + "/admin/privacy-report")
        page.get_by_role("button", name="Crear el informe").click()
        report = page.get_by_role("table")
        flagged = report.get_by_role("row").filter(has_text="Jordan Kim").filter(has_text="p-c5a0f613")
        expect(flagged).to_contain_text("accesos, el último", timeout=SLOW)
        assert_no_english(page, where="privacy report")
        checks("privacy-report")

        page.goto(portal_url + "/admin/import")
        expect(heading).to_have_text("Importar pacientes existentes", timeout=SLOW)
        page.get_by_text("Lo que necesita el CSV").click()
        assert_no_english(page, where="patient import")
        checks("import")
        checks.assert_accessible()
