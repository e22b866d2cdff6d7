"""Date assignment: which of a sentence's dates belongs to which frame."""

from __future__ import annotations

import re

from .anniversaries import anniversary_origin
from .base import Frame, SentenceView
from .documents import signed_during_visit


def _years_of(frame: Frame) -> int:
    return next(int(f.split(":")[1]) for f in frame.flags if f.startswith("years:"))


def _stated_origin(view: SentenceView, frame: Frame) -> int | None:
    """ "the 75th anniversary of relations, which were established on Oct. 2, 1949": a
    date after the anniversary that lies N years before the celebration is the original
    date, told in full (the celebration year is the sentence's "this/next year" or the
    publication year)."""
    if frame.type != "anniversary" or view.published is None:
        return None
    years = _years_of(frame)
    bases = {view.published.year, *(d.value.start.year for d in view.dates)}
    for i, d in enumerate(view.dates):
        year = d.value.start.year
        if d.start >= frame.trigger[1] and any(abs(b - years - year) <= 1 for b in bases):
            return i
    return None


# ", which opened in 1995", ", who was born on ...", ", erected in 1959 in memory of ...": a
# relative clause (also a reduced one) with its own date.
RELATIVE_RE = re.compile(
    r",\s+(?:(?:which|who|that)\b|(?:[a-z]+ed|built|set\s+up|laid\s+out|founded|begun)"
    r"\s+(?:in|on|at|from|during)\b)[^,;]*"
)
ANTECEDENT_RE = re.compile(
    r"(?:[A-Z][\w'\u2019-]*(?:\s+(?:of|on|in|the|and|de)\s+|\s+))*[A-Z][\w'\u2019-]*$"
)


def relative_spans(view: SentenceView) -> list[tuple[int, int, int]]:
    """Relative clauses that hold a date, stretched over the whole date ("on October 6,
    1949" has a comma of its own), with where their antecedent starts."""
    spans = []
    for m in RELATIVE_RE.finditer(view.text):
        inside = [d for d in view.dates if m.start() <= d.start < m.end()]
        if inside:
            head = ANTECEDENT_RE.search(view.text, 0, m.start())
            ante = head.start() if head else m.start()
            spans.append((m.start(), max(m.end(), *(d.end for d in inside)), ante))
    return spans


def owns(text: str, frame: Frame, lo: int, hi: int, ante: int) -> bool:
    """The clause is the frame's own: its trigger is inside, or the frame names the
    antecedent ("the agreement ..., which entered into force in October 2015", "the 76th
    anniversary of relations between A and B, which fell on October 12")."""
    end = max(frame.trigger[1], frame.consumes[1] if frame.consumes else 0)
    if lo <= frame.trigger[0] < hi:
        return True
    if frame.trigger[0] >= lo:
        return False
    named = frame.type in ("anniversary", "treaty_document") and "," not in text[end:lo]
    return named or ante <= end <= lo + 1


LEAD_DATE_RE = re.compile(r"^(?:On|In|Earlier|Later|Last|This)\b[^,]{0,30},")
FOR_PERIOD_RE = re.compile(r"\bfor\s+(?:\d{4}\s*[-\u2013]\s*)?$")


def _assign_dates(view: SentenceView, frames: list[Frame]) -> None:
    """Each frame takes the nearest unclaimed date between its neighbours'
    triggers, so a date given for one item of a list is not copied to the others."""
    order = sorted((f for f in frames if f.shares_date is None), key=lambda f: f.trigger)
    claimed: set[int] = set()
    relative = relative_spans(view)
    for frame in order:
        origin = _stated_origin(view, frame)
        if origin is not None:
            claimed.add(origin)
            frame.date, frame.date_mode = view.dates[origin].value, "fixed"
    for k, frame in enumerate(order):
        if frame.date_mode == "sentence":
            own = [
                d
                for d in view.dates
                if not any(
                    lo <= d.start < hi and not owns(view.text, frame, lo, hi, ante)
                    for lo, hi, ante in relative
                )
            ]
            frame.date = own[0].value if own else None
            continue
        if frame.date_mode == "fixed":
            if frame.type == "anniversary":
                frame.date = anniversary_origin(frame.date, _years_of(frame), view.published)
            continue
        lo = order[k - 1].trigger[1] if k else 0
        hi = order[k + 1].trigger[0] if k + 1 < len(order) else len(view.text)
        best: tuple[int, int] | None = None
        for i, d in enumerate(view.dates):
            if i in claimed or d.start < lo or d.end > hi:
                continue
            if (
                frame.consumes
                and frame.consumes[0] < d.start < frame.consumes[1]
                and frame.type != "anniversary"
            ):
                continue
            if FOR_PERIOD_RE.search(view.text, 0, d.start):
                continue
            if frame.type != "anniversary" and any(
                lo <= d.start < hi and not owns(view.text, frame, lo, hi, ante)
                for lo, hi, ante in relative
            ):
                continue  # "visited the tower, erected in 1959": 1959 dates the tower
            # Prefer a date after the trigger ("arrived in Russia on September 12").
            dist = (
                d.start - frame.trigger[1]
                if d.start >= frame.trigger[1]
                else 1000 + frame.trigger[0] - d.end
            )
            if best is None or dist < best[0]:
                best = (dist, i)
        if best is not None:
            claimed.add(best[1])
            frame.date = view.dates[best[1]].value
        if frame.type == "anniversary":
            frame.date = anniversary_origin(frame.date, _years_of(frame), view.published)
    lead = LEAD_DATE_RE.match(view.text)
    lead = lead if lead and view.dates and view.dates[0].end <= lead.end() else None
    for frame in order:
        if lead and frame.date is None and frame.date_mode == "window" and frame.type != "quote":
            # "On Tuesday, A held talks with B, and the two sides signed ...": a date that
            # opens the sentence holds for every act of it that names no date of its own.
            frame.date = view.dates[0].value
    for frame in frames:
        if frame.shares_date is not None:
            frame.date = frame.shares_date.date


def assign(view: SentenceView, frames: list[Frame]) -> None:
    """The dating stage, after every rule: each frame takes its date (a document signed
    during a visit, the visit's)."""
    signed_during_visit(view, frames)
    _assign_dates(view, frames)
