"""Proxy (caregiver) access in the browser: the front desk gives María access to Alex's record, María opens it
from her record switcher, Alex sees her under "Who can see your record" and removes her, and María's next
page tells her plainly that the access ended. Screenshots and axe at phone and desktop widths.

The e2e server is shared by the whole session: every run ends with María's grant removed again, and Alex's
own caregiver link to his son is never touched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import AXE, SLOW, no_sideways_scroll, sign_in
from tests.e2e.helpers import axe_violations as _axe

ALEX_PID = "p-4f1c2a9e"
NOTE = "Photo ID checked; Alex confirmed in person that María may act for him."


def _sign_out(page: Page, phone: bool) -> None:
    if phone:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()


def _remove_leftover_grant(browser: Browser, portal_url: str) -> None:
    """If the test stopped half-way, take María's access away again so later tests see the seed state."""
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, portal_url, "frontdesk")
        page.goto(f"{portal_url}/staff/patients/{ALEX_PID}")
        panel = page.get_by_role("region", name="Proxy access")
        expect(panel.locator(".proxy-list, .proxy-empty")).to_be_visible(timeout=SLOW)
        remove = panel.get_by_role("button", name="Remove access for María González")
        if remove.count():
            remove.click()
            page.get_by_role("button", name="Yes, remove access").click()
            expect(panel.get_by_text("Nobody else has access to this record.")).to_be_visible(timeout=SLOW)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("device", "viewport"),
    [("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 800})],
)
def test_front_desk_grants_patient_sees_and_removes_and_the_caregiver_is_told(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    phone = device == "phone"
    found: dict[str, list[str]] = {}
    contexts = [browser.new_context(viewport=viewport, bypass_csp=True) for _ in range(3)]  # type: ignore[arg-type]
    desk, maria, alex = (context.new_page() for context in contexts)

    def check(page: Page, name: str) -> None:
        no_sideways_scroll(page)
        page.screenshot(path=screenshot_dir / f"{device}-proxies-{name}.png", full_page=True)
        if AXE.is_file():
            found[name] = _axe(page)

    try:
        # The front desk opens Alex's page; an empty form explains itself, then the grant goes through.
        sign_in(desk, portal_url, "frontdesk")
        desk.goto(f"{portal_url}/staff/patients/{ALEX_PID}")
        panel = desk.get_by_role("region", name="Proxy access")
        expect(panel.get_by_text("Nobody else has access to this record.")).to_be_visible(timeout=SLOW)
        panel.get_by_role("button", name="Give access").click()
        expect(panel.get_by_role("heading", name="This access wasn't given")).to_be_visible()
        expect(panel.get_by_label("Portal username")).to_be_focused()
        check(desk, "staff-errors")

        panel.get_by_label("Portal username").fill("maria")
        panel.get_by_label("Relationship to the patient").select_option(label="Spouse or partner")
        panel.get_by_label("How identity and authority were verified").fill(NOTE)
        panel.get_by_role("button", name="Give access").click()
        expect(panel.get_by_role("status")).to_contain_text(
            "María González can now act for Alexandra Morgan", timeout=SLOW
        )
        expect(panel.locator(".item-row")).to_contain_text("Spouse or partner")
        expect(panel.get_by_text(NOTE)).to_have_count(0)  # the note lives in the audit trail only
        check(desk, "staff-granted")

        # María now finds Alex in her record switcher and opens his record.
        sign_in(maria, portal_url, "maria")
        switcher = maria.get_by_label("Viendo el expediente de:")  # María's portal is in Spanish
        expect(switcher).to_be_visible(timeout=SLOW)
        switcher.select_option(label="Alex Morgan")
        maria.goto(portal_url + "/profile")
        expect(maria.get_by_label("Viendo el expediente de:")).to_have_value(ALEX_PID)
        expect(maria.get_by_role("heading", level=1)).to_have_text(
            "Alex Morgan: perfil y datos de contacto", timeout=SLOW
        )
        expect(maria.get_by_role("region", name="Quién puede ver su expediente")).to_have_count(0)
        check(maria, "caregiver-view")

        # Alex sees María (and still his son, in his care) and removes her access after confirming.
        sign_in(alex, portal_url, "alex")
        alex.goto(portal_url + "/profile")
        who = alex.get_by_role("region", name="Who can see your record")
        expect(who.locator(".item-row")).to_contain_text("María González", timeout=SLOW)
        expect(alex.get_by_role("region", name="People in your care")).to_contain_text("Riley Morgan")
        who.scroll_into_view_if_needed()
        check(alex, "patient-list")
        who.get_by_role("button", name="Remove access for María González").click()
        dialog = alex.get_by_role("alertdialog", name="Remove María González's access?")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name="Keep access")).to_be_focused()
        check(alex, "patient-confirm")
        dialog.get_by_role("button", name="Yes, remove access").click()
        expect(alex.locator("#proxy-status")).to_contain_text(
            "María González can no longer see your record.", timeout=SLOW
        )
        expect(who.get_by_role("heading", name="Who can see your record")).to_be_focused()
        expect(who.get_by_text("Only you can see your record.")).to_be_visible()
        expect(alex.get_by_role("button", name="Stop acting for Riley Morgan")).to_be_visible()
        check(alex, "patient-removed")

        # María's next page: a clear message, her own record, no switcher and none of Alex's data.
        if phone:
            maria.get_by_role("button", name="Menú").click()
        nav = maria.get_by_role("navigation", name="Principal")
        nav.get_by_role("link", name="Expediente médico").click()
        notice = maria.get_by_role("alert").filter(has_text="Ya no tiene acceso al expediente de Alex Morgan")
        expect(notice).to_be_visible(timeout=SLOW)
        expect(maria.get_by_label("Viendo el expediente de:")).to_have_count(0)
        expect(maria.get_by_role("heading", level=1)).to_be_visible(timeout=SLOW)
        expect(maria.get_by_role("status").filter(has_text="Cargando")).to_have_count(0, timeout=SLOW)
        expect(maria.locator("main")).not_to_contain_text("Alexandra")
        check(maria, "access-ended")

        _sign_out(desk, phone)
        assert {name: v for name, v in found.items() if v} == {}
    finally:
        for context in contexts:
            context.close()
        _remove_leftover_grant(browser, portal_url)
