"""Stance signals beyond dates: figures, outcome and denial cues, the agent of an act.

Each function reads plain text and returns what it found with the words a reviewer can
check; verify.evidence.stance decides what the findings mean for a claim. The vocabulary (number
words, qualifiers, units, denial cues, outcomes that exclude each other, acts) is data:
verify/evidence/data/signals.json.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from verify.evidence.text import STOPWORDS, dates_in, fold, terms

DATA = Path(__file__).resolve().parent / "data" / "signals.json"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$", re.I)
MONTH_AFTER = re.compile(rf"^\s+{_MONTH}\b", re.I)
INF = math.inf


@cache
def vocabulary() -> dict[str, Any]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data["unit_of"] = {fold(w): unit for unit, ws in data["units"].items() for w in ws.split()}
    data["skip"] = {fold(w) for w in data["unit_skip"].split()}
    data["not_count"] = {fold(w) for w in data["not_counts"].split()}
    # Acts as written, not folded: "launched" is an act, "the launch facilities" are not.
    data["act_of"] = {w.lower(): act for act, ws in data["acts"].items() for w in ws.split()}
    return data


def _phrase(words: str) -> str:
    return r"\s+".join(re.escape(w) for w in words.split())


# --- Figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    low: float
    high: float
    unit: str  # a unit class from the vocabulary ("people", "percent"), else the noun
    phrase: str  # as written, for the hint

    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high


@cache
def _number_pattern() -> re.Pattern[str]:
    v = vocabulary()
    qualifiers = "|".join(_phrase(q) for q in sorted(v["qualifiers"], key=len, reverse=True))
    vague = "|".join(_phrase(q) for q in sorted(v["vague"], key=len, reverse=True))
    words = "|".join(_phrase(q) for q in sorted(v["number_words"], key=len, reverse=True))
    scales = "|".join(v["scales"])
    return re.compile(
        rf"(?:(?P<qual>{qualifiers})\s+)?"
        rf"(?:(?P<vague>{vague})|(?P<cur>\$|US\$)?\s?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"
        rf"|\d{{1,3}}(?:[ \u00a0]\d{{3}})+(?![\d.,])"
        rf"|\d+(?:\.\d+)?|(?:{words})(?=[\s-]))(?:\s*(?P<scale>{scales})\b)?)"
        rf"(?P<pct>\s?%|\s+per\s?cent\b)?",
        re.I,
    )


def _exact_range(value: float) -> tuple[float, float]:
    """A figure as written stands for a small range: a round one for more ("10,000" may
    be 9,700), a precise one for itself (allowing one unit of rounding)."""
    digits = len(str(int(value))) if value >= 1 else 1
    zeros = len(str(int(value))) - len(str(int(value)).rstrip("0")) if value >= 10 else 0
    if zeros >= 2 or (zeros >= 1 and digits <= 2):
        return value * 0.95, value * 1.05
    return value - 0.5, value + 0.5


def quantities(text: str, published: Any = None) -> list[Quantity]:
    """The figures of a text with their units; dates, years, ordinals and parts of names
    ("Su-57", "G20") are not figures."""
    return list(_quantities(text, published))


@lru_cache(maxsize=2048)
def _quantities(text: str, published: Any) -> tuple[Quantity, ...]:
    v = vocabulary()
    found = list(_number_pattern().finditer(text))
    if not found:
        return ()
    # Dates and clock times ("at 7:09 a.m.") are read by their own signals, not as counts.
    taken = [(m.start, m.end) for m in dates_in(text, published)]
    taken += [(m.start(), m.end()) for m in _clock_pattern().finditer(text)]
    out = []
    for m in found:
        s, e = m.span("vague") if m.group("vague") else m.span("num")
        if any(a <= s < b or a < e <= b for a, b in taken):
            continue
        before, after = text[max(0, s - 1) : s], text[e : e + 2]
        if re.match(r"[\w-]", before) or re.match(r"(?:st|nd|rd|th)\b|[\w]", after, re.I):
            continue
        if MONTH_BEFORE.search(text[max(0, s - 12) : s]) or MONTH_AFTER.match(text[e : e + 12]):
            continue  # a day without its year ("on September 17"), which dates_in may miss
        if m.group("vague"):
            low, high = v["vague"][" ".join(m.group("vague").lower().split())]
        else:
            raw = re.sub(r"[,\s]", "", m.group("num"))
            try:
                value = float(raw)
            except ValueError:
                value = float(v["number_words"][" ".join(raw.lower().split())])
            if m.group("scale"):
                value *= v["scales"][m.group("scale").lower()]
            elif 1900 <= value <= 2099 and raw == m.group("num") and not m.group("cur"):
                continue  # a year
            low, high = _exact_range(value)
            qual = v["qualifiers"].get(" ".join((m.group("qual") or "").lower().split()))
            if qual == "above":
                low, high = value, INF
            elif qual == "below":
                low, high = 0.0, value
            elif qual == "nearly":
                low, high = value * 0.8, value
            elif qual == "about":
                low, high = value * 0.85, value * 1.15
        unit = (
            "percent"
            if m.group("pct")
            else "dollars"
            if m.group("cur")
            else _unit(text, m.start(), m.end())
        )
        if re.search(r"\b(?:the|both|these|those|all)\s+$", text[max(0, s - 7) : s], re.I):
            continue  # "the two leaders": things already counted, not a count
        if unit and unit not in v["not_count"]:
            out.append(Quantity(low, high, unit, " ".join(m.group().split())))
    return tuple(out)


def _unit(text: str, start: int, end: int) -> str:
    """What is counted: a known unit in the two words after the figure, the last one winning
    ("30-member delegation", "10,000 cheering people", "Korean soldiers"), or the noun
    before "of" ("a delegation of 12"), else the first word after it."""
    v = vocabulary()
    m = re.search(r"([A-Za-z]+)\s+of\s*$", text[max(0, start - 40) : start])
    if m and fold(m.group(1)) in v["unit_of"]:
        return str(v["unit_of"][fold(m.group(1))])
    # A compound names its own unit: "a two-day visit" counts days, not visits or states.
    joined = re.match(r"-([A-Za-z]+)", text[end : end + 30])
    if joined:
        word = fold(joined.group(1).lower())
        if word in STOPWORDS:  # "one-on-one", "face-to-face": not a count
            return ""
        return str(v["unit_of"].get(word, word))
    after = [
        fold(part)
        for raw in re.findall(r"[A-Za-z][\w'-]*", text[end : end + 60])[:4]
        for part in raw.lower().split("-")
    ]
    content = [w for w in after if w and w not in v["skip"]][:2]
    known = [v["unit_of"][w] for w in content if w in v["unit_of"]]
    if known:
        return str(known[-1])
    return content[0] if content else ""


def compare_figures(claimed: str, stated: str, published: Any = None) -> tuple[str, str]:
    """("agrees" | "differs" | "", hint): the figures of the claim against the source's,
    for the same unit. A differing figure wins over an agreeing one of another unit."""
    mine = quantities(claimed)
    if not mine:
        return "", ""
    theirs = quantities(stated, published)
    agree = ""
    for q in mine:
        same = [t for t in theirs if t.unit == q.unit]
        if not same:
            continue
        if any(t.overlaps(q) for t in same):
            hit = next(t for t in same if t.overlaps(q))
            agree = agree or f"figure agrees: source says “{hit.phrase}”, the claim “{q.phrase}”"
        else:
            return "differs", (
                f"figure differs: source says “{same[0].phrase}”, the claim “{q.phrase}” ({q.unit})"
            )
    return ("agrees", agree) if agree else ("", "")


def figure_context(claimed: str, stated_sentence: str) -> set[str]:
    """The words a source's sentence shares with the claim beyond the figures and what
    they count: the sign that a figure there is about the same thing ("lined up along the
    road"), not another count of the same day."""
    v = vocabulary()
    counting = set(v["unit_of"]) | {fold(w) for w in v["number_words"]}
    counting |= {fold(w) for w in v["vague"] for w in w.split()} | set(v["scales"])
    mine = set(terms(claimed)) - counting
    return {w for w in terms(stated_sentence) if w in mine and not w.isdigit()}


# --- Clock times ---------------------------------------------------------------------------


@cache
def _clock_pattern() -> re.Pattern[str]:
    ampm = r"(?P<{}>[ap]\.?\s?m\b\.?)"
    return re.compile(
        r"(?<![\d.,:])(?:"
        rf"(?P<h1>[01]?\d|2[0-3]):(?P<m1>[0-5]\d)(?:\s*{ampm.format('p1')})?"  # 7:09 (a.m.)
        # 13.00 hours; a decimal ("18.40 percent") is not a time
        rf"|(?P<h2>[01]?\d|2[0-3])\.(?P<m2>[0-5]\d)\s*(?:{ampm.format('p2')}|hours?\b|hrs\b"
        r"|(?=\(?local\s+time))"
        rf"|(?P<h3>1[0-2]|0?\d)\s*{ampm.format('p3')}"  # 9 a.m.
        r")(?!\d)",
        re.I,
    )


@dataclass(frozen=True)
class Clock:
    minutes: int  # after midnight, on a 24-hour clock
    phrase: str


def clock_times(text: str) -> list[Clock]:
    """The times of day a text states ("7:09 a.m.", "13.00 hours", "9:00 (local time)",
    "2:22 a.m."), on a 24-hour clock."""
    out = []
    for m in _clock_pattern().finditer(text):
        hour = int(m.group("h1") or m.group("h2") or m.group("h3"))
        minute = int(m.group("m1") or m.group("m2") or 0)
        ampm = (m.group("p1") or m.group("p2") or m.group("p3") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        out.append(Clock(hour * 60 + minute, " ".join(m.group().split())))
    return out


def missing_detail(claimed: str, stated: str, published: Any = None) -> str:
    """What the claim states precisely that the source does not carry: a figure of the
    claim's unit or its time of day. Parties and a date agreeing do not confirm "an 80-gun
    salute" or "met at 7:09 a.m." when the source gives no such figure or time. "" when the
    source carries every one (a differing figure is the figure signal's to report). How
    long talks lasted is not asked for: the dev gold counts the talks confirmed without it
    as often as not."""
    mine = quantities(claimed)
    theirs = quantities(stated, published) if mine else []  # reading a passage costs
    for q in mine:
        if not any(t.unit == q.unit for t in theirs):
            return f"the source gives no figure for “{q.phrase} {q.unit}”"
    said = clock_times(claimed)
    times = {c.minutes for c in clock_times(stated)} if said else set()
    for c in said:
        if not any(abs(c.minutes - t) <= 1 or abs(c.minutes % 720 - t % 720) <= 1 for t in times):
            return f"the source gives no time of day (the claim says “{c.phrase}”)"
    return ""


# --- Denials and outcomes ------------------------------------------------------------------


@cache
def _denial_pattern() -> re.Pattern[str]:
    alternatives = "|".join(
        _phrase(d) for d in sorted(vocabulary()["denials"], key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})\b", re.I)


QUOTED = re.compile(r"[“\"]([^”\"]{40,})[”\"]")


def denial(text: str) -> str:
    """The denial cue in the text ("denied", "no evidence", "fabricated"), or "". Words
    inside a quoted statement are the speaker's ("...cannot deny the successes..."), not
    the source denying anything; a short quote ("called it “fabricated”") still counts."""
    m = _denial_pattern().search(QUOTED.sub(" ", text))
    return m.group().lower() if m else ""


@cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"\b{_phrase(phrase)}\b", re.I)


def _has(text: str, phrase: str) -> bool:
    return _phrase_pattern(phrase).search(text) is not None


def outcome(claimed: str, stated: str) -> str:
    """A hint when the source states an outcome that excludes the claim's ("collapsed"
    against "agreed"), else ""."""
    for side_a, side_b in vocabulary()["outcomes"]:
        for mine, other in ((side_a, side_b), (side_b, side_a)):
            said = next((p for p in mine if _has(claimed, p)), "")
            if not said or any(_has(claimed, p) for p in other):
                continue
            found = next((p for p in other if _has(stated, p)), "")
            if found and not any(_has(stated, p) for p in mine):
                return f"outcome differs: source says “{found}”, the claim “{said}”"
    return ""


# --- Acts --------------------------------------------------------------------------------


def acts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, act) for each act word of the text ("signed" -> sign), in the forms the
    vocabulary lists."""
    act_of = vocabulary()["act_of"]
    return [
        (m.start(), m.end(), act_of[m.group().lower()])
        for m in re.finditer(r"[A-Za-z-]+", text)
        if m.group().lower() in act_of
    ]
