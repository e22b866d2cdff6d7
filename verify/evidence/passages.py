"""Passages are sentences with their neighbours, not fixed windows.

A document is cut into sentences once (`sentences`); a passage is one sentence (its centre)
with the sentence before and after it in the same paragraph, so a passage that says "He
arrived on Tuesday" carries the sentence that says who "he" is. The library stores one
embedding per sentence of a document (verify.evidence.embeddings), in the order `sentences` gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH = re.compile(r"\n\s*\n")
# A full stop ends a sentence unless it follows an abbreviation or an initial.
_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATED = """mr mrs ms dr prof gen lt col maj capt sgt st jr sr vs no jan feb mar apr jun
    jul aug
    sep sept oct nov dec u.s u.n u.k e.g i.e inc corp co ltd dept gov sen rep adm cmdr"""
_ABBREVIATIONS = frozenset(_ABBREVIATED.split())
MAX_SENTENCE_CHARS = 600  # a "sentence" longer than this (a table, a list) is cut


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int


def _split_paragraph(para: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _END.finditer(para):
        before = para[start : m.start()].rstrip("\"'”’)]")
        last = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.split() else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(para[start : m.start()].strip())
        start = m.end()
    out.append(para[start:].strip())
    pieces = []
    for s in out:
        while len(s) > MAX_SENTENCE_CHARS:
            cut = s.rfind(" ", 0, MAX_SENTENCE_CHARS)
            cut = cut if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
            pieces.append(s[:cut].strip())
            s = s[cut:].strip()
        if s:
            pieces.append(s)
    return pieces


def sentences(text: str) -> list[Sentence]:
    """The document's sentences in order, each with the number of its paragraph."""
    out: list[Sentence] = []
    for i, para in enumerate(PARAGRAPH.split(text or "")):
        para = " ".join(para.split())
        if not para:
            continue
        out += [Sentence(s, i) for s in _split_paragraph(para)]
    return out


def window(cut: list[Sentence], centre: int, max_chars: int = 2000) -> tuple[int, int]:
    """[first, last) of the passage around a centre sentence: its neighbours in the same
    paragraph, as long as the passage stays within max_chars."""
    first, last = centre, centre + 1
    size = len(cut[centre].text)
    para = cut[centre].paragraph
    for i in (centre - 1, centre + 1):
        if 0 <= i < len(cut) and cut[i].paragraph == para and size + len(cut[i].text) < max_chars:
            size += len(cut[i].text) + 1
            first, last = min(first, i), max(last, i + 1)
    return first, last


def join(cut: list[Sentence], first: int, last: int) -> str:
    return " ".join(s.text for s in cut[first:last])
