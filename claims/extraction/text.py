"""Normalisation and tokenisation shared by every stage."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Words are runs of letters/digits; an apostrophe inside a word keeps it whole
# ("People's") while hyphens split ("Kim Jong-un" -> kim, jong, un), so all
# romanisations of a name reduce to the same token sequence.
TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


class Token(NamedTuple):
    start: int
    end: int
    raw: str
    fold: str


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Lower-case, strip accents and apostrophes: "People’s" -> "peoples"."""
    if word.isascii():
        return word.lower().replace("'", "")
    norm = unicodedata.normalize("NFKD", word)
    norm = "".join(ch for ch in norm if not unicodedata.combining(ch))
    return norm.lower().replace("'", "").replace("\u2019", "")


def tokenize(text: str, offset: int = 0) -> list[Token]:
    return [
        Token(m.start() + offset, m.end() + offset, m.group(), fold_word(m.group()))
        for m in TOKEN_RE.finditer(text)
    ]


def fold_phrase(text: str) -> tuple[str, ...]:
    return tuple(fold_word(m.group()) for m in TOKEN_RE.finditer(text))


def squeeze(text: str) -> str:
    """Single spaces and straight apostrophes, for display names."""
    return " ".join(text.replace("\u2019", "'").split())
