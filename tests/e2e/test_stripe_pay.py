"""Paying with Stripe in the browser, offline: a clinic on Stripe, Stripe.js replaced by a test double at
its loader's boundary (the script the official loader fetches from js.stripe.com), Stripe's API answered by
tests/stripe_fake.py for the portal's server and for the double. Nothing leaves this machine.

The card pages are served with the policy that lets Stripe.js run (every other page names no Stripe
origin), so the double only loads, and reaches Stripe's API origin, because that policy allows it."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.helpers import NEEDS_AXE, SLOW, checked_page, reading_english, sign_in
from tests.http.conftest import ALEX
from tests.local_portal import PortalProcess, free_port, local_portal
from tests.stripe_fake import API_KEY, SECRET_ARN, WEBHOOK_ARN, WEBHOOK_SECRET, FakeStripe

ROOT = Path(__file__).resolve().parents[2]
DOUBLE = (Path(__file__).parent / "doubles" / "stripe.js").read_text()
LOCK = threading.Lock()
FAKE = FakeStripe()


class _StripeApi(BaseHTTPRequestHandler):
    """Stripe's API for the portal's server (STRIPE_API_BASE), answered by the fake."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        with LOCK:
            headers = dict(self.headers.items())
            text, status, _ = FAKE.request(self.command, "https://api.stripe.com" + self.path, headers, body)
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _answer


@pytest.fixture(scope="module")
def stripe_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalProcess]:
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        pytest.fail("web/dist is not built: run `make web` (make e2e does it for you)")
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _StripeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folder = tmp_path_factory.mktemp("stripe-portal")
    clinic = json.loads((ROOT / "clinics" / "demo.json").read_text())
    clinic["billing"] = {
        "provider": "stripe",
        "stripe": {
            "publishable_key": "pk_test_51RiversideDouble",
            "secret_key_arn": SECRET_ARN,
            "webhook_secret_arn": WEBHOOK_ARN,
        },
    }
    clinic_file = folder / "riverside-on-stripe.json"
    clinic_file.write_text(json.dumps(clinic))
    env = {
        "STRIPE_API_BASE": f"http://127.0.0.1:{server.server_address[1]}",
        "STRIPE_SECRET_KEY": API_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    try:
        with local_portal(folder, env=env, clinic=clinic_file) as running:
            yield running
    finally:
        server.shutdown()


def _stripe_js(route: Route) -> None:
    route.fulfill(status=200, content_type="application/javascript", body=DOUBLE)


def _stripe_api(route: Route) -> None:
    """What Stripe's API does with the double's confirmation: the card, as the patient chose it."""
    path = urlsplit(route.request.url).path
    card = parse_qs(route.request.post_data or "").get("card", ["succeed"])[0]
    headers = {"Access-Control-Allow-Origin": "*"}
    match = re.fullmatch(r"/v1/(payment_intents|setup_intents)/([^/]+)/confirm", path)
    assert match, path
    with LOCK:
        if match.group(1) == "setup_intents":
            FAKE.setups[match.group(2)].update(status="succeeded", payment_method="pm_card_visa")
            route.fulfill(status=200, headers=headers, json=FAKE.setups[match.group(2)])
            return
        intent = match.group(2)
        FAKE.browser_confirms(intent, card)
        if card not in ("succeed", "requires_action"):
            error = {"type": "card_error", "code": "card_declined", "decline_code": card}
            error["message"] = "Your card has insufficient funds."
            route.fulfill(status=402, headers=headers, json={"error": error})
            return
        route.fulfill(status=200, headers=headers, json=FAKE.intent_object(intent))


def _issuer(route: Route) -> None:
    """The card issuer's 3-D Secure page on hooks.stripe.com: the patient approves, back to the portal."""
    url = urlsplit(route.request.url)
    intent = url.path.rsplit("/", 1)[1]
    with LOCK:
        FAKE._succeed(FAKE.intents[intent])
    back = parse_qs(url.query)["return_url"][0]
    route.fulfill(status=302, headers={"Location": back})


@pytest.fixture
def stripe_page(page: Page) -> Page:
    page.route("https://js.stripe.com/**", _stripe_js)
    page.route("https://api.stripe.com/**", _stripe_api)
    page.route("https://hooks.stripe.com/**", _issuer)
    return page


def _stripe_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "stripe.com" in r.url else None)
    return seen


def _csp(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (localhost)
        return str(response.headers["Content-Security-Policy"])


def test_only_the_card_pages_may_run_stripe_js(stripe_portal: PortalProcess) -> None:
    pay = _csp(stripe_portal.url + "/billing/statements/st-demo-alex-overdue/pay")
    assert "script-src 'self' https://js.stripe.com https://*.js.stripe.com;" in pay
    assert "frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com;" in pay
    assert re.search(r"connect-src 'self' \S+ https://api.stripe.com;", pay)
    for other in ("/billing", "/", "/billing/statements/st-demo-alex-overdue"):
        assert "stripe" not in _csp(stripe_portal.url + other), other


def test_a_patient_pays_with_the_payment_element_after_a_decline(
    stripe_page: Page, stripe_portal: PortalProcess
) -> None:
    page = stripe_page
    stripe_calls = _stripe_requests(page)
    sign_in(page, stripe_portal.url, "alex")
    page.goto(stripe_portal.url + "/billing")
    overdue = page.locator("li.bill-card").filter(has_text="Rapid strep test")
    expect(overdue).to_contain_text("Overdue", timeout=SLOW)
    assert stripe_calls == []  # no page but the card pages loads Stripe.js

    # The pay page is entered by a load, so its own policy applies; the heading still takes focus
    overdue.get_by_role("link", name=re.compile("^Pay statement")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay statement", timeout=SLOW)
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_text("The full balance, $38.00")).to_be_visible(timeout=SLOW)

    # The server creates the intent for the balance; the Payment Element mounts on it
    page.get_by_role("button", name="Continue to card details").click()
    expect(page.get_by_label("Test card (Stripe test double)")).to_be_visible(timeout=SLOW)
    assert any(url.startswith("https://js.stripe.com/") for url in stripe_calls)
    with LOCK:
        [first] = list(FAKE.intents.values())
    assert (first["amount"], first["currency"]) == (3800, "usd")

    # A declined card is explained; the balance is unchanged
    page.get_by_label("Test card (Stripe test double)").select_option("insufficient_funds")
    page.get_by_role("button", name="Pay $38.00").click()
    alert = page.get_by_role("alert").filter(has_text="Your payment didn't go through")
    expect(alert).to_contain_text("insufficient funds", timeout=SLOW)
    expect(alert).to_contain_text("Your balance is unchanged: $38.00.")
    with LOCK:
        assert FAKE.intents[first["id"]]["status"] == "canceled"  # never chargeable later

    # Another try is a new intent; this card goes through and the receipt shows it
    page.get_by_role("button", name="Continue to card details").click()
    page.get_by_label("Test card (Stripe test double)").select_option("succeed")
    page.get_by_role("button", name="Pay $38.00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your payment was received", timeout=SLOW
    )
    receipt = page.get_by_role("article")
    expect(receipt).to_contain_text("$38.00")
    expect(receipt).to_contain_text("Visa ending 4242")
    with LOCK:
        statuses = sorted(i["status"] for i in FAKE.intents.values() if i["amount"] == 3800)
    assert statuses == ["canceled", "succeeded"]

    # Stripe's webhook for it arrives afterwards, three times: nothing more happens
    with LOCK:
        paid = next(i for i in FAKE.intents.values() if i["status"] == "succeeded")
        payload, signature = FAKE.event("payment_intent.succeeded", FAKE.intent_object(paid["id"]))
    answers = [
        page.request.post(
            stripe_portal.url + "/api/webhooks/stripe",
            data=payload,
            headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
        ).json()["received"]
        for _ in range(3)
    ]
    assert answers == ["handled", "duplicate", "duplicate"]
    page.get_by_role("link", name="Back to billing").click()
    expect(page.get_by_role("link", name=re.compile(r"^Receipt for \$38.00"))).to_have_count(1, timeout=SLOW)


def test_billing_staff_refund_part_of_a_card_payment_and_see_disputes(
    stripe_page: Page, stripe_portal: PortalProcess
) -> None:
    page = stripe_page
    with LOCK:
        paid = next(i for i in FAKE.intents.values() if i["status"] == "succeeded" and i["amount"] == 3800)
    sign_in(page, stripe_portal.url, "billing")
    page.goto(f"{stripe_portal.url}/staff/billing/patients/{ALEX}")
    payments = page.get_by_role("region", name="Card payments")
    row = payments.get_by_role("row").filter(has_text="$38.00")
    row.get_by_role("button", name=re.compile("^Refund")).click()
    form = page.get_by_role("form", name="Refund")
    form.get_by_role("button", name="Refund to the card").click()
    expect(form.get_by_label("Amount to refund")).to_have_accessible_description(
        re.compile("Enter an amount")
    )
    form.get_by_label("Amount to refund").fill("12.34")
    form.get_by_label("Reason").select_option("billing_error")
    form.get_by_label("Note").fill("Charged for a test that was not run")
    form.get_by_role("button", name="Refund to the card").click()
    expect(page.get_by_role("status").filter(has_text="$12.34 refunded")).to_be_visible(timeout=SLOW)
    expect(row).to_contain_text("$12.34")
    ledger = page.get_by_role("region", name="Ledger")
    expect(ledger.get_by_role("row").filter(has_text="Refund (Visa ending 4242)")).to_contain_text("$12.34")
    with LOCK:
        [refund] = [r for r in FAKE.refunds.values() if r["payment_intent"] == paid["id"]]
        payload, signature = FAKE.event("charge.dispute.created", FAKE.dispute_object(paid["id"]))
    assert refund["amount"] == 1234

    # The card holder disputes the charge: it is on the work list
    answer = page.request.post(
        stripe_portal.url + "/api/webhooks/stripe",
        data=payload,
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
    )
    assert answer.status == 200
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Open balances").click()
    disputes = page.get_by_role("region", name="Disputed card payments")
    dispute = disputes.get_by_role("row").filter(has_text="Says they did not make it")
    expect(dispute).to_contain_text("$38.00", timeout=SLOW)
    expect(dispute).to_contain_text("Answer needed")


@pytest.fixture
def maria_reads_english_on_stripe(stripe_portal: PortalProcess) -> Iterator[None]:
    with reading_english(stripe_portal, "maria"):
        yield


@pytest.mark.usefixtures("maria_reads_english_on_stripe")
def test_three_d_secure_leaves_for_the_issuer_and_comes_back_to_the_outcome(
    stripe_page: Page, stripe_portal: PortalProcess
) -> None:
    page = stripe_page
    sign_in(page, stripe_portal.url, "maria")
    page.goto(stripe_portal.url + "/billing")
    page.locator("li.bill-card").filter(has_text="Metabolic panel").get_by_role(
        "link", name=re.compile("^Pay statement")
    ).click()
    page.get_by_label("Another amount").check()
    page.get_by_label("Amount to pay").fill("5")
    page.get_by_role("button", name="Continue to card details").click()
    page.get_by_label("Test card (Stripe test double)").select_option("requires_action")
    page.get_by_role("button", name="Pay $5.00").click()
    # Off to hooks.stripe.com and back to the pay page's return address, which reads the outcome
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your payment was received", timeout=SLOW
    )
    expect(page.get_by_role("article")).to_contain_text("$5.00")
    assert "payment=" not in page.url


@pytest.mark.usefixtures("maria_reads_english_on_stripe")
def test_agreeing_to_a_plan_saves_the_card_with_stripe(
    stripe_page: Page, stripe_portal: PortalProcess
) -> None:
    page = stripe_page
    sign_in(page, stripe_portal.url, "maria")
    page.goto(stripe_portal.url + "/billing")
    statement = page.locator("li.bill-card").filter(has_text="Metabolic panel")
    statement.get_by_role("link", name=re.compile("^Statement")).click()
    page.get_by_role("link", name="Set up a payment plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a payment plan", timeout=SLOW)
    expect(page.get_by_label("Test card (Stripe test double)")).to_be_visible(timeout=SLOW)
    page.locator("input[name=plan-months]").first.check()
    page.get_by_label(re.compile("^I agree that")).check()
    page.get_by_role("button", name="Set up payment plan").click()
    expect(page.get_by_role("status").filter(has_text="Your payment plan is set up")).to_be_visible(
        timeout=SLOW
    )
    with LOCK:
        confirms = [r for r in FAKE.requests if r[1].endswith("/confirm")]
    assert confirms[-1][2]["off_session"] == "true"  # the first installment, on the saved card

    page.goto(stripe_portal.url + "/billing")
    page.get_by_role("link", name="Card for payment plans").click()
    expect(page.get_by_role("region", name="Saved card")).to_contain_text(
        "Mastercard ending 4444", timeout=SLOW
    )
    page.get_by_role("button", name="Remove the card").click()
    expect(page.get_by_role("region", name="Saved card")).to_contain_text("No card is saved", timeout=SLOW)


@NEEDS_AXE
def test_the_pay_page_with_the_payment_element_at_phone_and_desktop(
    browser: Browser, stripe_portal: PortalProcess, screenshot_dir: Path
) -> None:
    for device, viewport in (
        ("phone", {"width": 390, "height": 844}),
        ("desktop", {"width": 1280, "height": 900}),
    ):
        with checked_page(browser, viewport, screenshot_dir, f"{device}-stripe-pay") as (page, check):
            page.route("https://js.stripe.com/**", _stripe_js)
            sign_in(page, stripe_portal.url, "alex")
            page.goto(stripe_portal.url + "/billing")
            page.get_by_role("link", name=re.compile("^Pay statement")).first.click()
            page.get_by_role("button", name="Continue to card details").click()
            expect(page.get_by_label("Test card (Stripe test double)")).to_be_visible(timeout=SLOW)
            check("card")
            check.assert_accessible()
