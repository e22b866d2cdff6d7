"""Headless Chromium (the system's Debian build) driven by Playwright against live_server."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.claims.conftest import (  # noqa: F401 - the claims tests' fixtures, shared here
    article,
    claim,
    make_claim,
    make_reference,
    reference,
)

# `make screenshots` (UPDATE_SCREENSHOTS=1) refreshes the pictures in docs/; an ordinary test
# run still takes them, into a temporary folder, so the working tree stays clean.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "corroborate-screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


@pytest.fixture(autouse=True, scope="package")
def allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    to set up data are ordinary synchronous code, so Django's async guard is relaxed for the
    browser tests only (set for the whole run, it would leak into subprocesses)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, closed on exit. While it lives Playwright's event loop
    runs in this thread, so a test that saves data with the ORM does so before this."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser() -> Iterator[Browser]:
    # One per test (about a second each): a browser that outlived its test would keep
    # Playwright's event loop running into tests that need the ORM, or another browser.
    with launch_chromium() as started:
        yield started


def log_in(browser: Browser, base_url: str, username: str) -> Page:
    """A fresh browser context, logged in through the real login form."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text
            and page.csp_errors.append(m.text))  # type: ignore[attr-defined]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)
