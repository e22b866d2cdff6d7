"""Stance hints: dates compared at the coarser precision with a day of tolerance, anniversary
arithmetic, counterparts, and suggestions that count only independent pages."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest

from claims.extraction import load_gazetteer
from claims.models import Article, Claim
from tests.verify.evidence_helpers import dated
from verify.evidence import stance
from verify.evidence.stance import When, dates_agree, describe_agreement
from verify.models import Reference


def year(y: int) -> When:
    return When("year", date(y, 1, 1), date(y, 12, 31))


def month(y: int, m: int, first: int = 1, last: int | None = None) -> When:
    import calendar

    return When("month", date(y, m, first), date(y, m, last or calendar.monthrange(y, m)[1]))


def day(y: int, m: int, d: int) -> When:
    return When("day", date(y, m, d), date(y, m, d))


@pytest.mark.parametrize(
    ("claimed", "stated", "agree"),
    [
        (month(2000, 2), day(2000, 2, 9), True),  # finer source inside the claim's month
        (day(2000, 2, 9), month(2000, 2), True),  # coarser source: compared at its month
        (year(2000), day(2000, 2, 9), True),
        (day(2000, 2, 9), year(2000), True),
        (month(2000, 2), year(2001), False),
        (month(2000, 2), month(2000, 3), False),
        (month(2000, 2), day(2000, 3, 1), True),  # one day of tolerance across the month end
        (month(2000, 2), day(2000, 3, 2), False),
        (day(2024, 6, 19), day(2024, 6, 18), True),  # enwiki's 18 June vs TASS's 19 June
        (day(2024, 6, 19), day(2024, 6, 20), True),
        (day(2024, 6, 19), day(2024, 6, 21), False),
        (day(2024, 6, 19), day(2024, 6, 17), False),
        (month(2019, 4, 24, 26), day(2019, 4, 25), True),  # "April 24-26" is month precision
        (year(1949), month(1949, 3), True),
        (year(1949), day(1950, 1, 1), True),  # the day of tolerance holds at any precision
        (year(1949), day(1950, 1, 2), False),
        (day(2023, 9, 13), month(2023, 8), False),
    ],
)
def test_dates_are_compared_at_the_coarser_precision_with_a_day_of_tolerance(
    claimed: When, stated: When, agree: bool
) -> None:
    assert dates_agree(claimed, stated) is agree


def test_agreement_is_described_in_words() -> None:
    assert describe_agreement(month(2000, 2), day(2000, 2, 9)) == (
        "date agrees (9 February 2000 is within February 2000)"
    )
    assert describe_agreement(day(2019, 4, 25), day(2019, 4, 25)) == "date agrees (25 April 2019)"
    assert "within a day" in describe_agreement(day(2024, 6, 19), day(2024, 6, 18))


def make_claim(**fields: Any) -> Claim:
    sentence = fields.pop("sentence")
    article = Article.objects.create(
        title="t",
        text=sentence,
        published=fields.pop("published", date(2020, 4, 24)),
        content_hash=hashlib.sha256(f"{sentence}{Article.objects.count()}".encode()).hexdigest(),
    )
    return Claim.objects.create(
        article=article, start=0, end=len(sentence), sentence=sentence, **fields
    )


def reference(
    claim: Claim, passage: str, url: str = "https://example.org/a", **extra: Any
) -> Reference:
    return Reference(
        claim=claim, source="library", url=url, canonical_url=url[8:], passage=passage, **extra
    )


def assess(claim: Claim, passage: str) -> stance.Finding:
    return stance.assess(claim, reference(claim, passage), load_gazetteer())


@pytest.fixture
def treaty_claim(db: None) -> Claim:
    return make_claim(
        sentence="The treaty on friendship, good-neighbourliness and cooperation was concluded "
        "between the two countries in February 2000.",
        type="treaty_document",
        subject_name="treaty on friendship, good-neighbourliness and cooperation",
        **dated("2000-02"),
    )


def test_a_source_with_the_day_inside_the_claimed_month_agrees(treaty_claim: Claim) -> None:
    found = assess(
        treaty_claim,
        "Russia and North Korea signed the Treaty on Friendship, "
        "Good-Neighbourliness and Cooperation in Pyongyang on 9 February 2000.",
    )
    assert found.stance == stance.AGREES
    assert found.hint == "date agrees (9 February 2000 is within February 2000)"


def test_a_source_with_another_year_contradicts(treaty_claim: Claim) -> None:
    found = assess(
        treaty_claim,
        "The Treaty on Friendship, Good-Neighbourliness and Cooperation "
        "was signed on 9 February 2001.",
    )
    assert found.stance == stance.CONTRADICTS
    assert found.hint.startswith("date differs: source says 9 February 2001")


def test_a_date_of_another_event_in_the_same_passage_is_not_a_contradiction(db: None) -> None:
    claim = make_claim(
        sentence="The treaty entered into force in November 2024 after it was ratified.",
        type="date_event",
        subject_name="treaty",
        **dated("2024-11"),
    )
    ratified = assess(claim, "Putin signed the treaty's ratification law on 9 November 2024.")
    assert ratified.stance != stance.AGREES
    in_force = assess(claim, "The treaty entered into force on 4 December 2024.")
    assert in_force.stance == stance.CONTRADICTS
    assert in_force.hint == "date differs: source says 4 December 2024, not November 2024"


def test_dates_decades_away_are_another_event_not_a_contradiction(db: None) -> None:
    claim = make_claim(
        sentence="President Putin visited the DPRK in July 2000.",
        type="visit",
        subject_name="Vladimir Putin",
        subject_qid="Q7747",
        object_name="North Korea",
        object_qid="Q423",
        **dated("2000-07"),
    )
    found = assess(claim, "Putin visited North Korea again on 19 June 2024.")
    assert found.stance == stance.RELATED


def test_both_parties_named_without_a_date(db: None) -> None:
    claim = make_claim(
        sentence="Kim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019.",
        type="meeting",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Vladimir Putin",
        object_qid="Q7747",
        **dated("2019-04-25"),
    )
    found = assess(claim, "Kim Jong Un and Vladimir Putin held talks in Vladivostok.")
    assert (found.stance, found.hint) == (stance.RELATED, "both parties named, no date")


def test_a_different_counterpart_is_pointed_out(db: None) -> None:
    claim = make_claim(
        sentence="Kim Jong Un held talks with Vladimir Putin in January 2019.",
        type="meeting",
        subject_name="Kim Jong Un",
        subject_qid="Q56226",
        object_name="Vladimir Putin",
        object_qid="Q7747",
        **dated("2019-01"),
    )
    found = assess(claim, "Kim Jong Un held talks with Xi Jinping in Beijing on 8 January 2019.")
    assert found.stance == stance.RELATED
    assert found.hint == "counterpart differs: source names Xi Jinping, not Vladimir Putin"


def test_anniversary_arithmetic_is_checked(db: None) -> None:
    claim = make_claim(
        sentence="In 2019 the two countries celebrated the 70th anniversary of the agreement on "
        "economic and cultural cooperation.",
        type="anniversary",
        subject_name="agreement on economic and cultural cooperation",
        **dated("1949"),
    )
    found = assess(
        claim,
        "The agreement on economic and cultural cooperation was signed in Moscow on 17 March 1949.",
    )
    assert (found.stance, found.hint) == (
        stance.AGREES,
        "anniversary arithmetic checks out (1949 + 70 = 2019)",
    )


def test_a_passage_about_something_else_is_unrelated(treaty_claim: Claim) -> None:
    found = assess(treaty_claim, "The weather in Pyongyang was mild.")
    assert (found.stance, found.hint) == (stance.UNRELATED, "no relation found")


def test_a_quote_needs_its_words_in_the_source_not_only_its_speaker(db: None) -> None:
    claim = make_claim(
        sentence="President Putin said that Russia would help the DPRK build satellites.",
        type="quote",
        subject_name="Vladimir Putin",
        subject_qid="Q7747",
        speaker_name="Vladimir Putin",
        speaker_qid="Q7747",
    )
    assert (
        assess(claim, "Putin held talks with the DPRK leader in Russia.").stance == stance.RELATED
    )
    said = assess(claim, "Putin said Russia would help North Korea build satellites.")
    assert said.stance == stance.AGREES


def ref(stance_: str, url: str, independent: bool = True) -> Reference:
    return Reference(
        url=f"https://{url}",
        canonical_url=url,
        stance=stance_,
        hint="h",
        independent=independent,
        publisher=url.split("/")[0],
        score=1.0,
    )


def test_the_suggestion_counts_only_independent_pages_once_each() -> None:
    refs = [ref("agrees", "tass.com/1", independent=False), ref("related", "nknews.org/1")]
    suggested = stance.suggest(refs)
    assert suggested.label == "unverified"
    assert "not counted, not independent: tass.com" in suggested.reasons

    refs = [ref("agrees", "nknews.org/1"), ref("agrees", "nknews.org/1")]
    assert stance.suggest(refs).label == "supported"


def test_an_independent_contradiction_makes_the_claim_possibly_disputed() -> None:
    suggested = stance.suggest([ref("contradicts", "interfax.com/1")])
    assert suggested.label == "disputed"
    assert suggested.reasons[0].startswith("interfax.com contradicts it")
    assert (
        stance.suggest(
            [ref("contradicts", "a.org/1"), ref("agrees", "b.org/1"), ref("agrees", "c.org/1")]
        ).label
        == "supported"
    )


def test_unreachable_sources_are_named_in_the_reasons() -> None:
    suggested = stance.suggest([], not_searched=["wikipedia (unreachable)"])
    assert suggested.label == "unverified"
    assert "not searched: wikipedia (unreachable)" in suggested.reasons


def test_an_unverified_suggestion_names_the_figure_or_time_no_source_gives() -> None:
    refs = [
        Reference(
            url="https://a.org/1",
            canonical_url="a.org/1",
            stance="related",
            independent=True,
            publisher="a.org",
            score=2.0,
            passage="The ship docked.",
            hint="date agrees (4 May 2022), but the source gives no figure for “19 gun”",
        ),
        Reference(
            url="https://b.org/1",
            canonical_url="b.org/1",
            stance="related",
            independent=True,
            publisher="b.org",
            score=1.0,
            passage="It docked at noon.",
            hint="reported on 4 May 2022, within the claim's 4 May 2022, but the source "
            "gives no time of day (the claim says “6:45 p.m.”)",
        ),
    ]
    reasons = stance.suggest(refs).reasons
    assert stance.suggest(refs).label == "unverified"
    assert "no independent source gives the figure (“19 gun”)" in reasons
    assert "no independent source gives the time of day (“6:45 p.m.”)" in reasons
