"""Events: dated gatherings, facts told in reported speech or a relative clause,
and the fallbacks for a sentence no other frame reports (captions, history, event verbs)."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from ..entities import Mention
from ..model import DateValue, EntityRef
from .base import (
    AGENTS,
    MODAL_RE,
    Frame,
    SentenceView,
    coordinated,
    destination,
    first_after,
    noun_phrase_end,
    ref_for_span,
    subject_before,
    within,
)
from .dating import ANTECEDENT_RE, owns, relative_spans

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
CAPTION_WORDS = frozenset({"and", "of", "the", "in", "at", "with", "on", "to"})


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
        subject = subject_before(view, vstart, lo, None)
    if subject is None:
        return None
    if obj is None:
        obj_m = first_after(
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
        subject = ref_for_span(view, m.start(), m.end(), "event")
        frame = Frame("date_event", (m.start(), m.end()), subject, cue="dated gathering", base=0.5)
        frame.date, frame.date_mode = date.value, "fixed"
        frame.consumes = (m.start(), date.end)
        out.append(frame)
    return out


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
            obj, place = destination(view, place_m)
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
        if event.group() in ("celebrated", "commemorated") or within(
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
    return ref_for_span(view, m.start("name"), m.end("name"), "event")


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
        subject = subject_before(view, event.start(), 0, None)
        obj_m = first_after(
            view, event.end(), ("person", "state", "org", "place", "event", "document")
        )
        obj = obj_m.ref if obj_m else None
        venue = VENUE_RE.match(view.text, event.end())
        if subject and not subject.qid and RECEPTION_RE.search(subject.name) and venue:
            # "A reception was given at the X Embassy": no host named, the venue gave it.
            host = noun_phrase_end(view.text, venue.end())
            subject, obj = ref_for_span(view, venue.end(), host, "org"), None
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


def _relative_events(view: SentenceView, frames: list[Frame]) -> list[Frame]:
    """ "the Friendship Tower, erected in 1959": what the clause dates is a claim of its own,
    unless a frame already reports the clause or names its antecedent."""
    out = []
    for lo, hi, ante in relative_spans(view):
        if any(owns(view.text, f, lo, hi, ante) for f in frames):
            continue
        head = ANTECEDENT_RE.search(view.text, 0, lo)
        if head is None:
            continue
        subject = ref_for_span(view, head.start(), head.end(), "other")
        date = next(d.value for d in view.dates if lo <= d.start < hi)
        kind = _told_event_kind(view, lo, hi, date)
        frame = Frame(kind, (lo, hi), subject, cue="dated relative clause", base=0.5)
        frame.date = date
        frame.date_mode = "fixed"
        out.append(frame)
    return out


def find_gatherings(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: a numbered gathering with its date beside another claim (alone, a
    gathering "held" is the fallback's event)."""
    return _dated_gatherings(view, list(earlier)) if earlier else []


def find_reported(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: dated facts told inside reported speech."""
    quotes = [f for f in earlier if f.type == "quote"]
    return _reported_events(view, quotes, list(earlier))


def find_fallback(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: a sentence no rule before read (captions, history, event verbs);
    beside an anniversary or a figure only, the event that marks it."""
    if not earlier:
        return _fallbacks(view)
    if all(f.type in ("anniversary", "statistic") for f in earlier):
        return _event_beside(view, list(earlier))
    return []


def find_relative(view: SentenceView, earlier: Sequence[Frame]) -> list[Frame]:
    """Registered rule: a dated relative clause no frame owns is an event of its own."""
    return _relative_events(view, list(earlier))
