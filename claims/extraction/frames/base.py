"""What every frame kind shares: the frame, the sentence it is found in, and the
helpers that find noun phrases, subjects and parties around a trigger."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import lexicon
from ..dates import DateMention
from ..entities import Discourse, Entry, Gazetteer, Mention
from ..model import DateValue, EntityRef
from ..text import squeeze


@dataclass
class Frame:
    type: str
    trigger: tuple[int, int]  # sentence-relative
    subject: EntityRef | None = None
    object: EntityRef | None = None
    place: EntityRef | None = None
    date: DateValue | None = None
    cue: str = ""
    base: float = 0.5
    speaker: EntityRef | None = None
    occasion: str = ""
    consumes: tuple[int, int] | None = None
    date_mode: str = "window"  # "window", "sentence", "fixed"
    flags: set[str] = field(default_factory=set)
    shares_date: Frame | None = None  # a later item of a list takes the first item's date
    content: tuple[int, int] | None = None  # a quote's reported words


@dataclass
class SentenceView:
    text: str
    mentions: list[Mention]  # sentence-relative offsets
    dates: list[DateMention]  # sentence-relative offsets
    published: datetime.date | None
    gaz: Gazetteer
    ctx: Discourse


AGENTS = ("person", "state", "org")
STOP_WORDS = lexicon.words("frames.STOP_WORDS")
MONTH_OR_DIGIT = re.compile(r"^(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
MODAL_RE = re.compile(r"\b(?:will|shall|must|should|would|can|could|may|might)\b")
SUBJECT_GAP_RE = re.compile(
    r"^(?:\s|,|also|further|then|once|again|has|had|have|was|were|officially|recently|earlier"
    r"|personally|warmly|first|last|later|previously|twice|cordially)*$"
)
NP_TAIL_ADVERBS = re.compile(
    r"(?:\s+(?:last|also|first|previously|recently|earlier|then|once|again|later|officially"
    r"|personally|further))+$"
)
APPOSITION_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?,[^;]*?,\s*$")
# Words that open a sentence with an adjunct, not its subject ("Yesterday, I had talks").
LEAD_PREP_RE = re.compile(
    r"^(?:"
    + "|".join(
        re.escape(w)
        for w in sorted(lexicon.data()["frames.LEAD_ADVERBIALS"], key=len, reverse=True)
    )
    + r")\b"
)
DETERMINER_RE = re.compile(r"^(?:the|a|an|The|A|An)\s+")


def within(span: tuple[int, int], spans: Sequence[tuple[int, int] | None]) -> bool:
    return any(s and s[0] <= span[0] and span[1] <= s[1] for s in spans)


def noun_phrase_end(text: str, pos: int, max_words: int = 12) -> int:
    """End of a noun phrase that starts at ``pos``: stops at clause words, dates,
    "and the" (a new item) and strong punctuation; lists inside stay whole."""
    end = pos
    words = 0
    for m in re.finditer(r"[^\s,.;:()\"\u201c\u201d]+|[,.;:()\"\u201c\u201d]", text[pos:]):
        tok = m.group()
        if tok in '.;:()"\u201c\u201d':
            break
        nxt = text[pos + m.end() :].lstrip()
        if tok == ",":
            following = nxt.split(" ", 1)[0].lower() if nxt else ""
            if following in STOP_WORDS or following in ("and", "which", "following", "the"):
                break
            continue
        low = tok.lower()
        if words and (low in STOP_WORDS and low not in ("and", "the", "a", "an")):
            break
        if words and low == "and" and nxt.lower().startswith(("the ", "a ", "an ")):
            break
        if words and MONTH_OR_DIGIT.match(tok):
            break
        words += 1
        end = pos + m.end()
        if words >= max_words:
            break
    return end


def ref_for_span(view: SentenceView, start: int, end: int, kind: str = "other") -> EntityRef | None:
    phrase = view.text[start:end].strip(" ,")
    lead = DETERMINER_RE.match(phrase)
    if lead:
        start += lead.end()
        phrase = phrase[lead.end() :]
    if not phrase:
        return None
    for m in view.mentions:
        if m.start == start and m.end == start + len(phrase):
            return m.ref
    return EntityRef(squeeze(phrase), None, kind)


def country_of(view: SentenceView, ref: EntityRef) -> Entry | None:
    """The state a person or body belongs to, by its gazetteer entry in this sentence or, for
    one named earlier in the article, by its Wikidata id."""
    entry = next((m.entry for m in view.mentions if m.ref == ref and m.entry), None)
    if entry is None and ref.qid:
        entry = view.gaz.by_qid.get(ref.qid)
    return view.gaz.country_of(entry) if entry else None


def first_after(
    view: SentenceView, pos: int, kinds: tuple[str, ...], limit: int = 120
) -> Mention | None:
    for m in view.mentions:
        if pos <= m.start <= pos + limit and m.ref.kind in kinds:
            return m
    return None


def subject_before(
    view: SentenceView, trig: int, clause_start: int, main: EntityRef | None
) -> EntityRef | None:
    text = view.text
    before = [m for m in view.mentions if clause_start <= m.start and m.end <= trig]
    who = re.search(r",?\s*who\s+(?:had\s+|has\s+|was\s+|also\s+)*$", text[clause_start:trig])
    if who and before:
        return before[-1].ref
    head = apposed_head(view, before, trig)
    if head is not None:
        return head
    if before:
        last = before[-1]
        preceding = text[max(clause_start, last.start - 10) : last.start].lower()
        # "others of Russia visited": an entity after a preposition is a modifier.
        modifier = re.search(r"\b(?:of|in|to|from|with|for|by|at)\s*(?:the\s*)?$", preceding)
        if SUBJECT_GAP_RE.match(text[last.end : trig]) and not modifier and last.ref.kind in AGENTS:
            return last.ref
    clause = text[clause_start:trig]
    stripped = clause.strip(" ,")
    # "X visited Y in May and held talks": the verbs share X; so does "..., when he held".
    if re.fullmatch(r"(?:.*\s)?and(?:\s+also)?", stripped) and (main or not before):
        return main
    if main and re.search(r"\b(?:he|she|they|it)(?:\s+also)?$", stripped):
        return main
    offset = clause_start + (len(clause) - len(clause.lstrip(" ,")))
    if stripped.startswith("and "):
        offset += 4
        stripped = stripped[4:]
    if LEAD_PREP_RE.match(stripped):
        comma = stripped.find(",")
        if comma < 0:
            return _last_agent(before) or main
        offset += comma + 1
        stripped = stripped[comma + 1 :].lstrip()
        offset = trig - len(text[offset:trig].lstrip()) if stripped else offset
    # "The Political Bureau at its meeting on May 2 decided": the adjunct is not the name.
    cut = re.search(
        r",|\s+and\s+others\b|\s+who\b|\s+(?:headed|led)\s+by\b"
        r"|\s+(?:at|during|in)\s+(?:its|their|his|her)\s",
        stripped,
    )
    np = stripped[: cut.start()] if cut else stripped
    np = re.sub(r"\s+(?:was|were|is|are|has been|have been|had been|had|has)$", "", np)
    np = re.sub(NP_TAIL_ADVERBS, "", np)
    # A lower-case preposition starts an adjunct ("in the region in May"), never a subject.
    adjunct = re.match(r"(?:in|on|at|from|to|with|by|for|of|during|after|before)\b", np)
    if np and not adjunct and len(np.split()) <= 10 and not MODAL_RE.search(np):
        start = text.find(np, offset)
        ref = ref_for_span(view, start, start + len(np), "org")
        if ref:
            return ref
    return _last_agent(before) or main


def apposed_head(view: SentenceView, before: list[Mention], trig: int) -> EntityRef | None:
    """ "Kim Jong Un, general secretary of the WPK, held talks": the head before the apposition."""
    for m in before:
        led = re.search(r"\b(?:led|headed)\s+by\s+$", view.text[: m.start])
        if m.ref.kind == "person" and not led and APPOSITION_RE.match(view.text[m.end : trig]):
            return m.ref
    return None


_VOICES = lexicon.mapping("frames.DOCUMENT_VOICES")
DOCUMENT_VOICE_RE = re.compile(
    r"(?:^|[,;:\u201d\"]\s*)(?:"
    + "|".join(map(re.escape, _VOICES["determiners"]))
    + r")\s+(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(map(re.escape, _VOICES["nouns"]))
    + r")\s+(?:also\s+|further\s+)?$",
    re.I,
)


def document_voice(view: SentenceView, trig: int) -> EntityRef | None:
    """ "The message said ...", "..., the letter pointed out": a text alone as the subject
    of a verb of saying speaks for its author, the author a heading names or else the
    person the article is about."""
    if not DOCUMENT_VOICE_RE.search(view.text, 0, trig):
        return None
    author = view.ctx.author or view.ctx.main_actor()
    return author.ref if author is not None else None


def coordinated(view: SentenceView, trig: int) -> tuple[EntityRef, EntityRef] | None:
    """ "The Soviet Union and the DPRK established ...": both parties of a joint act."""
    agents = [m for m in view.mentions if m.end <= trig and m.ref.kind in AGENTS]
    if len(agents) < 2:
        return None
    a, b = agents[0], agents[1]
    if re.fullmatch(r"\s+and\s+(?:the\s+)?", view.text[a.end : b.start]) and view.text[
        : a.start
    ].strip(" ").lower() in ("", "the"):
        return a.ref, b.ref
    return None


def _last_agent(mentions: list[Mention]) -> EntityRef | None:
    agents = [m for m in mentions if m.ref.kind in AGENTS]
    return agents[-1].ref if agents else None


def destination(view: SentenceView, m: Mention | None) -> tuple[EntityRef | None, EntityRef | None]:
    """(object, place) of a visit: a city stands for its country, and is the place."""
    if m is None:
        return None, None
    if m.ref.kind == "place" and m.entry:
        country = view.gaz.country_of(m.entry)
        return (country.ref if country else m.ref), m.ref
    return m.ref, None
