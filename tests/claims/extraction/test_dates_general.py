"""Dates on fresh sentences: the dateline's day, the story's day, "since", years counted."""

from __future__ import annotations

import datetime

import pytest

from claims.extraction import extract, split_sentences

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
