"""Issue 17 in a browser, items 4 and 5: an editor approves and sends back with the keyboard
from the decision at the top of the review page, moving on to the next claim awaiting
approval; and publishes an article's final claims while another is still being checked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from claims.models import Claim
from tests.browser.conftest import log_in, screenshot
from verify.models import Reference, Review
from verify.review import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# In the article's order, after the meeting.
SECOND = "The two leaders discussed the situation on the Korean peninsula."
THIRD = "The Moscow Declaration was signed in August 2001."


def propose(claim: Claim, reviewer: User, refs: list[Reference] | None = None) -> Review:
    claim.refresh_from_db()
    return services.submit_review(
        claim=claim,
        reviewer=reviewer,
        verdict="supported" if refs else "unverified",
        rationale="Reuters and AP both report it." if refs else "Nothing found yet.",
        references=refs or [],
        expected_version=claim.version,
    )


def test_an_editor_approves_and_sends_back_with_the_keyboard(
    browser: Browser,
    live_server: object,
    reviewer: User,
    editor: User,
    make_claim: Callable[..., Claim],
    make_reference: Callable[..., Reference],
) -> None:
    meeting = make_claim()
    ref = make_reference(meeting, 1, title="Kim–Putin summit", publisher="Reuters")
    make_reference(meeting, 2, title="Russky Island talks", publisher="AP", stance="related")
    talks = make_claim(
        SECOND,
        type="other",
        subject_name="",
        object_name="",
        place_name="",
        date_value="",
        date_precision="",
    )
    propose(meeting, reviewer, [ref])
    propose(talks, reviewer)

    page = log_in(browser, live_server.url, editor.username)  # type: ignore[attr-defined]
    page.goto(f"/claims/{meeting.pk}/")
    decision = page.locator("#decision")
    expect(decision).to_be_in_viewport()  # no scrolling to find it
    expect(decision).to_contain_text("rita proposed")
    expect(page.locator("h1")).not_to_contain_text("Not yet reviewed")
    screenshot(page, "review.png")

    page.keyboard.press("a")
    page.wait_for_url(f"**/claims/{talks.pk}/")  # on to the next claim awaiting approval
    expect(page.locator(".messages")).to_contain_text(f"Claim {meeting.pk}")
    expect(page.locator(".messages")).to_contain_text("approved")
    page.keyboard.press("b")
    expect(page.locator("#send-back-form textarea")).to_be_focused()
    page.keyboard.type("Which talks? Name the source for the peninsula.")
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue/?status=proposed")  # none left to decide
    expect(page.locator(".messages")).to_contain_text(f"Claim {talks.pk}")

    meeting.refresh_from_db()
    talks.refresh_from_db()
    assert (meeting.status, meeting.verdict) == (Claim.Status.FINAL, "supported")
    assert talks.status == Claim.Status.RETURNED
    page.goto(f"/claims/{talks.pk}/")
    expect(page.locator("#sent-back-note")).to_contain_text("Name the source for the peninsula")
    assert page.csp_errors == []  # type: ignore[attr-defined]
