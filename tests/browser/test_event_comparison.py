from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from claims.models import Claim
from tests.browser.conftest import log_in, screenshot
from tests.verify.test_events import report
from verify.models import Event, Reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASS = ("Kim and Putin in Vladivostok\nKim Jong Un met Vladimir Putin in Vladivostok on "
        "25 April 2019. Trade between the two countries reached 34 million dollars last "
        "year.\n")
KCNA = ("Talks in Vladivostok\nKim Jong Un held talks with Vladimir Putin in Vladivostok on "
        "26 April 2019. Trade between the two countries reached 48 million dollars last "
        "year.\n")
XINHUA = ("Putin, Kim say their meeting substantial\nRussian President Vladimir Putin and Kim "
          "Jong Un said on 25 April 2019 they had substantial talks in Vladivostok.\n")


def test_a_reviewer_compares_three_outlets_versions_of_one_summit(
    browser: Browser, live_server: object, reviewer: User
) -> None:
    call_command("load_gazetteer", verbosity=0)
    report("TASS", TASS, date(2019, 4, 25))
    report("KCNA", KCNA, date(2019, 4, 26))
    report("Xinhua", XINHUA, date(2019, 4, 25))
    event = Event.objects.filter(memberships__claim__date_value="2019-04-25").distinct().get()
    meeting = Claim.objects.get(article__outlet__name="TASS", type="meeting")
    Reference.objects.create(
        claim=meeting, source="web", url="https://example.org/reuters-summit",
        canonical_url="example.org/reuters-summit", passage_hash="r1", publisher="Reuters",
        passage="Kim Jong Un and Vladimir Putin held their first summit on Russky Island, "
                "Vladivostok, on 25 April 2019.", stance="agrees",
    )
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto("/events/")
    page.click(f"a[href='/events/{event.pk}/']")
    page.wait_for_url(f"**/events/{event.pk}/")
    headers = page.locator("table.compare thead th")
    expect(headers).to_contain_text(["Aspect", "KCNA", "TASS", "Xinhua", "Reuters"])
    expect(page.locator("td.differs").first).to_be_visible()
    expect(page.locator(".differences")).to_contain_text("2019-04-26")
    expect(page.locator(".differences")).to_contain_text("million")
    expect(page.locator("table.compare")).to_contain_text("first summit on Russky Island")
    page.fill("#event-name", "Kim–Putin summit, Vladivostok")
    page.click("text=Rename")
    expect(page.locator("h1")).to_have_text("Kim–Putin summit, Vladivostok")
    screenshot(page, "event-comparison.png", full_page=True)
    page.click(f"table.compare a[href='/claims/{meeting.pk}/']")
    page.wait_for_url(f"**/claims/{meeting.pk}/")
