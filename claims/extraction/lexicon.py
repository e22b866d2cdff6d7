"""The engine's word lists, read once from lexicon.json beside the gazetteer."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("lexicon.json")


@cache
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(PATH.read_text(encoding="utf-8"))
    return loaded


def words(key: str) -> frozenset[str]:
    return frozenset(data()[key])


def phrases(key: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split()) for p in data()[key])


def mapping(key: str) -> dict[str, Any]:
    return dict(data()[key])


def word_regex(words: list[str]) -> re.Pattern[str]:
    """Whole words or phrases, case-insensitive, longest first; a trailing * matches any
    ending ("anthem*" is "anthems" too)."""
    alts = sorted(
        (re.escape(w[:-1]) + r"[\w-]*" if w.endswith("*") else re.escape(w) for w in words),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)
