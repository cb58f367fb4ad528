"""A video visit in the browser, on the simulated meeting provider, with Chromium's fake camera and
microphone: the patient checks their devices and waits; the clinician sees them waiting and admits them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from chalicelib.appointments.models import Appointment
from tests.e2e.conftest import CHROMIUM
from tests.e2e.helpers import NEEDS_AXE, SLOW, PageChecks, sign_in
from tests.local_portal import PortalProcess

ALEX = "p-4f1c2a9e"  # the demo patient "alex"
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
DENIED = (
    "navigator.mediaDevices.getUserMedia = "
    "() => Promise.reject(new DOMException('refused', 'NotAllowedError'));"
)


@pytest.fixture(scope="module")
def media_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium with a fake camera and microphone that it grants without asking."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", *FAKE_MEDIA]
    )
    yield browser
    browser.close()


@pytest.fixture
def video_visit(portal: PortalProcess) -> Iterator[Appointment]:
    """A booked video visit of Alex's with Dr. Rivera that started five minutes ago (the server's clock
    cannot be moved, so the visit is written straight into the local table)."""
    with portal.video_visit_now(ALEX, "Alex Morgan") as visit:
        yield visit


def _checks(page: Page, screenshot_dir: Path, prefix: str) -> PageChecks:
    return PageChecks(page, screenshot_dir, prefix)


@NEEDS_AXE
def test_patient_waits_clinician_admits_and_both_are_in_the_call(
    media_browser: Browser, video_visit: Appointment, portal_url: str, screenshot_dir: Path
) -> None:
    visit = video_visit
    patient_context = media_browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    clinician_context = media_browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    try:
        patient = patient_context.new_page()
        patient_checks = _checks(patient, screenshot_dir, "video-visit-390")
        sign_in(patient, portal_url, "alex")
        patient.goto(portal_url + "/appointments")
        card = patient.locator("li.appt-card").filter(has=patient.locator(f"a[href$='/{visit.id}']"))
        card.get_by_role("link", name="Join video visit").click()

        expect(
            patient.get_by_role("heading", name="Check your camera, microphone and speakers")
        ).to_be_visible(timeout=SLOW)
        expect(patient.get_by_role("meter", name="Microphone: say something")).to_be_visible()
        join = patient.get_by_role("button", name="Join the visit")
        expect(join).to_be_enabled(timeout=SLOW)
        patient_checks("device-check")
        join.click()
        expect(patient.get_by_role("heading", name="You're in the waiting room")).to_be_visible(timeout=SLOW)
        patient_checks("waiting")

        clinician = clinician_context.new_page()
        clinician_checks = _checks(clinician, screenshot_dir, "video-visit-1280")
        sign_in(clinician, portal_url, "drrivera")
        clinician.goto(portal_url + "/schedule")
        clinician.get_by_role("link", name="Join video visit with Alex Morgan").first.click()
        expect(clinician.get_by_role("status").filter(has_text="The patient is waiting.")).to_be_visible(
            timeout=SLOW
        )
        clinician.get_by_role("button", name="Join the visit").click(timeout=SLOW)
        admit = clinician.get_by_role("button", name="Admit the patient")
        expect(admit).to_be_visible(timeout=SLOW)
        # In the call, but the patient is still in the waiting room
        expect(clinician.get_by_role("list", name="In the visit").get_by_role("listitem")).to_have_text(
            ["You"]
        )
        clinician_checks("patient-waiting")
        admit.click()

        in_visit = patient.get_by_role("list", name="In the visit")
        expect(in_visit.get_by_role("listitem")).to_have_text(["You", "Your clinician"], timeout=SLOW)
        expect(clinician.get_by_role("list", name="In the visit").get_by_role("listitem")).to_have_text(
            ["You", "The patient"]
        )
        mute = patient.get_by_role("button", name="Mute")
        mute.focus()
        patient.keyboard.press("Enter")
        expect(patient.get_by_role("button", name="Unmute")).to_have_attribute("aria-pressed", "true")
        patient_checks("in-call")
        clinician_checks("in-call")
        patient.get_by_role("button", name="Leave").click()
        expect(patient.get_by_role("status").filter(has_text="You left the visit")).to_be_visible()
        patient_checks.assert_accessible()
        clinician_checks.assert_accessible()
    finally:
        patient_context.close()
        clinician_context.close()


@NEEDS_AXE
def test_a_refused_camera_shows_what_to_do(
    media_browser: Browser, video_visit: Appointment, portal_url: str, screenshot_dir: Path
) -> None:
    visit = video_visit
    context = media_browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.add_init_script(DENIED)  # what the page sees when the person (or a policy) said no
    try:
        page = context.new_page()
        checks = _checks(page, screenshot_dir, "video-visit-denied-390")
        sign_in(page, portal_url, "alex")
        page.goto(f"{portal_url}/visit/{visit.patient_id}/{visit.id}")

        advice = page.get_by_role("alert").filter(has_text="Your browser blocked the camera and microphone")
        expect(advice).to_be_visible(timeout=SLOW)
        expect(advice).to_contain_text("Allow")
        expect(advice.get_by_role("button", name="Try again")).to_be_visible()
        expect(page.get_by_role("button", name="Join the visit")).to_be_disabled()
        checks("advice")
        checks.assert_accessible()
    finally:
        context.close()
