"""Importing existing patients from the admin page: choose a small CSV, check it (the bad line is named),
import it with invitations, and see the run in the admin audit. At phone and desktop size (screenshot, axe,
no sideways scroll)."""

from __future__ import annotations

import uuid
from pathlib import Path

from playwright.sync_api import Browser, FilePayload, Route, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, phone_and_desktop, sign_in
from tests.e2e.test_staff_admin import invitation_to

HEADER = (
    "mrn,given_name,family_name,birth_date,sex,email,phone,address_line1,address_line2,city,state,postal_code"
)


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_admin_checks_and_imports_a_small_csv_with_invitations(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    email = f"imported.{tag.lower()}@example.org"
    content = "\n".join(
        [
            HEADER,
            f"E2E-{tag}-1,Rosa,Imported{tag},1966-04-12,female,{email},,5 Main St,,Portland,OR,97201",
            f"E2E-{tag}-2,Omar,Imported{tag},1890-13-01,male,,,,,,,",
            f",Ines,Imported{tag},2004-10-30,f,,503-555-0134,7 Main St,,Portland,OR,97201",
        ]
    )
    with checked_page(browser, viewport, screenshot_dir, f"patient-import-{device}") as (page, checks):
        sign_in(page, portal_url, "admin")
        page.get_by_role("link", name="Import existing patients").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import existing patients")
        upload: FilePayload = {"name": "go-live.csv", "mimeType": "text/csv", "buffer": content.encode()}
        page.get_by_label("Patient file (.csv or .json)").set_input_files(files=[upload])
        expect(page.get_by_text("go-live.csv: CSV, 3 rows")).to_be_visible()
        checks("chosen")

        # The check's request is held while the progress bar is looked at, then let through.
        held: list[Route] = []

        def hold(route: Route) -> None:
            held.append(route)

        page.route("**/api/admin/patient-import", hold)
        page.get_by_role("button", name="Check the file").click()
        bar = page.get_by_role("progressbar", name="Checking the file")
        expect(bar).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="0 of 3 rows (0%)")).to_be_visible()
        checks("checking")
        held[0].continue_()
        page.unroute("**/api/admin/patient-import")
        expect(page.get_by_role("heading", name="2. Check result")).to_be_visible(timeout=SLOW)
        rejected = page.get_by_role("table", name="Rejected rows, with the reason")
        expect(rejected.get_by_role("row").nth(1)).to_contain_text("3")
        expect(rejected).to_contain_text("birth date 1890-13-01 is not a date (YYYY-MM-DD)")
        page.get_by_label("Email a portal invitation to the 1 new patient with an email address").check()
        checks("checked")

        page.get_by_role("button", name="Import 2 patients").click()
        expect(page.get_by_text("2 patients imported.")).to_be_visible(timeout=SLOW)
        expect(page.get_by_text("1 invitation sent.")).to_be_visible(timeout=SLOW)
        checks("imported")
        assert "Rosa" in invitation_to(portal_url, email)

        page.goto(f"{portal_url}/admin/audit")
        expect(page.get_by_text("Imported patients: go-live.csv").first).to_be_visible(timeout=SLOW)
        expect(page.get_by_text("Admin page, lines 2-4: 3 rows: 2 created").first).to_be_visible()
    checks.assert_accessible()
