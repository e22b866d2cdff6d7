"""An editor publishes an event's comparison from its page; anyone reads it, with each
claim's verdict and its ClaimReview."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from claims.models import Claim
from tests.browser.conftest import log_in, screenshot
from tests.verify.test_events import TASS_2024, event_claims, finalise, report
from verify.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KCNA = ("Talks held\nKim Jong Un held talks with Russian President Vladimir Putin in "
        "Pyongyang on 20 June 2024.\n")


def test_an_editor_publishes_a_comparison_and_anyone_reads_it(
    browser: Browser, live_server: object, reviewer: User, editor: User
) -> None:
    call_command("load_gazetteer", verbosity=0)
    report("TASS", TASS_2024, date(2024, 6, 19))
    report("KCNA", KCNA, date(2024, 6, 20))
    event = Event.objects.get()
    claims = event_claims(event)
    page = log_in(browser, live_server.url, editor.username)  # type: ignore[attr-defined]
    page.goto(f"/events/{event.pk}/")
    expect(page.locator(".blockers li")).to_have_count(len(claims))
    finalise(claims, reviewer, editor)
    page.reload()
    page.click("text=Publish the comparison")
    expect(page.locator("section[aria-label=Publishing]")).to_contain_text("Version 1")
    page.click("section[aria-label=Publishing] a")
    page.wait_for_url(f"**/events/published/{event.pk}/")
    expect(page.locator("h1")).to_contain_text(event.name)
    expect(page.locator(".differences")).to_contain_text("2024-06-20")
    for claim in Claim.objects.filter(pk__in=[c.pk for c in claims]):
        expect(page.locator(f"#claim-{claim.pk} .verdict-label")).to_have_text("Unverified")
    blocks = page.locator("script[type='application/ld+json']")
    expect(blocks).to_have_count(len(claims))
    reviews = [json.loads(blocks.nth(i).text_content() or "") for i in range(len(claims))]
    assert {r["itemReviewed"]["author"]["name"] for r in reviews} == {"TASS", "KCNA"}
    assert page.csp_errors == []  # type: ignore[attr-defined]
    screenshot(page, "event-published.png", full_page=True)
