"""Sentence segmentation with exact character spans.

State-media text mixes running prose with lines that carry no final period
(titles, kickers, photo captions), bylines, agency datelines and blog chrome.
Lines are segmented first, then prose is split at sentence punctuation unless
the dot belongs to an abbreviation or an initial.
"""

from __future__ import annotations

import re

from . import lexicon
from .model import Sentence
from .text import fold_phrase

ABBREVIATIONS = lexicon.words("sentences.ABBREVIATIONS")
OUTLETS = lexicon.phrases("sentences.OUTLETS")
CHROME = lexicon.phrases("sentences.CHROME")
CHROME_PREFIX_RE = re.compile(
    r"^\s*(?:tags?:|source:|photo:|\(?file photo|copyright|\u00a9|share this|follow us|"
    r"juche\s+\d+[.\d]*\s*$)",
    re.I,
)
BYLINE_RE = re.compile(
    r"^(?:By|BY|Written by|Reported by)\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4}\s*$"
)
# "Pyongyang, September 14 (KCNA) --", "VLADIVOSTOK, September 13. /TASS/.",
# "BEIJING, June 20 (Xinhua) --"
# "ULAN BATOR, Mongolia, Mar 3 \u2014" (a country after the city, a dash for the agency)
DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'\u2019.\- ]{1,40}?(?:\s*/[A-Za-z .\-]{2,30}/)?"
    r"(?:,\s+[A-Z][A-Za-z.\- ]{1,30}?)?),\s+"
    r"(?P<date>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?)\s*"
    r"(?:\((?P<agency>[A-Za-z][A-Za-z .\-]{1,30})\)\s*(?:--|[\u2013\u2014-])?"
    r"|\.?\s*/(?P<agency2>[A-Za-z\-]{2,12})/\.?|\s*(?:--|[\u2013\u2014]))\s*"
)
# A sentence may end at . ! ? followed by closing quotes/brackets, then space.
BOUNDARY_RE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
NEXT_START_RE = re.compile(r"\s+[\"'\u201c\u2018(\[]*[A-Z0-9\u0400-\u04ff]")
TERMINAL = ".!?\"'\u201d\u2019"
WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\.?$")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; every ``text[s.start:s.end] == s.text``."""
    if not text:
        return []
    out: list[Sentence] = []
    first_line = True
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = _strip_bounds(text, pos, pos + len(line))
        pos += len(line)
        if start >= end:
            continue
        out.extend(_segment_line(text, start, end, first_line))
        first_line = False
    return out


def _strip_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _segment_line(text: str, start: int, end: int, first_line: bool) -> list[Sentence]:
    line = text[start:end]
    kind = _line_kind(line, first_line)
    if kind:
        return [Sentence(start, end, line, kind)]
    segments: list[Sentence] = []
    m = DATELINE_RE.match(line)
    if m and m.end() < len(line):
        segments.append(
            Sentence(start, start + len(m.group().rstrip()), m.group().rstrip(), "dateline")
        )
        start += m.end()
    for s, e in _split_prose(text, start, end):
        segments.append(Sentence(s, e, text[s:e], _segment_kind(text[s:e])))
    return segments


def _line_kind(line: str, first_line: bool) -> str:
    folded = fold_phrase(line)
    if not folded:
        return "chrome"
    if folded in CHROME or CHROME_PREFIX_RE.match(line):
        return "chrome"
    if BYLINE_RE.match(line):
        return "byline"
    if folded in OUTLETS or (
        line.startswith("(") and line.endswith(")") and folded[0:2] and _outlet_prefix(folded)
    ):
        return "chrome"
    if first_line and line[-1] not in TERMINAL and len(folded) <= 20:
        return "title"
    return ""


def _outlet_prefix(folded: tuple[str, ...]) -> bool:
    return any(folded[: len(o)] == o for o in OUTLETS)


def _segment_kind(segment: str) -> str:
    stripped = segment.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return "chrome"  # "(File Photo KCNA)", "(Pyongyang Times - April 24, 2020)"
    if stripped[-1] == ":" and _prose(stripped):
        # "X made public the following statement, which reads:": a sentence that
        # introduces a quotation or a list is running text, not a heading.
        return "body"
    if stripped[-1] not in TERMINAL:
        return "heading"
    return "body"


def _prose(segment: str) -> bool:
    """Running words, not a Title Case heading: at least two lower-case words of three
    letters or more."""
    return sum(1 for w in segment.split() if len(w) > 2 and w.isalpha() and w.islower()) >= 2


def _split_prose(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    seg_start = start
    chunk = text[start:end]
    for m in BOUNDARY_RE.finditer(chunk):
        cut = start + m.end()
        nxt = NEXT_START_RE.match(text, cut, end)
        if not nxt or _is_abbreviation(text, seg_start, start + m.start(), m.group()):
            continue
        spans.append((seg_start, cut))
        seg_start = cut
        while seg_start < end and text[seg_start].isspace():
            seg_start += 1
    if seg_start < end:
        spans.append((seg_start, end))
    return spans


def _is_abbreviation(text: str, seg_start: int, dot: int, punct: str) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial."""
    if not punct.startswith(".") or punct.startswith(".."):
        return False
    m = WORD_BEFORE_RE.search(text, max(seg_start, dot - 12), dot)
    if not m:
        return False
    word = m.group(1)
    if m.start(1) > seg_start and text[m.start(1) - 1].isalpha():
        return False
    if len(word) == 1 and word.isupper():
        return True  # initials: "J. V. Stalin", "U.S."
    return word.lower() in ABBREVIATIONS
