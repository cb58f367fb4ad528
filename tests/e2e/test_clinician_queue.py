"""The clinician's work queue in the browser: Dr. Rivera sees what waits for her on the staff home page,
opens her queue (critical and abnormal results first), marks three of María's abnormal results reviewed
from it, one with a comment, and opens María's chart (allergies, immunizations, upcoming visits);
María, in her own browser, sees each as reviewed and reads the comment. Screenshots and axe at 390 and
1280 px. A clinician whose browser reads Spanish sees her home, the clinic day and her queue with no
English."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from chalicelib.local.seed import DEMO_PASSWORD
from chalicelib.local.totp import DEMO_TOTP_SECRET, current_code
from tests.e2e.helpers import (
    NEEDS_AXE,
    SLOW,
    PageChecks,
    checked_page,
    own_session,
    phone_and_desktop,
    sign_in,
)
from tests.e2e.language_check import assert_no_english

COMMENT = "Your potassium is high. Please stop the salt substitute and come in for a repeat test this week."


def queue_rows(page: Page) -> list[str]:
    return page.locator("li.wq-item").all_inner_texts()


def test_a_clinician_reviews_three_abnormal_results_and_the_patient_sees_them(
    browser: Browser, portal_url: str
) -> None:
    with own_session(browser, portal_url, "drrivera") as doctor:
        # Given Dr. Rivera's home page, which counts what waits for her
        card = doctor.get_by_role("region", name="What needs you today")
        expect(card).to_contain_text(
            re.compile(r"\d+ results? to review, \d+ abnormal or critical"), timeout=SLOW
        )
        card.get_by_role("link", name=re.compile("Open my work queue")).click()
        expect(doctor.get_by_role("heading", level=1)).to_have_text("My work queue")

        # The results section lists the worst first: a critical result heads it
        results = doctor.get_by_role("region", name=re.compile("^Results to review"))
        items = results.locator("li.wq-item")
        expect(items.first).to_be_visible(timeout=SLOW)
        expect(items.first).to_contain_text("Critical")
        maria = results.locator("li.wq-item--critical, li.wq-item--abnormal").filter(has_text="María")
        names = [maria.nth(i).locator(".wq-title span").last.inner_text() for i in range(3)]
        assert names[0] == "Basic metabolic panel"
        total = items.count()

        # When she reviews the first with a comment for the patient
        first = maria.first
        first.get_by_role("button", name=re.compile("^Add a comment")).click()
        box = first.get_by_label("Comment for the patient (optional)")
        expect(box).to_be_focused()
        box.fill(COMMENT)
        first.get_by_role("button", name=re.compile("^Mark reviewed and send comment")).click()
        status = doctor.get_by_role("status").filter(has_text="marked reviewed with your comment")
        expect(status).to_be_attached(timeout=SLOW)

        # and the next two with one click each
        for name in names[1:]:
            row = maria.filter(has_text=name).first
            row.get_by_role("button", name=re.compile("^Mark reviewed")).click()
            expect(doctor.get_by_role("status").filter(has_text=f"{name} for")).to_be_attached(timeout=SLOW)

        # Then they leave the queue, here and after a reload
        expect(items).to_have_count(total - 3)
        doctor.reload()
        expect(doctor.get_by_role("heading", level=1)).to_have_text("My work queue", timeout=SLOW)
        expect(items.first).to_be_visible(timeout=SLOW)
        left = " ".join(queue_rows(doctor))
        assert "Basic metabolic panel" not in left

        # Her chart, one link away, shows allergies, immunizations and upcoming visits too
        doctor.get_by_role("link", name=re.compile("^Open chart of María")).first.click()
        expect(doctor.get_by_role("region", name="Allergies")).to_contain_text("Codeine", timeout=SLOW)
        expect(doctor.get_by_role("region", name="Immunizations")).to_be_visible()
        expect(doctor.get_by_role("region", name="Upcoming appointments")).not_to_contain_text(
            "Loading", timeout=SLOW
        )

    # And María, in her own browser (in Spanish), sees each reviewed, and the comment on the first
    with own_session(browser, portal_url, "maria") as patient:
        patient.goto(portal_url + "/results")
        rows = patient.locator("a.res-row")
        expect(rows.first).to_be_visible(timeout=SLOW)
        expect(rows.filter(has_text=names[0]).first).to_contain_text("Comentario de su profesional de salud")
        for name in names[1:]:
            expect(rows.filter(has_text=name).first).to_contain_text("Revisado por su profesional de salud")
        rows.filter(has_text=names[0]).first.click()
        review = patient.get_by_role("region", name=re.compile("^Comentario de Dr. Priya Rivera"))
        expect(review).to_contain_text(COMMENT, timeout=SLOW)
        expect(review).to_contain_text("Revisado por un profesional de salud")
        patient.go_back()
        rows.filter(has_text=names[1]).first.click()
        expect(patient.get_by_role("heading", name="Revisado por un profesional de salud")).to_be_visible(
            timeout=SLOW
        )


@NEEDS_AXE
@phone_and_desktop(390, 844)
def test_queue_pages_screenshots_and_axe(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-clinician-queue") as (page, check):
        sign_in(page, portal_url, "drrivera")
        expect(page.get_by_role("region", name="What needs you today")).to_contain_text(
            "to review", timeout=SLOW
        )
        check("home")
        page.goto(portal_url + "/staff/queue")
        first = page.locator("li.wq-item").first
        expect(first).to_be_visible(timeout=SLOW)
        first.get_by_role("button", name=re.compile("^Add a comment")).click()
        check("queue")
        check.assert_accessible()


def test_a_refill_asked_from_the_medication_is_approved_with_a_prescription_and_printed(
    browser: Browser, portal_url: str
) -> None:
    # Given Alex on his record, asking for a refill from the medication itself
    with own_session(browser, portal_url, "alex") as alex:
        alex.goto(portal_url + "/record")
        alex.get_by_role("link", name="Request a refill of Lisinopril 10 mg tablet").click()
        expect(alex.get_by_role("heading", level=1)).to_have_text("Prescription refills")
        medication = alex.get_by_label("Medication")
        expect(medication).to_have_value("seed-p-4f1c2a9e-medication-2", timeout=SLOW)
        # An earlier approval's refills may still wait at the pharmacy: he is told before asking again
        expect(alex.get_by_text("You may still have refills at your pharmacy")).to_be_visible()
        expect(alex.get_by_text(re.compile("with 3 refills at Springfield Corner Pharmacy"))).to_be_visible()
        alex.get_by_role("radio", name=re.compile("^Springfield Corner Pharmacy")).check()
        alex.get_by_role("button", name="Request refill").click()
        expect(
            alex.get_by_role("status").filter(has_text="Your refill request for Lisinopril")
        ).to_be_visible(timeout=SLOW)

        # When Dr. Rivera approves it with the quantity and refills for the pharmacy
        with own_session(browser, portal_url, "drrivera") as doctor:
            doctor.goto(portal_url + "/staff/refills")
            item = doctor.locator("li.msg-refill").filter(has_text="Lisinopril 10 mg tablet for Alex Morgan")
            expect(item).to_be_visible(timeout=SLOW)
            expect(item.get_by_label("Drug")).to_have_value("Lisinopril 10 mg tablet")
            item.get_by_label("Quantity").fill("0")
            item.get_by_role("button", name=re.compile("^Approve")).click()
            expect(item.get_by_label("Quantity")).to_be_focused()
            item.get_by_label("Quantity").fill("90")
            item.get_by_label("Refills").fill("1")
            expect(item.get_by_label("Pharmacy")).to_contain_text("Springfield Corner Pharmacy")
            item.get_by_role("button", name=re.compile("^Approve")).click()
            expect(item.locator(".msg-pill")).to_have_text("Approved", timeout=SLOW)

            # Then she prints the request for the pharmacy: what it needs, and no more
            item.get_by_role("link", name=re.compile("^Print the prescription request")).click()
            sheet = doctor.get_by_role("article", name="Prescription request for the pharmacy")
            expect(sheet).to_contain_text("Lisinopril 10 mg tablet", timeout=SLOW)
            expect(sheet).to_contain_text("Springfield Corner Pharmacy")
            expect(sheet).to_contain_text("Alex")
            doctor.emulate_media(media="print")
            expect(doctor.locator("header.site-header")).to_be_hidden()
            expect(doctor.get_by_role("button", name="Print")).to_be_hidden()
            expect(sheet).to_be_visible()

        # And Alex sees the prescription on his request
        alex.reload()
        card = alex.locator("li.msg-refill").filter(has_text="Lisinopril").first
        expect(card).to_contain_text("Approved", timeout=SLOW)
        expect(card.locator("dl")).to_contain_text("90")
        expect(card).to_contain_text("Springfield Corner Pharmacy")


@NEEDS_AXE
def test_a_clinician_reading_spanish_sees_the_day_and_the_queue_in_spanish(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    # Staff choose their language the way patients do: here, a browser set to Spanish
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-US", bypass_csp=True)
    try:
        page = context.new_page()
        checks = PageChecks(page, screenshot_dir, "phone-clinician-spanish")
        page.goto(portal_url + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
        page.get_by_label("Usuario").fill("drrivera")
        page.get_by_label("Contraseña", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Iniciar sesión").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Escriba su código de seguridad")
        page.get_by_label("Código de seguridad").fill(current_code(DEMO_TOTP_SECRET))
        page.get_by_role("button", name="Continuar").click()

        # The staff home counts her work in Spanish
        card = page.get_by_role("region", name="Lo que le espera hoy")
        expect(card).to_contain_text(re.compile(r"\d+ resultados? por revisar"), timeout=SLOW)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        assert_no_english(page, where="staff home")
        checks("home")

        # The clinic day: every provider's visits, statuses and buttons in Spanish
        page.goto(portal_url + "/schedule/day")
        expect(page.get_by_role("heading", level=1)).to_have_text("Día de la clínica")
        expect(page.get_by_role("region", name=re.compile("^Dr. Marcus Chen"))).to_be_visible(timeout=SLOW)
        expect(page.get_by_label("Visitas por estado")).to_contain_text("reservadas")
        assert_no_english(page, where="clinic day")
        checks("clinic-day")

        # The work queue: results, refills and messages in Spanish
        page.goto(portal_url + "/staff/queue")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mi lista de trabajo")
        results = page.get_by_role("region", name=re.compile("^Resultados por revisar"))
        expect(results.locator("li.wq-item").first).to_be_visible(timeout=SLOW)
        # (another test may have reviewed the critical one already: any priority, in Spanish)
        expect(results.locator("li.wq-item").first).to_contain_text(re.compile("Crítico|Anormal"))
        expect(results.get_by_role("button", name=re.compile("^Marcar como revisado")).first).to_be_visible()
        assert_no_english(page, where="work queue")
        checks("work-queue")
        checks.assert_accessible()
    finally:
        context.close()
