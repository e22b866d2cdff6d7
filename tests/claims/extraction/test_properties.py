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
# Articles of body sentences (a capital, words, a full stop), so that the code which reads
# body sentences (check-worthiness, the frames) is reached: a bare run of words is a heading.
SENTENCE = st.lists(WORDS, min_size=5, max_size=30).map(lambda ws: "The " + " ".join(ws) + ".")
ARTICLES = st.lists(SENTENCE, min_size=1, max_size=8).map(" ".join)
TEXTS = st.one_of(
    st.text(),
    st.lists(WORDS, max_size=80).map(" ".join),
    st.binary().map(lambda b: b.decode("latin-1")),
    ARTICLES,
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
