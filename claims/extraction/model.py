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
