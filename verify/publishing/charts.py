"""Bar charts as plain numbers for an inline-SVG template (templates/public/_bars.html).

Server-rendered, no JavaScript: the template draws rectangles at the positions computed here.
Each bar is a stack of verdict segments so one chart shows verdicts by outlet or by month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from claims.models import Verdict

LABEL_WIDTH = 170
BAR_AREA = 380
ROW_HEIGHT = 28
BAR_HEIGHT = 18

VERDICT_ORDER: list[tuple[str, str]] = [(str(v), str(label)) for v, label in Verdict.choices]


@dataclass
class Segment:
    key: str
    label: str
    count: int
    x: float = 0
    width: float = 0


@dataclass
class Bar:
    label: str
    total: int
    segments: list[Segment] = field(default_factory=list)
    y: int = 0
    end: float = LABEL_WIDTH  # where the bar stops: the total is written just after it


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_AREA + 50
    label_width: int = LABEL_WIDTH


def stacked(title: str, counts: dict[str, Counter[str]], keys: list[tuple[str, str]]) -> Chart:
    """One horizontal bar per row label, split into segments by key, scaled to the largest."""
    biggest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    bars = []
    for row, (label, counter) in enumerate(counts.items()):
        bar = Bar(label=label, total=sum(counter.values()), y=row * ROW_HEIGHT)
        x = float(LABEL_WIDTH)
        for key, key_label in keys:
            n = counter.get(key, 0)
            if n:
                width = BAR_AREA * n / biggest
                bar.segments.append(Segment(key, key_label, n, round(x, 1), round(width, 1)))
                x += width
        bar.end = round(x, 1)
        bars.append(bar)
    return Chart(title=title, bars=bars, height=max(len(bars), 1) * ROW_HEIGHT)


def published_stats(snapshots: list[tuple[str, dict[str, Any]]]) -> list[Chart]:
    """Charts from (publication month "YYYY-MM", snapshot) pairs of current, published summaries."""
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for month, snap in snapshots:
        outlet = snap["article"]["outlet"]["name"] or "Unknown outlet"
        for claim in snap["claims"]:
            if claim["state"] == "dismissed":
                continue
            by_outlet[outlet][claim["state"]] += 1
            by_month[month][claim["state"]] += 1
            by_type[claim["type_label"]][claim["state"]] += 1
    return [
        stacked("Verdicts by outlet", dict(sorted(by_outlet.items())), VERDICT_ORDER),
        stacked("Verdicts by month published", dict(sorted(by_month.items())), VERDICT_ORDER),
        stacked(
            "Claim types",
            dict(sorted(by_type.items(), key=lambda kv: -sum(kv[1].values()))),
            VERDICT_ORDER,
        ),
    ]
