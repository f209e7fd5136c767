"""Shared fixtures for the real-browser tests: one Chromium per session, the seeded archive on
pytest-django's live server. Imported by the test modules that drive the browser.

Debian's /usr/bin/chromium is used as it is: nothing is downloaded at test time. Without it
the tests skip locally, and fail in CI (when the CI variable is set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tooling import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: `apt-get install chromium` to run browser tests")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread for as long as the browser is
    # open, and Django then refuses ORM calls from this thread (fixtures, and every later test
    # of the session) as "async". Nothing here is async: allow them while the browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, transactional_db, seeded):
    """The live server's base URL, with the seed articles imported and indexed."""
    return live_server.url


@pytest.fixture
def context(browser):
    """A fresh browser profile per test (its own cookies and session storage)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
