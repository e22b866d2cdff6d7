"""Value types shared by the extraction engine and its callers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sentence:
    """A span of the article text; ``text == article[start:end]``.

    ``kind`` is "body" for running text and "heading" for a line without final
    punctuation (headline, caption); "title", "byline", "dateline" and "chrome"
    segments are kept so spans stay complete but never yield claims.
    """

    start: int
    end: int
    text: str
    kind: str = "body"


@dataclass(frozen=True)
class EntityRef:
    name: str
    qid: str | None = None
    kind: str = ""  # person / state / org / place / document / event / other

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "qid": self.qid}


@dataclass(frozen=True)
class DateValue:
    value: str  # "2000", "2000-07" or "2000-07-19"
    precision: str  # "year" | "month" | "day"
    start: datetime.date
    end: datetime.date

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "precision": self.precision,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


@dataclass
class ExtractedClaim:
    sentence: str
    span: tuple[int, int]
    type: str
    subject: EntityRef | None
    object: EntityRef | None
    place: EntityRef | None
    date: DateValue | None
    checkworthiness: float
    reason: str
    speaker: EntityRef | None = None
    occasion: str = ""
    entities: list[EntityRef] = field(default_factory=list)
    # Why the sentence was judged checkable ("names a date and two states"), for reviewers.
    checkable_reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The per-claim object of shared/eval/FORMAT.md, plus ``reason``."""

        def ent(e: EntityRef | None) -> dict[str, Any] | None:
            return e.to_json() if e else None

        return {
            "sentence": self.sentence,
            "span": [self.span[0], self.span[1]],
            "type": self.type,
            "subject": ent(self.subject),
            "object": ent(self.object),
            "place": ent(self.place),
            "date": self.date.to_json() if self.date else None,
            "checkworthiness": round(self.checkworthiness, 2),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SentenceDecision:
    """Whether a body sentence states something a fact-checker can check, and why.

    ``category`` is "checkable" or what the sentence was left out as: "opinion",
    "rhetoric", "ceremony", "forecast", "too short"."""

    span: tuple[int, int]
    sentence: str
    checkable: bool
    category: str
    score: float
    reasons: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "span": [self.span[0], self.span[1]],
            "sentence": self.sentence,
            "checkable": self.checkable,
            "category": self.category,
            "score": round(self.score, 2),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class ExtractionFailure:
    """An exception raised while reading one part of an article (outside strict mode the
    rest of the article is still read; the failure is returned, never only logged)."""

    stage: str  # "sentences", "lead", "sentence"
    span: tuple[int, int] | None
    error: str  # "ValueError: ..."
    traceback: str

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "span": list(self.span) if self.span else None,
            "error": self.error,
        }


@dataclass
class ExtractionResult:
    claims: list[ExtractedClaim] = field(default_factory=list)
    decisions: list[SentenceDecision] = field(default_factory=list)
    failures: list[ExtractionFailure] = field(default_factory=list)

    def left_out(self) -> dict[str, int]:
        """How many body sentences were left out, by category."""
        counts: dict[str, int] = {}
        for d in self.decisions:
            if not d.checkable:
                counts[d.category] = counts.get(d.category, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "claims": [c.to_json() for c in self.claims],
            "decisions": [d.to_json() for d in self.decisions],
            "left_out": self.left_out(),
            "failures": [f.to_json() for f in self.failures],
        }
