"""Claim frames: who did what to whom, when and where, found by language
patterns (verbs of visiting and meeting, document names, anniversary
ordinals, attribution verbs, figures with units, war vocabulary).

One module per kind (visits, documents, anniversaries, quotes, statistics, events) on top
of base.py; dating.py gives each frame its date. detect() applies them in a fixed order,
and the order matters: later rules look at what earlier ones found."""

from __future__ import annotations

from .anniversaries import _anniversaries, anniversary_origin
from .base import Frame, SentenceView, _inside, coordinated
from .classes import typed_claims
from .coverage import sentence_claim
from .dating import _assign_dates
from .documents import _documents, _signed_during_visit
from .events import _dated_gatherings, _event_beside, _fallbacks, _relative_events, _reported_events
from .quotes import _only_figures, _quotes
from .statistics import _statistics
from .visits import _accompanied, _visits_and_meetings

__all__ = [
    "Frame",
    "SentenceView",
    "anniversary_origin",
    "coordinated",
    "detect",
    "sentence_claim",
    "typed_claims",
]


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
