"""Gazetteer lookup, title resolution and unlinked names.

Lookup is exact on normalised token sequences (accents, hyphens and
apostrophes folded away), never fuzzy: "Kim Jong Un" and "Kim Jong Il" differ
by one token and a similarity threshold would merge them.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import EntityRef
from .text import Token, fold_word, tokenize

DEFAULT_PATH = Path(__file__).with_name("gazetteer.json")


@dataclass(frozen=True)
class Entry:
    name: str
    qid: str | None
    kind: str
    country: str | None = None

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.name, self.qid, self.kind)


@dataclass(frozen=True)
class Pattern:
    """One alias as folded tokens plus, per token, the case the text must show:
    "A" all capitals (acronyms: "US" is not "us"), "C" capital initial, "*" any."""

    folds: tuple[str, ...]
    cases: tuple[str, ...]

    def accepts(self, raws: list[str]) -> bool:
        for case, raw in zip(self.cases, raws, strict=False):
            if case == "A" and not raw.isupper():
                return False
            if case == "C" and not raw[:1].isupper():
                return False
        return True


def _pattern(alias: str) -> Pattern | None:
    toks = tokenize(alias)
    if not toks:
        return None
    cases = tuple(
        "A" if len(t.raw) > 1 and t.raw.isupper() else "C" if t.raw[:1].isupper() else "*"
        for t in toks
    )
    return Pattern(tuple(t.fold for t in toks), cases)


@dataclass
class _Index:
    by_first: dict[str, list[tuple[Pattern, list[Entry]]]] = field(default_factory=dict)

    def add(self, alias: str, entry: Entry) -> None:
        pat = _pattern(alias)
        if pat is None:
            return
        bucket = self.by_first.setdefault(pat.folds[0], [])
        for existing, entries in bucket:
            if existing == pat:
                if entry not in entries:
                    entries.append(entry)
                return
        bucket.append((pat, [entry]))
        bucket.sort(key=lambda item: -len(item[0].folds))  # longest alias first

    def match(self, tokens: list[Token], i: int) -> tuple[int, list[Entry]] | None:
        """Longest alias starting at token ``i``: (end token index, entries)."""
        for pat, entries in self.by_first.get(tokens[i].fold, ()):
            n = len(pat.folds)
            if i + n > len(tokens):
                continue
            window = tokens[i : i + n]
            if tuple(t.fold for t in window) != pat.folds:
                continue
            if not _contiguous(window) or not pat.accepts([t.raw for t in window]):
                continue
            return i + n, entries
        return None


def _contiguous(window: list[Token]) -> bool:
    # Tokens of one alias may be separated by space, hyphen or dot only, not by
    # a comma or a line break ("Kim Jong Un, Putin" must not glue names).
    return all(b.start - a.end <= 2 for a, b in itertools.pairwise(window))


class Gazetteer:
    def __init__(self) -> None:
        self.names = _Index()
        self.titles = _Index()
        self.demonyms: dict[str, Entry] = {}
        self.by_qid: dict[str, Entry] = {}

    @classmethod
    def from_records(cls, records: list[dict[str, Any]]) -> Gazetteer:
        gaz = cls()
        for rec in records:
            entry = Entry(
                str(rec["name"]),
                rec.get("qid") or None,
                str(rec.get("kind") or "other"),
                rec.get("country"),
            )
            if entry.qid:
                gaz.by_qid[entry.qid] = entry
            for alias in [entry.name, *rec.get("aliases", [])]:
                gaz.names.add(str(alias), entry)
            for title in rec.get("titles", []):
                gaz.titles.add(str(title), entry)
            for dem in rec.get("demonym", []):
                gaz.demonyms[fold_word(str(dem).split()[-1])] = entry
        return gaz

    def country_of(self, entry: Entry) -> Entry | None:
        return self.by_qid.get(entry.country) if entry.country else None


@lru_cache(maxsize=8)
def _load(path: str) -> Gazetteer:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    records = data["entities"] if isinstance(data, dict) else data
    return Gazetteer.from_records(records)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The shipped gazetteer (or one at ``path``), parsed once and cached."""
    return _load(str(path or DEFAULT_PATH))


@dataclass(frozen=True)
class Mention:
    start: int  # article offsets
    end: int
    ref: EntityRef
    entry: Entry | None
    via: str  # "name", "title" (bare title resolved by context) or "unlinked"


@dataclass
class Discourse:
    """What the article has said so far, for resolving bare titles and
    "the two leaders" to people."""

    persons: list[Entry] = field(default_factory=list)

    def note(self, entry: Entry) -> None:
        if entry.kind == "person":
            if entry in self.persons:
                self.persons.remove(entry)
            self.persons.append(entry)

    def latest(self, candidates: list[Entry]) -> Entry | None:
        for entry in reversed(self.persons):
            if entry in candidates:
                return entry
        return candidates[0] if len(candidates) == 1 else None

    def leader_pair(self) -> tuple[Entry, Entry] | None:
        """The two most recently named people of different countries."""
        for i in range(len(self.persons) - 1, -1, -1):
            for j in range(i - 1, -1, -1):
                a, b = self.persons[j], self.persons[i]
                if a.country and b.country and a.country != b.country:
                    return a, b
        return None


CONNECTORS = frozenset({"of", "the", "and", "for", "on", "de", "in"})
NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "at",
        "on",
        "to",
        "of",
        "and",
        "but",
        "or",
        "for",
        "with",
        "by",
        "from",
        "as",
        "through",
        "after",
        "before",
        "during",
        "many",
        "some",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "our",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "there",
        "here",
        "while",
        "when",
        "where",
        "which",
        "who",
        "what",
        "however",
        "meanwhile",
        "also",
        "both",
        "all",
        "such",
        "other",
        "another",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "comrade",
        "comrades",
        "mr",
        "mrs",
        "ms",
    ]
)
KIND_HEADS = {
    "army": "org",
    "party": "org",
    "ministry": "org",
    "committee": "org",
    "commission": "org",
    "agency": "org",
    "association": "org",
    "council": "org",
    "assembly": "org",
    "union": "org",
    "front": "org",
    "corps": "org",
    "navy": "org",
    "force": "org",
    "forces": "org",
    "university": "org",
    "organization": "org",
    "organisation": "org",
    "bureau": "org",
    "department": "org",
    "delegation": "org",
    "declaration": "document",
    "treaty": "document",
    "agreement": "document",
    "accord": "document",
    "statement": "document",
    "charter": "document",
    "pact": "document",
    "protocol": "document",
    "war": "event",
    "battle": "event",
    "revolution": "event",
    "island": "place",
    "square": "place",
    "province": "place",
    "region": "place",
    "city": "place",
    "station": "place",
    "palace": "place",
}


def find_mentions(tokens: list[Token], gaz: Gazetteer, ctx: Discourse) -> list[Mention]:
    """Gazetteer names (with any leading titles), bare titles and unlinked names."""
    out: list[Mention] = []
    i, n = 0, len(tokens)
    while i < n:
        found = _name_or_title(tokens, i, gaz, ctx)
        if found is None:
            j = _unlinked_end(tokens, i, gaz)
            if i == 0 and j == 1:
                j = 0  # a capitalised first word is just the start of the sentence
            if j > i:
                out.append(_unlinked(tokens, i, j))
                i = j
            else:
                i += 1
            continue
        mention, i = found
        out.append(mention)
        if mention.entry:
            ctx.note(mention.entry)
    return out


def _name_or_title(
    tokens: list[Token], i: int, gaz: Gazetteer, ctx: Discourse
) -> tuple[Mention, int] | None:
    name = gaz.names.match(tokens, i)
    title = gaz.titles.match(tokens, i)
    if name and (not title or name[0] >= title[0]):
        entry = name[1][0]
        return Mention(tokens[i].start, tokens[name[0] - 1].end, entry.ref, entry, "name"), name[0]
    if not title:
        return None
    j, holders = title
    while j < len(tokens):  # "General Secretary Comrade Kim Jong Un"
        more = gaz.titles.match(tokens, j)
        if not more:
            break
        j = more[0]
    if j < len(tokens):
        named = gaz.names.match(tokens, j)
        if named and named[1][0].kind == "person":
            entry = named[1][0]
            return Mention(
                tokens[i].start, tokens[named[0] - 1].end, entry.ref, entry, "name"
            ), named[0]
    # A bare title refers to someone only when it looks like a title in the
    # text: capitalised ("the Supreme Leader") or several words ("the DPRK leader").
    if not (tokens[i].raw[:1].isupper() or j - i > 1):
        return None
    holder = ctx.latest(holders)
    if holder is None:
        return None
    return Mention(tokens[i].start, tokens[j - 1].end, holder.ref, holder, "title"), j


def _unlinked_end(tokens: list[Token], i: int, gaz: Gazetteer) -> int:
    """End of a run of capitalised words starting at ``i`` (0 run -> i)."""
    t = tokens[i]
    if not t.raw[:1].isupper() or t.fold in NOT_NAMES or t.raw.isdigit():
        return i
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        if tokens[j].start - tokens[j - 1].end > 2:
            break
        if (tok.raw[:1].isupper() and tok.fold not in NOT_NAMES) or (
            tok.fold in CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].raw[:1].isupper()
        ):
            j += 1
        else:
            break
    while j > i and tokens[j - 1].fold in CONNECTORS:
        j -= 1
    if j - i == 1 and (t.fold in gaz.demonyms or len(t.raw) < 2):
        return i  # "Russian", "Chinese" alone are adjectives, not names
    return j


def _unlinked(tokens: list[Token], i: int, j: int) -> Mention:
    words = [t.raw.replace("\u2019", "'") for t in tokens[i:j]]
    kind = KIND_HEADS.get(tokens[j - 1].fold, "other")
    return Mention(
        tokens[i].start, tokens[j - 1].end, EntityRef(" ".join(words), None, kind), None, "unlinked"
    )
