"""Claim frames: who did what to whom, when and where, found by language
patterns (verbs of visiting and meeting, document names, anniversary
ordinals, attribution verbs, figures with units, war vocabulary)."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dates import DateMention, month_value, shift_years
from .entities import Discourse, Entry, Gazetteer, Mention
from .model import DateValue, EntityRef
from .text import squeeze


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
STOP_WORDS = frozenset(
    [
        "in",
        "at",
        "by",
        "with",
        "between",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "which",
        "that",
        "who",
        "whose",
        "following",
        "during",
        "from",
        "to",
        "signed",
        "concluded",
        "adopted",
        "ratified",
        "reached",
        "entered",
        "came",
        "took",
        "held",
        "will",
        "would",
        "as",
        "after",
        "before",
        "since",
        "under",
        "through",
        "when",
        "while",
        "where",
        "celebrated",
        "marked",
        "and",
        "the",
        "a",
        "an",
        "this",
        "last",
        "next",
        "each",
        "every",
    ]
)
MONTH_OR_DIGIT = re.compile(r"^(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
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
DOC_HEADS = (
    r"Declaration|Treaty|Agreement|Accord|Pact|Protocol|Charter|Communiqu[e\u00e9]|Convention"
    r"|Memorandum|Joint Statement"
)
DOC_CAP_RE = re.compile(rf"\b(?:{DOC_HEADS})\b")
DOC_LEFT_RE = re.compile(r"(?:(?:[A-Z][\w'\u2019]*(?:-[A-Z][\w'\u2019]*)*|of|on|and|the)\s+)*$")
DOC_RIGHT_RE = re.compile(
    r"\s+(?:on|of|between)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]*(?:,?\s+(?:and\s+|of\s+|the\s+"
    r"|on\s+)*[A-Z][\w'\u2019-]*)*)"
)
DOC_LOWER_RE = re.compile(
    r"\b(?P<head>treaty|agreement|accord|declaration|pact|protocol|memorandum"
    r"|convention|joint\s+statement|documents)\s+(?P<prep>on|of|between)\s+",
    re.I,
)
# "UN Security Council resolution 2270": numbered resolutions are documents.
DOC_RESOLUTION_RE = re.compile(
    r"\b(?:(?:UN\s+|U\.N\.\s+|United\s+Nations\s+)?Security\s+Council\s+)?[Rr]esolutions?"
    r"\s+(?:No\.\s*)?\d{2,4}\b"
)
# "signed 11 intergovernmental documents": the documents of a signing, counted.
DOC_COUNT_RE = re.compile(
    r"\b(?:signed|adopted|inked|concluded|exchanged)\s+(?:\d+|two|three|four|five|six|seven"
    r"|eight|nine|ten|dozens\s+of|several)\s+(?P<np>(?:[\w-]+\s+){0,4}?(?:documents|agreements"
    r"|memorand(?:ums|a)|accords|contracts))\b"
)
# "the treaty" after a verb of ratifying or signing refers back to a document named before.
DOC_BACK_RE = re.compile(
    r"\b(?:ratified|signed|approved|endorsed|implemented|violated)\s+the\s+(?P<np>treaty"
    r"|agreement|declaration|accord|pact)\b(?!\s+(?:on|of|between)\b)"
)
# "The treaty was signed in Beijing on ...": a document named by its kind alone.
DOC_PASSIVE_RE = re.compile(
    r"\b[Tt]he\s+(?P<np>treaty|agreement|declaration|accord|pact|protocol|memorandum|contract)"
    r"\s+(?:was|were)\s+(?:signed|concluded|inked)\b"
)
# "signed a plan of consultations", headline "sign roadmap of ...": plans signed are documents.
DOC_SIGNED_RE = re.compile(
    r"\b(?:signed|signs?|inked)\s+(?:an?\s+|the\s+)?(?P<np>(?:plan|programme|program|roadmap"
    r"|road\s+map)\s+(?:of|on|for)\s)"
)
# "the X Corridor, agreed upon during Y's visit": a named arrangement agreed at a visit.
DOC_AGREED_RE = re.compile(
    r"(?P<np>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)+)(?:\s+between\s+[A-Z][\w-]*\s+and"
    r"\s+[A-Z][\w-]*)?,\s+(?:agreed\s+(?:upon|on)|signed|concluded|adopted)\s+during\b"
)
# "..., signed during X's visit to Y in May 2009": the document shares the visit's date.
DURING_VISIT_RE = re.compile(
    r"(?:\s+between\s[^,;]*)?,?\s+(?:which\s+was\s+)?(?:agreed\s+(?:upon|on)|signed|concluded"
    r"|adopted)\s+during\s+[^,;]*$"
)
# "the purposes and principles of the UN Charter" invoke a norm, they report no act.
DOC_NORM_RE = re.compile(r"\b(?:purposes|principles|spirit|norms)\s+of\s+(?:the\s+)?$")
VISIT_VERB_RE = re.compile(
    r"\b(?:visited|visits|(?:paid|pays|pay)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to"
    r"|paid\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to"
    r"|made\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to|arrived\s+(?:in|at)|arrives\s+(?:in|at)"
    r"|travell?ed\s+to|toured"
    # "is paying a state visit to", "will travel to", "will visit", "stayed in Moscow from"
    r"|paying\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?visits?\s+to"
    r"|(?<=will\s)(?:also\s+)?(?:visit|travel\s+to)|stayed\s+in(?=\s+[A-Z][^,.;]*?\bfrom\b)"
    # headlines capitalise: "Delegation Wraps Up Visit to Russia"
    r"|(?i:(?:wraps|wrapped|wrapping|concludes|concluded|ends|ended)\s+(?:up\s+)?"
    r"(?:its\s+|his\s+|her\s+|their\s+|the\s+)?(?:[\w-]+\s+){0,2}?visit\s+to))\b"
)
VISIT_NOUN_RE = re.compile(
    r"\b(?P<prep>on|during|in|after|following)\s+(?:an?|his|her|its|their|the)\s+"
    r"(?:[\w-]+\s+){0,3}?visit\s+to\b"
    r"|\b(?P<own>[A-Z][\w'\u2019]*['\u2019]s|his|her|their)\s+(?:[\w-]+\s+){0,3}?visit\s+to\b"
    r"|\bvisit\s+to\s+(?=(?:the\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*\s+by\b)"
)
MEET_VERB_RE = re.compile(
    r"\b(?:met(?:\s+with)?|meets(?:\s+with)?"
    r"|(?:held|had|holds?)\s+(?:[\w-]+\s+){0,3}?(?:talks|conversation|meeting)\s+with"
    r"|conferred\s+with|received|greeted|welcomed)\b"
)
MEET_JOINT_RE = re.compile(
    r"\b(?:held|hold|had)\s+(?:[\w-]+\s+){0,2}?(?:rounds?\s+of\s+)?(?:talks|summit|summit talks"
    r"|a summit|a meeting)\b"
)
MEET_NOUN_RE = re.compile(
    r"\b(?:summit(?:\s+(?:meeting|talks))?|meeting|talks)(?:\s+and\s+talks)?\b", re.I
)
CONCRETE_RE = re.compile(
    r"\b(?:agreed|signed|discussed|exchanged|adopted|concluded|reached|issued|inked|held"
    r"|took place)\b"
)
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
STAT_RE = re.compile(
    r"(?<![\w.])(?:US\$|\$|USD\s?|RMB\s?)?\d[\d,]*(?:\.\d+)?[\s-]*(?:%|percent\b|per cent\b"
    r"|(?:million|billion|trillion|thousand)\b|"
    r"(?:tons?|tonnes?|km|kilomet(?:re|er)s?|square kilomet(?:re|er)s?|hectares?|dollars|rubles"
    r"|roubles|yuan|won|people|persons|"
    r"troops|soldiers|tourists|passengers|students|times|fold|units|vehicles|containers|flights"
    r"|kilograms?|kg|barrels|"
    r"members|delegations|agreements|projects|companies|enterprises|workers|participants|visitors"
    r"|articles|clauses|points|families|households|houses|flats|apartments)\b)"
)
HIST_RE = re.compile(
    r"\b(?:wars?|battles?|liberat\w*|invad\w*|invasion|occupation|guerrill\w*|armistice|aggression"
    r"|colonial\w*|fought|"
    r"annex\w*|defeat\w*|massacre\w*|operations|offensive"
    r"|surrender\w*)\b",
    re.I,
)
PAST_RE = re.compile(
    r"\b(?:\w+ed|shed|fought|won|led|began|broke|took|fell|rose|beat|struck|made|gave|fled|bore"
    r"|drove|wrote|was|were|had)\b"
)
MODAL_RE = re.compile(r"\b(?:will|shall|must|should|would|can|could|may|might)\b")
EVENT_RE = re.compile(
    r"\b(?:launched|opened|held|took place|began|started|ended|broke out|founded|established"
    r"|inaugurated|completed|"
    r"adopted|signed|ratified|entered into force|came into force|celebrated|commemorated|attended"
    r"|inspected|sent|"
    r"delivered|hosted|staged|conducted|carried out|elected|appointed|returned|departed|laid"
    r"|unveiled|awarded|"
    r"conferred|conveyed|handed|presented|dispatched|handed over|fired|tested|test-fired|announced"
    r"|published|released|built|visited|decided|(?<=was\s)given|(?<=were\s)given)\b"
)
SUBJECT_GAP_RE = re.compile(
    r"^(?:\s|,|also|further|then|once|again|has|had|have|was|were|officially|recently|earlier"
    r"|personally|warmly|first|last|later|previously|twice|cordially)*$"
)
NP_TAIL_ADVERBS = re.compile(
    r"(?:\s+(?:last|also|first|previously|recently|earlier|then|once|again|later|officially"
    r"|personally|further))+$"
)
APPOSITION_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?,[^;]*?,\s*$")
LEAD_PREP_RE = re.compile(
    r"^(?:In|At|On|During|Through|After|Before|Following|With|Under|Upon|When|While)\b"
)
DETERMINER_RE = re.compile(r"^(?:the|a|an|The|A|An)\s+")
CAPTION_WORDS = frozenset({"and", "of", "the", "in", "at", "with", "on", "to"})


def detect(view: SentenceView) -> list[Frame]:
    frames = _anniversaries(view)
    consumed = [f.consumes for f in frames if f.consumes]
    frames += [f for f in _documents(view) if not _inside(f.trigger, consumed)]
    movement = _visits_and_meetings(view, consumed) + _accompanied(view)
    _signed_during_visit(view, frames, movement)
    frames += movement
    quotes = _quotes(view)
    frames += quotes
    frames += _statistics(view, frames)
    if frames:  # alone, a gathering "held" is the fallback's event (with its type rules)
        frames += _dated_gatherings(view, frames)
    frames += _reported_events(view, quotes, frames)
    frames = [f for f in frames if f.type != "quote" or not _only_figures(view.text, f, frames)]
    if not frames:
        frames = _fallbacks(view)
    elif all(f.type in ("anniversary", "statistic") for f in frames):
        frames += _event_beside(view, frames)
    frames += _relative_events(view, frames)
    _assign_dates(view, frames)
    return frames


def _signed_during_visit(view: SentenceView, docs: list[Frame], movement: list[Frame]) -> None:
    """ "The Declaration, signed during X's visit to Y in October 2001, ...": the document
    takes the visit's date and, with no other party named, the visited country."""
    for doc in docs:
        if doc.type != "treaty_document":
            continue
        for visit in movement:
            gap = view.text[doc.trigger[1] : visit.trigger[0]]
            if (
                visit.type == "visit"
                and visit.trigger[0] >= doc.trigger[1]
                and DURING_VISIT_RE.match(gap)
            ):
                doc.shares_date = visit
                break


def _inside(span: tuple[int, int], spans: Sequence[tuple[int, int] | None]) -> bool:
    return any(s and s[0] <= span[0] and span[1] <= s[1] for s in spans)


def _np_end(text: str, pos: int, max_words: int = 12) -> int:
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


def _ref_for_span(
    view: SentenceView, start: int, end: int, kind: str = "other"
) -> EntityRef | None:
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


# --- anniversaries ---------------------------------------------------------


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
        np_end = _np_end(view.text, np_start) if of else m.end()
        after = _ref_for_span(view, np_start, np_end) if of else None
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
    if published:
        # Anniversary pieces run in the anniversary month (a one-year anniversary
        # in an April 2020 article means April 2019).
        return month_value(published.year - years, published.month)
    return None


# --- documents --------------------------------------------------------------


def _documents(view: SentenceView) -> list[Frame]:
    spans: list[tuple[int, int]] = []
    text = view.text
    for mention in view.mentions:
        if mention.ref.kind == "document":
            spans.append((mention.start, mention.end))
    for m in DOC_CAP_RE.finditer(text):
        left = DOC_LEFT_RE.search(text, 0, m.start())
        start = m.start()
        if left:
            words = text[left.start() : m.start()].split()
            heads = [i for i, w in enumerate(words) if DOC_CAP_RE.fullmatch(w.strip(","))]
            if heads:  # never reach back over an earlier document's name
                words = words[heads[-1] + 1 :]
            while words and words[0].lower() in ("the", "of", "on", "and"):
                words.pop(0)
            start = m.start() - len(" ".join(words)) - (1 if words else 0)
        right = DOC_RIGHT_RE.match(text, m.end())
        end = right.end() if right else m.end()
        if start == m.start() and end == m.end():
            continue  # a bare "the Agreement" names nothing checkable
        spans.append((start, end))
    for m in DOC_LOWER_RE.finditer(text):
        if text[m.start()].isupper() and DOC_CAP_RE.match(text, m.start()):
            continue
        np_end = _np_end(text, m.end())
        tail = text[m.end() : np_end].lower()
        if not tail or tail.startswith(("the two", "both", "this", "that", "it")):
            continue
        spans.append((m.start(), np_end))
    spans += [(m.start(), m.end()) for m in DOC_RESOLUTION_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_COUNT_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_BACK_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_PASSIVE_RE.finditer(text)]
    spans += [(m.start("np"), m.end("np")) for m in DOC_AGREED_RE.finditer(text)]
    for m in DOC_SIGNED_RE.finditer(text):
        np_end = _np_end(text, m.start("np"))
        dangling = re.search(r"(?:\s+(?:for|of|on|in|at|to))+$", text[m.start("np") : np_end])
        spans.append((m.start("np"), np_end - (len(dangling.group()) if dangling else 0)))
    frames = []
    for start, end in _merge(spans):
        if DOC_NORM_RE.search(text, 0, start):
            continue
        subject = _ref_for_span(view, start, end, "document")
        if subject and not subject.kind:
            subject = EntityRef(subject.name, subject.qid, "document")
        frames.append(
            Frame(
                "treaty_document",
                (start, end),
                subject,
                _other_party(view, start, end),
                cue="named document",
                base=0.7,
            )
        )
    return frames


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _other_party(view: SentenceView, start: int, end: int) -> EntityRef | None:
    """The document's other party: "with B"; the second of two states signing ("Russia,
    India sign ..."); else the state named after the document, or the country of the
    person or, last, the city named after it ("signed in New Delhi")."""
    party = _party_after(view, end)
    if party is not None:
        return party
    before = [m for m in view.mentions if m.end <= start]
    if len(before) >= 2 and all(m.ref.kind == "state" for m in before[-2:]):
        gap = view.text[before[-2].end : before[-1].start]
        if re.fullmatch(r"\s*(?:,|and)\s*(?:the\s+)?", gap):
            return before[-1].ref
    after = [m for m in view.mentions if m.start >= end]
    for kinds in (("state",), ("person",), ("place",)):
        for m in reversed(after):
            if m.ref.kind not in kinds:
                continue
            if kinds == ("state",):
                return m.ref
            country = view.gaz.country_of(m.entry) if m.entry else None
            if country is not None:
                return country.ref
    return None


def _party_after(view: SentenceView, end: int) -> EntityRef | None:
    m = re.match(r"\s+(?:\w+\s+){0,3}?with\s+", view.text[end:])
    if not m:
        return None
    return next(
        (x.ref for x in view.mentions if x.start >= end + m.end() and x.ref.kind in AGENTS), None
    )


# --- visits and meetings ----------------------------------------------------


def _first_after(
    view: SentenceView, pos: int, kinds: tuple[str, ...], limit: int = 120
) -> Mention | None:
    for m in view.mentions:
        if pos <= m.start <= pos + limit and m.ref.kind in kinds:
            return m
    return None


def _subject_before(
    view: SentenceView, trig: int, clause_start: int, main: EntityRef | None
) -> EntityRef | None:
    text = view.text
    before = [m for m in view.mentions if clause_start <= m.start and m.end <= trig]
    who = re.search(r",?\s*who\s+(?:had\s+|has\s+|was\s+|also\s+)*$", text[clause_start:trig])
    if who and before:
        return before[-1].ref
    head = _apposed_head(view, before, trig)
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
        ref = _ref_for_span(view, start, start + len(np), "org")
        if ref:
            return ref
    return _last_agent(before) or main


def _apposed_head(view: SentenceView, before: list[Mention], trig: int) -> EntityRef | None:
    """ "Kim Jong Un, general secretary of the WPK, held talks": the head before the apposition."""
    for m in before:
        led = re.search(r"\b(?:led|headed)\s+by\s+$", view.text[: m.start])
        if m.ref.kind == "person" and not led and APPOSITION_RE.match(view.text[m.end : trig]):
            return m.ref
    return None


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


def _destination(
    view: SentenceView, m: Mention | None
) -> tuple[EntityRef | None, EntityRef | None]:
    """(object, place) of a visit: a city stands for its country, and is the place."""
    if m is None:
        return None, None
    if m.ref.kind == "place" and m.entry:
        country = view.gaz.country_of(m.entry)
        return (country.ref if country else m.ref), m.ref
    return m.ref, None


def _visits_and_meetings(
    view: SentenceView, consumed: Sequence[tuple[int, int] | None]
) -> list[Frame]:
    text = view.text
    triggers: list[tuple[int, int, str]] = []
    for m in VISIT_VERB_RE.finditer(text):
        triggers.append((m.start(), m.end(), "visit"))
    for m in VISIT_NOUN_RE.finditer(text):
        triggers.append((m.start(), m.end(), "visit_noun"))
    for m in MEET_VERB_RE.finditer(text):
        triggers.append((m.start(), m.end(), "meet"))
    for m in HOSTED_RE.finditer(text):
        triggers.append((m.start(), m.end(), "host"))
    for m in EXCHANGE_RE.finditer(text):
        triggers.append((m.start(), m.end(), "exchange"))
    for m in INSPECT_RE.finditer(text):
        triggers.append((m.start(), m.end(), "inspect"))
    triggers.sort()
    frames: list[Frame] = []
    clause_start = 0
    main: EntityRef | None = None
    skip_until = -1
    for start, end, kind in triggers:
        if start < skip_until or _inside((start, end), consumed):
            continue
        if any(f.trigger[0] < end and start < f.trigger[1] for f in frames):
            continue  # "wrapped up his visit to" matches as a verb and as a noun
        if kind == "visit":
            frame = _verbal_visit(view, start, end, clause_start, main)
        elif kind == "visit_noun":
            frame = _nominal_visit(view, start, end, clause_start, main)
        elif kind == "host":
            frame = _hosted(view, start, end, clause_start, main)
        elif kind == "exchange":
            frame = _exchange(view, start, end, clause_start, main)
        elif kind == "inspect":
            frame = _inspection(view, start, end, clause_start, main)
        else:
            met, skip_until = _verbal_meeting(view, start, end, clause_start, main)
            frame = met[0] if met else None
        if frame is None:
            continue
        main = main or frame.speaker or frame.subject
        frame.speaker = None
        frames.append(frame)
        if kind == "meet":
            frames += met[1:]
        last = max(frames, key=lambda f: f.trigger[1])
        obj_m = _first_after(view, last.trigger[1], ("state", "place", "org", "person"), 80)
        clause_start = max(obj_m.end if obj_m else last.trigger[1], last.trigger[1])
    if not any(f.type == "meeting" for f in frames):
        frames += _joint_or_nominal_meeting(view, consumed, frames)
    return frames


# "hosted a reception in honour of the delegation": host and guest met.
HOSTED_RE = re.compile(
    r"\b(?:hosted|gave|arranged|held)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:reception|banquet"
    r"|dinner|luncheon|lunch|welcome\s+ceremony)\s+(?:in\s+honou?r\s+of|for)\s+"
)


# "A and B exchanged messages of greeting", "X exchanged letters with Y": a dated act of both
# sides (a date_event, also in a headline that leaves the date to the lead; not a meeting,
# since nobody met).
EXCHANGE_RE = re.compile(
    r"\b(?:exchanged|exchanges?)\s+(?:[\w-]+\s+){0,2}?(?:messages|letters|greetings"
    r"|telegrams|congratulations)\b",
    re.I,
)
# "inspected the X Complex", headline "Inspects X", "gave on-the-spot guidance at X": a visit to
# the place inspected.
INSPECT_RE = re.compile(
    r"\b(?:inspected|(?:[Ii]nspects)|(?:gave|gives|Gives|provided)\s+(?:field\s+)?(?:on-the-spot"
    r"\s+)?guidance\s+(?:to|at))(?=\s)"
)


def _exchange(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    text = view.text
    with_m = re.match(r"(?:\s+of\s+[\w\s-]{0,30}?)?\s+with\s+", text[end:])
    sides = [
        m
        for m in view.mentions
        if clause_start <= m.start and m.end <= start and m.ref.kind in AGENTS
    ]
    subject: EntityRef | None
    obj: EntityRef | None = None
    if with_m:
        subject = _subject_before(view, start, clause_start, main)
        other = _party_at(view, end + with_m.end()) or _first_after(
            view, end + with_m.end(), AGENTS, 40
        )
        obj = other.ref if other else None
    else:
        # "A, <title>, and B, <title>, exchanged": the first side and the one after "and".
        subject = sides[0].ref if sides else None
        obj = next(
            (
                m.ref
                for m in sides[1:]
                if m.ref != subject and re.search(r"\band\s*$", text[: m.start])
            ),
            None,
        )
    if subject is None or obj is None or subject == obj:
        return None
    return Frame("date_event", (start, end), subject, obj, cue="exchange of messages", base=0.55)


def _inspection(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    text = view.text
    subject = _subject_before(view, start, clause_start, main)
    pos = end + len(text[end:]) - len(text[end:].lstrip())
    np_end = _np_end(text, pos)
    tail = re.search(r"(?:\s+(?:on|in|at|for|during|to|from))+$", text[pos:np_end])
    np_end -= len(tail.group()) if tail else 0
    if subject is None or np_end <= pos:
        return None
    obj = _ref_for_span(view, pos, np_end, "org")
    city = _first_after(view, np_end, ("place",), 40)
    frame = Frame(
        "visit",
        (start, end),
        subject,
        obj,
        city.ref if city else None,
        cue="inspection",
        base=0.6,
    )
    frame.speaker = subject
    return frame


# "He was accompanied by X, secretary of ...": the companion took part in the leader's act.
ACCOMPANIED_RE = re.compile(r"\b(?:was|were)\s+accompanied\s+by\s+")


def _accompanied(view: SentenceView) -> list[Frame]:
    m = ACCOMPANIED_RE.search(view.text)
    if m is None:
        return []
    companion = _party_at(view, m.end())
    leader = _subject_before(view, m.start(), 0, None)
    if companion is None or leader is None or companion.ref == leader:
        return []
    return [
        Frame("other", (m.start(), m.end()), companion.ref, leader, cue="accompanied", base=0.5)
    ]


def _party_at(view: SentenceView, pos: int) -> Mention | None:
    """The name right after "with": also a titled name the gazetteer lacks ("talks with
    Deputy Prime Minister X"), which the recogniser leaves unlinked."""
    return next(
        (m for m in view.mentions if m.start == pos and m.ref.kind in (*AGENTS, "other")), None
    )


def _hosted(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    host = _subject_before(view, start, clause_start, main)
    guest_m = next((m for m in view.mentions if m.start == end and m.ref.kind in AGENTS), None)
    guest = guest_m.ref if guest_m else None
    if guest is None:
        np = re.match(
            r"(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:delegation|guests?|visitors?)\b", view.text[end:]
        )
        guest = _ref_for_span(view, end, end + np.end(), "org") if np else None
    if host is None or guest is None or host == guest:
        return None
    return Frame("meeting", (start, end), host, guest, cue="hosted a reception", base=0.6)


def _verbal_visit(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    subject = _subject_before(view, start, clause_start, main)
    target = _first_after(view, end, ("state", "place", "org"), 60)
    obj, place = _destination(view, target)
    gap = re.match(r"\s+(?:the\s+)?", view.text[end:])
    landmark = _party_at(view, end + gap.end()) if gap else None
    if landmark is not None and landmark.ref.kind == "other":
        # "visited the Friendship Tower": the landmark the gazetteer lacks is what was visited.
        obj = landmark.ref
    if obj is None:
        return None
    if place is None:
        city = _first_after(view, target.end if target else end, ("place",), 80)
        place = city.ref if city and city.entry and city.entry.country else None
    frame = Frame(
        "visit",
        (start, end),
        subject,
        obj,
        place,
        cue=f"visit verb '{view.text[start:end]}'",
        base=0.6,
    )
    frame.speaker = subject
    return frame


def _nominal_visit(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> Frame | None:
    text = view.text
    own = re.match(r"([A-Z][\w'\u2019]*)['\u2019]s", text[start:end])
    visitor: EntityRef | None = None
    if re.match(r"(?:after|following)\b", text[start:end]):
        # "The delegation returned home after a visit to X": the clause's subject visited.
        visitor = _subject_before(view, start, clause_start, main)
    elif own:
        visitor = next(
            (
                m.ref
                for m in view.mentions
                if m.end == start + len(own.group(1)) and m.ref.kind in AGENTS
            ),
            None,
        )
    if visitor is None:
        before = [m for m in view.mentions if m.end <= start and m.ref.kind == "person"]
        visitor = before[-1].ref if before else main
    target = _first_after(view, end, ("state", "place", "org"), 40)
    obj, place = _destination(view, target)
    if obj is None:
        return None
    frame = Frame("visit", (start, end), visitor, obj, place, cue="visit", base=0.55)
    frame.flags.add("needs_date")  # "on a visit to Russia" is backdrop unless dated
    return frame


COUNTERPART_RE = re.compile(r"\s+(?:his|her|its|their)\s+(?:[\w-]+\s+){0,2}?counterparts?,?\s+")
# Between two names of a list: ", ", " and ", ", and also " and titles the
# recogniser left outside the name ("and Prime Minister Jane Roe").
LIST_GAP_RE = re.compile(
    r"(?:\s*,)?\s+(?:and\s+)?(?:(?:[A-Z][\w'\u2019-]*|of|the)\s+){0,8}|\s*,\s*"
)


def _met_party(view: SentenceView, end: int) -> Mention | None:
    """Who was met: the first agent after the verb; "his Lao counterpart Jane Roe"
    names the counterpart even when the name is not in the gazetteer."""
    cp = COUNTERPART_RE.match(view.text, end)
    if cp:
        named = next((m for m in view.mentions if m.start == cp.end()), None)
        if named is not None:
            return named
    found = _first_after(view, end, ("person", "state", "org"), 40)
    if found is None:
        gap = re.match(r"\s+", view.text[end:])
        found = _party_at(view, end + gap.end()) if gap else None
    return found


def _listed_people(view: SentenceView, first: Mention) -> list[Mention]:
    """ "met A, B and C": every person of a list that starts with ``first``."""
    out = [first]
    while out[-1].ref.kind == "person":
        last = out[-1]
        nxt = next((m for m in view.mentions if m.start >= last.end), None)
        if nxt is None or nxt.ref.kind != "person" or nxt.ref in [m.ref for m in out]:
            break
        gap = view.text[last.end : nxt.start]
        if not LIST_GAP_RE.fullmatch(gap) or not re.search(r",|\band\b", gap):
            break
        out.append(nxt)
    return out


def _verbal_meeting(
    view: SentenceView, start: int, end: int, clause_start: int, main: EntityRef | None
) -> tuple[list[Frame], int]:
    text = view.text
    other = _met_party(view, end)
    if other is None:
        return [], -1
    subject = _subject_before(view, start, clause_start, main)
    visit = re.match(
        r"\s*,?\s*(?:who\s+(?:is|was)\s+)?(?:on|during)\s+(?:an?|his|her"
        r"|their)\s+(?:[\w-]+\s+){0,3}?visit\s+to\b",
        text[other.end :],
    )
    if visit:
        # "A met B on a visit to C" reports B's visit to C.
        vend = other.end + visit.end()
        target = _first_after(view, vend, ("state", "place", "org"), 40)
        obj, place = _destination(view, target)
        if obj is not None:
            frame = Frame(
                "visit", (start, vend), other.ref, obj, place, cue="met on a visit", base=0.6
            )
            frame.speaker = subject
            return [frame], vend
    if text[start:end].startswith("received") and other.start - end > 12:
        return [], -1
    frames: list[Frame] = []
    for party in _listed_people(view, other):
        frame = Frame(
            "meeting",
            (start, end) if party is other else (party.start, party.end),
            subject,
            party.ref,
            cue=f"meeting verb '{text[start:end]}'",
            base=0.6,
        )
        if frames:
            frame.shares_date = frames[0]
        frames.append(frame)
    return frames, -1


# A sentence may report a meeting named earlier when it stands at the meeting ("At the
# talks, both sides agreed ...") or points back to its two sides ("the top leaders of the two
# countries"); "Following the talks, ..." reports what came after, not the meeting.
AT_MEETING_RE = re.compile(
    r"^(?:At|During|In the course of)\s+the\s+(?:[\w-]+\s+){0,2}?(?:summit|talks|meeting)\b"
)
TWO_SIDES_RE = re.compile(
    r"\b(?:[Tt]he|[Bb]oth)\s+(?:two\s+)?(?:top\s+)?(?:leaders|heads\s+of\s+state)\s+of\s+the"
    r"\s+two\s+countries\b"
)


def _context_pair(view: SentenceView) -> tuple[Entry, Entry] | None:
    """Sides named in earlier sentences, only for a sentence about the meeting itself;
    otherwise the two latest names would invent a meeting."""
    if not AT_MEETING_RE.match(view.text):
        return None
    return view.ctx.leader_pair()


def _joint_or_nominal_meeting(
    view: SentenceView, consumed: Sequence[tuple[int, int] | None], frames: list[Frame]
) -> list[Frame]:
    text = view.text
    joint = MEET_JOINT_RE.search(text)
    if joint and TWO_SIDES_RE.search(text, 0, joint.start()):
        # "The top leaders of the two countries held five rounds of summit talks".
        pair = view.ctx.leader_pair()
        if pair:
            frame = Frame(
                "meeting",
                (joint.start(), joint.end()),
                pair[0].ref,
                pair[1].ref,
                cue="talks of the two leaders",
                base=0.6,
            )
            frame.flags.add("context_sides")
            return [frame]
    for m in MEET_NOUN_RE.finditer(text):
        if _inside((m.start(), m.end()), consumed):
            continue
        persons = [x for x in view.mentions if x.ref.kind in ("person", "state")]
        with_m = re.match(r"\s+(?:with|between)\s+", text[m.end() :])
        frame = Frame("meeting", (m.start(), m.end()), cue="summit/talks", base=0.45)
        if with_m:
            first = _first_after(
                view, m.end() + with_m.end(), ("person", "state", "org"), 30
            ) or _party_at(view, m.end() + with_m.end())
            if first is not None:
                frame.object = first.ref
                other = next(
                    (p.ref for p in persons if p.ref != first.ref and p.ref.kind == "person"), None
                )
                if other is None and first.entry:
                    pair = _context_pair(view)
                    other = next(
                        (e.ref for e in (pair or ()) if e.country != first.entry.country), None
                    )
                frame.subject = other
                frame.base = 0.6
                return [frame]
        if any(f.type == "visit" for f in frames):
            return []
        pair = _context_pair(view)
        if pair and CONCRETE_RE.search(text):
            frame.subject, frame.object = pair[0].ref, pair[1].ref
            frame.cue = "summit/talks with an outcome"
            frame.flags.add("context_sides")
            return [frame]
        break  # the sides, if any, are named in this sentence ("A and B held talks")
    joint = MEET_JOINT_RE.search(text)
    if joint:
        before = [
            x for x in view.mentions if x.end <= joint.start() and x.ref.kind in ("person", "state")
        ]
        sides = (
            (before[-2].ref, before[-1].ref)
            if len(before) >= 2
            else _joint_subject(view, joint.start())
        )
        if sides:
            return [
                Frame(
                    "meeting",
                    (joint.start(), joint.end()),
                    sides[0],
                    sides[1],
                    cue="held talks",
                    base=0.6,
                )
            ]
    return []


def _joint_subject(view: SentenceView, trig: int) -> tuple[EntityRef, EntityRef] | None:
    """ "Xi and Kim held talks": a known person and a name the gazetteer could not
    settle, joined by "and" right before the verb; the second side is the last name."""
    before = [x for x in view.mentions if x.end <= trig]
    if len(before) < 2 or view.text[before[-1].end : trig].strip():
        return None
    last = before[-1]
    # "A and B held talks"; headlines write "A, B hold talks".
    joined = re.compile(r"[^,;]*\s+and\s+[^,;]*|\s*,\s*(?:[A-Z][\w'\u2019-]*\s+){0,2}")
    first = next(
        (
            x
            for x in reversed(before[:-1])
            if x.ref.kind in ("person", "state") and joined.fullmatch(view.text[x.end : last.start])
        ),
        None,
    )
    if first is None or view.text[: first.start].strip():
        return None
    return first.ref, last.ref


# --- quotes -------------------------------------------------------------------


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
        # "X said that his country ... with Y": Y is who is spoken about.
        others = [c for c in cands if c != own]
        obj = others[0] if others else (cands[0] if cands else None)
        if obj is None:
            obj = _content_subject(view, content)
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


def _content_subject(view: SentenceView, content: tuple[int, int]) -> EntityRef | None:
    """With nobody named, what is spoken about is the reported words' subject ('"The
    workers of the complex have proved ..."', "the expectation that the workers would ...");
    only for a clause ("stressed the need to ..." has no subject)."""
    lo, hi = content
    start = lo + len(view.text[lo:hi]) - len(view.text[lo:hi].lstrip(' "\u201c:'))
    if lo and not re.search(r"(?:\bthat\s+|[:\"\u201c]\s*)$", view.text[:start]):
        return None  # "stressed the need to ...": no clause, so no subject
    end = _np_end(view.text, start, 8)
    phrase = view.text[start:end].strip(" ,")
    if not phrase or TIME_NP_RE.match(phrase) or end >= hi:
        return None
    return _ref_for_span(view, start, end, "other")


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
    close = max(text.rfind(",", 0, m.start()), text.rfind("\u201d", 0, m.start()))
    if close > 0 and "," not in text[m.end() :]:
        return (0, close)  # '"...," he said.' / "X rose 5 percent, she noted."
    return (m.end(), len(text))


REPORTED_START_RE = re.compile(
    r"[^,.;:\"\u201c]{0,40}?\bthat\s+|\s*:\s*|\s+(?=[A-Z\u201c\"]|the\s)"
)


# A dated fact told inside reported speech: the verb before the date ("crossed the river in
# May 1946", "which established relations on ...", "which takes over ... on January 1").
REPORTED_VERB_RE = re.compile(
    r"\b(?:which|who)\s+(?:has\s+|have\s+|had\s+|will\s+)?(?P<rel>[a-z]+)\b"
    r"|\b(?P<past>[a-z]{3,}ed|fought|began|won|took|gave|made|broke|fell|rose|led|held|set)\b"
)
AND_THAT_RE = re.compile(r",?\s+and\s+that\s+")
AUXILIARY = frozenset(["was", "were", "has", "have", "had", "is", "are", "will", "also", "been"])


def _reported_events(view: SentenceView, quotes: list[Frame], frames: list[Frame]) -> list[Frame]:
    """ "X recalled that A and B established relations on <date>": the fact is a claim of
    its own, next to the quote (one per "and that" part, only where no other frame
    already reports that part)."""
    out: list[Frame] = []
    for quote in quotes:
        lo, hi = quote.content or (0, 0)
        parts = [lo, *(m.start() for m in AND_THAT_RE.finditer(view.text, lo, hi)), hi]
        for a, b in itertools.pairwise(parts):
            if any(a <= f.trigger[0] < b for f in frames):
                continue
            event = _reported_event(view, a, b)
            if event is not None:
                out.append(event)
    return out


def _reported_event(view: SentenceView, lo: int, hi: int) -> Frame | None:
    text = view.text
    dated = [d for d in view.dates if lo <= d.start < hi]
    if not dated:
        return None
    date = dated[0]
    verbs = [
        v
        for v in REPORTED_VERB_RE.finditer(text, lo, date.start)
        if (v.group("rel") or v.group("past")) not in AUXILIARY
    ]
    if not verbs:
        return None
    verb = verbs[-1]
    vstart = verb.start("rel") if verb.group("rel") else verb.start()
    subject: EntityRef | None = None
    obj: EntityRef | None = None
    sub = SentenceView(text[lo:], _shift(view.mentions, lo), [], None, view.gaz, view.ctx)
    pair = coordinated(sub, vstart - lo)
    if pair:
        subject, obj = pair  # "A and B, which established relations on ..."
    elif verb.group("rel"):
        # "Russia, which takes over ...": the head before the relative pronoun acts.
        head = [
            x
            for x in view.mentions
            if lo <= x.start and x.end <= verb.start() and x.ref.kind in AGENTS
        ]
        subject = head[-1].ref if head else None
    else:
        subject = _subject_before(view, vstart, lo, None)
    if subject is None:
        return None
    if obj is None:
        obj_m = _first_after(
            view, verb.end(), ("person", "state", "org", "event"), date.start - verb.end()
        )
        obj = obj_m.ref if obj_m and obj_m.start < date.start else None
    kind = _told_event_kind(view, lo, hi, date.value)
    frame = Frame(
        kind, (vstart, verb.end()), subject, obj, cue="reported fact", base=0.5, consumes=(lo, hi)
    )
    frame.date, frame.date_mode = date.value, "fixed"
    return frame


def _told_event_kind(view: SentenceView, lo: int, hi: int, date: DateValue) -> str:
    """A fact told in passing (reported speech, a relative clause) that lies in an earlier
    year than the article is history ("which established relations on October 6, 1949");
    one of this year or later is a date_event ("which takes over ... on January 1")."""
    if HIST_RE.search(view.text, lo, hi):
        return "historical_event"
    past = view.published is not None and date.end.year < view.published.year
    return "historical_event" if past else "date_event"


def _shift(mentions: list[Mention], lo: int) -> list[Mention]:
    return [
        dataclasses.replace(m, start=m.start - lo, end=m.end - lo)
        for m in mentions
        if m.start >= lo
    ]


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


def _country_of(view: SentenceView, ref: EntityRef) -> EntityRef | None:
    for m in view.mentions:
        if m.ref == ref and m.entry:
            country = view.gaz.country_of(m.entry)
            return country.ref if country else None
    entry = view.gaz.by_qid.get(ref.qid) if ref.qid else None  # a speaker named earlier
    country = view.gaz.country_of(entry) if entry else None
    return country.ref if country else None


def _speaker(view: SentenceView, start: int, end: int) -> EntityRef | None:
    text = view.text
    if text[start:end].lower() == "according to":
        # "According to customs data" or "to the Russian side" is a source, not a speaker.
        after = _first_after(view, end, ("person",), 10)
        return after.ref if after else None
    if text[start:end].startswith("In "):
        return _last_named_person(view, start)
    before = [
        m for m in view.mentions if m.end <= start and m.ref.kind in ("person", "org", "state")
    ]
    head = _apposed_head(view, before, start)
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


# --- figures and fallbacks --------------------------------------------------------


# State-media sentences pack several figures: "X grew 8 percent in 2023, while in
# January-April it rose another 20 percent". Each clause is its own statistic.
STAT_CLAUSE_SPLIT_RE = re.compile(
    r",\s+(?:and|while|but|whereas)\s+|;\s+"
    # "... at 112.6 percent and increased the output of steel 1.3 times": a second measure
    r"|\s+and(?=\s+(?:increased|decreased|raised|doubled|tripled)\s+(?:the|its|their)\s)"
)
# The verb after the measured noun phrase ("bilateral trade turnover grew by 8 percent").
STAT_VERB_RE = re.compile(
    r"\s+(?:grew|grows|rose|rises|increased|increases|decreased|fell|dropped|declined"
    r"|reached|reaches|amounted|stood|totall?ed|exceeded|hit|surged|jumped|doubled|raised"
    r"|produced|exported|imported|recorded|registered|(?:over)?fulfilled|carried\s+out"
    r"|was|were|is|are|has|have|had)\b"
)
TRANSITIVE_STAT_RE = re.compile(r"(?:increased|decreased|raised|doubled|tripled)$")
PRONOUN_END_RE = re.compile(r"\b(?:it|they|he|she)$")
MONEY_AFTER_RE = re.compile(r"^\s*(?:dollars?|cents?)\b", re.I)


# "the enlarged 10th Plenary Meeting of the 8th Central Committee, held from June 28 to July 1",
# "at the Eighth Congress of the Party in January 2021": a named gathering with its date.
GATHERING_NAME_RE = re.compile(
    r"(?:[A-Z0-9][\w'\u2019-]*\s+)*(?:Congress|Conference|Meeting|Session|Plenum|Summit|Forum"
    r"|Assembly)(?:\s+(?:of|on|for)\s+(?:the\s+)?(?:[A-Z0-9][\w'\u2019-]*\s+(?:of\s+"
    r"(?:the\s+)?)?)*[A-Z][\w'\u2019-]*)?"
)
# "the BRICS summit to be held in Kazan in October": a named gathering in lower case.
GATHERING_LOWER_RE = re.compile(
    r"(?:[A-Z][\w'\u2019-]*\s+)+(?:summit|forum|congress|conference|session|games|expo)\b"
)
GATHERING_DATE_RE = re.compile(
    r",?\s+(?:which\s+was\s+|was\s+|to\s+be\s+|will\s+be\s+)?(?:held\s+)?"
    r"(?:in\s+[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*\s+)?(?:from|on|in)\s+"
)


def _dated_gatherings(view: SentenceView, frames: list[Frame]) -> list[Frame]:
    out = []
    named = [
        *(
            (m, False)
            for m in GATHERING_NAME_RE.finditer(view.text)
            # numbered gatherings only: "the Summit" alone names none
            if re.search(r"\d|\b(?:First|Second|Third|[A-Z]\w+th)\b", m.group())
        ),
        # "the X forum on January 1" may date something else; "the X summit held in" may not
        *((m, True) for m in GATHERING_LOWER_RE.finditer(view.text)),
    ]
    for m, needs_held in named:
        rest = GATHERING_DATE_RE.match(view.text, m.end())
        if rest is None or (needs_held and "held" not in rest.group()):
            continue
        # A date's span may include its preposition ("in October").
        date = next((d for d in view.dates if m.end() <= d.start <= rest.end()), None)
        if date is None or any(m.start() <= f.trigger[0] < date.end for f in frames):
            continue
        subject = _ref_for_span(view, m.start(), m.end(), "event")
        frame = Frame("date_event", (m.start(), m.end()), subject, cue="dated gathering", base=0.5)
        frame.date, frame.date_mode = date.value, "fixed"
        frame.consumes = (m.start(), date.end)
        out.append(frame)
    return out


# "stressed the need to raise the rate to 95 percent": a target, not a measured figure.
# "trade has reached a new record": a figure stated without its number.
RECORD_RE = re.compile(
    r"\b(?:a|an)\s+(?:new\s+|all-time\s+|historic\s+)?record(?:\s+high|\s+level)?\b"
)
TARGET_RE = re.compile(
    r"\b(?:the\s+need|needs?\s+to|aims?\s+to|task\s+of|goal\s+of|target\s+of|strive\s+to"
    r"|called\s+for|calls\s+for|urged)\b[^,;]*$"
)


def _statistics(view: SentenceView, frames: list[Frame]) -> list[Frame]:
    if any(f.type == "anniversary" for f in frames):
        return []
    text = view.text
    bounds = [0, *(m.end() for m in STAT_CLAUSE_SPLIT_RE.finditer(text)), len(text)]
    actors = [
        x.ref
        for x in view.mentions
        if x.ref.kind in ("state", "org", "person", "place", "other")
        and not MONEY_AFTER_RE.match(text[x.end :])  # "U.S. dollars" is a currency
    ]
    out: list[Frame] = []
    for lo, hi in itertools.pairwise(bounds):
        m = STAT_RE.search(text, lo, hi) or RECORD_RE.search(text, lo, hi)
        if not m or TARGET_RE.search(text, lo, m.start()):
            continue
        subject, obj = _measured(view, lo, m.start(), m.end())
        if subject is None and out:
            subject = out[-1].subject  # "..., while in May it rose": the same measure
        if subject is None and actors:
            subject = actors[0]
            obj = next((a for a in actors[1:] if a != subject and a.kind in AGENTS), None)
        frame = Frame(
            "statistic",
            (m.start(), m.end()),
            subject,
            obj,
            cue=f"figure '{m.group().strip()}'",
            base=0.7,
            date_mode="fixed",
            consumes=(lo, hi),
        )
        frame.date = _clause_date(view, lo, hi)
        baseline = any(
            lo <= d.start < hi and BASELINE_RE.search(text, 0, d.start) for d in view.dates
        )
        if frame.date is None and baseline and out:
            frame.date = out[-1].date  # "..., and increased it 1.3 times compared with ..."
        out.append(frame)
    return out


def _measured(
    view: SentenceView, lo: int, fig: int, fig_end: int
) -> tuple[EntityRef | None, EntityRef | None]:
    """What a clause's figure measures: the noun phrase before its verb ("the industrial
    output of the country grew"), after any lead-in ("According to customs data, ");
    for "trade between A and B", the two parties."""
    none: tuple[EntityRef | None, EntityRef | None] = (None, None)
    verbs = list(STAT_VERB_RE.finditer(view.text, lo, fig))
    if not verbs:
        # "houses for more than 2,300 families were built": the figure is inside the phrase.
        verbs = [v for v in [STAT_VERB_RE.match(view.text, fig_end)] if v]
    for verb in verbs:
        head = view.text[lo : verb.start()]
        if PRONOUN_END_RE.search(head.rstrip()) and verb is not verbs[-1]:
            # "he was pleased to learn that the complex had carried out ...": the measure
            # is the phrase before a later verb.
            continue
        return _measured_before(view, lo, verb)
    return none


def _measured_before(
    view: SentenceView, lo: int, verb: re.Match[str]
) -> tuple[EntityRef | None, EntityRef | None]:
    none: tuple[EntityRef | None, EntityRef | None] = (None, None)
    head = view.text[lo : verb.start()]
    cut = max(head.rfind(", "), head.rfind(" that "))  # not the comma of "2,300"
    start = lo + (cut + (6 if head[cut:].startswith(" that ") else 2) if cut >= 0 else 0)
    start += len(view.text[start : verb.start()]) - len(view.text[start : verb.start()].lstrip())
    phrase = view.text[start : verb.start()]
    if not phrase.strip() and TRANSITIVE_STAT_RE.match(verb.group().strip()):
        # "and increased the output of rolled steel 1.3 times": the measure is the object.
        obj = re.match(
            r"\s*(?:the|its|their)\s+(?P<np>[a-z][\w\s-]{2,80}?)\s+(?=\d)", view.text[verb.end() :]
        )
        if obj:
            return EntityRef(squeeze(obj.group("np")), None, "other"), None
    if not phrase or len(phrase.split()) > 12 or LEAD_PREP_RE.match(phrase):
        return none
    if re.match(r"(?:in|on|at|during|from|since)\b", phrase) or PRONOUN_END_RE.search(phrase):
        return none  # "while in May it rose": the clause speaks of the previous measure
    inside = [x for x in view.mentions if start <= x.start and x.end <= verb.start()]
    if re.search(r"\b(?:and|with)\b", phrase) and any(x.ref.kind == "person" for x in inside):
        return none  # "he and Putin have met 40 times": people, not a measure
    parties = [x.ref for x in inside if x.ref.kind in AGENTS]
    if len(parties) == 2 and re.search(r"\bbetween\s+(?:the\s+)?\S", phrase):
        return parties[0], parties[1]
    return _ref_for_span(view, start, verb.start()), None


# "1.3 times compared with the same period last year": the date of the baseline, not the figure.
BASELINE_RE = re.compile(
    r"\b(?:compared\s+(?:with|to)|than)\s+(?:the\s+same\s+period\s+(?:of\s+)?)?$"
)


def _clause_date(view: SentenceView, lo: int, hi: int) -> DateValue | None:
    """The clause's own date, else one given before it ("This year alone, X rose ...")."""
    inside = [
        d
        for d in view.dates
        if lo <= d.start < hi and not BASELINE_RE.search(view.text, 0, d.start)
    ]
    if inside:
        return inside[0].value
    comma = view.text.find(",")
    lead = [d for d in view.dates if d.start <= 25 and 0 <= d.end <= comma <= lo]
    return lead[0].value if lead else None


def _is_caption(text: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", text)
    return bool(words) and all(w[0].isupper() or w.lower() in CAPTION_WORDS for w in words)


def _fallbacks(view: SentenceView) -> list[Frame]:
    text = view.text
    persons = [m for m in view.mentions if m.ref.kind == "person"]
    if _is_caption(text) and persons:
        place_m = next((m for m in view.mentions if m.ref.kind == "place"), None)
        if len(persons) >= 2 and persons[0].ref != persons[1].ref:
            return [
                Frame(
                    "meeting",
                    (persons[0].start, persons[1].end),
                    persons[0].ref,
                    persons[1].ref,
                    place_m.ref if place_m else None,
                    cue="caption naming two leaders",
                    base=0.6,
                    date_mode="sentence",
                )
            ]
        if place_m:
            obj, place = _destination(view, place_m)
            return [
                Frame(
                    "visit",
                    (persons[0].start, place_m.end),
                    persons[0].ref,
                    obj,
                    place,
                    cue="caption placing a leader",
                    base=0.55,
                    date_mode="sentence",
                )
            ]
    modal = MODAL_RE.search(text)
    hist = HIST_RE.search(text)
    if hist and not modal and PAST_RE.search(text):
        agents = [m for m in view.mentions if m.ref.kind in ("person", "org", "state", "event")]
        subject = agents[0].ref if agents else None
        later = [
            m
            for m in view.mentions
            if m.ref != subject
            and m.ref.kind in ("state", "place", "org", "person")
            and (not agents or m.start > agents[0].end)
        ]
        obj = later[0].ref if later else None
        place = next((m.ref for m in view.mentions if m.ref.kind == "place"), None)
        return [
            Frame(
                "historical_event",
                (hist.start(), hist.end()),
                subject,
                obj,
                place,
                cue=f"historical event ('{hist.group()}')",
                base=0.55,
                date_mode="sentence",
            )
        ]
    event = EVENT_RE.search(text)
    if event and not modal:
        return _dated_events(view) or [_event_frame(view, event)]
    return []


def _dated_events(view: SentenceView) -> list[Frame]:
    """ "X, who started work on June 19, 1965, was elected ... on October 8, 1997": two
    acts, each followed by its own date, are two claims (none unless at least two)."""
    events = list(EVENT_RE.finditer(view.text))
    frames = []
    for k, event in enumerate(events):
        hi = events[k + 1].start() if k + 1 < len(events) else len(view.text)
        own = [d for d in view.dates if event.end() <= d.start < hi]
        if own:
            frame = _event_frame(view, event)
            frame.date, frame.date_mode = own[0].value, "fixed"
            frames.append(frame)
    return frames if len(frames) >= 2 else []


def _event_beside(view: SentenceView, frames: list[Frame]) -> list[Frame]:
    """A dated act reported in the same sentence as an anniversary ("a parade
    was held on July 27 in celebration of the 70th anniversary")."""
    spans = [f.consumes or f.trigger for f in frames]
    for event in EVENT_RE.finditer(view.text):
        if event.group() in ("celebrated", "commemorated") or _inside(
            (event.start(), event.end()), spans
        ):
            continue
        if not view.dates:
            return []
        return [_event_frame(view, event)]
    return []


# "the Seventh Congress of the Party held from May 6 to 9": a named gathering right before
# "held" is what was held.
GATHERING_HELD_RE = re.compile(
    r"(?P<name>(?:[A-Z][\w'\u2019-]*\s+)*(?:Congress|Conference"
    r"|Meeting|Session|Plenum|Summit|Forum|Assembly|Festival|Games|Expo|Exhibition|Parade"
    r"|Rally|Symposium)(?:\s+(?:of|on|for)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]*\s+)*"
    r"[A-Z][\w'\u2019-]*)?)\s+(?:which\s+was\s+|that\s+was\s+|was\s+)?$"
)


RECEPTION_RE = re.compile(r"\b(?:reception|banquet|dinner|luncheon)$", re.I)
VENUE_RE = re.compile(r"\s+(?:by|at)\s+")


def _gathering_held(view: SentenceView, event: re.Match[str]) -> EntityRef | None:
    if event.group() != "held":
        return None
    m = GATHERING_HELD_RE.search(view.text, max(0, event.start() - 160), event.start())
    if m is None:
        return None
    return _ref_for_span(view, m.start("name"), m.end("name"), "event")


def _event_frame(view: SentenceView, event: re.Match[str]) -> Frame:
    subject: EntityRef | None
    obj: EntityRef | None
    pair = coordinated(view, event.start())
    gathering = _gathering_held(view, event)
    if gathering is not None:
        subject, obj = gathering, None
    elif pair:
        subject, obj = pair
    else:
        subject = _subject_before(view, event.start(), 0, None)
        obj_m = _first_after(
            view, event.end(), ("person", "state", "org", "place", "event", "document")
        )
        obj = obj_m.ref if obj_m else None
        venue = VENUE_RE.match(view.text, event.end())
        if subject and not subject.qid and RECEPTION_RE.search(subject.name) and venue:
            # "A reception was given at the X Embassy": no host named, the venue gave it.
            host = _np_end(view.text, venue.end())
            subject, obj = _ref_for_span(view, venue.end(), host, "org"), None
    place = next((m.ref for m in view.mentions if m.ref.kind == "place"), None)
    kind = "date_event" if view.dates else "other"
    return Frame(
        kind,
        (event.start(), event.end()),
        subject,
        obj,
        place,
        cue=f"event verb '{event.group()}'",
        base=0.5,
        date_mode="sentence",
    )


# --- dates ---------------------------------------------------------------------------


def _years_of(frame: Frame) -> int:
    return next(int(f.split(":")[1]) for f in frame.flags if f.startswith("years:"))


def _stated_origin(view: SentenceView, frame: Frame) -> int | None:
    """ "the 75th anniversary of relations, which were established on Oct. 2, 1949": a
    date after the anniversary that lies N years before the celebration is the original
    date, told in full (the celebration year is the sentence's "this/next year" or the
    publication year)."""
    if frame.type != "anniversary" or view.published is None:
        return None
    years = _years_of(frame)
    bases = {view.published.year, *(d.value.start.year for d in view.dates)}
    for i, d in enumerate(view.dates):
        year = d.value.start.year
        if d.start >= frame.trigger[1] and any(abs(b - years - year) <= 1 for b in bases):
            return i
    return None


# ", which opened in 1995", ", who was born on ...", ", erected in 1959 in memory of ...": a
# relative clause (also a reduced one) with its own date.
RELATIVE_RE = re.compile(
    r",\s+(?:(?:which|who|that)\b|(?:[a-z]+ed|built|set\s+up|laid\s+out|founded|begun)"
    r"\s+(?:in|on|at|from|during)\b)[^,;]*"
)
ANTECEDENT_RE = re.compile(
    r"(?:[A-Z][\w'\u2019-]*(?:\s+(?:of|on|in|the|and|de)\s+|\s+))*[A-Z][\w'\u2019-]*$"
)


def _relative_spans(view: SentenceView) -> list[tuple[int, int, int]]:
    """Relative clauses that hold a date, stretched over the whole date ("on October 6,
    1949" has a comma of its own), with where their antecedent starts."""
    spans = []
    for m in RELATIVE_RE.finditer(view.text):
        inside = [d for d in view.dates if m.start() <= d.start < m.end()]
        if inside:
            head = ANTECEDENT_RE.search(view.text, 0, m.start())
            ante = head.start() if head else m.start()
            spans.append((m.start(), max(m.end(), *(d.end for d in inside)), ante))
    return spans


def _owns(text: str, frame: Frame, lo: int, hi: int, ante: int) -> bool:
    """The clause is the frame's own: its trigger is inside, or the frame names the
    antecedent ("the agreement ..., which entered into force in October 2015", "the 76th
    anniversary of relations between A and B, which fell on October 12")."""
    end = max(frame.trigger[1], frame.consumes[1] if frame.consumes else 0)
    if lo <= frame.trigger[0] < hi:
        return True
    if frame.trigger[0] >= lo:
        return False
    named = frame.type in ("anniversary", "treaty_document") and "," not in text[end:lo]
    return named or ante <= end <= lo + 1


def _relative_events(view: SentenceView, frames: list[Frame]) -> list[Frame]:
    """ "the Friendship Tower, erected in 1959": what the clause dates is a claim of its own,
    unless a frame already reports the clause or names its antecedent."""
    out = []
    for lo, hi, ante in _relative_spans(view):
        if any(_owns(view.text, f, lo, hi, ante) for f in frames):
            continue
        head = ANTECEDENT_RE.search(view.text, 0, lo)
        if head is None:
            continue
        subject = _ref_for_span(view, head.start(), head.end(), "other")
        date = next(d.value for d in view.dates if lo <= d.start < hi)
        kind = _told_event_kind(view, lo, hi, date)
        frame = Frame(kind, (lo, hi), subject, cue="dated relative clause", base=0.5)
        frame.date = date
        frame.date_mode = "fixed"
        out.append(frame)
    return out


LEAD_DATE_RE = re.compile(r"^(?:On|In|Earlier|Later|Last|This)\b[^,]{0,30},")
FOR_PERIOD_RE = re.compile(r"\bfor\s+(?:\d{4}\s*[-\u2013]\s*)?$")


def _assign_dates(view: SentenceView, frames: list[Frame]) -> None:
    """Each frame takes the nearest unclaimed date between its neighbours'
    triggers, so a date given for one item of a list is not copied to the others."""
    order = sorted((f for f in frames if f.shares_date is None), key=lambda f: f.trigger)
    claimed: set[int] = set()
    relative = _relative_spans(view)
    for frame in order:
        origin = _stated_origin(view, frame)
        if origin is not None:
            claimed.add(origin)
            frame.date, frame.date_mode = view.dates[origin].value, "fixed"
    for k, frame in enumerate(order):
        if frame.date_mode == "sentence":
            own = [
                d
                for d in view.dates
                if not any(
                    lo <= d.start < hi and not _owns(view.text, frame, lo, hi, ante)
                    for lo, hi, ante in relative
                )
            ]
            frame.date = own[0].value if own else None
            continue
        if frame.date_mode == "fixed":
            if frame.type == "anniversary":
                frame.date = anniversary_origin(frame.date, _years_of(frame), view.published)
            continue
        lo = order[k - 1].trigger[1] if k else 0
        hi = order[k + 1].trigger[0] if k + 1 < len(order) else len(view.text)
        best: tuple[int, int] | None = None
        for i, d in enumerate(view.dates):
            if i in claimed or d.start < lo or d.end > hi:
                continue
            if (
                frame.consumes
                and frame.consumes[0] < d.start < frame.consumes[1]
                and frame.type != "anniversary"
            ):
                continue
            if FOR_PERIOD_RE.search(view.text, 0, d.start):
                continue
            if frame.type != "anniversary" and any(
                lo <= d.start < hi and not _owns(view.text, frame, lo, hi, ante)
                for lo, hi, ante in relative
            ):
                continue  # "visited the tower, erected in 1959": 1959 dates the tower
            # Prefer a date after the trigger ("arrived in Russia on September 12").
            dist = (
                d.start - frame.trigger[1]
                if d.start >= frame.trigger[1]
                else 1000 + frame.trigger[0] - d.end
            )
            if best is None or dist < best[0]:
                best = (dist, i)
        if best is not None:
            claimed.add(best[1])
            frame.date = view.dates[best[1]].value
        if frame.type == "anniversary":
            frame.date = anniversary_origin(frame.date, _years_of(frame), view.published)
    lead = LEAD_DATE_RE.match(view.text)
    lead = lead if lead and view.dates and view.dates[0].end <= lead.end() else None
    for frame in order:
        if lead and frame.date is None and frame.date_mode == "window" and frame.type != "quote":
            # "On Tuesday, A held talks with B, and the two sides signed ...": a date that
            # opens the sentence holds for every act of it that names no date of its own.
            frame.date = view.dates[0].value
    for frame in frames:
        if frame.shares_date is not None:
            frame.date = frame.shares_date.date
