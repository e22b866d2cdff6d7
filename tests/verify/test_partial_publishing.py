"""Publishing what is final while other claims are still being checked (issue 17, item 5):
the public page says which claims are still under review, a later version adds them, the
publish page links each claim that is not ready and says why, the editor writes the headline
and introduction and previews the page first. Only final claims get a ClaimReview."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Article, Claim
from tests.claims import published as make
from verify.models import Summary
from verify.publishing.services import PublishError, publish_summary

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
MET = "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019."
TREATY = "The DPRK and the Soviet Union signed a treaty of friendship in 1955."
TRADE = "Trade between the two countries grew tenfold last year."
FOREVER = "The people's friendship will last forever."


@pytest.fixture
def half_done(reviewer: User, editor: User) -> Article:
    """One claim final; the others not reviewed, awaiting approval and sent back."""
    article = make.article()
    met = make.claim(article, MET)
    treaty = make.claim(article, TREATY, kind=Claim.Type.TREATY_DOCUMENT)
    make.claim(article, TRADE, kind=Claim.Type.STATISTIC)
    forever = make.claim(article, FOREVER, kind=Claim.Type.OTHER)
    make.final(met, "supported", reviewer=reviewer, editor=editor, references=[make.reference(met)])
    make.proposed(treaty, "disputed", reviewer=reviewer, rationale="Signed in 1961.")
    Claim.objects.filter(pk=forever.pk).update(status=Claim.Status.RETURNED)
    return article


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def publish(client: Client, article: Article, **data: str) -> object:
    return client.post(reverse("public:publish", args=[article.pk]), data)


def test_the_publish_page_links_each_claim_that_is_not_ready_and_says_why(
    editor_client: Client, half_done: Article
) -> None:
    page = editor_client.get(reverse("public:manage", args=[half_done.pk])).content.decode()
    blockers = re.search(r'<ul class="blockers">(.*?)</ul>', page, re.S)
    assert blockers is not None
    rows = re.findall(r"<li>(.*?)</li>", blockers.group(1), re.S)
    by_sentence = {c.sentence: c for c in half_done.claims.all()}
    expected = {
        TREATY: "its verdict awaits approval",
        TRADE: "not reviewed yet",
        FOREVER: "sent back to the reviewer",
    }
    assert len(rows) == 3
    for row, (sentence, reason) in zip(rows, expected.items(), strict=True):
        claim = by_sentence[sentence]
        assert f'href="/claims/{claim.pk}/"' in row
        assert reason in row
    assert "1 of 4 claims" in page
    assert 'name="partial"' in page  # the button publishing the final ones


def test_an_editor_publishes_the_final_claims_and_the_page_names_the_rest(
    editor_client: Client, half_done: Article
) -> None:
    response = publish(editor_client, half_done, partial="1")
    assert response.status_code == 302  # type: ignore[attr-defined]
    summary = Summary.objects.get()
    assert [c["sentence"] for c in summary.snapshot["claims"]] == [MET]
    assert [c["position"] for c in summary.snapshot["under_review"]] == [2, 3, 4]

    page = Client().get(reverse("public:summary", args=[half_done.pk])).content.decode()
    assert "1 of 4 claims checked so far" in page
    assert "3 claims are still under review" in page
    under_review = re.search(r'<section class="under-review".*?</section>', page, re.S)
    assert under_review is not None
    for sentence in (TREATY, TRADE, FOREVER.replace("'", "&#x27;")):
        assert sentence in under_review.group(0)
    assert "Signed in 1961." not in page  # a proposed verdict is not published


def test_only_final_claims_get_a_claimreview(editor_client: Client, half_done: Article) -> None:
    publish(editor_client, half_done, partial="1")
    feed = json.loads(Client().get(reverse("public:claimreview_json")).content)
    assert [r["itemReviewed"]["appearance"]["headline"] for r in feed["claimReviews"]] == [
        "DPRK-Russia ties progress"
    ]
    assert feed["claimReviews"][0]["reviewRating"]["alternateName"] == "Supported"
    treaty = half_done.claims.get(sentence=TREATY)
    assert Client().get(reverse("public:claim", args=[half_done.pk, treaty.pk])).status_code == 404


def test_without_asking_for_a_partial_publication_it_is_refused_as_before(
    editor_client: Client, half_done: Article
) -> None:
    response = publish(editor_client, half_done, headline="Kept after a refusal")
    assert response.status_code == 409  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "3 claim(s) are not ready" in page
    assert 'value="Kept after a refusal"' in page  # what the editor wrote is not lost
    assert not Summary.objects.exists()


def test_a_later_version_adds_the_claims_once_they_are_final(
    reviewer: User, editor: User, half_done: Article
) -> None:
    first = publish_summary(article=half_done, editor=editor, partial=True)
    for claim in half_done.claims.exclude(status=Claim.Status.FINAL):
        make.final(
            claim,
            "unverified",
            reviewer=reviewer,
            editor=editor,
            rationale="Nothing independent found.",
        )
    second = publish_summary(article=half_done, editor=editor)  # no note: it only adds
    assert second.version == 2 and len(first.snapshot["under_review"]) == 3
    assert "under_review" not in second.snapshot
    assert [c["position"] for c in second.snapshot["claims"]] == [1, 2, 3, 4]
    assert second.snapshot["claims"][0] == first.snapshot["claims"][0]
    assert (
        second.correction_note == "Adds the verdicts on claims 2, 3, 4, still under review before."
    )


def test_a_change_to_a_published_verdict_still_needs_a_note(
    reviewer: User, editor: User, half_done: Article
) -> None:
    publish_summary(article=half_done, editor=editor, partial=True)
    met = half_done.claims.get(sentence=MET)
    make.final(met, "disputed", reviewer=reviewer, editor=editor, rationale="A second look.")
    with pytest.raises(PublishError, match="correction note"):
        publish_summary(article=half_done, editor=editor, partial=True)


def test_a_claim_marked_final_without_an_approved_verdict_is_never_left_out(
    editor: User, half_done: Article
) -> None:
    Claim.objects.filter(sentence=TRADE).update(status=Claim.Status.FINAL, verdict="supported")
    with pytest.raises(PublishError, match="not final"):
        publish_summary(article=half_done, editor=editor, partial=True)


def test_nothing_final_nothing_published_and_the_button_looks_disabled(
    editor_client: Client, editor: User
) -> None:
    article = make.article()
    make.claim(article, MET)
    with pytest.raises(PublishError, match="nothing to publish"):
        publish_summary(article=article, editor=editor, partial=True)
    page = editor_client.get(reverse("public:manage", args=[article.pk])).content.decode()
    button = re.search(r'<button[^>]*id="publish-button"[^>]*>', page)
    assert button is not None and "disabled" in button.group(0)
    css = (ROOT / "static/css/app.css").read_text(encoding="utf-8")
    rule = re.search(r"button:disabled[^{]*\{([^}]*)\}", css)
    assert rule is not None and "not-allowed" in rule.group(1) and "color" in rule.group(1)


def test_the_editor_writes_the_headline_and_introduction(
    editor_client: Client, half_done: Article
) -> None:
    publish(
        editor_client,
        half_done,
        partial="1",
        headline="What Pyongyang said of the summit",
        introduction="A state-media report.\n\n<script>alert(1)</script> We checked it.",
    )
    page = Client().get(reverse("public:summary", args=[half_done.pk])).content.decode()
    assert "<h1>What Pyongyang said of the summit</h1>" in page
    assert "<p>A state-media report.</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; We checked it." in page
    assert "<script>alert" not in page
    manage = editor_client.get(reverse("public:manage", args=[half_done.pk])).content.decode()
    assert 'value="What Pyongyang said of the summit"' in manage  # the next version starts here


def test_a_preview_shows_the_public_page_and_saves_nothing(
    editor_client: Client, half_done: Article
) -> None:
    response = editor_client.post(
        reverse("public:preview", args=[half_done.pk]),
        {"headline": "Draft headline", "introduction": "Draft introduction."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview, not published." in page
    assert "<h1>Draft headline</h1>" in page and "Draft introduction." in page
    assert "1 of 4 claims checked so far" in page
    assert 'id="publish-form"' in page and 'name="partial"' in page  # publish from here
    assert not Summary.objects.exists()


def test_a_reviewer_may_not_preview(reviewer_client: Client, half_done: Article) -> None:
    response = reviewer_client.post(reverse("public:preview", args=[half_done.pk]), {})
    assert response.status_code == 403
