"""Does a page shown in Spanish still show English the portal has a translation for? The English texts come
from the web app's catalogs: every English message whose Spanish differs, cut into the literal parts a user
reads (placeholders and tags dropped), keeping only parts long enough to be unmistakably English."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

LOCALES = Path(__file__).resolve().parents[2] / "web" / "src" / "locales"
_ENTRY = re.compile(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"$', re.M)
_PLACEHOLDERS = re.compile(r"<\d+/?>|</\d+>|\{[^{}]*\}")


def _unquote(value: str) -> str:
    return value.replace('\\"', '"')


def _catalog(locale: str) -> dict[str, str]:
    text = (LOCALES / locale / "messages.po").read_text(encoding="utf-8")
    return {_unquote(m.group(1)): _unquote(m.group(2)) for m in _ENTRY.finditer(text) if m.group(1)}


def _literal_parts(message: str) -> list[str]:
    # ICU plurals nest braces: drop the plural's head, then split each branch on its placeholders.
    parts: list[str] = []
    message = re.sub(r"\{\w+, (?:plural|select|selectordinal),", " ", message)
    for branch in re.split(r"\b(?:one|other|few|many|zero|=\d+)\s*\{", message):
        for part in _PLACEHOLDERS.split(branch):
            part = part.replace("#", " ").strip(" .,:;?!()“”{}·–-")
            if part:
                parts.append(part)
    return parts


@cache
def english_messages() -> frozenset[str]:
    """English texts whose Spanish translation differs: at least 8 characters and two words, so names,
    numbers and words both languages share ("No", "Total") never count."""
    spanish = _catalog("es")
    found: set[str] = set()
    for msgid in _catalog("en"):
        if spanish.get(msgid, "") in ("", msgid):
            continue
        for part in _literal_parts(msgid):
            if len(part) >= 8 and " " in part and part not in spanish.get(msgid, ""):
                found.add(part)
    return frozenset(found)


_VISIBLE_TEXT = """(onlyShell) => {
    const skip = (el) =>
        el.closest('[lang]:not(html)')?.getAttribute('lang')?.startsWith('en') ||
        el.closest('script,style,noscript,template,[hidden],[aria-hidden="true"]');
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || !node.textContent.trim() || skip(el)) continue;
        if (!onlyShell || el.closest('header,footer')) out.push(node.textContent.trim());
    }
    const labelled = onlyShell
        ? 'header [aria-label],footer [aria-label]'
        : '[aria-label],[title],[placeholder]';
    for (const el of document.querySelectorAll(labelled)) {
        if (el.closest('[lang]:not(html)')?.getAttribute('lang')?.startsWith('en')) continue;
        for (const a of ['aria-label', 'title', 'placeholder']) {
            if (el.getAttribute(a)) out.push(el.getAttribute(a));
        }
    }
    if (!onlyShell) out.push(document.title);
    return out;
}"""


def visible_texts(page: Page, *, only_shell: bool = False) -> list[str]:
    """Every text node and label a person (or their screen reader) meets, except what is marked as English on
    purpose (the clinic's own notices carry lang="en")."""
    return list(page.evaluate(_VISIBLE_TEXT, only_shell))


def english_on_page(page: Page, *, only_shell: bool = False) -> list[str]:
    shown = " \n ".join(visible_texts(page, only_shell=only_shell))
    return sorted(m for m in english_messages() if m in shown)


def assert_no_english(page: Page, *, only_shell: bool = False, where: str = "") -> None:
    english = english_on_page(page, only_shell=only_shell)
    assert english == [], f"English on the Spanish page{f' ({where})' if where else ''}: {english}"


@cache
def server_english() -> frozenset[str]:
    """English the server may send as data, which the catalogs above never hold: the demo clinic's own text
    that it also wrote in Spanish (visit types, forms, hours), the server's messages that have Spanish, and
    its English flag wording."""
    import json

    from chalicelib.core import i18n
    from chalicelib.results.models import FLAG_TEXT

    found: set[str] = set(FLAG_TEXT.values())

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if set(value) == {"en", "es"} and value["en"] != value["es"]:
                found.add(str(value["en"]))
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(json.loads((LOCALES.parents[2] / "clinics" / "demo.json").read_text(encoding="utf-8")))
    for english, spanish in i18n.SPANISH.items():
        for part in _PLACEHOLDERS.split(english):
            part = part.strip(" .,:;?!()")
            if len(part) >= 12 and " " in part and part not in spanish:
                found.add(part)
    return frozenset(found)


def assert_no_server_english(page: Page, *, where: str = "") -> None:
    """No English sent by the server as data (see server_english) on a page shown in Spanish."""
    shown = " \n ".join(visible_texts(page))
    english = sorted(m for m in server_english() if m in shown)
    assert english == [], (
        f"English from the server on the Spanish page{f' ({where})' if where else ''}: {english}"
    )
