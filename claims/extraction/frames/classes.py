"""Typed claims for a checkable sentence that no precise frame reads, by the class of
language it shows: a meeting ("talks", "greeted", a list of those present), a visit
("arrived", "trip"), an attributed statement (a verb of saying, also "told", "praised",
"the message reads"), a count ("five times", "more than 500 events", "three rounds of
talks"). One claim per class the sentence shows, each with the sentence's best parties;
the vocabulary is in sentence_classes.json."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..lexicon import word_regex
from ..model import EntityRef
from .base import AGENTS, Frame, SentenceView, apposed_head, country_of, document_voice
from .coverage import actor, sentence_claim

DATA = Path(__file__).resolve().parents[1] / "sentence_classes.json"
NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
    r"|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|dozens|first|second"
    r"|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.I,
)


@dataclass(frozen=True)
class SentenceClass:
    name: str
    triggers: re.Pattern[str]
    needs_number: bool


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


@cache
def sentence_classes() -> tuple[SentenceClass, ...]:
    return tuple(
        SentenceClass(name, word_regex(spec["triggers"]), bool(spec.get("needs_number")))
        for name, spec in _data()["classes"].items()
    )


@cache
def occasion() -> re.Pattern[str]:
    """ "following the talks", "during his visit": the words just before an occasion."""
    preps = "|".join(re.escape(p) for p in _data()["occasion_prepositions"])
    return re.compile(rf"\b(?:{preps})\s+(?:the|a|an|his|her|their|its|this|that)?\s*$", re.I)


def _persons(view: SentenceView) -> list[EntityRef]:
    out: list[EntityRef] = []
    for m in view.mentions:
        if m.ref.kind == "person" and m.ref not in out:
            out.append(m.ref)
    return out


@cache
def _attendance() -> tuple[re.Pattern[str], re.Pattern[str], str]:
    spec = _data()["attendance"]
    before, after = (re.escape(w) for w in spec["side"])
    side = re.compile(rf"\b{before}\s+(?P<side>.{{1,40}}?)\s+{after}\b", re.I)
    return word_regex(spec["markers"]), side, spec["delegation"]


def _other_delegation(view: SentenceView, people: list[EntityRef]) -> EntityRef | None:
    """The side a list of those present from one side met: the other state of the two
    leaders named last, as that state's delegation ("Russian delegation")."""
    markers, side_re, noun = _attendance()
    if not markers.search(view.text) or not people:
        return None
    side = side_re.search(view.text)
    states = [
        m.ref.qid
        for m in view.mentions
        if m.ref.kind == "state" and side and side.start("side") <= m.start < side.end("side")
    ]
    own = states[0] if states else _country(view, people[0])
    pair = view.ctx.leader_pair()
    if own is None or pair is None or own not in (pair[0].country, pair[1].country):
        return None
    other = pair[1].country if pair[0].country == own else pair[0].country
    if any(_country(view, p) == other for p in people):
        return None  # both sides are listed: the people named are the sides
    state = view.gaz.by_qid.get(other or "")
    if state is None:
        return None
    return EntityRef(f"{view.gaz.demonym_of.get(state.qid or '', state.name)} {noun}", None, "org")


def _country(view: SentenceView, person: EntityRef) -> str | None:
    country = country_of(view, person)
    return country.qid if country else None


def _meeting(view: SentenceView, at: int) -> Frame:
    base = sentence_claim(view)
    people = _persons(view)
    delegation = _other_delegation(view, people)
    if delegation is not None:
        return Frame(
            "meeting",
            (at, at),
            people[0],
            delegation,
            base.place,
            base.date,
            cue="present",
            date_mode="fixed",
        )
    sides = [m.ref for m in view.mentions if m.ref.kind in AGENTS]
    subject = people[0] if people else base.subject
    other = next((p for p in people if p != subject), None)
    if other is None:
        pair = view.ctx.leader_pair()
        if pair is not None:
            a, b = pair[0].ref, pair[1].ref
            if subject is None or subject not in (a, b):
                subject, other = a, b
            else:
                other = b if subject == a else a
    if other is None:
        other = next((s for s in sides if s != subject), None)
    return Frame(
        "meeting", (at, at), subject, other, base.place, base.date, cue="talks", date_mode="fixed"
    )


def _visit(view: SentenceView, at: int) -> Frame:
    base = sentence_claim(view)
    who = actor(view)
    subject = who.ref if who is not None and who.ref.kind == "person" else base.subject
    if subject is None and view.ctx.subject is not None:
        subject = view.ctx.subject.ref
    where = [m for m in view.mentions if m.ref.kind in ("place", "state") and m.ref != subject]
    after = [m for m in where if m.start >= at] or where
    obj, place = None, base.place
    if after:
        m = after[0]
        country = view.gaz.country_of(m.entry) if m.ref.kind == "place" and m.entry else None
        obj = country.ref if country else m.ref
        place = m.ref if m.ref.kind == "place" else place
    return Frame("visit", (at, at), subject, obj, place, base.date, cue="travel", date_mode="fixed")


def _quote(view: SentenceView, at: int) -> Frame:
    base = sentence_claim(view)
    before = [m for m in view.mentions if m.end <= at and m.ref.kind in AGENTS]
    # "X, general secretary of the ... Central Committee, extended ...": the head, not the
    # body its apposition names; "The message said": the message's author.
    speaker = document_voice(view, at) or apposed_head(view, before, at)
    if speaker is None and before:
        speaker = before[-1].ref
    if speaker is None:
        speaker = base.subject
    after = [m for m in view.mentions if m.start >= at and m.ref.kind in (*AGENTS, "place")]
    obj = next((m.ref for m in after if m.ref != speaker), None)
    if obj is None:
        obj = next(
            (m.ref for m in view.mentions if m.ref != speaker and m.ref.kind in AGENTS), None
        )
    return Frame(
        "quote",
        (at, at),
        speaker,
        obj,
        base.place,
        base.date,
        cue="attributed statement",
        speaker=speaker,
        date_mode="fixed",
    )


def _statistic(view: SentenceView, at: int) -> Frame:
    base = sentence_claim(view)
    return Frame(
        "statistic",
        (at, at),
        base.subject,
        None,
        base.place,
        base.date,
        cue="a count",
        date_mode="fixed",
    )


BUILDERS: dict[str, Callable[[SentenceView, int], Frame]] = {
    "meeting": _meeting,
    "visit": _visit,
    "quote": _quote,
    "statistic": _statistic,
}


def typed_claims(view: SentenceView) -> list[Frame]:
    """One claim per class of language the sentence shows; none when it shows none."""
    found: list[tuple[int, str]] = []
    for cls in sentence_classes():
        for m in cls.triggers.finditer(view.text):
            if occasion().search(view.text, 0, m.start()):
                continue
            if cls.needs_number and not NUMBER.search(
                view.text, max(0, m.start() - 30), m.end() + 30
            ):
                continue
            found.append((m.start(), cls.name))
            break
    return [BUILDERS[name](view, at) for at, name in sorted(found)]
