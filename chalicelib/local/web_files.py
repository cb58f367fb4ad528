"""The web files written per clinic: the app manifest and the offline page (like /config.json, from the
clinic file), served by the local server and written into the site bucket by the stack (web.py).

Nothing here is PHI: the clinic's name, colour and public contact details only.
"""

from __future__ import annotations

import json
from html import escape

from chalicelib.core.clinic import ClinicConfig

MANIFEST_PATH = "/manifest.webmanifest"
MANIFEST_TYPE = "application/manifest+json"
OFFLINE_PATH = "/offline.html"
BACKGROUND = "#f3f6f8"  # the app's page background (web/src/shared/styles/tokens.css --bg)


def short_name(name: str) -> str:
    """What fits under an icon on a phone's home screen (about 12 characters)."""
    if len(name) <= 12:
        return name
    first = name.split()[0]
    return first if len(first) <= 12 else name[:12]


def manifest(clinic: ClinicConfig) -> bytes:
    return json.dumps(
        {
            "name": f"{clinic.name} patient portal",
            "short_name": short_name(clinic.name),
            "description": f"Your {clinic.name} patient portal.",
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": clinic.branding.primary_color,
            "background_color": BACKGROUND,
            "icons": [
                {"src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
                {"src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
                {
                    "src": "/icons/icon-maskable-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
                {"src": "/icons/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            ],
        },
        indent=2,
    ).encode()


def offline_page(clinic: ClinicConfig) -> bytes:
    """What a reload shows without a connection: what works offline (nothing with health data) and how
    to reach the clinic. Static, so the service worker can keep it; styled by /offline.css (no inline
    styles under the CSP)."""
    name = escape(clinic.name)
    phone = escape(clinic.phone)
    shown = escape(clinic.phone_display)
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="theme-color" content="{escape(clinic.branding.primary_color)}" />
    <title>You're offline · {name}</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="manifest" href="{MANIFEST_PATH}" />
    <link rel="stylesheet" href="/offline.css" />
  </head>
  <body>
    <main class="offline">
      <p class="offline-clinic">{name}</p>
      <h1>You're offline</h1>
      <p>The patient portal needs an internet connection. Check your Wi-Fi or mobile data, then try again.</p>
      <p><a class="offline-button" href="/">Try again</a></p>
      <h2>What works offline</h2>
      <p>
        Only this page. Your results, messages, appointments and bills are never kept on this device,
        so they need a connection.
      </p>
      <h2>Call the clinic</h2>
      <p><a class="offline-phone" href="tel:{phone}">{shown}</a></p>
      <p class="offline-emergency">{escape(clinic.emergency_notice)}</p>
    </main>
  </body>
</html>
""".encode()
