"""What a reviewer cites from: one entry per page, every one of them reachable by key."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.claims import published as make
from verify.models import Reference
from verify.publishing.services import publish_summary

pytestmark = pytest.mark.django_db


def cite_labels(html: str) -> list[str]:
    return re.findall(r'<label class="citechoice">(.*?)</label>', html, re.S)


def test_a_page_with_several_passages_is_one_entry_to_cite(
    reviewer_client: Client, claim: Claim, make_reference: Callable[..., Reference]
) -> None:
    first = make_reference(claim, 1, title="Kim–Putin summit", publisher="Reuters")
    Reference.objects.create(
        claim=claim, source="web", url=first.url + "?utm_source=feed",
        canonical_url=first.canonical_url, passage="A second passage of the same page.",
        passage_hash="b" * 64, title="Kim–Putin summit", publisher="Reuters", score=0.2,
    )
    make_reference(claim, 2, title="Russky Island talks", publisher="AP")
    html = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    labels = cite_labels(html)
    assert len(labels) == 2
    assert sum("Kim–Putin summit" in label for label in labels) == 1
    assert f'value="{first.pk}"' in labels[0]


def test_more_than_nine_references_get_a_filter_and_keys_only_for_the_first_nine(
    reviewer_client: Client, claim: Claim, make_reference: Callable[..., Reference]
) -> None:
    for n in range(1, 13):
        make_reference(claim, n, title=f"Report {n}")
    html = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    labels = cite_labels(html)
    assert len(labels) == 12
    assert 'id="cite-filter"' in html
    keys = [re.search(r'data-key="(\d*)"', label).group(1) for label in labels]  # type: ignore[union-attr]
    assert keys == [str(n) for n in range(1, 10)] + ["", "", ""]


def test_a_page_cited_twice_is_listed_once_on_the_public_page(
    reviewer: User, editor: User, client: Client
) -> None:
    article = make.article(text="x")
    met = make.claim(article, "Kim Jong Un met Vladimir Putin in Vladivostok.")
    page = make.reference(met)
    again = Reference.objects.create(
        claim=met, source="web", url=page.url, canonical_url=page.canonical_url,
        passage="Another passage of the same article.", passage_hash="c" * 64,
        title=page.title, publisher=page.publisher,
    )
    make.final(met, "supported", reviewer=reviewer, editor=editor, references=[page, again])
    snap = publish_summary(article=article, editor=editor).snapshot
    assert [r["url"] for r in snap["claims"][0]["references"]] == [page.url]
    html = client.get(reverse("public:summary", args=[article.pk])).content.decode()
    assert html.count(f'href="{page.url}"') == 1
