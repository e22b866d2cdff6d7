"""The public pages in headless Chromium: what a reader sees, and screenshots for the docs."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests.browser.conftest import launch_chromium, screenshot
from tests.claims import published as make
from verify.publishing.services import publish_summary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script and is exempt from CSP: records every violation the page causes.
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def open_page(browser: Browser, url: str, **context: object) -> Page:
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.goto(url)
    assert response is not None and response.status == 200
    return page


def test_a_reader_sees_the_summary_and_a_claim_page(
    live_server: object, reviewer: User, editor: User
) -> None:
    reviewer.first_name, reviewer.last_name = "Rita", "Reyes"
    reviewer.save()
    article = make.reviewed_article(reviewer, editor)
    first = publish_summary(article=article, editor=editor)
    make.final(
        article.claims.get(type="statistic"), "disputed", reviewer=reviewer, editor=editor,
        rationale="Customs data of the DPRK's trading partners show trade fell that year.",
    )
    publish_summary(
        article=article, editor=editor,
        correction_note="Claim 3 was unverified; partner customs data now show it is wrong.",
    )
    summary_url = f"{live_server}{reverse('public:summary', args=[article.pk])}"
    claim_id = first.snapshot["claims"][1]["id"]
    claim_url = f"{live_server}{reverse('public:claim', args=[article.pk, claim_id])}"

    with launch_chromium() as browser:  # after the data is saved (see launch_chromium)
        see_summary(browser, summary_url)
        see_claim_on_a_phone(browser, claim_url)


def see_summary(browser: Browser, summary_url: str) -> None:
    page = open_page(browser, summary_url, viewport={"width": 1000, "height": 900})
    assert page.locator("h1").inner_text() == "DPRK-Russia ties progress"
    assert "partner customs data now show it is wrong" in page.locator(".banner").inner_text()
    assert page.locator(".versions li").count() == 2
    assert page.locator(".verdict-label").all_inner_texts() == [
        "Supported", "Disputed", "Disputed", "Not checkable"
    ]
    assert page.get_by_role("link", name="Read the original article").get_attribute(
        "href"
    ) == "http://www.pyongyangtimes.com.kp/?bbs=43051"
    screenshot(page, "public-summary.png", full_page=True)
    # Printed, the site navigation goes and the links' addresses are written out.
    page.emulate_media(media="print")
    assert not page.locator(".masthead nav").is_visible()
    assert page.locator(".print-url").first.is_visible()
    assert page.evaluate("window.__csp") == []


def see_claim_on_a_phone(browser: Browser, claim_url: str) -> None:
    phone = open_page(
        browser, claim_url, viewport={"width": 390, "height": 844}, device_scale_factor=2,
        is_mobile=True,
    )
    blocks = phone.locator('script[type="application/ld+json"]').all_text_contents()
    assert len(blocks) == 1
    review = json.loads(blocks[0])
    assert review["reviewRating"]["alternateName"] == phone.locator(".verdict-label").inner_text()
    assert review["claimReviewed"] == phone.locator("h1").inner_text()
    # The data block has no nonce and CSP (script-src 'self' 'nonce-…') does not object.
    assert phone.evaluate("window.__csp") == []
    # Nothing is wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "public-claim.png", full_page=True)
