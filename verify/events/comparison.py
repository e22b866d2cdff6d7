"""The comparison of an event: each outlet's version, aspect by aspect, and where they differ.

Plain functions over the event's claims and the independent references already gathered for
them; the page (views.detail) only lays out what `compare` returns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from claims.models import Claim, Outlet
from verify.events.parties import claim_parties
from verify.models import Reference

ASPECTS = [
    ("date", "Date"),
    ("place", "Place"),
    ("participants", "Who took part"),
    ("figures", "Figures"),
    ("documents", "Documents signed"),
    ("quotes", "Quotes"),
]
HAPPENINGS = {"visit", "meeting", "treaty_document", "date_event"}
# A number and the word after it ("3 billion", "40 percent", "1,000 troops"): the word says
# what is counted, so two outlets' numbers are compared only when they count the same thing.
FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|per ?cent|[a-z]+)",
                    re.IGNORECASE)
UNIT_SKIP = {"january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "and", "th", "st", "nd", "rd"}


@dataclass(frozen=True)
class Difference:
    aspect: str
    outlets: tuple[str, ...]  # the outlets whose cell is marked
    note: str


@dataclass
class Cell:
    claims: list[Claim] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Column:
    key: str
    label: str
    state_media: bool
    independent: bool
    cells: dict[str, Cell] = field(default_factory=lambda: defaultdict(Cell))


@dataclass
class Comparison:
    columns: list[Column]
    rows: list[tuple[str, str, list[Cell]]]
    differences: list[Difference]
    unrepeated: list[Claim]  # claims no independent source agrees with


def outlet_key(claim: Claim) -> str:
    outlet = claim.article.outlet
    return outlet.name if outlet else f"article {claim.article_id}"


def figures(claim: Claim) -> list[tuple[str, str]]:
    """(what is counted, the number) in a claim's sentence; years and days left out."""
    out = []
    for m in FIGURE.finditer(claim.sentence):
        number, unit = m.group(1).replace(",", ""), m.group(2).lower()
        if unit in UNIT_SKIP or (len(number) == 4 and number.isdigit() and unit not in "%"):
            continue
        out.append(("percent" if unit.startswith(("%", "per")) else unit, number))
    return out


def aspects_of(claim: Claim) -> dict[str, list[str]]:
    """The values each aspect row shows for this claim."""
    out: dict[str, list[str]] = defaultdict(list)
    if claim.date_value and claim.type in HAPPENINGS:
        out["date"].append(claim.date_value)
    if claim.place_name:
        out["place"].append(claim.place_name)
    if claim.type in HAPPENINGS | {"quote"}:
        out["participants"] += [p.name for p in claim_parties(claim)]
    if claim.type == "statistic" or figures(claim):
        out["figures"] += [f"{n} {u}" for u, n in figures(claim)]
        if claim.type == "statistic" and not out["figures"]:
            out["figures"].append("")
    if claim.type == "treaty_document":
        out["documents"].append(claim.subject_name or claim.object_name)
    if claim.type == "quote":
        out["quotes"].append(claim.speaker_name or claim.subject_name)
    return out


def discrepancies(claims: Iterable[Claim]) -> list[Difference]:
    """Where the outlets' versions differ: a date, a figure, a participant only one names."""
    by_outlet: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_outlet[outlet_key(c)].append(c)
    if len(by_outlet) < 2:
        return []
    out: list[Difference] = []
    days = {
        o: {c.date_value for c in cs if c.date_precision == "day" and c.type in HAPPENINGS}
        for o, cs in by_outlet.items()
    }
    dated = {o: d for o, d in days.items() if d}
    for a in sorted(dated):
        for b in sorted(dated):
            if a < b and not dated[a] & dated[b]:
                out.append(Difference("date", (a, b), (
                    f"{a} gives {', '.join(sorted(dated[a]))}; "
                    f"{b} gives {', '.join(sorted(dated[b]))}")))
    counted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for o, cs in by_outlet.items():
        for c in cs:
            for unit, number in figures(c):
                counted[unit][o].add(number)
    for unit, per in sorted(counted.items()):
        values = {frozenset(v) for v in per.values()}
        if len(per) > 1 and len(values) > 1:
            out.append(Difference("figures", tuple(sorted(per)), f"{unit}: " + "; ".join(
                f"{o} {', '.join(sorted(v))}" for o, v in sorted(per.items()))))
    named: dict[str, dict[str, str]] = defaultdict(dict)
    for o, cs in by_outlet.items():
        for c in cs:
            for p in claim_parties(c):
                named[p.key][o] = p.name
    for _key, names in sorted(named.items()):
        if len(names) == 1:
            (o, name), = names.items()
            out.append(Difference("participants", (o,), f"only {o} names {name}"))
    return out


def compare(claims: list[Claim], references: list[Reference] | None = None) -> Comparison:
    """The table of the comparison page: state media first, then the other outlets, then one
    column per independent publisher whose references were gathered for these claims (or,
    for a published page, of the `references` the verdicts cite)."""
    outlets: dict[str, Outlet | None] = {outlet_key(c): c.article.outlet for c in claims}
    state = {k: bool(o and o.is_state_media) for k, o in outlets.items()}
    order = sorted(outlets, key=lambda k: (not state[k], k))
    columns = {k: Column(k, k, state[k], False) for k in order}
    if references is None:
        refs = list(
            Reference.objects.filter(claim__in=claims, independent=True)
            .exclude(stance=Reference.Stance.UNRELATED).order_by("-score", "id")
        )
    else:
        refs = sorted((r for r in references if r.independent
                       and r.stance != Reference.Stance.UNRELATED),
                      key=lambda r: (-r.score, r.pk))
    by_claim: dict[int, list[Reference]] = defaultdict(list)
    for r in refs:
        by_claim[r.claim_id].append(r)
    unrepeated = []
    for c in claims:
        col = columns[outlet_key(c)]
        aspects = aspects_of(c)
        agreeing = [r for r in by_claim[c.pk] if r.stance == Reference.Stance.AGREES]
        if not agreeing:
            unrepeated.append(c)
        for aspect, values in aspects.items():
            cell = col.cells[aspect]
            cell.claims.append(c)
            cell.values += [v for v in values if v and v not in cell.values]
            for r in by_claim[c.pk][:2]:
                ref_col = columns.setdefault(
                    f"ref:{r.publisher or r.source}",
                    Column(f"ref:{r.publisher or r.source}", r.publisher or r.source, False, True),
                )
                if r not in ref_col.cells[aspect].references:
                    ref_col.cells[aspect].references.append(r)
    differences = discrepancies(claims)
    for d in differences:
        for o in d.outlets:
            columns[o].cells[d.aspect].notes.append(d.note)
    ordered = list(columns.values())
    rows = [(key, label, [col.cells[key] for col in ordered]) for key, label in ASPECTS]
    return Comparison(ordered, rows, differences, unrepeated)
