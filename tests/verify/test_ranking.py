"""Ranking: BM25 over the claim's candidates, entities and dates, and independence."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from pytest_django.fixtures import Settings

from claims.extraction import load_gazetteer
from claims.models import Article, Claim, Outlet
from verify.evidence import ranking
from verify.models import Reference
from verify.review import highlight


@pytest.fixture
def claim(db: None) -> Claim:
    sentence = "Kim Jong Un visited the Russian Federation in April 2019."
    article = Article.objects.create(
        title="t",
        text=sentence,
        published=date(2020, 4, 24),
        outlet=Outlet.objects.create(name="Pyongyang Times", domains=["pyongyangtimes.com.kp"]),
        content_hash=hashlib.sha256(sentence.encode()).hexdigest(),
    )
    return Claim.objects.create(
        article=article,
        start=0,
        end=len(sentence),
        sentence=sentence,
        type="visit",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Russia",
        object_qid="Q159",
        date_value="2019-04",
        date_precision="month",
        date_start=date(2019, 4, 1),
        date_end=date(2019, 4, 30),
    )


def ref(claim: Claim, passage: str, url: str) -> Reference:
    return Reference(claim=claim, source="library", url=url, canonical_url=url, passage=passage)


def test_bm25_prefers_the_passage_with_more_of_the_rarer_query_words() -> None:
    scores = ranking.bm25(
        ["vladivostok", "kim"], ["Kim went home.", "Kim arrived in Vladivostok.", "Nothing here."]
    )
    assert scores[1] > scores[0] > scores[2] == 0


def test_an_agreeing_independent_passage_ranks_above_a_merely_similar_one(claim: Claim) -> None:
    refs = [
        ref(claim, "Kim Jong Un visited the Russian Federation in April 2017.", "https://a.org/1"),
        ref(
            claim,
            "Kim Jong Un arrived in Vladivostok by train on 24 April 2019 for his first "
            "visit to Russia.",
            "https://b.org/1",
        ),
        ref(claim, "Kim Jong Un visited Russia in April 2019.", "https://tass.com/1"),
        ref(claim, "Kim Jong Un visited the Russian Federation in June 2019.", "https://c.org/1"),
    ]
    ranked = ranking.rank(claim, refs, load_gazetteer())
    by_url = {r.url: x for r, x in zip(refs, ranked, strict=True)}
    assert by_url["https://b.org/1"].stance == "agrees"
    # Another year is not "similar" either: for a visit it is another visit (issue 15:
    # the same parties a year or more apart are a different event, not a contradiction);
    # weeks off, it is the wrong date.
    assert by_url["https://a.org/1"].stance == "related"
    assert by_url["https://a.org/1"].hint.startswith("different event")
    assert by_url["https://c.org/1"].stance == "contradicts"
    assert by_url["https://b.org/1"].score > by_url["https://tass.com/1"].score
    assert by_url["https://tass.com/1"].independent is False


def test_matching_words_are_marked_by_offsets_and_shown_escaped(claim: Claim) -> None:
    passage = "<b>Kim Jong Un</b> visited Russia & more."
    reference = ref(claim, passage, "https://a.org/1")
    reference.matches = ranking.match_offsets(passage, ranking.claim_terms(claim))
    assert [passage[s:e] for s, e in reference.matches] == [
        "Kim",
        "Jong",
        "Un",
        "visited",
        "Russia",
    ]
    html = highlight.marked_html(highlight.passage_pieces(passage, reference.matches, []))
    assert html.startswith("&lt;b&gt;<mark>Kim</mark> <mark>Jong</mark>")
    assert "&amp; more." in html and "<b>" not in html


@pytest.mark.parametrize(
    ("url", "independent"),
    [
        ("https://www.nknews.org/2019/04/x", True),
        ("https://kcna.kp/en/article/1", False),  # settings.STATE_MEDIA_DOMAINS
        ("https://english.news.cn/x", False),
        ("http://www.pyongyangtimes.com.kp/x", False),  # the claim's own outlet
        ("https://en.rodong.example/x", False),  # an Outlet marked as state media
        ("https://rodong.example.org/x", True),  # only a suffix match on a dot boundary counts
    ],
)
def test_copies_of_the_outlet_and_of_state_media_are_not_independent(
    claim: Claim, url: str, independent: bool
) -> None:
    Outlet.objects.create(name="Rodong Sinmun", is_state_media=True, domains=["rodong.example"])
    ranked = ranking.rank(claim, [ref(claim, "Kim Jong Un visited Russia.", url)], load_gazetteer())
    assert ranked[0].independent is independent


def test_state_media_domains_are_configurable(claim: Claim, settings: Settings) -> None:
    settings.STATE_MEDIA_DOMAINS = ["example.com"]
    ranked = ranking.rank(
        claim,
        [ref(claim, "Kim Jong Un visited Russia.", "https://example.com/a")],
        load_gazetteer(),
    )
    assert ranked[0].independent is False
