"""Dates on fresh sentences: the dateline's day, the story's day, "since", years counted."""

from __future__ import annotations

import datetime

import pytest

from claims.extraction import extract, split_sentences
from claims.extraction.dates import find_dates

PUB = datetime.date(2025, 3, 6)


def dates(text: str, published: datetime.date = PUB) -> list[tuple[str, str | None]]:
    return [
        (c.sentence[:24], c.date.value if c.date else None)
        for c in extract(text, published=published)
    ]


@pytest.mark.parametrize(
    "dateline",
    [
        "Pyongyang, March 3 (KCNA) --",
        "MOSCOW, March 3. /TASS/.",
        "BEIJING, March 3 (Xinhua) --",
        "ULAN BATOR, Mongolia, Mar 3 \u2014",
    ],
)
def test_the_datelines_day_reaches_the_leads_weekday(dateline: str) -> None:
    # March 3, 2025 is a Monday; the article is published three days later.
    text = f"{dateline} Kim Jong Un met Vladimir Putin on Monday in Pyongyang."
    assert [s.kind for s in split_sentences(text)][:2] == ["dateline", "body"]
    assert dates(text)[0][1] == "2025-03-03"


def test_a_weekday_is_the_latest_such_day_on_or_before_the_dateline() -> None:
    text = "MOSCOW, March 3. /TASS/. Vladimir Putin received Kim Jong Un on Sunday."
    assert dates(text)[0][1] == "2025-03-02"


def test_undated_acts_after_the_lead_happen_on_the_storys_day() -> None:
    text = (
        "BEIJING, March 3 (Xinhua) -- Kim Jong Un arrived in Beijing on Monday. "
        "Kim Jong Un laid a wreath at a memorial and then met Xi Jinping. "
        "The same day, Xi Jinping hosted a banquet in honour of Kim Jong Un."
    )
    found = dict(dates(text))
    assert found["Kim Jong Un arrived in B"] == "2025-03-03"
    assert found["Kim Jong Un laid a wreat"] == "2025-03-03"


def test_history_and_the_future_do_not_take_the_storys_day() -> None:
    text = (
        "BEIJING, March 3 (Xinhua) -- Kim Jong Un arrived in Beijing on Monday. "
        "Kim Jong Un will visit Shanghai later."
    )
    assert dict(dates(text)).get("Kim Jong Un will visit ") != "2025-03-03"


def test_a_date_after_since_is_a_beginning_not_the_events_date() -> None:
    text = (
        "Ganbold Dorj, a herder from Khovd Province, has worked in the Ulaanbaatar city"
        " council since March 2019."
    )
    for _, value in dates(text):
        assert value != "2019-03"


def test_a_bare_weekday_in_agency_style_is_dated() -> None:
    text = "ULAN BATOR, March 3 (Montsame) -- Souk Vongsa arrived here Monday for a state visit."
    assert dates(text)[0][1] == "2025-03-03"


def test_a_date_takes_its_year_only_from_its_own_clause() -> None:
    found = find_dates(
        "The plant opened in 2011, and on June 5 its second line began work.",
        datetime.date(2025, 8, 1),
    )
    assert [d.value.value for d in found] == ["2011", "2025-06-05"]


def test_a_relative_year_beats_the_passages_year() -> None:
    found = find_dates("The session held on May 2 last year.", PUB, year_hint=1999)
    assert found[0].value.value == "2024-05-02"


def test_in_a_passage_about_the_past_a_bare_day_takes_the_passages_year() -> None:
    text = (
        "MOSCOW, March 3. /TASS/. Ivan Petrov met Dorj Bat in Moscow on Monday. "
        "On April 2, 1998, the two countries opened a railway line across the border. "
        "Their ministers inaugurated a second crossing on September 14."
    )
    found = dict(dates(text))
    assert found["Their ministers inaugura"] == "1998-09-14"


def test_a_day_near_the_report_ends_the_passage_about_the_past() -> None:
    text = (
        "MOSCOW, March 3. /TASS/. On April 2, 1998, the two countries opened a railway line. "
        "Ivan Petrov met Dorj Bat in Moscow on Monday. "
        "Dorj Bat laid flowers at a monument in Moscow on March 4."
    )
    assert dict(dates(text))["Dorj Bat laid flowers at"] == "2025-03-04"


def test_words_are_said_on_the_storys_day_whatever_they_speak_of() -> None:
    text = (
        "MOSCOW, March 3. /TASS/. Vladimir Putin received Kim Jong Un in the Kremlin on Monday. "
        "\u201cWe will build a bridge across the river by 2030,\u201d Vladimir Putin said."
    )
    quotes = [c for c in extract(text, published=PUB) if c.type == "quote"]
    assert quotes and quotes[0].date and quotes[0].date.value == "2025-03-03"


def test_years_ago_after_and_before_are_counted() -> None:
    assert [d.value.value for d in find_dates("The line opened 20 years ago.", PUB)] == ["2005"]
    found = find_dates("The bridge opened five years after the railway, finished in 1996.", PUB)
    assert [d.value.value for d in found] == ["2001", "1996"]
    found = find_dates("The plant was built 3 years before the war ended in 1950.", PUB)
    assert found[0].value.value == "1947"


def test_an_anniversary_gives_the_year_of_what_it_marks() -> None:
    [claim] = extract(
        "Mongolia and Laos celebrated the 70th anniversary of diplomatic relations on March 5.",
        published=PUB,
    )
    assert claim.type == "anniversary" and claim.date and claim.date.value == "1955-03-05"


def test_an_article_without_a_dateline_tells_of_its_publication_day() -> None:
    text = (
        "Leaders Review Rail Link\n\n"
        "Vladimir Putin and Kim Jong Un held talks in Pyongyang. "
        '"Our trade has grown," Putin told reporters after the talks.'
    )
    found = dict(dates(text))
    assert found["Vladimir Putin and Kim J"] == "2025-03-06"
    assert found['"Our trade has grown," P'] == "2025-03-06"


def test_a_loose_sentence_has_no_storys_day() -> None:
    text = "Vladimir Putin and Kim Jong Un held talks in Pyongyang."
    assert dates(text)[0][1] is None


def test_a_dateline_still_decides_over_the_publication_day() -> None:
    text = "MOSCOW, March 3. /TASS/. Vladimir Putin received Kim Jong Un in the Kremlin."
    assert dates(text)[0][1] == "2025-03-03"


def test_an_undated_act_of_an_announced_programme_is_of_the_programmes_day() -> None:
    text = (
        "HANOI, March 3 (VNA) -- Vladimir Putin arrived in Hanoi on Monday. "
        "The main part of the visit will be held on March 4. "
        "After a wreath-laying, Putin will hold talks with Vietnamese President To Lam."
    )
    assert dict(dates(text))["After a wreath-laying, P"] == "2025-03-04"
