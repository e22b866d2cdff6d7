"""Claim frames: who did what to whom, when and where, found by language
patterns (verbs of visiting and meeting, document names, anniversary
ordinals, attribution verbs, figures with units, war vocabulary).

One module per kind (visits, documents, anniversaries, quotes, statistics, events) on top
of base.py, each with a find() registered in RULES; dating.py then gives each frame its
date. A rule sees what the rules before it found (to leave the words another frame reads)
and returns frames of its own; none changes another's. classes.py and coverage.py give a
checkable sentence that no rule reads its claim (pipeline.py calls them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import anniversaries, documents, events, quotes, statistics, visits
from .anniversaries import anniversary_origin
from .base import Frame, SentenceView, coordinated
from .classes import typed_claims
from .coverage import sentence_claim
from .dating import assign

__all__ = [
    "RULES",
    "Frame",
    "Rule",
    "SentenceView",
    "anniversary_origin",
    "coordinated",
    "detect",
    "sentence_claim",
    "typed_claims",
]


@dataclass(frozen=True)
class Rule:
    """A frame rule: reads the sentence (and what the rules before it found, never
    changing it) and returns its own frames."""

    name: str
    find: Callable[[SentenceView, Sequence[Frame]], list[Frame]]


# The registry, in the order rules see each other's results. A new frame is one module
# with a find() and one line here.
RULES: tuple[Rule, ...] = (
    Rule("anniversary", anniversaries.find),
    Rule("document", documents.find),
    Rule("visit and meeting", visits.find),
    Rule("quote", quotes.find),
    Rule("statistic", statistics.find),
    Rule("dated gathering", events.find_gatherings),
    Rule("reported event", events.find_reported),
    Rule("fallback", events.find_fallback),
    Rule("relative clause", events.find_relative),
)


def detect(view: SentenceView) -> list[Frame]:
    frames: list[Frame] = []
    for rule in RULES:
        frames += rule.find(view, tuple(frames))
    assign(view, frames)
    return frames
