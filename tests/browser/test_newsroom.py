"""The newsroom tools of issue 17 in a browser: tagging claims in bulk from the queue and
filtering by a tag, and the notices a reviewer finds on the dashboard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from claims.models import Claim
from tests.browser.conftest import log_in, screenshot
from verify.models import AuditEvent, Notification
from verify.review import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECOND = "The Moscow Declaration was signed in August 2001."
THIRD = "The two leaders discussed the situation on the Korean peninsula."


@pytest.fixture
def three(make_claim: Callable[..., Claim]) -> list[Claim]:
    return [
        make_claim(),
        make_claim(
            SECOND,
            type="treaty_document",
            subject_name="Moscow Declaration",
            object_name="",
            place_name="Moscow",
            date_value="2001-08",
            date_precision="month",
        ),
        make_claim(
            THIRD,
            type="other",
            subject_name="",
            object_name="",
            place_name="",
            date_value="",
            date_precision="",
        ),
    ]


def test_a_reviewer_tags_two_claims_from_the_queue_and_filters_by_the_tag(
    browser: Browser, live_server: object, reviewer: User, three: list[Claim]
) -> None:
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto("/queue/")
    expect(page.locator("tr.claimrow")).to_have_count(3)
    page.check(f"input[name=assign-claims][value='{three[0].pk}']")
    page.check(f"input[name=assign-claims][value='{three[1].pk}']")
    page.select_option("#id_assign-action", "tag")
    page.fill("#id_assign-tags", "Vladivostok summit, treaty")
    page.click("#bulk-go")
    expect(page.locator("ul.messages")).to_contain_text(
        "Tag: 2 done, 0 refused."
    )
    expect(page.locator("tr.claimrow .tagchip", has_text="#treaty")).to_have_count(2)
    screenshot(page, "queue-tags.png", full_page=True)  # the rows and the bulk controls

    page.locator("tr.claimrow .tagchip", has_text="#Vladivostok summit").first.click()
    page.wait_for_url("**/queue/?tag=Vladivostok%20summit")
    expect(page.locator("tr.claimrow")).to_have_count(2)
    expect(page.locator("#queue-table tbody")).not_to_contain_text(THIRD[:30])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TAGGED).count() == 2


def test_a_reviewer_sees_assignments_and_a_sent_back_verdict_on_the_dashboard(
    browser: Browser, live_server: object, reviewer: User, editor: User, three: list[Claim]
) -> None:
    services.assign_claims(claims=three[:2], assignee=reviewer, by=editor)
    review = services.submit_review(
        claim=three[2],
        reviewer=reviewer,
        verdict="unverified",
        rationale="Nothing found.",
        expected_version=1,
    )
    services.return_review(
        review=review,
        editor=editor,
        expected_version=2,
        comment="Look for the Kremlin's readout of the talks.",
    )
    services.add_comment(claim=three[0], author=editor, body="@rita the TASS copy is in.")
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto("/")
    notices = page.locator("#notifications li.notice")
    expect(notices).to_have_count(4)
    expect(page.locator("#notifications .badge.unread")).to_have_text("4 unread")
    expect(notices.filter(has_text="sent your verdict back")).to_contain_text("Kremlin")
    stamp = notices.first.locator("time")
    assert stamp.get_attribute("title").endswith(" UTC")  # type: ignore[union-attr]
    screenshot(page, "dashboard-notifications.png")

    notices.filter(has_text="mentioned you").get_by_role("button", name="Mark read").click()
    expect(notices).to_have_count(3)
    expect(page.locator("#notifications .badge.unread")).to_have_text("3 unread")
    assert Notification.objects.filter(user=reviewer, read_at__isnull=True).count() == 3
