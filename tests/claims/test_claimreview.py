"""The published ClaimReview JSON-LD, checked against Google's fact-check documentation
(developers.google.com/search/docs/appearance/structured-data/factcheck): its required and
recommended properties, each of the type Google expects."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from claims.models import Claim
from tests.claims import published as make
from tests.workers import ROOT
from verify.publishing.services import all_claim_reviews, publish_summary

pytestmark = pytest.mark.django_db
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def google_problems(review: dict[str, Any], site: str) -> list[str]:
    """What Google's ClaimReview documentation would flag, as a list of messages."""
    problems = []

    def need(obj: dict[str, Any], name: str, where: str) -> Any:
        if obj.get(name) in (None, "", {}, []):
            problems.append(f"{where}.{name} is missing")
        return obj.get(name)

    if review.get("@type") != "ClaimReview" or review.get("@context") != "https://schema.org":
        problems.append("not a schema.org ClaimReview")
    claimed = need(review, "claimReviewed", "ClaimReview")
    if isinstance(claimed, str) and claimed.endswith(("…", "...")):
        problems.append("claimReviewed is cut short")
    url = need(review, "url", "ClaimReview")
    if isinstance(url, str) and not url.startswith(site + "/"):
        problems.append(f"url {url} is not on SITE_URL")
    if not ISO_DATE.match(str(need(review, "datePublished", "ClaimReview"))):
        problems.append("datePublished is not an ISO 8601 date")
    author = need(review, "author", "ClaimReview") or {}
    if author.get("@type") not in ("Organization", "Person"):
        problems.append("author is not an Organization or Person")
    need(author, "name", "author")
    need(author, "url", "author")
    rating = need(review, "reviewRating", "ClaimReview") or {}
    if rating.get("@type") != "Rating":
        problems.append("reviewRating is not a Rating")
    need(rating, "alternateName", "reviewRating")
    values = [need(rating, n, "reviewRating") for n in ("ratingValue", "bestRating", "worstRating")]
    if all(isinstance(v, int | float) for v in values):
        value, best, worst = values
        if not worst <= value <= best or best <= worst:
            problems.append(f"ratingValue {value} is outside {worst}..{best}")
    item = need(review, "itemReviewed", "ClaimReview") or {}
    if item.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    claim_author = need(item, "author", "itemReviewed") or {}
    need(claim_author, "name", "itemReviewed.author")
    if not ISO_DATE.match(str(need(item, "datePublished", "itemReviewed"))):
        problems.append("itemReviewed.datePublished is not an ISO 8601 date")
    appearance = need(item, "appearance", "itemReviewed")
    if not isinstance(appearance, dict) or appearance.get("@type") != "CreativeWork":
        problems.append("itemReviewed.appearance is not a CreativeWork")
    else:
        for name in ("url", "headline", "datePublished"):
            need(appearance, name, "itemReviewed.appearance")
    return problems


@override_settings(SITE_URL="http://127.0.0.1:8123")
def test_every_published_claimreview_has_what_google_requires_and_recommends(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.reviewed_article(reviewer, editor)
    article.claims.filter(type=Claim.Type.MEETING).update(
        subject_name="Kim Jong Un", object_name="Vladimir Putin", place_name="Vladivostok",
        date_value="2019-04-25", date_precision="day",
    )
    summary = publish_summary(article=article, editor=editor)
    reviews = all_claim_reviews()
    assert len(reviews) == 3
    for review in reviews:
        assert google_problems(review, "http://127.0.0.1:8123") == []
    met = reviews[0]
    assert met["claimReviewed"] == "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019"
    assert met["reviewRating"]["alternateName"] == "Supported"
    assert met["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork", "url": "http://www.pyongyangtimes.com.kp/?bbs=43051",
        "headline": "DPRK-Russia ties progress", "datePublished": "2020-04-24",
        "author": met["itemReviewed"]["author"],
    }
    first_claim = summary.snapshot["claims"][0]["id"]
    html = client.get(reverse("public:claim", args=[article.pk, first_claim])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None and json.loads(block.group(1)) == met


def test_a_reviewer_s_own_wording_is_what_is_published(reviewer: User, editor: User) -> None:
    article = make.reviewed_article(reviewer, editor)
    article.claims.filter(type=Claim.Type.STATISTIC).update(
        claim_reviewed="North Korea's trade with Russia grew tenfold in 2019"
    )
    publish_summary(article=article, editor=editor)
    claimed = [r["claimReviewed"] for r in all_claim_reviews()]
    assert "North Korea's trade with Russia grew tenfold in 2019" in claimed


def test_make_demo_publishes_links_to_the_address_it_serves() -> None:
    plan = subprocess.run(
        ["make", "-n", "demo", "HOST=127.0.0.1", "PORT=8123"], cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout.replace("\\\n", " ")  # one shell command may continue over several lines
    commands = re.split(r"[;&\n]", plan)
    serving = [c for c in commands if "runserver" in c or "celery -A" in c]
    assert len(serving) == 2 and all("SITE_URL=http://127.0.0.1:8123" in line for line in serving)


def test_a_reviewer_words_the_claim_on_its_review_page(
    reviewer_client: Client, make_claim: Any
) -> None:
    claim = make_claim()
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019" in page
    url = reverse("public:claim_wording", args=[claim.pk])
    wording = "Kim Jong Un and Vladimir Putin held a summit in Vladivostok in April 2019"
    response = reviewer_client.post(url, {"claim_reviewed": wording, "version": claim.version})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.claim_reviewed, claim.proposition(), claim.version) == (wording, wording, 2)
    assert claim.audit_events.get().after == {"claim_reviewed": wording}
    stale = reviewer_client.post(url, {"claim_reviewed": "Older tab", "version": 1}, follow=True)
    assert "changed since you opened it" in stale.content.decode()
    claim.refresh_from_db()
    assert claim.claim_reviewed == wording
    reviewer_client.post(url, {"claim_reviewed": " ", "version": 2})
    claim.refresh_from_db()
    assert claim.proposition() == "Kim Jong Un met Vladimir Putin in Vladivostok on 25 April 2019"
