"""Browser tests against the whole portal: the local server (moto + API + built SPA) in a subprocess.

The server is tests/local_portal.py's subprocess. Chromium is Debian's (/usr/bin/chromium): Playwright's
own browser downloads are not available here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import reading_english
from tests.local_portal import PortalProcess, local_portal

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalProcess]:
    """A freshly seeded local portal (demo users and passwords from chalicelib.local.seed)."""
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        pytest.fail("web/dist is not built: run `make web` (make e2e does it for you)")
    with local_portal(tmp_path_factory.mktemp("portal")) as running:
        yield running


@pytest.fixture(scope="session")
def portal_url(portal: PortalProcess) -> str:
    """Base URL of the local portal."""
    return portal.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu"],
    }


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def maria_reads_english(portal: PortalProcess) -> Iterator[None]:
    """For tests about something other than language: María's saved Spanish is test_spanish.py's subject."""
    with reading_english(portal, "maria"):
        yield
