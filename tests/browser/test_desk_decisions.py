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
from tests.claims import published
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


def test_an_editor_previews_and_publishes_with_claims_still_open(
    browser: Browser, live_server: object, reviewer: User, editor: User
) -> None:
    article = published.article()
    met = published.claim(article, published.TEXT.split(". ")[0] + ".")
    published.final(
        met, "supported", reviewer=reviewer, editor=editor, references=[published.reference(met)]
    )
    treaty = published.claim(
        article,
        "The DPRK and the Soviet Union signed a treaty of friendship in 1955.",
        kind=Claim.Type.TREATY_DOCUMENT,
    )
    published.proposed(treaty, "disputed", reviewer=reviewer, rationale="Signed in 1961.")
    trade = published.claim(
        article,
        "Trade between the two countries grew tenfold last year.",
        kind=Claim.Type.STATISTIC,
    )

    page = log_in(browser, live_server.url, editor.username)  # type: ignore[attr-defined]
    page.goto(f"/published/manage/{article.pk}/")
    blockers = page.locator("ul.blockers li")
    expect(blockers).to_have_count(2)
    expect(blockers.nth(0)).to_contain_text("its verdict awaits approval")
    expect(blockers.nth(1)).to_contain_text("not reviewed yet")
    expect(blockers.nth(1).locator("a")).to_have_attribute("href", f"/claims/{trade.pk}/")
    page.fill("#id_headline", "Vladivostok, checked")
    page.fill("#id_introduction", "What the Pyongyang Times said of the 2019 summit.")
    screenshot(page, "publish-partial.png", full_page=True)

    page.click("#preview-button")
    expect(page.locator("#preview-banner")).to_contain_text("Preview, not published.")
    expect(page.locator("h1")).to_have_text("Vladivostok, checked")
    expect(page.locator("#partial-note")).to_contain_text("1 of 3 claims checked so far")
    page.click("#publish-button")  # the button under the preview: publish what is final
    expect(page.locator(".messages")).to_contain_text("2 claims are still under review")

    page.goto(f"/published/{article.pk}/")
    expect(page.locator("h1")).to_have_text("Vladivostok, checked")
    expect(page.locator("#under-review")).to_contain_text("treaty of friendship in 1955")
    expect(page.locator("#under-review")).to_contain_text("grew tenfold")
    screenshot(page, "published-partial.png", full_page=True)
    assert page.csp_errors == []  # type: ignore[attr-defined]
