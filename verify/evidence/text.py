"""Words (and hosts) as ranking, stance hints and the library search see them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from claims.extraction.dates import DateMention

WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower case, accents removed, and a light suffix stemmer so that "visited", "visits"
    and "visit" meet (BM25 and the marks need the same words to match)."""
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(ch for ch in w if not unicodedata.combining(ch))
    if w.isdigit() or len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


_STOP = """a about above after again against all also am an and any are as at be because been
    before being between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our out over own
    same she should so some such than that the their theirs them then there these they this
    those through to too under until up very was we were what when where which while who
    whom why will with would you your new great further greatly two countries country
    bilateral ties relations friendly friendship cooperation cooperative leaders leader
    comrade comrades supreme chairman president said say says first several times year years
    development developing event significance important line whole"""
STOPWORDS = frozenset(fold(w) for w in _STOP.split())
# Words that carry the claim's event even though they are common in this beat.
# What happened, as verbs and nouns, grouped: a date next to "signed" is the date of a
# signing, not of the treaty's entry into force.
_EVENTS = {
    "visit": "visit visited visiting trip tour arrive arrived",
    "meet": "met meet meeting talk talks summit host hosted receive received",
    "sign": "sign signed adopt adopted conclude concluded",
    "establish": "establish established establishment",
    "ratify": "ratify ratified ratification",
    "force": "force",
    "celebrate": "celebrate celebrated anniversary",
    "inspect": "inspect inspected",
}
EVENT_OF = {fold(w): group for group, ws in _EVENTS.items() for w in ws.split()}
EVENT_WORDS = frozenset(EVENT_OF)


def event_near(text: str, start: int, end: int) -> str | None:
    """The event (group) whose word is nearest to text[start:end], if the text has one.
    Words after the date count double: English mostly puts the event first ("visited
    Pyongyang on 20 June and held talks")."""
    best: tuple[int, str] | None = None
    for s, e, w in words(text):
        if w in EVENT_OF:
            distance = start - e if e <= start else 2 * (s - end) if s >= end else 0
            if best is None or distance < best[0]:
                best = (distance, EVENT_OF[w])
    return best[1] if best else None


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of the text."""
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    # Ranking reads each passage several times (BM25, marks, stance): read it once.
    return tuple((m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text))


def terms(text: str) -> list[str]:
    """The folded content words of a text, in order, without stop words."""
    return [w for _, _, w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


@lru_cache(maxsize=8192)
def dates_in(text: str, published: date | None) -> tuple[DateMention, ...]:
    """The extractor's dates in a text (claims.extraction.dates.find_dates), remembered:
    ranking reads a claim's sentence and each passage several times, and dateparser's
    relative forms are slow."""
    from claims.extraction.dates import find_dates

    return tuple(find_dates(text, published))
