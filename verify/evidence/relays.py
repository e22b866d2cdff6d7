"""Relays of state media: a passage that says where it got its facts from, and it is a state
outlet ("KCNA said", "according to Xinhua", "citing TASS"), repeats that outlet; it does
not corroborate the outlet's claim, whatever the domain it sits on.

The phrases are vocabulary (verify/evidence/data/relays.json); this module only matches them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "relays.json"


def _words(phrase: str) -> str:
    return re.escape(phrase).replace(r"\ ", r"\s+")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str],
                         list[tuple[str, str]]]:
    """The agency names; what may stand before one ("according to ") and after one
    (" said", ")"), each anchored at the name."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    names = "|".join(
        _words(a).replace("'", "['’]") for a in sorted(data["agencies"], key=len, reverse=True)
    )
    pairs = [p.partition("{agency}") for p in data["patterns"]]
    befores = sorted({b for b, _, a in pairs if b and not a}, key=len, reverse=True)
    afters = sorted({a for b, _, a in pairs if a and not b}, key=len, reverse=True)
    wraps = [(b, a) for b, _, a in pairs if b and a]  # "({agency})", "/{agency}/"
    return (
        # Whole words: "RIA" is not in "Syria"; "(KCNA)" and "/TASS/" carry their own marks.
        re.compile(rf"(?<![\w-])(?:{names})(?![\w-])", re.I),
        re.compile(rf"(?:{'|'.join(_words(b) for b in befores)})$", re.I),
        re.compile(rf"^(?:{'|'.join(_words(a) for a in afters)})", re.I),
        wraps,
    )


def relayed(text: str) -> str:
    """The phrase that attributes the text to state media ("according to KCNA"), or ""."""
    agencies, before, after, wraps = _patterns()
    for hit in agencies.finditer(text or ""):
        for left, right in wraps:
            if text[: hit.start()].endswith(left) and text[hit.end() :].startswith(right):
                return f"{left}{hit.group()}{right}".strip()
        ahead = before.search(text[max(0, hit.start() - 40) : hit.start()])
        if ahead:
            return " ".join((ahead.group() + hit.group()).split())
        behind = after.match(text[hit.end() : hit.end() + 40])
        if behind:
            return " ".join((hit.group() + behind.group()).split())
    return ""
