"""Check-worthiness, at two levels.

``score(frame, sentence)``: how much a frame states something a fact-checker can verify (a
linked actor, a date, a place, a figure), discounted for rhetoric, intention and unnamed
sources.

``decide(view, frames)``: whether a body sentence is checkable at all, from interpretable
features (a date, two states, an attribution verb, a figure; ceremony, forecast, opinion),
with the reasons a reviewer reads. Two methods share the features: "rules" (hand-set
weights in checkworthiness.json) and "model" (weights learned by
``python bench/train_checkworthiness.py`` over the features and word n-grams,
kept in checkworthiness_model.json). ``METHOD`` names the one in use, chosen by measurement
on the dev split (docs/extraction.md).

Vocabulary and weights live in checkworthiness.json beside this file, read once.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .frames import Frame, SentenceView
from .lexicon import word_regex, words
from .model import SentenceDecision

DATA = Path(__file__).with_name("checkworthiness.json")
MODEL = Path(__file__).with_name("checkworthiness_model.json")
METHOD = "model"  # "rules" or "model": the model won on dev (docs/extraction.md)


@dataclass(frozen=True)
class Vocabulary:
    frame_threshold: float
    frame_score: dict[str, float]
    rhetoric: re.Pattern[str]
    intention: re.Pattern[str]
    ceremony: re.Pattern[str]
    forecast: re.Pattern[str]
    opinion: re.Pattern[str]
    attribution: re.Pattern[str]
    event: re.Pattern[str]
    count: re.Pattern[str]
    rule_weights: dict[str, float]
    rule_threshold: float
    reasons: dict[str, str]


@cache
def vocabulary() -> Vocabulary:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return Vocabulary(
        frame_threshold=data["frame_threshold"],
        frame_score=data["frame_score"],
        rhetoric=word_regex(data["rhetoric_words"]),
        intention=word_regex(data["intention_words"]),
        ceremony=word_regex(data["ceremony_words"]),
        forecast=word_regex(data["forecast_phrases"]),
        opinion=word_regex(data["opinion_words"]),
        attribution=word_regex(data["attribution_verbs"]),
        event=word_regex(data["event_verbs"]),
        count=word_regex(data["count_words"]),
        rule_weights=data["sentence"]["weights"],
        rule_threshold=data["sentence"]["threshold"],
        reasons=data["reasons"],
    )


@cache
def learned() -> dict[str, Any] | None:
    """The trained model (weights over features and n-grams), if one is committed."""
    if not MODEL.exists():
        return None
    model: dict[str, Any] = json.loads(MODEL.read_text(encoding="utf-8"))
    return model


def threshold() -> float:
    return vocabulary().frame_threshold


def score(frame: Frame, sentence: str) -> tuple[float, str]:
    v = vocabulary()
    w = v.frame_score
    value = frame.base
    why = [frame.cue]
    linked = [e for e in (frame.subject, frame.object, frame.speaker) if e is not None and e.qid]
    named = [e for e in (frame.subject, frame.object) if e is not None]
    if linked:
        value += w["linked"]
        why.append("linked " + ", ".join(sorted({e.name for e in linked})))
    elif named:
        value += w["named"]
    if frame.date is not None:
        value += w["date"]
        why.append(f"date {frame.date.value}")
    if frame.place is not None:
        value += w["place"]
    if "needs_date" in frame.flags and frame.date is None:
        value += w["undated_passing_visit"]
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
    ) and v.intention.search(own):
        value += w["intention"]
        why.append("intention, not a fact")
    rhetoric = len(v.rhetoric.findall(sentence))
    if rhetoric and frame.type in ("date_event", "historical_event", "other", "meeting"):
        value += max(w["rhetoric_each"] * rhetoric, w["rhetoric_max"])
        why.append("rhetorical wording")
    if frame.type == "quote" and (
        frame.speaker is None or (not frame.speaker.qid and frame.speaker.kind != "person")
    ):
        value += w["unnamed_speaker"]
    if frame.type == "other" and not linked and frame.date is None:
        # "The talks ... took place in a friendly atmosphere": an undated act of no one
        # a reference source knows gives a fact-checker nothing to look up.
        value += w["undated_unlinked_other"]
        why.append("undated, nothing linked")
    if not named and frame.date is None and frame.type not in ("historical_event", "statistic"):
        value += w["no_actor_or_date"]
        why.append("no named actor or date")
    return max(0.0, min(1.0, value)), "; ".join(why)


# --- the sentence's decision ------------------------------------------------------------------

_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]?")
_PAST = re.compile(
    r"\b(?:[a-z]{3,}ed|was|were|had|met|held|made|gave|took|sent|led|paid|came|left|began"
    r"|won|fought|rode|swept|told|said)\b"
)
_FIGURE = re.compile(r"\d")


def features(view: SentenceView, frames: list[Frame]) -> dict[str, float]:
    """Named, interpretable features of a sentence (1.0 when present, else absent)."""
    v = vocabulary()
    text = view.text
    outside = _QUOTED.sub(" ", text)
    # "I" and "my" stand for the speaker, whom the sentence does not name: "I am grateful
    # to you" names no one a fact-checker could look up.
    named = [
        m
        for m in view.mentions
        if not (m.via == "pronoun" and text[m.start : m.end].lower() in _FIRST_PERSON)
    ]
    kinds = [m.ref.kind for m in named]
    states = {m.ref for m in named if m.ref.kind == "state"}
    date_spans = [(d.start, d.end) for d in view.dates]
    digits = [
        m.start()
        for m in _FIGURE.finditer(text)
        if not any(a <= m.start() < b for a, b in date_spans)
    ]
    f: dict[str, float] = {"bias": 1.0}
    if frames:
        f["frame"] = 1.0
    if view.dates:
        f["date"] = 1.0
    if len(states) >= 2:
        f["two_states"] = 1.0
    for kind in ("person", "state", "org"):
        if kind in kinds:
            f[kind] = 1.0
    if any(m.ref.qid for m in view.mentions):
        f["linked"] = 1.0
    if digits or v.count.search(text):
        f["figure"] = 1.0
    if v.attribution.search(text):
        f["attribution"] = 1.0
    if v.event.search(outside):
        f["event_verb"] = 1.0
    if _PAST.search(outside):
        f["past"] = 1.0
    if v.ceremony.search(text):
        f["ceremony"] = 1.0
    if v.forecast.search(outside):
        f["forecast"] = 1.0
    if v.intention.search(outside):
        f["modal"] = 1.0
    rhetoric = len(v.rhetoric.findall(text))
    if rhetoric:
        f["rhetoric"] = float(min(rhetoric, 3))
    if v.opinion.search(text):
        f["opinion"] = 1.0
    if len(text.split()) < 6:
        f["short"] = 1.0
    if not named and not view.dates:
        f["unnamed"] = 1.0
    return f


_FIRST_PERSON = words("pipeline.FIRST_PERSON") | {"i"}

_NGRAM_WORD = re.compile(r"[a-z]+|\d+")


def ngrams(text: str) -> list[str]:
    """Lower-case word unigrams and bigrams, every number as "0"."""
    words = ["0" if w.isdigit() else w for w in _NGRAM_WORD.findall(text.lower())]
    return [f"w:{w}" for w in words] + [f"b:{a} {b}" for a, b in itertools.pairwise(words)]


def _linear(weights: dict[str, float], items: dict[str, float]) -> float:
    return sum(weights.get(k, 0.0) * x for k, x in items.items())


def sentence_score(
    view: SentenceView,
    frames: list[Frame],
    method: str | None = None,
    feats: dict[str, float] | None = None,
) -> float:
    """The decision's margin: above 0 is checkable."""
    feats = feats if feats is not None else features(view, frames)
    model = learned() if (method or METHOD) == "model" else None
    if model is None:
        v = vocabulary()
        return _linear(v.rule_weights, feats) - v.rule_threshold
    items = {f"f:{k}": x for k, x in feats.items()}
    for g in ngrams(view.text):
        items[g] = 1.0
    return _linear(model["weights"], items) - float(model.get("threshold", 0.0))


NEGATIVE_ORDER = ("short", "forecast", "ceremony", "opinion", "rhetoric", "modal", "unnamed")
CATEGORY = {
    "short": "too short",
    "forecast": "forecast",
    "ceremony": "ceremony",
    "opinion": "opinion",
    "rhetoric": "rhetoric",
    "modal": "opinion",
    "unnamed": "opinion",
}


def decide(
    view: SentenceView,
    span: tuple[int, int],
    frames: list[Frame],
    method: str | None = None,
) -> SentenceDecision:
    v = vocabulary()
    feats = features(view, frames)
    margin = sentence_score(view, frames, method, feats)
    # Whatever the weights: a sentence that names no one, no date and no figure gives a
    # fact-checker nothing to look up.
    checkable = margin > 0 and not ("unnamed" in feats and "figure" not in feats)
    reasons: list[str] = []
    if frames:
        kinds = sorted({f.type.replace("_", " ") for f in frames})
        reasons.append(v.reasons["frame"].format(frame=" and ".join(kinds)))
    if checkable:
        if "date" in feats and "two_states" in feats:
            reasons.append("names a date and two states")
        else:
            reasons += [v.reasons[k] for k in ("date", "two_states") if k in feats]
        reasons += [
            v.reasons[k] for k in ("attribution", "figure", "person", "event_verb") if k in feats
        ]
        category = "checkable"
    else:
        negatives = [k for k in NEGATIVE_ORDER if k in feats]
        category = CATEGORY[negatives[0]] if negatives else "opinion"
        reasons += [v.reasons[k] for k in negatives] or [v.reasons["opinion"]]
    return SentenceDecision(span, view.text, checkable, category, margin, tuple(reasons), feats)
