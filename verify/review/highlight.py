"""The article text cut into paragraphs and segments, with each claim's span marked."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from claims.models import Claim


@dataclass
class Segment:
    text: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The state a reader should notice first when several claims share a sentence."""
        order = ["disputed", "pending", "unverified", "supported", "dismissed"]
        states = {c.outcome for c in self.claims}
        return next((s for s in order if s in states), "")


def paragraphs(text: str, claims: list[Claim]) -> list[list[Segment]]:
    spans: dict[tuple[int, int], list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        spans.setdefault((claim.start, claim.end), []).append(claim)
    out = []
    # One block per line: headlines, captions, bylines and sign-offs stand on lines of their
    # own in state-media texts, and a sentence never spans two lines.
    for para in re.finditer(r"[^\n]+", text):
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


# --- The review page: the claim in its paragraph, and matches in reference passages -------
# These return plain strings with flags; the template escapes every one of them, so source
# text is never trusted as HTML.


@dataclass
class Context:
    offset: int  # where `before` starts in the article text (for selections in the browser)
    before: str
    sentence: list[tuple[str, bool]]
    after: str


def claim_terms(claim: Claim) -> list[str]:
    """The words a reader should see matched: names, place, occasion and the year."""
    terms = [
        claim.subject_name, claim.object_name, claim.place_name, claim.speaker_name,
        claim.occasion, claim.date_value[:4] if claim.date_value else "",
    ]
    return [t for t in dict.fromkeys(t.strip() for t in terms) if len(t) >= 3]


def mark_terms(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) for every case-insensitive occurrence of a term."""
    if not terms or not text:
        return [(text, False)]
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    pieces, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos : m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def context(text: str, claim: Claim) -> Context:
    start = text.rfind("\n", 0, claim.start) + 1
    end = text.find("\n", claim.end)
    end = len(text) if end < 0 else end
    return Context(
        offset=start,
        before=text[start : claim.start],
        sentence=mark_terms(text[claim.start : claim.end], claim_terms(claim)),
        after=text[claim.end : end],
    )


def passage_pieces(passage: str, matches: list | None, terms: list[str]) -> list[tuple[str, bool]]:
    """The passage cut at verify's recorded matches ([[start, end], ...]) when it has them,
    else at the claim's terms."""
    if not matches:
        return mark_terms(passage, terms)
    pieces, pos = [], 0
    for pair in sorted(m for m in matches if isinstance(m, list | tuple) and len(m) == 2):
        start, end = int(pair[0]), int(pair[1])
        if start < pos or end > len(passage) or start >= end:
            continue
        if start > pos:
            pieces.append((passage[pos:start], False))
        pieces.append((passage[start:end], True))
        pos = end
    if pos < len(passage):
        pieces.append((passage[pos:], False))
    return pieces


def marked_html(pieces: list[tuple[str, bool]]) -> SafeString:
    """The pieces as the review page prints them, every piece escaped and matches in <mark>.

    Built here rather than in a template loop: twenty references of a few dozen pieces each
    were a fifth of the review page's time. The standard library's escape is what Django's
    escape() calls, without its lazy-string and SafeString wrapping per piece.
    """
    return SafeString(
        "".join(
            f"<mark>{html.escape(text)}</mark>" if hit else html.escape(text)
            for text, hit in pieces
        )
    )
