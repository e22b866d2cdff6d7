"""extract() never raises and every span reproduces its sentence."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.extraction import extract, split_sentences

WORDS = st.sampled_from(
    [
        "Kim",
        "Jong",
        "Un",
        "Putin",
        "visited",
        "met",
        "Pyongyang",
        "the",
        "70th",
        "anniversary",
        "of",
        "treaty",
        "on",
        "in",
        "April",
        "2019",
        ",",
        ".",
        "said",
        "DPRK-Russia",
        "Declaration",
        "25",
        "percent",
        "(KCNA)",
        "--",
        "\n",
        "“",
        "’",
        "Supreme",
        "Leader",
        "early",
        "1949",
        "Москва",
        "平壤",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(WORDS, max_size=80).map(" ".join),
    st.binary().map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.one_of(st.none(), st.dates()))
def test_extract_never_raises_and_spans_reproduce(
    text: str, published: datetime.date | None
) -> None:
    for claim in extract(text, published=published):
        start, end = claim.span
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == claim.sentence
        assert 0.0 <= claim.checkworthiness <= 1.0


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_sentence_spans_reproduce_the_text(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def test_huge_input_does_not_raise() -> None:
    text = ("Kim Jong Un visited Russia in April 2019. " * 3000) + "x" * 100000
    assert extract(text)
