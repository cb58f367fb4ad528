"""María saved Spanish as her language: on a phone, the shell, her home's navigation and her results
pages show no English sentence the portal has a Spanish translation for; the page says lang="es"; axe is
clean. The English texts come from the web app's English catalog (every message wrapped for translation)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import DEMO_PASSWORD, NEEDS_AXE, SLOW, checked_page, enter_security_code, sign_in
from tests.e2e.language_check import assert_no_english, assert_no_server_english, server_english

ROOT = Path(__file__).resolve().parents[2]
EN_CATALOG = ROOT / "web" / "src" / "locales" / "en" / "messages.po"
PHONE = {"width": 390, "height": 844}


def english_messages() -> set[str]:
    """Every English message of the catalog, as a user would read it (placeholders and tags dropped into
    their literal parts; only parts long enough to be unambiguous English)."""
    text = EN_CATALOG.read_text(encoding="utf-8")
    found: set[str] = set()
    for msgid in re.findall(r'^msgid "(.+)"$', text, flags=re.M):
        literal = msgid.replace('\\"', '"')
        for part in re.split(r"<\d+>|</\d+>|\{[^}]*\}", literal):
            part = part.strip(" .,:;?!()“”")
            if len(part) >= 8 and " " in part:
                found.add(part)
    return found


def visible_text_nodes(page: Page, *, only_shell: bool) -> list[str]:
    """Text of every visible element not marked as another language (the clinic's own English notices are
    lang="en", as they should be)."""
    return list(
        page.evaluate(
            """(onlyShell) => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const node = walker.currentNode;
              const el = node.parentElement;
              if (!el || !node.textContent.trim()) continue;
              if (el.closest('[lang]:not(html)')?.getAttribute('lang')?.startsWith('en')) continue;
              if (el.closest('script,style,noscript,[hidden]')) continue;
              if (!onlyShell || el.closest('header,footer')) out.push(node.textContent.trim());
            }
            const labelled = onlyShell ? 'header [aria-label]' : '[aria-label],[title]';
            for (const el of document.querySelectorAll(labelled)) {
              if (el.closest('[lang]:not(html)')?.getAttribute('lang')?.startsWith('en')) continue;
              for (const a of ['aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
            }
            return out;
        }""",
            only_shell,
        )
    )


def english_on_page(page: Page, messages: set[str], *, only_shell: bool = False) -> list[str]:
    shown = " \n ".join(visible_text_nodes(page, only_shell=only_shell))
    return sorted(m for m in messages if m in shown)


@NEEDS_AXE
def test_maria_reads_her_portal_in_spanish(browser: Browser, portal_url: str, screenshot_dir: Path) -> None:
    messages = english_messages()
    assert "Skip to main content" in messages  # the catalog is read as expected
    with checked_page(browser, PHONE, screenshot_dir, "spanish-phone") as (page, checks):
        page.goto(portal_url + "/")
        page.get_by_label("Username").fill("maria")
        page.get_by_label("Password", exact=True).fill("Demo-Portal-2026!")
        page.get_by_role("button", name="Sign in").click()

        # After sign-in her saved language wins: the whole shell turns Spanish.
        expect(page.get_by_role("button", name="Menú")).to_be_visible(timeout=30_000)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        found: dict[str, list[str]] = {}
        # Home's appointment card is another team's screen: check its header and footer.
        found["home"] = english_on_page(page, messages, only_shell=True)
        checks("home")

        page.get_by_role("button", name="Menú").click()
        nav = page.get_by_role("navigation", name="Principal")
        for name in ("Inicio", "Expediente médico", "Citas", "Facturación", "Perfil"):
            expect(nav.get_by_role("link", name=name)).to_be_visible()
        expect(nav.get_by_role("button", name="Cerrar sesión")).to_be_visible()
        found["menu"] = english_on_page(page, messages, only_shell=True)
        checks("menu")
        nav.get_by_role("link", name="Expediente médico").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="Cargando")).to_have_count(0, timeout=30_000)
        found["record"] = english_on_page(page, messages)
        checks("record")

        page.goto(portal_url + "/results")
        expect(page.get_by_role("heading", level=1)).to_have_text("Resultados de laboratorio", timeout=30_000)
        expect(page.get_by_role("status").filter(has_text="Cargando")).to_have_count(0, timeout=30_000)
        found["results"] = english_on_page(page, messages)
        checks("results")

        assert {name: english for name, english in found.items() if english} == {}
        checks.assert_accessible()


@NEEDS_AXE
def test_maria_books_a_visit_and_reads_a_result_in_spanish(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    """Appointments, the whole find-a-time flow, a video visit's eCheck-in and consent, and a result's detail:
    no English sentence on any step, from the web app or from the server."""
    assert "Follow-up visit" in server_english()  # the clinic's own English is read as expected
    with checked_page(browser, PHONE, screenshot_dir, "spanish-appointments") as (page, checks):
        sign_in(page, portal_url, "maria")
        page.goto(portal_url + "/appointments")
        expect(page.get_by_role("heading", level=1)).to_have_text("Citas", timeout=SLOW)
        expect(page.get_by_role("heading", name="Próximas")).to_be_visible(timeout=SLOW)
        assert_no_english(page, where="appointments")
        checks("appointments")

        page.get_by_role("link", name="Reservar una cita").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Reservar una cita")
        expect(page.get_by_role("heading", name="¿Qué tipo de visita?")).to_be_visible(timeout=SLOW)
        # The clinic's visit types and why one cannot be booked come from the server, in Spanish.
        expect(page.get_by_role("radio", name=re.compile("^Seguimiento por video"))).to_be_visible()
        expect(page.get_by_text(re.compile("para pacientes nuevos"))).to_be_visible()
        assert_no_server_english(page, where="visit types")
        page.get_by_role("radio", name=re.compile("^Seguimiento por video")).check()
        page.get_by_role("button", name="Continuar").click()
        expect(page.get_by_text("Elija un horario para continuar.")).to_be_visible()
        times = page.locator("#book-times input[type=radio]")
        expect(times.first).to_be_attached(timeout=SLOW)
        # A time's full name is Spanish too: "martes, 1 de diciembre, 9:20 a.m. con Dr. …"
        expect(times.first).to_have_attribute("aria-label", re.compile(r" de \w+, .* con "))
        assert_no_english(page, where="find a time")
        checks("find-a-time")
        times.first.check()
        page.get_by_role("button", name="Continuar").click()
        expect(page.get_by_role("heading", name="Revise y confirme")).to_be_focused()
        assert_no_english(page, where="confirm")
        page.get_by_role("button", name="Reservar la cita").click()
        expect(page.get_by_role("heading", name="Su cita está reservada")).to_be_visible(timeout=SLOW)
        assert_no_english(page, where="booked")
        assert_no_server_english(page, where="booked")
        checks("booked")

        page.get_by_role("link", name="Ver todas las citas").click()
        expect(page.get_by_role("heading", name="Próximas")).to_be_visible(timeout=SLOW)
        expect(page.get_by_role("button", name=re.compile("^Agregar al calendario")).first).to_be_visible()
        assert_no_english(page, where="appointments after booking")
        assert_no_server_english(page, where="appointments after booking")

        # Her video visit's eCheck-in: the consent she signs is the clinic's Spanish text.
        video = (
            page.locator("li.appt-card")
            .filter(has_text="Seguimiento por video")
            .filter(
                has=page.get_by_role(
                    "link", name=re.compile("^(Empezar el registro en línea|Revisar o actualizar)")
                )
            )
        )
        video.first.get_by_role("link", name=re.compile("^(Empezar el registro en línea|Revisar)")).click()
        consent = page.get_by_role("region", name="Permiso para una cita por video")
        expect(consent).to_be_visible(timeout=SLOW)
        expect(consent).to_contain_text("Las citas por video usan una conexión segura")
        assert_no_english(page, where="eCheck-in")
        assert_no_server_english(page, where="eCheck-in")
        checks("echeckin")
        page.get_by_label("Estos datos están bien").check()
        page.get_by_label("Pagaré yo mismo (pago propio)").check()
        page.get_by_label("¿De qué quiere hablar en esta cita?").fill("Revisar mi presión")
        if page.get_by_label("No tomo ningún medicamento").is_visible():
            page.get_by_label("No tomo ningún medicamento").check()
        if page.get_by_label("No tengo alergias conocidas").is_visible():
            page.get_by_label("No tengo alergias conocidas").check()
        page.get_by_label("Acepto recibir atención por video.").check()
        page.get_by_label("Escriba su nombre completo como firma").fill("María González")
        page.get_by_role("button", name="Enviar el registro en línea").click()
        expect(page.get_by_role("heading", name="Su registro está hecho")).to_be_visible(timeout=SLOW)

        page.goto(portal_url + "/results")
        expect(page.get_by_role("heading", level=1)).to_have_text("Resultados de laboratorio", timeout=SLOW)
        page.locator("a.res-row").first.click()
        back = page.get_by_role("link", name=re.compile("Todos los resultados de pruebas"))
        expect(back).to_be_visible(timeout=SLOW)
        expect(page.get_by_role("status").filter(has_text="Cargando")).to_have_count(0, timeout=SLOW)
        expect(page.get_by_role("heading", name=re.compile("^(Revisado|Comentario|Todavía)"))).to_be_visible()
        assert_no_english(page, where="result detail")
        assert_no_server_english(page, where="result detail")  # flag words, category
        checks("result")

        # The trend of a value over time, and the sentence that says it (what a screen reader hears).
        page.locator(".res-trend-link").first.click()
        summary = page.locator(".res-trend-summary").first
        expect(summary).to_contain_text(re.compile(r"(resultados del|un resultado)"), timeout=SLOW)
        expect(summary).not_to_contain_text(
            re.compile(r"\b(results|result|from|Latest|Highest|lowest|or lower)\b")
        )
        assert_no_english(page, where="result trend")
        checks("result-trend")
        checks.assert_accessible()


def test_the_sign_in_page_follows_a_spanish_browser_and_the_switch(browser: Browser, portal_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-US")  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(portal_url + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        notice = page.locator(".footer-emergency")
        expect(notice).to_contain_text("Si es una emergencia médica")
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        # The clinic's own text follows the switch without a reload.
        expect(notice).to_contain_text("If this is a medical emergency")
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")  # remembered
    finally:
        context.close()


def newest_email_to(portal_url: str, address: str) -> dict[str, str]:
    """The newest email sent to `address`, from the local cloud's SES outbox (moto's data API, at the
    endpoint the SPA's /config.json names)."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{portal_url}/config.json") as response:  # noqa: S310 (localhost)
        endpoint = json.load(response)["cognito"]["endpoint"]
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json") as response:  # noqa: S310 (localhost)
        data = json.load(response)
    sent = [
        {"subject": str(message.get("subject", "")), "body": str(message.get("body", ""))}
        for message in data.get("ses", {}).get("Message", [])
        if address in (message.get("destinations") or {}).get("ToAddresses", [])
    ]
    assert sent, f"no email to {address}"
    return sent[-1]


@NEEDS_AXE
def test_maria_reads_a_message_and_pays_her_balance_in_spanish(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    with checked_page(browser, PHONE, screenshot_dir, "spanish-messages-billing") as (page, checks):
        sign_in(page, portal_url, "maria")
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Hola, María"))
        expect(page.get_by_role("heading", name="Necesita su atención")).to_be_visible()
        expect(page.locator(".attention-skeleton")).to_have_count(0, timeout=30_000)
        assert_no_english(page, where="home")
        checks("home")

        # She reads a message from her inbox
        page.goto(portal_url + "/messages")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mensajes", timeout=30_000)
        threads = page.get_by_test_id("thread-list")
        expect(threads).to_be_visible(timeout=30_000)
        assert_no_english(page, where="inbox")
        checks("inbox")
        threads.get_by_role("link").first.click()
        expect(page.get_by_role("heading", name="Responder")).to_be_visible(timeout=30_000)
        expect(page.get_by_label("Su respuesta")).to_be_visible()
        expect(page.get_by_text(re.compile(r"de 10,000 caracteres"))).to_be_visible()
        assert_no_english(page, where="conversation")
        checks("conversation")

        # She pays part of her overdue balance
        page.goto(portal_url + "/billing")
        expect(page.get_by_role("heading", level=1)).to_have_text("Facturación", timeout=30_000)
        expect(page.get_by_role("region", name="Resumen del saldo")).to_contain_text("$", timeout=30_000)
        expect(
            page.get_by_role("region", name="Seguro registrado").locator(".bill-card").first
        ).to_be_visible(timeout=30_000)
        assert_no_english(page, where="billing")
        checks("billing")
        overdue = page.locator("li.bill-card").filter(has_text="Electrocardiogram")
        overdue.get_by_role("link", name=re.compile("^Pagar")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Pagar el estado de cuenta")
        expect(page.get_by_text(re.compile(r"^El saldo completo, \$"))).to_be_visible(timeout=30_000)
        page.get_by_label("Otra cantidad").check()
        page.get_by_label("Cantidad a pagar").fill("2")
        card = page.get_by_role("group", name="Pagar con tarjeta")
        card.get_by_text("Clínica de demostración: use una tarjeta de prueba").click()
        card.get_by_role("button", name=re.compile("^4242 4242 4242 4242")).click()
        assert_no_english(page, where="pay")
        checks("pay")
        page.get_by_role("button", name="Pagar $2.00").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Gracias, recibimos su pago", timeout=30_000
        )
        expect(page.get_by_role("status").filter(has_text="$2.00 pagados")).to_be_visible()
        assert_no_english(page, where="receipt")
        checks("receipt")
        checks.assert_accessible()

    # The receipt email she gets is in Spanish, and says nothing of her health or bill
    email = newest_email_to(portal_url, "maria@patients.example")
    assert email["subject"].startswith("Su recibo de pago de "), email["subject"]
    assert "Gracias. Su recibo de pago está listo en su portal del paciente." in email["body"]
    assert "Para proteger su privacidad" in email["body"]
    for english in ("Sign in", "receipt is ready", "privacy", "Questions?"):
        assert english not in email["body"]
    assert "$2.00" not in email["body"]


@NEEDS_AXE
def test_a_staff_member_chooses_spanish_and_finds_it_on_another_device(
    browser: Browser, portal_url: str, screenshot_dir: Path
) -> None:
    desktop = {"width": 1280, "height": 800}
    with checked_page(browser, desktop, screenshot_dir, "staff-spanish-desktop") as (page, checks):
        sign_in(page, portal_url, "billing")
        bar = page.locator(".account--bar")
        try:
            # The switch sits beside Sign out, named in the language it switches to.
            bar.get_by_role("button", name="Español").click()
            expect(page.locator("html")).to_have_attribute("lang", "es", timeout=SLOW)
            expect(bar.get_by_role("button", name="Cerrar sesión")).to_be_visible()
            expect(page.get_by_role("navigation", name="Principal")).to_contain_text("Saldos pendientes")
            checks("header")
            checks.assert_accessible()

            # Another device, with nothing remembered in its browser: the saved choice comes with the account.
            with checked_page(browser, PHONE, screenshot_dir, "staff-spanish-phone") as (phone, phone_checks):
                phone.goto(portal_url + "/")
                expect(phone.locator("html")).to_have_attribute("lang", "en")
                phone.get_by_label("Username").fill("billing")
                phone.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
                phone.get_by_role("button", name="Sign in").click()
                enter_security_code(phone)
                expect(phone.get_by_role("heading", level=1)).to_contain_text("Hola", timeout=SLOW)
                expect(phone.locator("html")).to_have_attribute("lang", "es")
                phone.get_by_role("button", name="Menú").click()
                menu = phone.get_by_role("navigation", name="Principal")
                expect(menu.get_by_role("button", name="English")).to_be_visible()
                expect(menu.get_by_role("button", name="Cerrar sesión")).to_be_visible()
                phone_checks("menu")
                phone_checks.assert_accessible()
        finally:
            # The other tests' billing office reads English: put it back however this test ended.
            back = bar.get_by_role("button", name="English")
            if back.count():
                back.click()
                expect(page.locator("html")).to_have_attribute("lang", "en", timeout=SLOW)
