"""Is a page free of English the portal has Spanish for? The English texts are the msgids of the web app's
English catalog whose Spanish msgstr differs; each is split at its placeholders and tags into the literal
parts a reader would see, and only parts long enough to be unmistakable English are kept (short words,
names, numbers and texts that read the same in both languages are left out)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "web" / "src" / "locales"
_ENTRY = re.compile(r'^msgid "(.*)"\nmsgstr "(.*)"$', re.M)


def _catalog(locale: str) -> dict[str, str]:
    text = (LOCALES / locale / "messages.po").read_text(encoding="utf-8")
    return {msgid.replace('\\"', '"'): msgstr.replace('\\"', '"') for msgid, msgstr in _ENTRY.findall(text)}


@cache
def translated_english() -> frozenset[str]:
    """The English parts (at least two words, eight characters) of every message Spanish words differently."""
    spanish = _catalog("es")
    found: set[str] = set()
    for msgid in _catalog("en"):
        if not msgid or spanish.get(msgid, msgid) in ("", msgid):
            continue
        for part in re.split(r"<\d+>|</\d+>|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", msgid):
            part = part.strip(" .,:;?!()“”·—-")
            if len(part) >= 8 and " " in part and not part.isdigit():
                found.add(part)
    return frozenset(found)


_VISIBLE_TEXT = """() => {
  const out = [];
  const english = (el) => el.closest('[lang]:not(html)')?.getAttribute('lang')?.startsWith('en');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || english(el)) continue;
    if (el.closest('script,style,noscript,[hidden],[aria-hidden="true"]')) continue;
    out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
    if (english(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
  }
  out.push(document.title);
  return out;
}"""


def english_shown(page: Page) -> list[str]:
    """The translated English texts found in the page's text, labels and title."""
    shown = " \n ".join(page.evaluate(_VISIBLE_TEXT))
    return sorted(part for part in translated_english() if part in shown)


def assert_no_english(page: Page, where: str = "") -> None:
    english = english_shown(page)
    assert not english, f"English on the Spanish page {where or page.url}: {english}"
