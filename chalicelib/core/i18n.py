"""The portal's languages on the server: English and Spanish.

What a patient reads from the server (emails, API error messages) follows their saved preferred language
when the portal speaks it, else English. Texts are kept per language in `chalicelib/core/locales/`.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Locale = Literal["en", "es"]
LOCALES: Final[tuple[Locale, ...]] = get_args(Locale)
DEFAULT_LOCALE: Final[Locale] = "en"


def portal_locale(preferred_language: str | None) -> Locale | None:
    """The portal language for a saved preference, or None when the portal does not offer that language."""
    for locale in LOCALES:
        if preferred_language == locale:
            return locale
    return None
