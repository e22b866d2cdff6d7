"""Turning a structured claim into search terms and a date window, for every source.

State media wrap names in titles ("Supreme Leader", "Comrade") and rhetoric ("historic",
"in splendour"); search engines do better on the bare names, places, document names and
years, so that is all these functions keep.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claims.models import Claim

# Titles and honorifics that precede names in state-media copy; never part of a name. Two-word
# titles are listed whole so that "General Assembly" or "Great Britain" keep their first word.
HONORIFICS = (
    "dear respected", "supreme leader", "great leader", "dear leader", "general secretary",
    "comrade", "comrades", "president", "chairman", "chairwoman", "marshal", "premier",
    "respected", "dear", "beloved", "mr", "mrs", "ms", "dr", "his excellency", "excellency",
    "the",
)
# Words that only colour the sentence: they make a search engine miss the plain reports.
RHETORIC = frozenset({
    "historic", "historical", "splendour", "splendor", "great", "greatest", "glorious",
    "heroic", "significance", "significant", "brilliant", "grand", "warm", "warmly",
    "traditional", "friendly", "fraternal", "imperialists", "imperialist", "aggression", "new",
    "era", "heyday", "high", "stage", "steady", "bolstering", "milestone", "milestones",
    "important", "invincible", "immortal",
})
STOPWORDS = frozenset({
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "by", "for", "with", "from",
    "as", "is", "was", "were", "be", "been", "that", "this", "these", "those", "it", "its",
    "their", "his", "her", "he", "she", "they", "them", "two", "both", "which", "who", "whom",
    "whose", "into", "onto", "over", "under", "further", "first", "time", "several", "many",
    "also", "than", "then", "there",
})
# One plain word per claim type, added to free-text searches.
TYPE_WORDS = {
    "visit": "visit",
    "meeting": "summit",
    "treaty_document": "treaty",
    "anniversary": "",
    "quote": "",
    "date_event": "",
    "statistic": "",
    "historical_event": "",
    "other": "",
}
_WORD = re.compile(r"[\w’'\-]+")


def clean_name(name: str) -> str:
    """A name without leading titles and articles: "Supreme Leader Kim Jong Un" -> "Kim Jong Un"."""
    words = name.replace(",", " ").split()
    while True:
        title = next((t for t in HONORIFICS if _leads(words, t)), None)
        if title is None:
            return " ".join(words).strip(" .;:")
        words = words[title.count(" ") + 1:]


def _leads(words: list[str], title: str) -> bool:
    """`title` opens `words` and a name follows it ("Minister of Defence" is an office: kept)."""
    n = title.count(" ") + 1
    head = " ".join(words[:n]).lower().rstrip(".")
    return head == title and len(words) > n and words[n].lower() != "of"


def names(claim: Claim) -> list[str]:
    """The claim's named parties and place, cleaned and without repeats, in order of weight."""
    found: list[str] = []
    for raw in (claim.subject_name, claim.object_name, claim.place_name, claim.speaker_name):
        name = clean_name(raw or "")
        if name and name.lower() not in {n.lower() for n in found}:
            found.append(name)
    return found


def keywords(text: str, limit: int = 8) -> list[str]:
    """Content words of free text, capitalised ones (names) first, for claims without
    structured fields."""
    out: list[str] = []
    for word in _WORD.findall(text):
        low = word.lower().strip("’'-")
        if len(low) < 3 or low in STOPWORDS or low in RHETORIC or low in HONORIFICS \
                or low in {"leader", "secretary"}:
            continue
        if low not in {w.lower() for w in out}:
            out.append(word.strip("’'-"))
    out.sort(key=lambda w: not w[:1].isupper())  # stable: names first, then sentence order
    return out[:limit]


def year(claim: Claim) -> int | None:
    window = date_window(claim)
    return window[0].year if window else None


def terms(claim: Claim) -> list[str]:
    """Search terms: names (or the sentence's content words), the type's plain word, the year."""
    found = names(claim) or keywords(claim.sentence)
    word = TYPE_WORDS.get(claim.type, "")
    if word and not any(word in t.lower() for t in found):
        found.append(word)
    y = year(claim)
    if y is not None:
        found.append(str(y))
    return found


def search_text(claim: Claim, query: str = "") -> str:
    """One line of text for a search box: the reviewer's own wording when given."""
    return " ".join(query.split()) if query.strip() else " ".join(terms(claim))


def date_window(claim: Claim, pad_days: int = 0) -> tuple[date, date] | None:
    """The dates the claim allows (from date_start/date_end, else date_value), padded."""
    start, end = claim.date_start, claim.date_end
    if start is None or end is None:
        parsed = parse_date_value(claim.date_value)
        if parsed is None:
            return None
        start, end = start or parsed[0], end or parsed[1]
    pad = timedelta(days=pad_days)
    return start - pad, end + pad


def parse_date_value(value: str) -> tuple[date, date] | None:
    """"2000" / "2000-07" / "2000-07-19" -> the first and last day it covers."""
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", (value or "").strip())
    if not m:
        return None
    y = int(m[1])
    try:
        if m[3]:
            day = date(y, int(m[2]), int(m[3]))
            return day, day
        if m[2]:
            month = int(m[2])
            return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1])
    except ValueError:
        return None
    return date(y, 1, 1), date(y, 12, 31)
