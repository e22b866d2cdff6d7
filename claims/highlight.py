"""The article text cut into paragraphs and segments, with each claim's span marked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.models import Claim


@dataclass
class Segment:
    text: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The state a reader should notice first when several claims share a sentence."""
        order = ["disputed", "pending", "unverified", "supported", "dismissed"]
        states = {c.review_state for c in self.claims}
        return next((s for s in order if s in states), "")


def paragraphs(text: str, claims: list[Claim]) -> list[list[Segment]]:
    spans: dict[tuple[int, int], list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        spans.setdefault((claim.start, claim.end), []).append(claim)
    out = []
    for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        out.append(_segments(text, para.start(), para.end(), spans))
    return out


def _segments(
    text: str, start: int, end: int, spans: dict[tuple[int, int], list[Claim]]
) -> list[Segment]:
    segments, pos = [], start
    for (s, e), claims in spans.items():
        if s < pos or e > end or s < start:
            continue  # outside this paragraph, or overlapping one already marked
        if s > pos:
            segments.append(Segment(text[pos:s]))
        segments.append(Segment(text[s:e], claims))
        pos = e
    if pos < end:
        segments.append(Segment(text[pos:end]))
    return segments
