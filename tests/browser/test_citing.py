"""Citing from a long list of references with the keyboard, in headless Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from claims.models import Claim
from tests.browser.conftest import log_in, screenshot
from verify.models import Reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_filter_brings_the_twelfth_reference_within_reach_of_a_key(
    browser: Browser, live_server: object, reviewer: User, claim: Claim,
    make_reference: Callable[..., Reference],
) -> None:
    for n in range(1, 12):
        make_reference(claim, n, title=f"Summit report {n}", publisher="Example News")
    last = make_reference(claim, 12, title="Russky Island talks", publisher="Reuters")
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto(f"/claims/{claim.pk}/")
    expect(page.locator("label.citechoice")).to_have_count(12)
    page.keyboard.press("/")
    expect(page.locator("#cite-filter")).to_be_focused()
    page.keyboard.type("reuters")
    expect(page.locator("label.citechoice:visible")).to_have_count(1)
    expect(page.locator("label.citechoice:visible .citekey")).to_have_text("1.")
    screenshot(page, "cite-filter.png")
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    expect(page.locator(f"#verdict-form input[value='{last.pk}']")).to_be_checked()
    assert page.csp_errors == []  # type: ignore[attr-defined]
