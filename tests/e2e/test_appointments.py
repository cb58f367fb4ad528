"""Appointments in the browser: find a time and book, see it on home, reschedule, add to calendar,
eCheck-in (questionnaires from their definitions), cancel with a confirm dialog, a time taken by someone
else meanwhile, and the staff schedule with check-in status and the request queue."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.e2e.helpers import (
    NEEDS_AXE,
    SLOW,
    checked_page,
    phone_and_desktop,
    sign_in,
)

CLINIC_ZONE = ZoneInfo("America/Chicago")
# "Tuesday, December 1, 9:20 AM with Dr. Priya Rivera"
DAY = r"[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}(?:, \d{4})?"
SLOT_NAME = re.compile(rf"^(?P<day>{DAY}), (?P<time>\d{{1,2}}:\d{{2}}\s[AP]M) with (?P<who>.+)$")
ANY_SLOT = re.compile(r"^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}(?:, \d{4})?, \d{1,2}:\d{2}\s[AP]M with .+$")


def slot_parts(name: str) -> tuple[str, str, str]:
    match = SLOT_NAME.match(name)
    assert match, f"not a complete time label: {name!r}"
    return match["day"], match["time"].replace("\u202f", " "), match["who"]


def clinic_moment(day_label: str, time_label: str) -> datetime:
    """'Monday, November 30' + '9:20 AM' -> the aware clinic-local datetime (year: the next such date)."""
    today = datetime.now(CLINIC_ZONE).date()
    _, month_day, *year = [part.strip() for part in day_label.split(",")]
    for candidate_year in [int(year[0])] if year else [today.year, today.year + 1]:
        day = datetime.strptime(f"{month_day} {candidate_year}", "%B %d %Y").date()
        if day >= today:
            break
    clock = datetime.strptime(time_label, "%I:%M %p").time()
    return datetime.combine(day, time(clock.hour, clock.minute), tzinfo=CLINIC_ZONE)


def first_time(page: Page, *, beyond_hours: float = 26) -> Locator:
    """The earliest offered time past the clinic's 24-hour change cutoff, so the test can still move or
    cancel it whatever the time of day the suite runs."""
    radios = page.get_by_role("radio", name=ANY_SLOT)
    expect(radios.first).to_be_visible(timeout=SLOW)
    limit = datetime.now(CLINIC_ZONE) + timedelta(hours=beyond_hours)
    for index in range(radios.count()):
        radio = radios.nth(index)
        day_label, time_label, _ = slot_parts(radio.get_attribute("aria-label") or "")
        if clinic_moment(day_label, time_label) > limit:
            return radio
    raise AssertionError("no offered time is past the change cutoff")


def appointment_card(page: Page, day_label: str, time_label: str) -> Locator:
    """The upcoming card whose heading starts with this day and start time."""
    start = re.escape(time_label.split()[0])
    heading = page.get_by_role(
        "heading", level=3, name=re.compile(rf"^{re.escape(day_label)}\s*,\s*{start}(?!\d)")
    )
    return page.locator("li.appt-card").filter(has=heading)


def test_book_see_on_home_reschedule_calendar_checkin_then_front_desk_sees_it(
    page: Page, portal_url: str
) -> None:
    # Given Alex signed in, opening Appointments from the navigation
    sign_in(page, portal_url, "alex")
    page.get_by_role("navigation").get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_role("main")).to_contain_text("Central Time")

    # When they look for a follow-up with any provider
    page.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    # Visits that can't be booked online say why; call-only ones give the clinic's number
    other = page.locator(".appt-not-online")
    expect(other).to_contain_text("Minor procedure")
    expect(other.get_by_role("link", name="(555) 010-0100")).to_have_attribute("href", "tel:+15550100100")
    expect(other).to_contain_text("This visit is for new patients")
    expect(page.get_by_role("radio", name=re.compile("^New patient visit"))).to_have_count(0)

    page.get_by_role("radio", name=re.compile("^Follow-up visit")).check()
    expect(page.get_by_label("Show times from")).to_have_attribute("type", "date")
    # Continuing without a time explains what is missing
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Choose a time to continue.")).to_be_visible()

    # Every time is a radio with a complete name; the earliest is chosen
    radio = first_time(page)
    day_label, time_label, provider = slot_parts(radio.get_attribute("aria-label") or "")
    radio.check()
    page.get_by_role("button", name="Continue").click()
    confirm = page.get_by_role("heading", name="Check and confirm")
    expect(confirm).to_be_focused()
    expect(page.get_by_role("main")).to_contain_text(day_label)
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible(timeout=SLOW)

    # Then the home page shows the next appointment: this one, unless the demo's own clinic day still has
    # a visit of Alex's to come today (before its morning visits, it does)
    page.get_by_role("navigation").get_by_role("link", name="Home").click()
    card = page.get_by_role("region", name="Your next appointment")
    expect(card).to_contain_text("Confirmed", timeout=SLOW)
    if day_label not in card.inner_text():
        expect(card).to_contain_text(datetime.now(CLINIC_ZONE).strftime("%A, %B %-d"))
    else:
        expect(card).to_contain_text(f"Follow-up visit with {provider}")

    # When they reschedule it to the next free time with the same provider
    card.get_by_role("link", name="All appointments").click()
    booked = appointment_card(page, day_label, time_label)
    expect(booked).to_have_count(1, timeout=SLOW)
    booked.get_by_role("link", name=re.compile("^Reschedule")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change appointment time")
    expect(page.get_by_label("Provider")).to_have_value(re.compile(".+"))
    new_radio = first_time(page)
    new_day, new_time, new_provider = slot_parts(new_radio.get_attribute("aria-label") or "")
    assert (new_day, new_time) != (day_label, time_label), "the current time must not be offered again"
    new_radio.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the new time")).to_be_focused()
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.get_by_role("status").filter(has_text="Your appointment was moved to")).to_be_visible(
        timeout=SLOW
    )
    moved = appointment_card(page, new_day, new_time)
    expect(moved).to_have_count(1)
    expect(appointment_card(page, day_label, time_label)).to_have_count(0)

    # And download it for their calendar: a real .ics at the new time (fetched with the token, a Blob)
    with page.expect_download() as download_info:
        moved.get_by_role("button", name=re.compile("^Add to calendar")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    assert not download.url.startswith("http"), "the file must come from a Blob, not a URL with a token"
    text = Path(download.path()).read_text()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART:" in text
    calendar = icalendar.Calendar.from_ical(text)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    start = events[0].decoded("DTSTART")
    assert start.astimezone(CLINIC_ZONE) == clinic_moment(new_day, new_time)

    # And complete eCheck-in
    moved.get_by_role("link", name=re.compile("^Start eCheck-in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("eCheck-in")
    submit = page.get_by_role("button", name="Submit eCheck-in")
    expect(submit).to_be_visible(timeout=SLOW)
    submit.click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("These details are correct")).to_be_focused()
    page.get_by_label("These details are correct").check()
    page.get_by_label("With my health insurance").check()
    page.get_by_label("Insurance company").fill("Prairie Health Mutual")
    page.get_by_label("Member ID").fill("PHM-204-118")
    if page.get_by_label("Medication 1").count() == 0:
        page.get_by_label("I don't take any medications").check()
    if page.get_by_label("Allergic to 1").count() == 0:
        page.get_by_label("I have no known allergies").check()
    page.get_by_label("What would you like to talk about at this visit?").fill(
        "Blood pressure check & refills <b>"
    )
    page.get_by_label("When did this start?").fill("About a month ago")
    submit.click()
    expect(page.get_by_role("heading", name="You're checked in")).to_be_visible(timeout=SLOW)
    page.get_by_role("link", name="Back to appointments").first.click()
    expect(appointment_card(page, new_day, new_time)).to_contain_text("eCheck-in done", timeout=SLOW)

    # Then the front desk sees the visit as checked in on that provider's schedule
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, portal_url, "frontdesk")
    page.get_by_role("navigation").get_by_role("link", name="Schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule")
    provider_select = page.get_by_label("Provider")
    expect(provider_select).to_be_visible(timeout=SLOW)
    provider_select.select_option(
        label=next(
            o for o in provider_select.locator("option").all_text_contents() if o.startswith(new_provider)
        )
    )
    page.get_by_label("Date").fill(clinic_moment(new_day, new_time).date().isoformat())
    starts = re.compile(rf"^\s*{re.escape(new_time.split()[0])}(?!\d)")
    row = page.get_by_role("row").filter(has_text="Alex Morgan").filter(has_text=starts)
    expect(row).to_have_count(1, timeout=SLOW)
    expect(row).to_contain_text("Follow-up visit")
    expect(row).to_contain_text("Booked")
    expect(row).to_contain_text("Checked in")


def test_video_visit_consent_needs_agreement_and_a_typed_signature(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/appointments")
    video = page.locator("li.appt-card").filter(has_text="Video follow-up").first
    expect(video).to_be_visible(timeout=SLOW)
    # Not yet in the join window: no join button, and it says when
    expect(video.get_by_role("button", name="Join video visit")).to_have_count(0)
    expect(video).to_contain_text("You can join from")
    video.get_by_role("link", name=re.compile("^(Start eCheck-in|Review or update)")).click()

    consent = page.get_by_role("region", name="Consent to a video visit")
    expect(consent).to_be_visible(timeout=SLOW)
    expect(consent).to_contain_text("Video visits use a secure connection")
    page.get_by_label("These details are correct").check()
    page.get_by_label("I'll pay myself (self-pay)").check()
    page.get_by_label("What would you like to talk about at this visit?").fill(
        "Follow-up on my blood pressure"
    )
    if page.get_by_label("Medication 1").count() == 0:
        page.get_by_label("I don't take any medications").check()
    if page.get_by_label("Allergic to 1").count() == 0:
        page.get_by_label("I have no known allergies").check()
    page.get_by_role("button", name="Submit eCheck-in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Please agree to continue.")
    expect(summary).to_contain_text("Type your full name to sign.")
    agree = page.get_by_label("I agree to receive care by video.")
    expect(agree).to_be_focused()
    expect(agree).to_have_attribute("aria-invalid", "true")

    agree.check()
    page.get_by_label("Type your full name as your signature").fill("Alexandra Morgan")
    page.get_by_role("button", name="Submit eCheck-in").click()
    expect(page.get_by_role("heading", name="You're checked in")).to_be_visible(timeout=SLOW)


def test_join_link_only_in_the_window_and_it_leads_to_the_device_check(page: Page, portal_url: str) -> None:
    # The local clock can't be moved on the server, so the API's answer is adjusted in the browser: the
    # seeded video visit, as it looks once its join window is open.
    def open_window(route: Route) -> None:
        body = route.fetch().json()
        for item in body["items"]:
            if item["modality"] == "video" and item["join"]:
                item["join"]["available_now"] = True
        route.fulfill(json=body)

    page.route(re.compile(r"/api/patients/[^/]+/appointments\?when=upcoming"), open_window)
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/appointments")
    video = page.locator("li.appt-card").filter(has_text="Video follow-up").first
    join = video.get_by_role("link", name="Join video visit")
    expect(join).to_be_visible(timeout=SLOW)
    expect(video).not_to_contain_text("You can join from")
    # Other visits have no join link
    expect(page.get_by_role("link", name="Join video visit")).to_have_count(1)
    expect(join).to_have_attribute("href", re.compile(r"^/visit/p-4f1c2a9e/apt-"))


def test_offer_me_an_earlier_time_joins_and_leaves_the_waitlist(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/appointments")
    # (not today's visit with Jordan Alvarez, too close to wait for an earlier time)
    offer = page.get_by_role("button", name="Offer me an earlier time")
    offered = page.locator("li.appt-card").filter(has_text="Jordan Alvarez").filter(has=offer).first
    expect(offered).to_be_visible(timeout=SLOW)
    title = offered.locator(".appt-card-title").inner_text()
    card = page.locator("li.appt-card").filter(has=page.locator(".appt-card-title", has_text=title))
    card.get_by_role("button", name="Offer me an earlier time").click()
    dialog = page.get_by_role("dialog", name="Offer me an earlier time")
    expect(dialog).to_contain_text("stays booked")
    dialog.get_by_label("Only Jordan Alvarez").check()
    dialog.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("status").filter(has_text="on the waitlist")).to_be_visible(timeout=SLOW)
    expect(card).to_contain_text("You're on the waitlist for an earlier time.")
    expect(card.get_by_role("button", name="Offer me an earlier time")).to_have_count(0)

    card.get_by_role("button", name="Stop waiting").click()
    expect(page.get_by_role("status").filter(has_text="no longer waiting")).to_be_visible(timeout=SLOW)
    expect(card.get_by_role("button", name="Offer me an earlier time")).to_be_visible()


def test_time_taken_meanwhile_is_explained_with_fresh_times(browser: Browser, portal_url: str) -> None:
    alex_context = browser.new_context()
    maria_context = browser.new_context()
    try:
        alex, maria = alex_context.new_page(), maria_context.new_page()
        # María reads the portal in Spanish, the clinic's visit types too; providers keep their names.
        labels = {
            alex: {"Provider": "Provider", "Continue": "Continue", "Visit": "Follow-up visit"},
            maria: {"Provider": "Proveedor", "Continue": "Continuar", "Visit": "Cita de seguimiento"},
        }
        for who, tab in (("alex", alex), ("maria", maria)):
            sign_in(tab, portal_url, who)
            tab.goto(portal_url + "/appointments/book")
            tab.get_by_role("radio", name=re.compile(f"^{labels[tab]['Visit']}")).check()
            tab.get_by_label(labels[tab]["Provider"]).select_option(label="Dr. Priya Rivera, Family medicine")
        # Both pick the same time (found by its slot: the labels differ by language)
        chosen = first_time(alex)
        name, slot_id = chosen.get_attribute("aria-label") or "", chosen.get_attribute("value")
        chosen.check()
        maria.locator(f"input[type=radio][value='{slot_id}']").check()
        for tab in (alex, maria):
            tab.get_by_role("button", name=labels[tab]["Continue"]).click()
        maria.get_by_role("button", name="Reservar la cita").click()
        expect(maria.get_by_role("heading", name="Su cita está reservada")).to_be_visible(timeout=SLOW)

        alex.get_by_role("button", name="Book appointment").click()
        warning = alex.get_by_role("alert").filter(has_text="That time is no longer available")
        expect(warning).to_be_visible(timeout=SLOW)
        expect(warning).to_contain_text("was just taken by someone else")
        expect(alex.locator("#book-conflict")).to_be_focused()
        # The refreshed list no longer offers it, and others can be chosen
        first_time(alex)
        expect(alex.get_by_role("radio", name=name, exact=True)).to_have_count(0)
    finally:
        alex_context.close()
        maria_context.close()


def test_cancel_asks_first_and_frees_the_visit(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "maria")  # in Spanish, her saved language
    page.goto(portal_url + "/appointments")
    upcoming = (
        page.locator("li.appt-card")
        .filter(has_text="Cita de seguimiento")
        .filter(has_text="Puede cancelar o cambiar en línea hasta")
        .first
    )
    expect(upcoming).to_be_visible(timeout=SLOW)
    title = upcoming.locator(".appt-card-day").evaluate("(e) => e.firstChild.textContent")
    cancel = upcoming.get_by_role("button", name=re.compile("^Cancelar"))

    # Keeping the appointment changes nothing and returns focus to the button
    cancel.click()
    dialog = page.get_by_role("alertdialog", name="¿Cancelar esta cita?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Mantener la cita")).to_be_focused()
    dialog.get_by_role("button", name="Mantener la cita").click()
    expect(dialog).to_be_hidden()
    expect(cancel).to_be_focused()

    cancel.click()
    dialog.get_by_role("button", name="Sí, cancelar la cita").click()
    expect(page.get_by_role("status").filter(has_text="está cancelada")).to_be_visible(timeout=SLOW)
    cancelled = page.get_by_role("region", name="Cancelada")
    expect(cancelled).to_contain_text(title)


def test_front_desk_confirms_a_request_from_the_queue(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "frontdesk")
    page.get_by_role("navigation").get_by_role("link", name="Schedule").click()
    queue = page.get_by_role("region", name="Online requests and changes")
    request = (
        queue.get_by_role("listitem").filter(has_text="Request to confirm").filter(has_text="Alex Morgan")
    )
    expect(request).to_have_count(1, timeout=SLOW)
    expect(request).to_contain_text("Annual physical")
    request.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.get_by_role("status").filter(has_text="Request confirmed for Alex Morgan")).to_be_visible(
        timeout=SLOW
    )
    expect(queue.get_by_role("listitem").filter(has_text="Request to confirm")).to_have_count(0, timeout=SLOW)

    # The patient now sees it confirmed
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, portal_url, "alex")
    page.goto(portal_url + "/appointments")
    physical = page.locator("li.appt-card").filter(has_text="Annual physical")
    expect(physical).to_contain_text("Confirmed", timeout=SLOW)


@NEEDS_AXE
@phone_and_desktop(360, 800)
def test_appointment_pages_are_accessible_and_fit(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-appointments") as (page, check):
        sign_in(page, portal_url, "alex")
        expect(page.get_by_role("region", name="Your next appointment")).to_contain_text(
            "Confirmed", timeout=SLOW
        )
        check("home")
        page.goto(portal_url + "/appointments")
        expect(page.get_by_role("heading", name="Upcoming")).to_be_visible(timeout=SLOW)
        expect(page.locator("li.appt-card").first).to_be_visible(timeout=SLOW)
        check("list")
        cancel = page.get_by_role("button", name=re.compile("^Cancel"))
        page.locator("li.appt-card").filter(has=cancel).first.get_by_role(
            "button", name=re.compile("^Cancel")
        ).click()
        expect(page.get_by_role("alertdialog")).to_be_visible()
        check("cancel-dialog")
        page.keyboard.press("Escape")

        page.goto(portal_url + "/appointments/book")
        page.get_by_role("radio", name=re.compile("^Follow-up visit")).check()
        first_time(page).check()
        check("find-a-time")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Check and confirm")).to_be_visible()
        check("confirm")

        page.goto(portal_url + "/appointments")
        page.get_by_role("link", name=re.compile("^(Start|Finish) eCheck-in|^Review or update")).first.click()
        expect(page.get_by_role("button", name=re.compile("eCheck-in$"))).to_be_visible(timeout=SLOW)
        check("checkin")
        page.get_by_role("button", name=re.compile("eCheck-in$")).click()  # the details are not confirmed yet
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        check("checkin-errors")

        if device == "phone":
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, portal_url, "frontdesk")
        page.goto(portal_url + "/schedule")
        expect(page.get_by_role("heading", name="Online requests and changes")).to_be_visible()
        expect(page.locator(".appt-day-card").first).to_be_visible(timeout=SLOW)
        page.get_by_label("Week").check()
        expect(page.locator(".appt-day-card")).to_have_count(7, timeout=SLOW)
        check("schedule")
        check.assert_accessible()


def test_clinic_day_helper() -> None:
    # The helper the tests use to read labels back, checked on its own
    moment = clinic_moment("Monday, December 1, 2036", "9:20 AM")
    assert moment == datetime(2036, 12, 1, 9, 20, tzinfo=CLINIC_ZONE)
    assert moment.date() == date(2036, 12, 1)
