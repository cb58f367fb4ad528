"""Bills and payments in the browser: a patient pays part of a statement, sees the new balance
and the receipt, then sets up a plan for the rest; a declined card is explained and changes nothing; a
lost answer retried with the same Idempotency-Key charges once; a card issuer's confirmation step; billing
staff work the open-balance list, post and void a statement; screenshots and axe at phone and desktop."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, phone_and_desktop, sign_in

SUCCESS_CARD = "4242 4242 4242 4242"
DECLINE_CARD = "4000 0000 0000 0002"
INSUFFICIENT_CARD = "4000 0000 0000 9995"
CONFIRM_CARD = "4000 0027 6000 3184"


def open_billing(page: Page, heading: str = "Billing") -> None:
    # The menu button and the link are found by what they do: their labels are in the patient's language.
    nav = page.locator("#site-nav")
    menu = page.locator('button[aria-controls="site-nav"]')
    if menu.is_visible():
        menu.click()
    nav.locator('a[href="/billing"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("heading", level=1)).to_be_focused()


def summary_value(page: Page, label: str) -> str:
    stat = page.get_by_role("region", name="Balance summary").locator(".bill-stat").filter(has_text=label)
    return stat.locator(".bill-stat-value").inner_text()


ENGLISH_CARD = ("Pay by card", "Demo clinic: use a test card", "Card number")
# María reads the portal in Spanish
SPANISH_CARD = (
    "Pagar con tarjeta",
    "Clínica de demostración: use una tarjeta de prueba",
    "Número de tarjeta",
)


def use_test_card(page: Page, number: str, words: tuple[str, str, str] = ENGLISH_CARD) -> None:
    legend, demo, label = words
    fields = page.get_by_role("group", name=legend)
    if not fields.locator("details").evaluate("d => d.open"):
        fields.get_by_text(demo).click()
    fields.get_by_role("button", name=re.compile("^" + re.escape(number))).click()
    expect(fields.get_by_label(label)).to_have_value(number)


def test_patient_pays_part_sees_receipt_and_new_balance_then_plans_the_rest(
    page: Page, portal_url: str
) -> None:
    # Given Alex with an $80.00 statement for a recent visit and a $38.00 overdue one
    sign_in(page, portal_url, "alex")
    open_billing(page)
    expect(page.get_by_role("region", name="Balance summary")).to_contain_text("$118.00", timeout=SLOW)
    assert summary_value(page, "Overdue") == "$38.00"
    expect(page.get_by_role("region", name="Insurance on file")).to_contain_text("Blue Prairie Health")
    visit = page.locator("li.bill-card").filter(has_text="Office visit, moderate complexity")
    expect(visit).to_contain_text("Due")
    expect(visit).to_contain_text("$80.00")

    # When they pay $30.00 of it with a card
    visit.get_by_role("link", name=re.compile("^Pay statement")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay statement")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_text("The full balance, $80.00")).to_be_visible(timeout=SLOW)
    page.get_by_label("Another amount").check()
    expect(page.get_by_label("Amount to pay")).to_be_focused()
    page.get_by_label("Amount to pay").fill("30")
    use_test_card(page, SUCCESS_CARD)
    pay = page.get_by_role("button", name="Pay $30.00")
    requests: list[dict[str, str]] = []
    page.on(
        "request",
        lambda r: requests.append(r.headers) if r.method == "POST" and r.url.endswith("/payments") else None,
    )
    pay.dblclick()  # an impatient double click still sends one payment

    # Then they see the receipt and what is left
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your payment was received", timeout=SLOW
    )
    expect(page.get_by_role("status").filter(has_text="$30.00 paid")).to_contain_text(
        "now has $50.00 left to pay"
    )
    receipt = page.get_by_role("article")
    expect(receipt.get_by_role("heading", name=re.compile(r"^Receipt R-\d{8}-"))).to_be_visible()
    expect(receipt).to_contain_text("$30.00")
    expect(receipt).to_contain_text("Visa ending 4242")
    expect(page.locator("#receipt-remaining")).to_have_text("$50.00")
    assert len(requests) == 1, "a double click must send one payment"
    assert re.fullmatch(r"pay-[0-9a-f-]{36}", requests[0]["idempotency-key"])

    # When they set up a payment plan for the rest
    page.get_by_role("link", name="Set up a payment plan for the rest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a payment plan")
    page.get_by_role("button", name="Set up payment plan").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Choose how many months to pay over.")).to_be_visible()
    page.get_by_label("2 months: $25.00 a month").check()
    expect(page.get_by_role("region", name="Your payments")).to_contain_text("Today")
    use_test_card(page, SUCCESS_CARD, ("Card to charge each month", ENGLISH_CARD[1], ENGLISH_CARD[2]))
    page.get_by_label(re.compile("^I agree that")).check()
    page.get_by_role("button", name="Set up payment plan").click()

    # Then the plan is set up, the first $25.00 is charged today and the second is scheduled
    expect(page.get_by_role("status").filter(has_text="Your payment plan is set up")).to_contain_text(
        "The first payment of $25.00 was charged today", timeout=SLOW
    )
    plan = page.get_by_role("region", name=re.compile("^Your payment plan"))
    expect(plan.get_by_role("row").filter(has_text="1 of 2")).to_contain_text("Paid")
    expect(plan.get_by_role("row").filter(has_text="2 of 2")).to_contain_text("Scheduled")

    # And the billing page shows the new balance, the plan and both payments with receipts
    page.get_by_role("link", name="Back to billing").click()
    expect(page.get_by_role("region", name="Balance summary")).to_contain_text("$63.00", timeout=SLOW)
    visit = page.locator("li.bill-card").filter(has_text="Office visit, moderate complexity")
    expect(visit).to_contain_text("On a payment plan")
    expect(visit.get_by_role("link", name=re.compile("^Pay statement"))).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("^2 monthly payments"))).to_be_visible()
    history = page.get_by_role("region", name="Payment history")
    expect(history.get_by_role("link", name=re.compile("^Receipt for \\$30.00"))).to_have_count(1)
    expect(history.get_by_role("link", name=re.compile("^Receipt for \\$25.00"))).to_have_count(1)


def test_declined_card_is_explained_and_changes_nothing(page: Page, portal_url: str) -> None:
    # Given Alex paying the $38.00 overdue statement
    sign_in(page, portal_url, "alex")
    open_billing(page)
    overdue = page.locator("li.bill-card").filter(has_text="Rapid strep test")
    expect(overdue).to_contain_text("Overdue", timeout=SLOW)
    overdue.get_by_role("link", name=re.compile("^Pay statement")).click()
    expect(page.get_by_text("The full balance, $38.00")).to_be_visible(timeout=SLOW)

    # Missing card details are listed, linked to their fields and tied to them
    page.get_by_role("button", name="Pay $38.00").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_role("link", name="Enter the card number.").click()
    number = page.get_by_label("Card number")
    expect(number).to_be_focused()
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_have_accessible_description(re.compile("Enter the card number"))

    # More than the balance is refused before anything is sent
    page.get_by_label("Another amount").check()
    page.get_by_label("Amount to pay").fill("38.01")
    use_test_card(page, DECLINE_CARD)
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_label("Amount to pay")).to_have_accessible_description(re.compile(r"\$38.00 or less"))

    # When the card is declined
    page.get_by_label("The full balance, $38.00").check()
    page.get_by_role("button", name="Pay $38.00").click()
    alert = page.get_by_role("alert").filter(has_text="Your payment didn't go through")
    expect(alert).to_contain_text("Your card was declined. No charge was made", timeout=SLOW)
    expect(alert).to_contain_text("Your balance is unchanged: $38.00.")
    expect(page.locator("#pay-outcome")).to_be_focused()
    expect(number).to_have_accessible_description(re.compile("This card was not accepted"))

    # And insufficient funds says so
    use_test_card(page, INSUFFICIENT_CARD)
    page.get_by_role("button", name="Pay $38.00").click()
    expect(page.get_by_role("alert").filter(has_text="insufficient funds")).to_be_visible(timeout=SLOW)

    # Then nothing changed: still $38.00 overdue, no payment taken
    page.get_by_role("link", name=re.compile("^Statement ")).first.click()
    expect(page.locator(".bill-totals-due")).to_contain_text("$38.00", timeout=SLOW)
    open_billing(page)
    expect(page.get_by_role("region", name="Balance summary")).to_contain_text("$38.00", timeout=SLOW)
    assert summary_value(page, "Overdue") == "$38.00"
    expect(page.locator(".bill-pay-status--declined")).to_have_count(2)


def test_a_lost_answer_retried_charges_once(page: Page, portal_url: str) -> None:
    # Given María paying $10.00, whose first answer never reaches the browser
    sign_in(page, portal_url, "maria")
    open_billing(page, "Facturación")
    overdue = page.locator("li.bill-card").filter(has_text="Electrocardiogram")
    overdue.get_by_role("link", name=re.compile("^Pagar")).click()
    page.get_by_label("Otra cantidad").check()
    page.get_by_label("Cantidad a pagar").fill("10.00")
    use_test_card(page, SUCCESS_CARD, SPANISH_CARD)
    keys: list[str] = []

    def lose_first_answer(route: Route) -> None:
        keys.append(route.request.headers["idempotency-key"])
        response = route.fetch()  # the server charges...
        if len(keys) == 1:
            route.abort("connectionreset")  # ...but the answer is lost on the way back
        else:
            route.fulfill(response=response)

    page.route(re.compile(r".*/api/patients/[^/]+/payments$"), lose_first_answer)
    page.get_by_role("button", name="Pagar $10.00").click()
    expect(page.get_by_role("alert").filter(has_text="El pago no se completó")).to_contain_text(
        "oprima Pagar otra vez", timeout=SLOW
    )

    # When they press Pay again, the same attempt is retried with the same key
    page.get_by_role("button", name="Pagar $10.00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias, recibimos su pago", timeout=SLOW)
    assert len(keys) == 2, keys
    assert keys[0] == keys[1], "a retry of the same attempt must send the same Idempotency-Key"

    # Then exactly one $10.00 payment was taken
    page.unroute(re.compile(r".*/api/patients/[^/]+/payments$"))
    page.get_by_role("link", name="Volver a facturación").click()
    expect(page.get_by_role("link", name=re.compile(r"^Recibo de \$10.00"))).to_have_count(1, timeout=SLOW)


def test_card_issuer_confirmation_step(page: Page, portal_url: str) -> None:
    sign_in(page, portal_url, "maria")
    open_billing(page, "Facturación")
    page.locator("li.bill-card").filter(has_text="Metabolic panel").get_by_role(
        "link", name=re.compile("^Pagar")
    ).click()
    page.get_by_label("Otra cantidad").check()
    page.get_by_label("Cantidad a pagar").fill("5")
    use_test_card(page, CONFIRM_CARD, SPANISH_CARD)
    page.get_by_role("button", name="Pagar $5.00").click()
    waiting = page.locator("#pay-outcome")
    expect(waiting).to_contain_text("El banco de su tarjeta le pide confirmar este pago", timeout=SLOW)
    expect(waiting).to_be_focused()
    waiting.get_by_role("button", name="Confirmar el pago").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias, recibimos su pago", timeout=SLOW)
    expect(page.get_by_role("article")).to_contain_text("$5.00")


def test_billing_staff_work_list_ledger_post_and_void(page: Page, portal_url: str) -> None:
    # Given the billing office signed in
    sign_in(page, portal_url, "billing")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Open balances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open balances")

    # Then the work list shows open statements of every patient, and can narrow to overdue ones
    rows = page.get_by_role("row").filter(has=page.get_by_role("rowheader"))
    expect(rows.filter(has_text="María González").first).to_be_visible(timeout=SLOW)
    expect(rows.filter(has_text="Taylor")).not_to_have_count(0)
    expect(rows.filter(has_text="Payment plan")).not_to_have_count(0)
    page.get_by_label("Overdue only").check()
    expect(rows.filter(has_text="Due").filter(has_not_text="Overdue")).to_have_count(0, timeout=SLOW)
    expect(rows.filter(has_text="Overdue").first).to_be_visible()
    page.get_by_label("Overdue only").uncheck()

    # When they open Riley's ledger and post a statement (dollars typed, cents sent)
    rows.filter(has_text="Riley").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riley", timeout=SLOW)
    expect(page.get_by_role("heading", name="Ledger")).to_be_visible()
    page.get_by_role("button", name="Post a statement").click()
    form = page.get_by_role("form", name="New statement")
    form.get_by_role("button", name="Post statement").click()
    expect(form.get_by_role("heading", name="There is a problem")).to_be_visible()
    form.get_by_label("Description").fill("Office visit, established patient")
    form.get_by_label("Code", exact=True).fill("99213")
    form.get_by_label("Date of service").fill("2026-11-20")
    form.get_by_label("Charge ($)").fill("185.00")
    form.get_by_label("Paid by insurance").fill("120.50")
    form.get_by_label("Adjustments").fill("25")
    expect(form).to_contain_text("$39.50")
    posted: list[dict[str, object]] = []
    page.on(
        "request",
        lambda r: (
            posted.append(json.loads(r.post_data or "{}"))
            if r.method == "POST" and r.url.endswith("/statements")
            else None
        ),
    )
    form.get_by_role("button", name="Post statement").click()
    done = page.get_by_role("status").filter(has_text="posted")
    expect(done).to_contain_text("$39.50 patient responsibility", timeout=SLOW)
    assert posted
    assert posted[0]["insurance_paid_cents"] == 12050
    assert posted[0]["lines"] == [
        {
            "description": "Office visit, established patient",
            "code": "99213",
            "service_date": "2026-11-20",
            "charge_cents": 18500,
        }
    ]
    number = re.search(r"Statement (\S+) posted", done.inner_text())
    assert number

    # And void it with a reason: it stays on the ledger, marked void
    statements = page.get_by_role("region", name="Statements")
    row = statements.get_by_role("row").filter(has_text=number[1])
    row.get_by_role("button", name=re.compile("^Void")).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_label("Reason")).to_be_focused()
    dialog.get_by_role("button", name="Void statement").click()
    expect(dialog.get_by_label("Reason")).to_have_accessible_description(re.compile("Enter the reason"))
    dialog.get_by_label("Reason").fill("Posted to the wrong patient")
    dialog.get_by_role("button", name="Void statement").click()
    expect(page.get_by_role("status").filter(has_text="voided")).to_be_visible(timeout=SLOW)
    expect(row).to_contain_text("Voided", timeout=SLOW)
    ledger = page.get_by_role("region", name="Ledger")
    expect(ledger.get_by_role("row").filter(has_text=f"Statement {number[1]} voided")).to_contain_text(
        "$39.50 credit"
    )

    # And record that they checked María's supplemental insurance
    page.get_by_role("link", name="Open balances").first.click()
    page.get_by_role("row").filter(has_text="María González").first.get_by_role("link").click()
    insurance = page.get_by_role("region", name="Insurance on file")
    supplement = insurance.get_by_role("listitem").filter(has_text="Prairie Senior Supplement")
    expect(supplement).to_contain_text("Not yet checked", timeout=SLOW)
    expect(insurance.get_by_role("listitem").filter(has_text="Medicare")).to_contain_text("Verified")
    supplement.get_by_role("button", name=re.compile("^Mark verified")).click()
    expect(supplement).to_contain_text("Verified", timeout=SLOW)
    expect(supplement).to_contain_text("by Jordan Kim")


@NEEDS_AXE
@phone_and_desktop(390, 844)
@pytest.mark.usefixtures("maria_reads_english")
def test_billing_pages_screenshots_and_axe(
    browser: Browser, portal_url: str, screenshot_dir: Path, device: str, viewport: dict[str, int]
) -> None:
    with checked_page(browser, viewport, screenshot_dir, f"{device}-billing") as (page, check):
        sign_in(page, portal_url, "maria")
        page.goto(portal_url + "/billing")
        expect(page.locator("li.bill-card").first).to_be_visible(timeout=SLOW)
        expect(page.locator(".bill-table")).to_be_visible(timeout=SLOW)
        check("home")
        page.locator("li.bill-card").filter(has_text="Metabolic panel").get_by_role(
            "link", name=re.compile("^Statement")
        ).click()
        expect(page.locator(".bill-sheet")).to_be_visible(timeout=SLOW)
        check("statement")
        page.emulate_media(media="print")
        page.screenshot(path=screenshot_dir / f"{device}-billing-statement-print.png", full_page=True)
        page.emulate_media(media="screen")

        page.get_by_role("link", name=re.compile(r"^Pay \$")).click()
        page.get_by_label("Another amount").check()
        page.get_by_label("Amount to pay").fill("12.345")
        page.get_by_role("button", name="Pay", exact=True).click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        page.get_by_role("group", name="Pay by card").get_by_text("Demo clinic: use a test card").click()
        check("pay-errors")
        page.get_by_label("Amount to pay").fill("12.34")
        use_test_card(page, DECLINE_CARD)
        page.get_by_role("button", name="Pay $12.34").click()
        expect(page.get_by_role("alert").filter(has_text="declined")).to_be_visible(timeout=SLOW)
        check("pay-declined")
        use_test_card(page, SUCCESS_CARD)
        page.get_by_label("Amount to pay").fill(
            "1.00"
        )  # small, so the phone and desktop runs both leave room for a plan
        page.get_by_role("button", name="Pay $1.00").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Thank you, your payment was received", timeout=SLOW
        )
        expect(page.locator("#receipt-remaining")).to_be_visible(timeout=SLOW)
        expect(page.get_by_role("link", name="Set up a payment plan for the rest")).to_be_visible(
            timeout=SLOW
        )
        check("receipt")
        page.get_by_role("link", name="Set up a payment plan for the rest").click()
        page.locator(".bill-month-options input").first.check()
        check("plan")

        if device == "phone":
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, portal_url, "billing")
        page.goto(portal_url + "/staff/billing")
        expect(page.locator(".bill-worklist tbody tr").first).to_be_visible(timeout=SLOW)
        check("worklist")
        page.locator(".bill-worklist tbody tr").filter(has_text="María").first.get_by_role("link").click()
        expect(page.get_by_role("heading", name="Ledger")).to_be_visible(timeout=SLOW)
        expect(page.locator(".bill-table").last).to_be_visible(timeout=SLOW)
        page.get_by_role("button", name="Post a statement").click()
        check("ledger")
        check.assert_accessible()
