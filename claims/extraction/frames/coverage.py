"""The claim of a checkable sentence that no other frame reads: type ``other``, with the
sentence's best subject (the actor of its main clause, else the person the story is about),
what it acts on, its place and its date."""

from __future__ import annotations

import re

from ..entities import Mention
from .base import AGENTS, Frame, SentenceView

# A name after one of these is a modifier or an adjunct, not the actor: "the teachings of
# X", "greeted by X", "under Chinese flags".
PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|by|with|to|from|for|at|in|on|about|during|under|after|before|between|among"
    r"|amid|beside|including|into|upon|without|within|through|over|across|like|than)"
    r"\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?$",
    re.I,
)
SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?(?:early\s+|late\s+|mid-?\s*)?$", re.I)


def actor(view: SentenceView) -> Mention | None:
    """The first agent named outside a prepositional phrase, else the first agent."""
    agents = [m for m in view.mentions if m.ref.kind in AGENTS]
    for m in agents:
        if not PREPOSITION_BEFORE.search(view.text, 0, m.start):
            return m
    return agents[0] if agents else None


def sentence_claim(view: SentenceView) -> Frame:
    who = actor(view)
    subject = who.ref if who else None
    if subject is None and view.ctx.subject is not None:
        subject = view.ctx.subject.ref
    after = [
        m
        for m in view.mentions
        if m.ref != subject
        and m.ref.kind in (*AGENTS, "place", "event", "document", "other")
        and (who is None or m.start >= who.end)
    ]
    place = next((m.ref for m in view.mentions if m.ref.kind == "place"), None)
    obj = next((m.ref for m in after if m.ref != place), None)
    # A date after "since" is where a state of things began, not when the act happened.
    date = next(
        (d.value for d in view.dates if not SINCE_BEFORE.search(view.text, 0, d.start)), None
    )
    return Frame(
        "other",
        (who.start, who.end) if who else (0, 0),
        subject,
        obj,
        place,
        date,
        cue="checkable sentence no frame reads",
        date_mode="fixed",
    )
