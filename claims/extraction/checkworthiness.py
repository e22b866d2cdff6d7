"""Check-worthiness: how much a frame states something a fact-checker can
verify (a linked actor, a date, a place, a figure), discounted for rhetoric,
intention and unnamed sources. Returns a score and a reason a reviewer can read."""

from __future__ import annotations

import re

from .frames import Frame

THRESHOLD = 0.5
RHETORIC_RE = re.compile(
    r"\b(?:significance|milestone|impetus|atmosphere|invincible"
    r"|unbreakable|"
    r"great|greatly|historic|important|ever-|further|proud|glorious"
    r"|brilliant|"
    r"eternal|immortal|noble|sacred)\b",
    re.I,
)
INTENTION_RE = re.compile(
    r"\b(?:will|shall|must|should|would|intends? to|plans? to|is going to)\b", re.I
)


def score(frame: Frame, sentence: str) -> tuple[float, str]:
    value = frame.base
    why = [frame.cue]
    linked = [e for e in (frame.subject, frame.object, frame.speaker) if e is not None and e.qid]
    named = [e for e in (frame.subject, frame.object) if e is not None]
    if linked:
        value += 0.15
        why.append("linked " + ", ".join(sorted({e.name for e in linked})))
    elif named:
        value += 0.05
    if frame.date is not None:
        value += 0.15
        why.append(f"date {frame.date.value}")
    if frame.place is not None:
        value += 0.05
    if "needs_date" in frame.flags and frame.date is None:
        value -= 0.3
        why.append("undated visit mentioned in passing")
    if "context_sides" in frame.flags:
        why.append("sides from earlier sentences")
    # A clause of its own ("..., and that their feats will remain") is judged on itself.
    own = sentence[frame.consumes[0] : frame.consumes[1]] if frame.consumes else sentence
    if frame.type in (
        "date_event",
        "historical_event",
        "other",
        "statistic",
    ) and INTENTION_RE.search(own):
        value -= 0.3
        why.append("intention, not a fact")
    rhetoric = len(RHETORIC_RE.findall(sentence))
    if rhetoric and frame.type in ("date_event", "historical_event", "other", "meeting"):
        value -= min(0.05 * rhetoric, 0.15)
        why.append("rhetorical wording")
    if frame.type == "quote" and (
        frame.speaker is None or (not frame.speaker.qid and frame.speaker.kind != "person")
    ):
        value -= 0.1
    if frame.type == "other" and not linked and frame.date is None:
        # "The talks ... took place in a friendly atmosphere": an undated act of no one
        # a reference source knows gives a fact-checker nothing to look up.
        value -= 0.1
        why.append("undated, nothing linked")
    if not named and frame.date is None and frame.type not in ("historical_event", "statistic"):
        value -= 0.2
        why.append("no named actor or date")
    return max(0.0, min(1.0, value)), "; ".join(why)
