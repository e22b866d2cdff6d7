"""Anniversaries: "the 75th anniversary of ..." and the date of what is celebrated."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from ..dates import month_value, shift_years
from ..model import DateValue, EntityRef
from ..text import squeeze
from .base import AGENTS, Frame, SentenceView, noun_phrase_end, ref_for_span
from .documents import DOC_CAP_RE

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
CARDINALS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "seventy-five": 75,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_ORD_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?(?:first|second|third"
    r"|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twentieth|thirtieth|fortieth|fiftieth"
    r"|sixtieth|seventieth|eightieth|ninetieth|hundredth)"
)
ANNIV_RE = re.compile(
    rf"\b(?:(?P<num>\d{{1,3}})(?:st|nd|rd|th)|(?P<word>{_ORD_WORD})|(?P<yr>\d{{1,3}}|(?:twenty"
    rf"|seventy)-five|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty"
    rf"|fifty|sixty|seventy|eighty|ninety|hundred)[- ]year)"
    r"\s+(?P<mid>(?:[\w'\u2019-]+\s+){0,3}?)anniversar(?:y|ies)\b",
    re.I,
)
ANNIV_OF_RE = re.compile(r"\s*(?:celebrations?\s+|events?\s+|commemorations?\s+)?of\s+", re.I)


def _years(m: re.Match[str]) -> int | None:
    if m.group("num"):
        return int(m.group("num"))
    if m.group("word"):
        word = m.group("word").lower()
        if "-" in word:
            tens, unit = word.split("-", 1)
            return TENS[tens] + ORDINALS[unit]
        return ORDINALS[word]
    yr = m.group("yr").lower()
    return int(yr) if yr.isdigit() else CARDINALS.get(yr)


def _anniversaries(view: SentenceView) -> list[Frame]:
    frames = []
    for m in ANNIV_RE.finditer(view.text):
        n = _years(m)
        if not n or _in_document_title(view.text, m):
            continue
        mid = m.group("mid").strip()
        of = ANNIV_OF_RE.match(view.text, m.end())
        np_start = of.end() if of else m.end()
        np_end = noun_phrase_end(view.text, np_start) if of else m.end()
        after = ref_for_span(view, np_start, np_end) if of else None
        obj = None
        if mid and mid.lower() not in ("the",):
            name = mid + (" of " + after.name if after else "")
            subject: EntityRef | None = EntityRef(squeeze(name), None, "event")
            obj = next(
                (
                    x.ref
                    for x in view.mentions
                    if np_start <= x.start < np_end and x.ref.kind in AGENTS
                ),
                None,
            )
        else:
            subject = after
        if obj is None and of:
            # "of the establishment of China-DPRK diplomatic relations", "of the founding of
            # the DPRK": the state the commemorated phrase names last is the other party.
            named = [x.ref for x in view.mentions if np_start <= x.start < np_end]
            states = list(dict.fromkeys(r for r in named if r.kind == "state"))
            obj = states[-1] if states and states[-1] != subject else None
        if subject is None:
            agents = [x.ref for x in view.mentions if x.ref.kind in AGENTS and x.end <= m.start()]
            subject = agents[0] if agents else None
            obj = next((a for a in agents[1:] if a != subject), None)
        frame = Frame(
            "anniversary",
            (m.start(), m.end()),
            subject,
            obj,
            cue=f"{n}-year anniversary",
            base=0.7,
            consumes=(m.start(), max(np_end, m.end())),
        )
        frame.flags.add(f"years:{n}")
        frames.append(frame)
    return frames


def _in_document_title(text: str, m: re.Match[str]) -> bool:
    """ "the Joint Statement ... in the Context of the 75th Anniversary of ...": the
    anniversary is words of the document's title, not a claim of its own."""
    if "Anniversary" not in m.group():
        return False
    heads = [h.end() for h in DOC_CAP_RE.finditer(text, 0, m.start())]
    return bool(heads) and not re.search(r"[,;.]", text[heads[-1] : m.start()])


def anniversary_origin(
    celebrated: DateValue | None, years: int, published: datetime.date | None
) -> DateValue | None:
    """The original event's date: N years before the celebration.

    A date inside the phrase that already lies N years back ("the armistice
    signed in 1953") is the original date itself, not the celebration."""
    if celebrated is not None:
        if published and celebrated.start.year <= published.year - years + 1:
            return celebrated
        return shift_years(celebrated, years)
    if published and published.year - years >= 1:
        # Anniversary pieces run in the anniversary month (a one-year anniversary
        # in an April 2020 article means April 2019); none before the year 1.
        return month_value(published.year - years, published.month)
    return None


def find(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: "the 75th anniversary of ...", with the origin date it implies; of
    a relationship two states share ("ties between China and the DPRK", "China and the DPRK
    celebrated ... their relations"), the second state is the other party."""
    frames = _anniversaries(view)
    states = [m.ref for m in view.mentions if m.ref.kind == "state"]
    parties = list(dict.fromkeys(states))
    for frame in frames:
        if frame.object is None and len(parties) == 2 and frame.subject not in parties:
            frame.object = parties[1]
    return frames
