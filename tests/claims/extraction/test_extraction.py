"""Behaviour of the extraction engine on small, made-up sentences."""

from __future__ import annotations

import datetime

from claims.extraction import (
    DateValue,
    EntityRef,
    Gazetteer,
    extract,
    load_gazetteer,
    split_sentences,
)
from claims.extraction.dates import find_dates

PUB = datetime.date(2020, 4, 24)


def types(text: str, published: datetime.date | None = PUB) -> list[str]:
    return [c.type for c in extract(text, published=published)]


def test_it_keeps_dateline_out_of_the_sentence() -> None:
    text = "Pyongyang, September 14 (KCNA) -- Kim Jong Un met Putin on September 13."
    sents = split_sentences(text)
    assert [s.kind for s in sents] == ["dateline", "body"]
    assert sents[1].text.startswith("Kim Jong Un")


def test_it_does_not_split_on_initials_or_abbreviations() -> None:
    text = "J. V. Stalin met Mr. Kim in the U.S. capital. Then he left."
    assert [s.text for s in split_sentences(text)] == [
        "J. V. Stalin met Mr. Kim in the U.S. capital.",
        "Then he left.",
    ]


def test_bylines_outlets_and_chrome_yield_no_claims() -> None:
    text = "Title\n\nBy Kim Tae Ho\nPyongyang Times\n\nPost a Comment\n\nPrevious Post Next Post"
    assert extract(text, published=PUB) == []
    kinds = [s.kind for s in split_sentences(text)]
    assert kinds == ["title", "byline", "chrome", "chrome", "chrome"]


def test_romanisations_link_to_the_same_person_and_never_mix_kims() -> None:
    for name in ("Kim Jong-un", "Kim Jong Un", "Kim Chong Un"):
        [claim] = extract(f"{name} visited Russia in April 2019.", published=PUB)
        assert claim.subject == EntityRef("Kim Jong Un", "Q56226", "person")
    [claim] = extract("Kim Jong Il visited Russia in August 2001.", published=PUB)
    assert claim.subject is not None and claim.subject.qid == "Q10665"


def test_a_bare_title_resolves_to_the_latest_holder() -> None:
    text = (
        "Kim Jong Un visited Russia in April 2019.\n"
        "In his speech the Supreme Leader stressed the friendship with Russia."
    )
    claims = extract(text, published=PUB)
    assert claims[-1].type == "quote"
    assert claims[-1].speaker is not None and claims[-1].speaker.qid == "Q56226"


def test_a_city_visited_stands_for_its_country_and_is_the_place() -> None:
    [claim] = extract("Sergey Lavrov visited Pyongyang in October 2023.", published=PUB)
    assert claim.object is not None and claim.object.qid == "Q423"
    assert claim.place is not None and claim.place.qid == "Q18808"
    assert claim.date == DateValue(
        "2023-10", "month", datetime.date(2023, 10, 1), datetime.date(2023, 10, 31)
    )


def test_anniversary_dates_are_derived_by_arithmetic() -> None:
    [claim] = extract(
        "In 2019 the two countries marked the 70th anniversary of the armistice talks.",
        published=PUB,
    )
    assert claim.type == "anniversary" and claim.date is not None and claim.date.value == "1949"
    [claim] = extract("One-year anniversary of the summit of Kim Jong Un and Putin", published=PUB)
    assert claim.date is not None and claim.date.value == "2019-04"


def test_a_date_for_one_list_item_is_not_copied_to_the_others() -> None:
    text = (
        "The Pyongyang Declaration and the agreement on trade signed in May 2001 were milestones."
    )
    claims = extract(text, published=PUB)
    assert [c.type for c in claims] == ["treaty_document", "treaty_document"]
    assert (
        claims[0].date is None and claims[1].date is not None and claims[1].date.value == "2001-05"
    )


def test_intentions_and_rhetoric_are_not_claims() -> None:
    assert types("The DPRK and Russia will work hard to contribute to peace and security.") == []
    assert (
        types("Friendship between the DPRK and Russia has seen a steady growth in recent years.")
        == []
    )


def test_figures_are_statistics() -> None:
    [claim] = extract(
        "Trade between China and the DPRK reached 2.3 billion US dollars in 2023.", published=PUB
    )
    assert claim.type == "statistic" and claim.date is not None and claim.date.value == "2023"


def test_dates_keep_the_precision_the_text_gives() -> None:
    [early] = find_dates("in early 1949", PUB)
    assert (early.value.value, early.value.precision, early.value.end) == (
        "1949",
        "year",
        datetime.date(1949, 4, 30),
    )
    [rel] = find_dates("last year", PUB)
    assert rel.value.value == "2019"
    [wd] = find_dates("arrived on Thursday", datetime.date(2019, 6, 20))
    assert wd.value.value == "2019-06-20"


def test_gazetteer_can_be_built_from_records() -> None:
    gaz = Gazetteer.from_records(
        [{"name": "Zhao Leji", "qid": "Q000", "kind": "person", "aliases": [], "titles": []}]
    )
    [claim] = extract("Zhao Leji visited Pyongyang in April 2024.", published=PUB, gazetteer=gaz)
    assert claim.subject == EntityRef("Zhao Leji", "Q000", "person")
    assert load_gazetteer() is load_gazetteer()


def test_to_json_matches_the_format() -> None:
    [claim] = extract("Kim Jong Un met Putin in Vladivostok on April 25, 2019.", published=PUB)
    data = claim.to_json()
    assert set(data) == {
        "sentence",
        "span",
        "type",
        "subject",
        "object",
        "place",
        "date",
        "checkworthiness",
        "reason",
    }
    assert data["date"] == {
        "value": "2019-04-25",
        "precision": "day",
        "start": "2019-04-25",
        "end": "2019-04-25",
    }
