"""Quotes: who said what about whom, and the words they report."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from .. import lexicon
from ..entities import Mention
from ..model import EntityRef
from ..text import squeeze
from . import statistics
from .base import (
    SUBJECT_GAP_RE,
    Frame,
    SentenceView,
    apposed_head,
    country_of,
    first_after,
    noun_phrase_end,
    ref_for_span,
)
from .statistics import STAT_CLAUSE_SPLIT_RE

QUOTE_RE = re.compile(
    r"\b(?:said|says|stressed|stresses|noted|notes|expressed|expresses|emphasi[sz]ed|emphasi[sz]es"
    r"|underscored|underlined|"
    r"pointed out|declared|stated|told|added|affirmed|reaffirmed|hoped|called for|called on|urged"
    r"|praised|warned|"
    r"condemned|denounced|announced|remarked|indicated|insisted|claimed|assured|vowed|pledged"
    r"|congratulated|thanked|recalled|"
    r"[Aa]ccording to|^In (?:his|her) (?:words|opinion|view))\b"
)
# "he said", "In her words, ...": the speaker is the person the article named last.
PRONOUN_SPEAKER_RE = re.compile(
    r"(?:^|[,:;\u201c\u201d\"]\s*|\band\s+)(?:[Hh]e|[Ss]he)\s+(?:also\s+)?$"
)
OCCASION_RE = re.compile(
    r"\b(?:In|At|During|in|at|during)\s+(?:his|her|their|a|an"
    r"|the)\s+(?P<occ>(?:[\w-]+\s+){0,2}?(?:speech|address|remarks|talk|interview|message|letter"
    r"|statement|press conference|briefing|reception|banquet|meeting)\b[^,]*?)(?=,|\s+(?:[A-Z]"
    r"|the\s+[A-Z]|he\b|she\b))"
)
SPOKES_RE = re.compile(
    r"\b(?:an?|the)\s+(?P<who>(?:[\w-]+\s+){0,2}?spokes(?:man|woman|person)(?:\s+(?:for"
    r"|of)\s+(?:the\s+)?[A-Z][\w'\u2019]*(?:\s+[A-Z][\w'\u2019]*)*)?)\s*,?\s*$"
)


def _quotes(view: SentenceView) -> list[Frame]:
    text = view.text
    for m in QUOTE_RE.finditer(text):
        speaker = _speaker(view, m.start(), m.end())
        if speaker is None:
            continue
        own = _country_of(view, speaker)
        content = _reported_span(view, m)
        spoken = [
            x
            for x in view.mentions
            if x.ref != speaker
            and x.ref.kind in ("person", "state", "org", "place", "document", "event")
        ]
        if content[0] == 0 and content[1] <= m.start():
            # "Russia supports India's bid ..., the minister stressed": the words before.
            cands = [_as_country(view, x) for x in spoken if x.end <= content[1]]
        else:
            cands = [_as_country(view, x) for x in spoken if x.start >= m.end()]
        if not cands and re.match(r"\s*[\"\u201c]", text):
            # '"Vietnam is our partner ...," Putin said': the quotation is before the verb.
            cands = [_as_country(view, x) for x in spoken if x.end <= m.start()]
        # "X said that his country ... with Y": Y is who is spoken about. The speaker's own
        # side (their state, its party and people) is spoken about only when no one else
        # is: another party named in the sentence ("When asked about ties with Y, X said
        # that we ..."), the reported words' subject, then the counterpart come first.
        others = [c for c in cands if not _own_side(view, c, own)]
        around = [
            _as_country(view, x)
            for x in spoken
            if not content[0] <= x.start < content[1] and x.ref.kind in ("person", "state")
        ]
        obj = next(iter(others), None) or next(
            (c for c in around if not _own_side(view, c, own) and c != speaker), None
        )
        if obj is None and not cands:
            obj = _content_subject(view, content)
        obj = obj or _counterpart(view, speaker) or next(iter(cands), None)
        occ = OCCASION_RE.search(text, 0, m.start())
        frame = Frame(
            "quote",
            (m.start(), m.end()),
            speaker,
            obj,
            cue=f"attributed ('{m.group()}')",
            base=0.55,
            speaker=speaker,
            occasion=squeeze(occ.group("occ")) if occ else "",
            date_mode="fixed",
            content=content,
        )
        # A date among the reported words belongs to what they report, not to the saying.
        outside = [d for d in view.dates if not (content[0] <= d.start < content[1])]
        frame.date = outside[0].value if outside else None
        return [frame]
    return []


def _as_country(view: SentenceView, m: Mention) -> EntityRef:
    """A city spoken about stands for its state ("Moscow and New Delhi share approaches")."""
    if m.ref.kind == "place" and m.entry:
        country = view.gaz.country_of(m.entry)
        if country is not None:
            return country.ref
    return m.ref


TIME_NP_RE = re.compile(
    r"^(?:this|last|next|that)\s+(?:year|month|week)|^(?:it|they|this|that|there|we|I)$", re.I
)


PERSONAL_WORDS = frozenset(lexicon.mapping("frames.PERSONAL_WORDS")["words"])


def _counterpart(view: SentenceView, speaker: EntityRef) -> EntityRef | None:
    """Words that name no one else ('"We had very substantial talks," Putin said') are
    spoken to or about the speaker's counterpart: the other of the two leaders of
    different states the article named last, when the speaker is one of them."""
    pair = view.ctx.leader_pair()
    if pair is None:
        return None
    a, b = pair[0].ref, pair[1].ref
    return b if speaker == a else a if speaker == b else None


def _content_subject(view: SentenceView, content: tuple[int, int]) -> EntityRef | None:
    """With nobody named, what is spoken about is the reported words' subject ('"The
    workers of the complex have proved ..."', "the expectation that the workers would ...");
    only for a clause ("stressed the need to ..." has no subject)."""
    lo, hi = content
    start = lo + len(view.text[lo:hi]) - len(view.text[lo:hi].lstrip(' "\u201c:'))
    if lo and not re.search(r"(?:\bthat\s+|[:\"\u201c]\s*)$", view.text[:start]):
        return None  # "stressed the need to ...": no clause, so no subject
    end = noun_phrase_end(view.text, start, 8)
    phrase = view.text[start:end].strip(" ,")
    if not phrase or TIME_NP_RE.match(phrase) or end >= hi:
        return None
    if phrase.split()[0].lower().strip("'\u2019") in PERSONAL_WORDS:
        return None  # "We managed to ...": the speakers themselves, no one spoken about
    return ref_for_span(view, start, end, "other")


def _reported_span(view: SentenceView, m: re.Match[str]) -> tuple[int, int]:
    """The words a quote verb reports: after "said (that|:)", after "According to X,",
    or before the attribution ('"...," he said', 'X rose 5 percent, she noted')."""
    text = view.text
    if m.group().lower() == "according to":
        comma = text.find(",", m.end())
        return (comma + 1, len(text)) if comma > 0 else (m.end(), len(text))
    # "said on Wednesday that ...": the words after "that", the adjunct before it is the saying's.
    after = REPORTED_START_RE.match(text, m.end())
    if after:
        return (after.end(), len(text))
    # "reaffirmed on Thursday China's commitment ...": so is a date right after the verb.
    adjunct = next(
        (d for d in view.dates if SAYING_DATE_RE.fullmatch(text, m.end(), d.start)), None
    )
    if adjunct is not None:
        return (adjunct.end, len(text))
    close = max(text.rfind(",", 0, m.start()), text.rfind("\u201d", 0, m.start()))
    if close > 0 and "," not in text[m.end() :]:
        return (0, close)  # '"...," he said.' / "X rose 5 percent, she noted."
    return (m.end(), len(text))


SAYING_DATE_RE = re.compile(
    r"\s+(?:" + "|".join(sorted(lexicon.mapping("frames.SAYING_DATE")["words"])) + r")?\s*"
)
REPORTED_START_RE = re.compile(
    r"[^,.;:\"\u201c]{0,40}?\bthat\s+|\s*:\s*|\s+(?=[A-Z\u201c\"]|the\s)"
)


FIGURE_BACK_RE = re.compile(r"\b(?:the|this|that)\s+(?:figure|number|volume|amount|indicator)\b")


def _only_figures(text: str, quote: Frame, frames: list[Frame]) -> bool:
    """ "X rose 5 percent, she noted": an attribution after the figure only sources it;
    the figure is the claim. ("X said that <figure>" and "According to X, <figure>" report
    speech and keep the quote, as the gold does.)"""
    lo, hi = quote.content or (0, 0)
    if lo != 0:
        return False
    inside = [f for f in frames if f is not quote and lo <= f.trigger[0] < hi]
    if not inside or any(f.type != "statistic" for f in inside):
        return False
    # Every clause reports a figure or speaks of it ("and we expect the figure to rise");
    # "..., and the two countries will expand settlements, X said" keeps the quote.
    bounds = [lo, *(m.end() for m in STAT_CLAUSE_SPLIT_RE.finditer(text, lo, hi)), hi]
    return all(
        any(a <= f.trigger[0] < b for f in inside) or FIGURE_BACK_RE.search(text, a, b)
        for a, b in itertools.pairwise(bounds)
    )


def _last_named_person(view: SentenceView, pos: int) -> EntityRef | None:
    """The person a pronoun at ``pos`` stands for: named last before it (people named
    later in this sentence, inside the quotation, are not the speaker)."""
    later = {m.ref for m in view.mentions if m.start >= pos}
    earlier = [m.ref for m in view.mentions if m.end <= pos and m.ref.kind == "person"]
    if earlier:
        return earlier[-1]
    return next((e.ref for e in reversed(view.ctx.persons) if e.ref not in later), None)


def _own_side(view: SentenceView, ref: EntityRef, own: EntityRef | None) -> bool:
    """The speaker's state, or a party or body of it (a person of it, "President Kim Il
    Sung" recalled by his minister, may well be spoken about)."""
    if own is None:
        return False
    return ref == own or (ref.kind == "org" and _country_of(view, ref) == own)


def _country_of(view: SentenceView, ref: EntityRef) -> EntityRef | None:
    country = country_of(view, ref)
    return country.ref if country else None


def _speaker(view: SentenceView, start: int, end: int) -> EntityRef | None:
    text = view.text
    if text[start:end].lower() == "according to":
        # "According to customs data" or "to the Russian side" is a source, not a speaker.
        after = first_after(view, end, ("person",), 10)
        return after.ref if after else None
    if text[start:end].startswith("In "):
        return _last_named_person(view, start)
    before = [
        m for m in view.mentions if m.end <= start and m.ref.kind in ("person", "org", "state")
    ]
    head = apposed_head(view, before, start)
    if head is not None:
        return head
    if before:
        last = before[-1]
        gap = text[last.end : start]
        adjacent = SUBJECT_GAP_RE.match(gap) or re.fullmatch(r"\s*,[^,]{1,80},\s*", gap)
        preceding = text[max(0, last.start - 10) : last.start]
        if adjacent and not re.search(r"\b(?:of|to|with|for|by)\s*(?:the\s*)?$", preceding):
            return last.ref
    if PRONOUN_SPEAKER_RE.search(text, 0, start):
        return _last_named_person(view, start)
    spokes = SPOKES_RE.search(text, 0, start)
    if spokes:
        return EntityRef(squeeze(spokes.group("who")), None, "person")
    # "..., said Lavrov."
    space = re.match(r"\s+", text[end:])
    if text[start:end] in ("said", "says", "stressed", "noted", "added") and space:
        nxt = next(
            (x for x in view.mentions if x.start == end + space.end() and x.ref.kind == "person"),
            None,
        )
        if nxt:
            return nxt.ref
    return None


def find(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: attributed statements, except an attribution that only sources the
    figures before it ("X rose 5 percent, she noted": the figure is the claim)."""
    quotes = _quotes(view)
    seen = [*earlier, *quotes, *statistics.find(view, [*earlier, *quotes])]
    return [q for q in quotes if not _only_figures(view.text, q, seen)]
