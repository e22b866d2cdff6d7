"""XSS in headless Chromium (issue 8, item 14): every attack string of tests/security/
test_xss.py, stored through the real services, on every page that shows it. No dialog may
open and no payload may set its window flag.

Twice: under the production Content Security Policy, and with that policy in report-only
mode, so that escaping alone has to hold (a payload that got through would run) while any
inline script or handler that reached the page would still be reported.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Dialog, Page
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.browser.conftest import log_in
from tests.security.test_xss import PAYLOADS, html_pages, poison

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: records every CSP violation the page causes.
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + (e.sample || e.blockedURI)));
"""
FEEDS = ["/published/feed.atom", "/published/claimreview.json"]


def watched(page: Page) -> list[str]:
    dialogs: list[str] = []

    def opened(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", opened)
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    return dialogs


def visit(page: Page, url: str) -> dict[str, Any]:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    page.wait_for_timeout(60)  # ontoggle and onfocus fire just after load
    return page.evaluate("({flag: window.__xss, csp: window.__csp || []})")


@pytest.mark.parametrize("mode", ["enforced", "report-only"])
def test_no_attack_string_runs_on_any_page(
    mode: str, browser: Browser, live_server: Any, reviewer: User, editor: User,
    settings: SettingsWrapper,
) -> None:
    if mode == "report-only":
        settings.SECURE_CSP_REPORT_ONLY = django_settings.SECURE_CSP
        settings.SECURE_CSP = {}
    world = poison(PAYLOADS, reviewer=reviewer, editor=editor)
    page = log_in(browser, live_server.url, editor.username)
    dialogs = watched(page)
    response = page.goto("/")
    assert response is not None
    header = {"enforced": "content-security-policy",
              "report-only": "content-security-policy-report-only"}[mode]
    assert "'nonce-" in response.headers[header]
    ran, violations, pages = [], [], html_pages(world, PAYLOADS) + FEEDS
    for url in pages:
        seen = visit(page, url)
        if seen["flag"] is not None:
            ran.append(url)
        violations += [f"{url}: {v}" for v in seen["csp"]]
    # Not vacuous: the strings are on the page, as text a reader sees.
    visit(page, world.claims[0].get_absolute_url())
    assert PAYLOADS[0] in page.inner_text("#claim-context")
    print(f"\n{mode}: {len(pages)} pages, {len(PAYLOADS)} payloads, "
          f"{len(dialogs)} dialogs, {len(ran)} flags set, {len(violations)} CSP violations")
    assert dialogs == []
    assert ran == []
    assert violations == []  # nothing injected, so not even a blocked attempt


def test_the_detector_sees_a_payload_that_does_run(browser: Browser) -> None:
    """The control: the same payloads pasted unescaped into a page without CSP do run."""
    page = browser.new_page()
    dialogs = watched(page)
    for payload in [PAYLOADS[1], PAYLOADS[3], PAYLOADS[9]]:
        page.set_content(f"<!doctype html><body>{payload}</body>")
        page.wait_for_timeout(60)
        assert page.evaluate("window.__xss") == 1, payload
    assert dialogs == ["1", "1", "1"]
    page.context.close()
