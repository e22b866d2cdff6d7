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


@cache
def _pattern() -> re.Pattern[str]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    agencies = sorted(data["agencies"], key=len, reverse=True)
    names = "|".join(re.escape(a).replace(r"\ ", r"\s+").replace("'", "['’]") for a in agencies)
    # Whole words: "RIA" is not in "Syria"; "(KCNA)" and "/TASS/" carry their own marks.
    agency = rf"(?<![\w-])(?:{names})(?![\w-])"
    alternatives = [
        re.escape(before).replace(r"\ ", r"\s+") + agency + re.escape(after).replace(r"\ ", r"\s+")
        for before, _, after in (p.partition("{agency}") for p in data["patterns"])
    ]
    return re.compile("|".join(alternatives), re.I)


def relayed(text: str) -> str:
    """The phrase that attributes the text to state media ("according to KCNA"), or ""."""
    m = _pattern().search(text or "")
    return " ".join(m.group().split()) if m else ""
