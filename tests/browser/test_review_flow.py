from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from claims.models import Article, Claim
from tests.browser.conftest import log_in, screenshot
from verify.models import Reference, Review
from verify.review import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_claims(
    make_claim: Callable[..., Claim], make_reference: Callable[..., Reference]
) -> list[Claim]:
    meeting = make_claim()
    make_reference(meeting, 1, passage="Kim Jong Un and Vladimir Putin held talks in "
                   "Vladivostok on 25 April 2019, their first summit.",
                   title="Kim–Putin summit", publisher="Reuters")
    make_reference(meeting, 2, title="Russky Island talks", publisher="AP", stance="related")
    document = make_claim("The Moscow Declaration was signed in August 2001.",
                          type="treaty_document", subject_name="Moscow Declaration",
                          object_name="", place_name="Moscow", date_value="2001-08",
                          date_precision="month")
    return [meeting, document]


def test_a_reviewer_filters_the_queue_and_reviews_a_claim_with_the_keyboard_only(
    browser: Browser, live_server: object, reviewer: User, two_claims: list[Claim]
) -> None:
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto("/queue/")
    expect(page.locator("tr.claimrow")).to_have_count(2)
    page.select_option("#id_type", "meeting")  # HTMX swaps the table in place
    expect(page.locator("tr.claimrow")).to_have_count(1)
    assert "type=meeting" in page.url
    screenshot(page, "queue.png")

    page.keyboard.press("j")
    expect(page.locator("tr.claimrow .claimlink").first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/claims/{two_claims[0].pk}/")
    page.keyboard.press("1")  # cite the first reference
    page.keyboard.press("s")  # supported; the cursor goes to the rationale
    expect(page.locator("textarea[name=rationale]")).to_be_focused()
    page.keyboard.type("Reuters and AP both report the Vladivostok summit on that day.")
    screenshot(page, "review-keyboard.png")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/claims/{two_claims[1].pk}/")  # on to the next claim

    review = Review.objects.get()
    assert (review.verdict, review.status, review.reviewer) == ("supported", "proposed", reviewer)
    page.goto("/queue/")
    expect(page.locator("tr.claimrow")).to_have_count(1)
    expect(page.locator("tr.claimrow")).to_contain_text("Moscow Declaration")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_two_people_saving_the_same_claim_the_second_sees_the_conflict(
    browser: Browser, live_server: object, reviewer: User, editor: User, claim: Claim,
    reference: Reference,
) -> None:
    first = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    second = log_in(browser, live_server.url, editor.username)  # type: ignore[attr-defined]
    for page in (first, second):
        page.goto(f"/claims/{claim.pk}/")
    first.check("#verdict-form input[value=unverified]")
    first.fill("textarea[name=rationale]", "No independent source found yet.")
    first.click("#save-verdict")
    first.wait_for_url("**/queue/")

    second.check("#verdict-form input[value=disputed]")
    second.check(f"#verdict-form input[name=references][value='{reference.pk}']")
    second.fill("textarea[name=rationale]", "The summit was in Vladivostok, not Moscow.")
    second.click("#save-verdict")
    conflict = second.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("rita proposed a verdict")
    expect(conflict).to_contain_text("No independent source found yet.")
    expect(second.locator("textarea[name=rationale]")).to_have_value(
        "The summit was in Vladivostok, not Moscow."
    )
    expect(second.locator("#verdict-form input[value=disputed]")).to_be_checked()
    screenshot(second, "conflict.png")
    assert Review.objects.count() == 1


def test_an_editor_approves_a_proposed_verdict(
    browser: Browser, live_server: object, reviewer: User, editor: User, claim: Claim,
    reference: Reference,
) -> None:
    services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                           rationale="Two agencies report it.", references=[reference],
                           expected_version=1)
    page = log_in(browser, live_server.url, editor.username)  # type: ignore[attr-defined]
    page.goto("/queue/?status=proposed")
    page.click(f"tr.claimrow a[href='/claims/{claim.pk}/']")
    expect(page.locator(".proposed")).to_contain_text("rita proposed")
    page.click("#approve")
    # Deciding moves on to the next claim awaiting approval; with none left, to the queue of
    # them (issue 17, item 4), so the claim's own page is opened again to read its state.
    page.wait_for_url("**/queue/?status=proposed")
    page.goto(f"/claims/{claim.pk}/")
    expect(page.locator("h1")).to_contain_text("Supported")
    expect(page.locator("h1")).to_contain_text("Final")
    claim.refresh_from_db()
    assert claim.verdict == Claim.Verdict.SUPPORTED


def test_the_article_page_links_each_claim_to_its_review(
    browser: Browser, live_server: object, reviewer: User, claim: Claim, article: Article
) -> None:
    page = log_in(browser, live_server.url, reviewer.username)  # type: ignore[attr-defined]
    page.goto(f"/articles/{article.pk}/")
    page.click("text=Review →")
    page.wait_for_url(f"**/claims/{claim.pk}/")
