"""Words (and hosts) as ranking, stance hints and the library search see them."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

WORD = re.compile(r"[^\W_]+", re.UNICODE)


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
_EVENT = """visit summit met meet meeting talk treaty sign declaration agreement anniversary
    establish ratify force"""
EVENT_WORDS = frozenset(fold(w) for w in _EVENT.split())


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of the text."""
    return [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]


def terms(text: str) -> list[str]:
    """The folded content words of a text, in order, without stop words."""
    return [w for _, _, w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")
