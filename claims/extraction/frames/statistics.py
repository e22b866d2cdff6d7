"""Statistics: figures with units, one per clause, and what they measure."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..model import DateValue, EntityRef
from ..text import squeeze
from .base import AGENTS, LEAD_PREP_RE, Frame, SentenceView, ref_for_span

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
    return ref_for_span(view, start, verb.start()), None


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


def find(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: figures with what they measure, one per clause."""
    return _statistics(view, list(earlier))
