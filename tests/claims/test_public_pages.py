from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim
from tests.claims import published as make
from verify.models import Comment, Summary
from verify.publishing import urls as public_urls
from verify.publishing.services import publish_summary, retract_summary

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The parts of a rendered page a test compares: JSON-LD blocks, and elements by class."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.json_ld: list[str] = []
        self.by_class: dict[str, list[dict[str, str]]] = {}
        self.meta: dict[str, str] = {}
        self._open: list[tuple[str, dict[str, str]]] = []
        self._in_ld = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        if tag == "meta" and "property" in a:
            self.meta[a["property"]] = a.get("content", "")
        if tag == "link" and a.get("rel") == "canonical":
            self.meta["canonical"] = a["href"]
        if tag not in ("meta", "link", "br", "input"):
            entry = dict(a, text="")
            for cls in a.get("class", "").split():
                self.by_class.setdefault(cls, []).append(entry)
            self._open.append((tag, entry))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld[-1] += data
        for _, entry in self._open:
            entry["text"] += data

    def one(self, cls: str) -> dict[str, str]:
        found = self.by_class.get(cls, [])
        assert len(found) == 1, f"{len(found)} elements of class {cls}"
        return found[0]

    def text(self, cls: str) -> str:
        return " ".join(self.one(cls)["text"].split())


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def summary(reviewer: User, editor: User) -> Summary:
    return publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor)


def claim_page(summary: Summary, position: int) -> str:
    claim_id = summary.snapshot["claims"][position - 1]["id"]
    return reverse("public:claim", args=[summary.article_id, claim_id])


# --- ClaimReview -------------------------------------------------------------------------


@override_settings(FACTCHECK_ORG_NAME="Korea Fact Desk", FACTCHECK_ORG_URL="https://kfd.example/")
def test_a_claim_page_carries_one_claimreview_that_agrees_with_the_page(
    client: Client, summary: Summary
) -> None:
    page = Page(get(client, claim_page(summary, 2)))

    assert len(page.json_ld) == 1
    review = json.loads(page.json_ld[0])
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == page.text("claim-reviewed")
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 1, "bestRating": 3, "worstRating": 1,
        "alternateName": "Disputed",
    }
    assert page.text("verdict-label") == "Disputed"
    assert review["url"] == page.meta["canonical"] == page.meta["og:url"]
    assert review["url"].endswith(claim_page(summary, 2))
    assert review["datePublished"] == page.one("review-published")["datetime"]
    assert review["datePublished"] == timezone.localdate(summary.published_at).isoformat()
    assert review["author"] == {
        "@type": "Organization", "name": "Korea Fact Desk", "url": "https://kfd.example/"
    }
    assert page.text("review-author") == "Korea Fact Desk"
    assert page.one("review-author")["href"] == "https://kfd.example/"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Organization",
        "name": "Pyongyang Times",
        "sameAs": "https://www.wikidata.org/wiki/Q1140229",
    }
    assert page.text("claim-author") == "Pyongyang Times"
    assert page.one("same-as")["href"] == item["author"]["sameAs"]
    assert item["appearance"]["url"] == page.one("appearance")["href"]
    assert item["appearance"]["url"] == "http://www.pyongyangtimes.com.kp/?bbs=43051"
    assert item["datePublished"] == page.one("claim-date")["datetime"] == "2020-04-24"


def test_claimreviewed_is_never_cut_and_the_full_sentence_is_shown_too(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.article(text="x")
    long = (
        "Kim Jong Un and Vladimir Putin signed an agreement on economic cooperation, trade, "
        "science and culture in Vladivostok."
    )
    make.final(make.claim(article, long), "unverified", reviewer=reviewer, editor=editor)
    summary = publish_summary(article=article, editor=editor)
    html = get(client, claim_page(summary, 1))
    review = json.loads(Page(html).json_ld[0])
    assert review["claimReviewed"] == long  # no fields to write it shorter from: kept whole
    assert Page(html).text("claim-reviewed") == review["claimReviewed"]
    assert long in html


def test_an_outlet_without_a_wikidata_id_has_no_sameas(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.reviewed_article(reviewer, editor, source=make.outlet("KCNA Watch", ""))
    summary = publish_summary(article=article, editor=editor)
    review = json.loads(Page(get(client, claim_page(summary, 1))).json_ld[0])
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "KCNA Watch"}


def test_json_ld_cannot_be_broken_out_of(reviewer: User, editor: User, client: Client) -> None:
    article = make.article(title="</script><script>alert(1)</script>", text="x")
    hostile = "Leader said </script><script>alert('x')</script> & <!-- more"
    make.final(
        make.claim(article, hostile), "disputed", reviewer=reviewer, editor=editor,
        rationale="Quoted </script> verbatim & <b>bold</b>",
    )
    summary = publish_summary(article=article, editor=editor)
    html = get(client, claim_page(summary, 1))

    assert "<script>alert" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "<" not in block.group(1) and ">" not in block.group(1) and "&" not in block.group(1)
    review = json.loads(block.group(1))
    assert review["claimReviewed"] == hostile
    assert len(Page(html).json_ld) == 1


def test_dismissed_claims_have_no_claim_page(client: Client, summary: Summary) -> None:
    assert client.get(claim_page(summary, 4)).status_code == 404
    assert client.get(reverse("public:claim", args=[summary.article_id, 999999])).status_code == 404


# --- The summary page ----------------------------------------------------------------------


def test_the_summary_page_shows_the_article_and_every_claim_with_its_evidence(
    client: Client, summary: Summary
) -> None:
    html = get(client, reverse("public:summary", args=[summary.article_id]))
    page = Page(html)

    assert "<h1>DPRK-Russia ties progress</h1>" in html
    assert page.text("outlet") == "Pyongyang Times"
    assert page.text("article-date") == "24 April 2020"
    assert page.one("original")["href"] == "http://www.pyongyangtimes.com.kp/?bbs=43051"
    labels = [" ".join(e["text"].split()) for e in page.by_class["verdict-label"]]
    assert labels == ["Supported", "Disputed", "Unverified", "Not checkable"]
    assert [e["class"] for e in page.by_class["verdict"]] == [
        "verdict verdict-supported", "verdict verdict-disputed",
        "verdict verdict-unverified", "verdict verdict-dismissed",
    ]
    assert "The treaty of friendship was signed on 6 July 1961, not in 1955." in html
    assert "Not checked: A prediction, not a checkable statement of fact." in html
    assert 'href="https://en.wikipedia.org/wiki/Soviet%E2%80%93North_Korean_Treaty"' in html
    assert 'Treaty of Friendship</a>, <span class="publisher">Wikipedia' in html
    assert "(retrieved <time datetime=\"2024-05-02T09:30:00+00:00\">2 May 2024</time>)" in html
    assert "Reviewed and approved by Verification desk." in html
    assert "Version history" in html
    assert page.meta["og:title"] == "Verification summary: DPRK-Russia ties progress"
    assert page.meta["og:type"] == "article"


def test_public_pages_need_no_login_and_show_no_internal_navigation(
    client: Client, summary: Summary
) -> None:
    for url in (
        reverse("public:index"),
        reverse("public:summary", args=[summary.article_id]),
        claim_page(summary, 1),
        reverse("public:stats"),
    ):
        html = get(client, url)
        assert reverse("claims:articles") not in html
        assert 'href="/"' not in html  # the dashboard
        assert "Log out" not in html
        assert "public.css" in html and "app.css" not in html
        assert 'name="viewport"' in html


def test_an_unpublished_article_has_no_public_page(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.reviewed_article(reviewer, editor)
    assert client.get(reverse("public:summary", args=[article.pk])).status_code == 404
    assert client.get(reverse("public:markdown", args=[article.pk])).status_code == 404


# --- Versions and retraction, as a reader sees them ----------------------------------------


def correct(article: Article, reviewer: User, editor: User) -> Summary:
    make.final(
        article.claims.get(type=Claim.Type.STATISTIC), "disputed", reviewer=reviewer,
        editor=editor, rationale="Customs data of its trading partners show trade fell.",
    )
    return publish_summary(
        article=article, editor=editor,
        correction_note="Claim 3 was unverified; partner customs data now show it is wrong.",
    )


def test_a_correction_shows_its_note_and_the_old_version_stays_readable(
    reviewer: User, editor: User, client: Client, summary: Summary
) -> None:
    correct(summary.article, reviewer, editor)

    current = get(client, reverse("public:summary", args=[summary.article_id]))
    assert "Correction</strong>, version 2" in current
    assert "partner customs data now show it is wrong." in current
    assert "Customs data of its trading partners show trade fell." in current
    assert f'href="/published/{summary.article_id}/v1/"' in current

    old = get(client, reverse("public:summary_version", args=[summary.article_id, 1]))
    assert "You are reading version 1 of 2" in old
    assert "No independent trade figures for that year were found." in old
    assert "Customs data of its trading partners" not in old


def test_a_corrected_claimreview_says_when_it_was_modified(
    reviewer: User, editor: User, client: Client, summary: Summary
) -> None:
    Summary.objects.filter(pk=summary.pk).update(
        published_at=summary.published_at - timedelta(days=3)
    )
    correct(summary.article, reviewer, editor)
    page = Page(get(client, claim_page(summary, 3)))
    review = json.loads(page.json_ld[0])
    assert review["reviewRating"]["alternateName"] == "Disputed" == page.text("verdict-label")
    assert review["dateModified"] == page.one("review-modified")["datetime"]
    assert review["datePublished"] == page.one("review-published")["datetime"]
    assert review["datePublished"] < review["dateModified"]


def test_a_retracted_summary_says_so_and_its_claim_pages_drop_the_markup(
    client: Client, summary: Summary, editor: User
) -> None:
    retract_summary(article=summary.article, editor=editor, note="The article was misattributed.")

    html = get(client, reverse("public:summary", args=[summary.article_id]))
    assert "<strong>Retracted</strong> on" in html
    assert "The article was misattributed." in html
    assert Page(html).meta["og:title"].startswith("Retracted: ")
    claim = get(client, claim_page(summary, 1))
    assert "<strong>Retracted</strong> on" in claim
    assert Page(claim).json_ld == []
    index = get(client, reverse("public:index"))
    assert "verdict-retracted\">Retracted" in index
    # The published version stays readable as a record.
    assert "Retracted" not in Page(
        get(client, reverse("public:summary_version", args=[summary.article_id, 1]))
    ).by_class.get("banner-retracted", [{"text": ""}])[0]["text"]


# --- Index and stats -------------------------------------------------------------------------


def test_the_index_lists_newest_first_and_filters_by_outlet_and_search(
    reviewer: User, editor: User, client: Client
) -> None:
    older = publish_summary(article=make.reviewed_article(reviewer, editor), editor=editor)
    Summary.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=2))
    kcna = make.outlet("KCNA", "Q671580")
    newer = publish_summary(
        article=make.reviewed_article(reviewer, editor, title="Kim meets Shoigu", source=kcna),
        editor=editor,
    )

    html = get(client, reverse("public:index"))
    assert html.index("Kim meets Shoigu") < html.index("DPRK-Russia ties progress")
    only_kcna = get(client, reverse("public:index") + f"?outlet={kcna.pk}")
    assert "Kim meets Shoigu" in only_kcna and "DPRK-Russia ties progress" not in only_kcna
    found = get(client, reverse("public:index") + "?q=shoigu")
    assert "Kim meets Shoigu" in found and "DPRK-Russia ties progress" not in found
    by_claim = get(client, reverse("public:index") + "?q=Vladivostok")
    assert "Kim meets Shoigu" in by_claim and "DPRK-Russia ties progress" in by_claim
    assert "No published summaries match." in get(client, reverse("public:index") + "?q=zzzz")
    assert newer.article_id != older.article_id


def test_the_stats_page_draws_published_verdicts_as_svg_without_javascript(
    reviewer: User, editor: User, client: Client, summary: Summary
) -> None:
    make.reviewed_article(reviewer, editor, title="Never published", source=make.outlet("KCNA"))
    html = get(client, reverse("public:stats"))

    assert html.count("<svg") == 3
    assert "<script" not in html
    assert "Pyongyang Times" in html and "KCNA" not in html
    assert "Pyongyang Times: 1 supported" in html
    assert "Pyongyang Times: 1 disputed" in html
    month = f"{timezone.localtime(summary.published_at):%Y-%m}"
    assert f"{month}: 1 unverified" in html
    assert "Figure: 1 unverified" in html and "Treaty or document: 1 disputed" in html
    assert "style=" not in html  # CSP allows no inline styles


# --- Nothing unpublished leaks --------------------------------------------------------------

SECRETS = [
    "PROPOSED-RATIONALE-SECRET",
    "COMMENT-SECRET",
    "UNPUBLISHED-HEADLINE-SECRET",
    "UNPUBLISHED-CLAIM-SECRET",
    "EDITED-AFTER-PUBLICATION-SECRET",
    "INTERNAL-PASSAGE-SECRET",
    "Internal stance hint",
    "rita@example.org",
    "eddie@example.org",
    "@example.org",
]


def every_public_url(client: Client) -> list[str]:
    """Every public URL pattern, filled with every article, claim and version there is."""
    article_ids = list(Article.objects.values_list("pk", flat=True))
    claims = list(Claim.objects.values_list("article_id", "pk"))
    versions = list(Summary.objects.values_list("article_id", "version"))
    urls = []
    for pattern in public_urls.urlpatterns:
        name = f"public:{pattern.name}"
        converters = list(pattern.pattern.converters)
        if not converters:
            urls.append(reverse(name))
        elif converters == ["article_id"]:
            urls += [reverse(name, args=[a]) for a in article_ids]
        elif converters == ["article_id", "version"]:
            urls += [reverse(name, args=list(v)) for v in versions]
        elif converters == ["article_id", "claim_id"]:
            urls += [reverse(name, args=list(c)) for c in claims]
        elif converters == ["claim_id"]:  # the desk's own actions, under /published/desk/
            urls += [reverse(name, args=[c]) for _, c in claims]
        else:
            raise AssertionError(f"a new public URL to walk: {pattern}")
    html = get(client, reverse("public:index"))
    urls += [reverse("public:index") + q for q in ("?q=SECRET", "?q=rita", "?q=example.org")]
    assert html
    return urls


def test_nothing_unpublished_appears_on_any_public_url_or_feed(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.reviewed_article(reviewer, editor)
    make.reference(
        article.claims.first(), "https://example.net/leak", passage="INTERNAL-PASSAGE-SECRET"
    )
    publish_summary(article=article, editor=editor)
    # After publication: a new proposed verdict, a comment, an edit, a new claim.
    met = article.claims.get(type=Claim.Type.MEETING)
    make.proposed(met, "disputed", reviewer=reviewer, rationale="PROPOSED-RATIONALE-SECRET")
    Comment.objects.create(claim=met, author=reviewer, body="COMMENT-SECRET")
    article.claims.filter(type=Claim.Type.STATISTIC).update(
        sentence="EDITED-AFTER-PUBLICATION-SECRET"
    )
    make.claim(article, "UNPUBLISHED-CLAIM-SECRET")
    # An article that was reviewed but never published.
    make.reviewed_article(reviewer, editor, title="UNPUBLISHED-HEADLINE-SECRET")

    seen = 0
    for url in every_public_url(client):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), url
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked on {url}"
        seen += response.status_code == 200
    assert seen >= 10
