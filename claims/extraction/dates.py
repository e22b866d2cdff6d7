"""Date expressions with precision, resolved against the publication date.

The common forms ("April 25, 2019", "25 April 2019", "in February 2000",
"early 1949", "September 13") are matched with one compiled regex because
dateparser costs milliseconds per call; dateparser is kept for the rarer
relative forms ("three days ago", "last Tuesday") and only sees that phrase.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from .model import DateValue

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_MON_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_PART_WORDS = (
    r"(?:early|mid|middle of|late|end of|the end of|beginning of|the beginning of"
    r"|the first half of|the second half of)"
)
_NOT_UNIT = (
    r"(?![\d,.]*\d)(?!\s*(?:tons?|tonnes?|km|kilometres?|kilometers?|metres?|meters?|people"
    r"|persons|troops|soldiers|units|dollars|rubles|roubles|yuan|won|percent|per cent|%))"
)
_ORD = r"(?:st|nd|rd|th)?"
# Between the two ends of a range of days ("June 20-21", "20 to 21 June"); "and"
# only where a year follows ("on May 3 and 4, 2019"), else "May 3 and 5 people" would do.
_TO = r"(?:\s*[-\u2013]\s*|\s+(?:to|through|until|till)\s+)"
_TO_AND = r"(?:\s*[-\u2013]\s*|\s+(?:to|through|until|till|and)\s+)"
DATE_RE = re.compile(
    rf"\b(?P<iso>(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d))\b"
    rf"|\b(?P<mdy>(?P<m1>{_MON})\s+(?P<d1>[0-3]?\d){_ORD}"
    rf"(?:{_TO_AND}(?:(?P<m1b>{_MON})\s+)?(?P<d1b>[0-3]?\d){_ORD})?(?:,\s*|\s+)(?P<y1>{_YEAR}))\b"
    rf"|\b(?P<dmy>(?P<d2>[0-3]?\d){_ORD}(?:(?:\s+(?P<m2a>{_MON}))?{_TO_AND}(?P<d2b>[0-3]?\d){_ORD})?"
    rf"\s+(?:of\s+)?(?P<m2>{_MON}),?\s+(?P<y2>{_YEAR}))\b"
    rf"|\b(?P<mm>(?P<ma>{_MON_FULL})(?:\s*[-\u2013]\s*(?P<mb>{_MON_FULL})|\s+(?:to|through)\s+"
    rf"(?P<mc>{_MON_FULL})(?=,?\s+(?:of\s+)?(?:{_YEAR}|(?:last|this|next)\s+year)))"
    rf"(?:,?\s+(?:of\s+)?(?:(?P<ymm>{_YEAR})|(?P<wmm>last|this|next)\s+year))?)\b"
    rf"|\b(?P<my>(?:(?P<part>{_PART_WORDS})[\s-]+)?(?P<m3>{_MON}),?\s+(?:of\s+)?(?P<y3>{_YEAR}))\b"
    rf"|\b(?P<mrel>(?P<m7>{_MON}),?\s+(?:of\s+)?(?P<which>last|this|next)\s+year)\b"
    rf"|\b(?P<md>(?P<m4>{_MON})\s+(?P<d4>[0-3]?\d){_ORD}"
    rf"(?:{_TO}(?:(?P<m4b>{_MON})\s+)?(?P<d4b>[0-3]?\d){_ORD})?)\b(?!\s*,?\s*\d)"
    rf"|\b(?P<dm>(?P<d5>[0-3]?\d){_ORD}(?:(?:\s+(?P<m5a>{_MON}))?{_TO}(?P<d5b>[0-3]?\d){_ORD})?"
    rf"\s+(?P<m5>{_MON}))\b(?!\s*,?\s*\d)"
    rf"|(?<![\d$\u20ac\u00a3.,])\b(?P<y>(?:(?P<ypart>{_PART_WORDS})[\s-]+)?(?P<y6>{_YEAR}))\b{_NOT_UNIT}"
    r"|\b(?P<rel>(?:last|this|past|previous|the previous|the same|next)\s+(?:year|month)"
    r"|yesterday|today)\b"
    r"|\b(?P<same>the same day|that same day|the same date)\b"
    rf"|\b(?P<bm>in\s+(?P<m8>{_MON_FULL}))\b(?!\s*,?\s*(?:of\s+)?\d)(?!\s*[-\u2013])"
    rf"(?!\s+(?:to|through)\s+{_MON_FULL})"
    r"(?!\s+(?:of\s+)?(?:last|this|next)\s+year)"
    r"|\b(?:on\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!['\u2019])"
    r"|\b(?P<ago>(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?:days?|weeks?"
    r"|months?|years?)\s+ago|last\s+(?:week|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday))\b",
    re.I,
)
PART_MONTHS = {  # months covered by "early/mid/late YEAR"
    "early": (1, 4),
    "beginning of": (1, 3),
    "the beginning of": (1, 3),
    "mid": (5, 8),
    "middle of": (5, 8),
    "late": (9, 12),
    "end of": (10, 12),
    "the end of": (10, 12),
    "the first half of": (1, 6),
    "the second half of": (7, 12),
}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: DateValue


def year_value(y: int, first_month: int = 1, last_month: int = 12) -> DateValue:
    return DateValue(
        f"{y:04d}",
        "year",
        datetime.date(y, first_month, 1),
        datetime.date(y, last_month, calendar.monthrange(y, last_month)[1]),
    )


def month_value(y: int, m: int, first_day: int = 1, last_day: int | None = None) -> DateValue:
    last = calendar.monthrange(y, m)[1]
    return DateValue(
        f"{y:04d}-{m:02d}",
        "month",
        datetime.date(y, m, max(1, min(first_day, last))),
        datetime.date(y, m, min(last_day or last, last)),
    )


def day_value(y: int, m: int, d: int) -> DateValue:
    day = datetime.date(y, m, d)
    return DateValue(day.isoformat(), "day", day, day)


def shift_years(value: DateValue, years: int) -> DateValue | None:
    """The same date ``years`` earlier, at the same precision (anniversary arithmetic)."""
    try:
        y = value.start.year - years
        if value.precision == "year":
            return year_value(y)
        if value.precision == "month":
            return month_value(y, value.start.month)
        return day_value(
            y, value.start.month, min(value.start.day, calendar.monthrange(y, value.start.month)[1])
        )
    except ValueError:
        return None


def find_dates(
    text: str,
    published: datetime.date | None,
    year_hint: int | None = None,
    previous_day: DateValue | None = None,
) -> list[DateMention]:
    """All date expressions in ``text`` (one sentence), in order. "The same day"
    is the last day named before it in the sentence, else ``previous_day`` (the
    last day the article named before this sentence)."""
    if not any(ch.isdigit() for ch in text) and not _RELATIVE_HINT.search(text):
        return []
    out: list[DateMention] = []
    for m in DATE_RE.finditer(text):
        # A bare "June 5" takes the year of its own clause, else the year the sentence names
        # relatively ("this year"), else the year the story is in (``year_hint``).
        hint = _clause_year(text, m.start()) or _relative_year(text, published) or year_hint
        try:
            if m.group("same"):
                days = [d.value for d in out if d.value.precision == "day"]
                value = days[-1] if days else previous_day
            else:
                value = _resolve(m, published, hint)
        except (ValueError, OverflowError):
            value = None
        if value is not None:
            out.append(DateMention(m.start(), m.end(), value))
    return _counted(text, out)


_COUNTS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "a": 1,
}  # fmt: skip
_YEARS_FROM = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_COUNTS) + r")\s+years?\s+(?P<dir>after|later than|before)\b",
    re.I,
)


def _counted(text: str, found: list[DateMention]) -> list[DateMention]:
    """ "five years after the railway, which was completed in 1996": a year counted from
    a year the sentence writes after it (2001), dated where the count is written."""
    extra = []
    for m in _YEARS_FROM.finditer(text):
        base = next((d for d in found if d.start >= m.end() and d.value.precision == "year"), None)
        if base is None:
            continue
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else _COUNTS[word]
        sign = -1 if m.group("dir").lower() == "before" else 1
        year = base.value.start.year + sign * n
        if 1000 <= year <= 2200:
            extra.append(DateMention(m.start(), m.end(), year_value(year)))
    return sorted([*found, *extra], key=lambda d: d.start) if extra else found


_RELATIVE_HINT = re.compile(
    rf"\b(?:year|month|yesterday|today|ago|last|\w*day|date|{_MON_FULL})\b", re.I
)
_YEAR_ONLY = re.compile(rf"\b({_YEAR})\b")


# Where one clause of a sentence ends and another begins, for the year a date may take.
CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|but|while|whereas|which|who|when|where|as|after|before|since)\b", re.I
)


def _clause_year(text: str, pos: int) -> int | None:
    """The first year written in the clause around ``pos``."""
    start = max((b.end() for b in CLAUSE_BREAK.finditer(text, 0, pos)), default=0)
    nxt = CLAUSE_BREAK.search(text, pos)
    m = _YEAR_ONLY.search(text, start, nxt.start() if nxt else len(text))
    return int(m.group(1)) if m else None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _resolve(
    m: re.Match[str], published: datetime.date | None, hint: int | None
) -> DateValue | None:
    g = m.groupdict()
    if g["iso"]:
        return day_value(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["mdy"]:
        first = _month(g["m1"])
        last = _month(g["m1b"]) if g["m1b"] else first
        return _days(int(g["y1"]), first, int(g["d1"]), last, g["d1b"])
    if g["dmy"]:
        last = _month(g["m2"])
        first = _month(g["m2a"]) if g["m2a"] else last
        return _days(int(g["y2"]), first, int(g["d2"]), last, g["d2b"])
    if g["mm"]:
        return _months(m, published, hint)
    if g["my"]:
        return _with_part_month(int(g["y3"]), _month(g["m3"]), g["part"])
    if g["mrel"]:
        if not published:
            return None
        shift = {"last": -1, "this": 0, "next": 1}[g["which"].lower()]
        return month_value(published.year + shift, _month(g["m7"]))
    if g["md"]:
        first = _month(g["m4"])
        last = _month(g["m4b"]) if g["m4b"] else first
        year = _year_for(last, int(g["d4b"] or g["d4"]), published, hint)
        return _days(year, first, int(g["d4"]), last, g["d4b"]) if year else None
    if g["dm"]:
        last = _month(g["m5"])
        first = _month(g["m5a"]) if g["m5a"] else last
        year = _year_for(last, int(g["d5b"] or g["d5"]), published, hint)
        return _days(year, first, int(g["d5"]), last, g["d5b"]) if year else None
    if g["y"]:
        y = int(g["y6"])
        part = (g["ypart"] or "").lower()
        if part in PART_MONTHS:
            return year_value(y, *PART_MONTHS[part])
        return year_value(y)
    if g["rel"]:
        return _relative(g["rel"].lower(), published)
    if g["bm"]:
        return _bare_month(_month(g["m8"]), published, hint, _future(m))
    if g["wd"]:
        return _weekday(g["wd"], published, _future(m))
    if g["ago"]:
        return _dateparser_relative(g["ago"], published)
    return None


def _days(y: int, first_month: int, day: int, last_month: int, last_day: str | None) -> DateValue:
    """One day, or a range of days ("June 20 to 21, 2019", "30 August to 2 September
    2017") in the year written after it: dated by its first day, which is when a visit
    or a session began, with the last day kept as its end. A range that runs past the
    new year ("December 30 to January 2, 2018") began the year before."""
    if not last_day:
        return day_value(y, first_month, day)
    start_year = y - 1 if first_month > last_month else y
    start = datetime.date(start_year, first_month, day)
    end = datetime.date(y, last_month, int(last_day))
    if end <= start:
        return day_value(start_year, first_month, day)
    return DateValue(start.isoformat(), "day", start, end)


def _months(m: re.Match[str], published: datetime.date | None, hint: int | None) -> DateValue:
    """ "January-October", "March to May 2019", "January-April of this year": months
    of one year, at year precision (the gold's and the sources' way to date such a
    period) spanning just those months. Without a year, the year the article stands
    in: agencies report figures "for January-October" of the current year, while a
    year elsewhere in the sentence is more often the contrast ("in 2023 ..., and in
    January-April ..."); the year before when the period has not ended by publication."""
    first, last = _month(m.group("ma")), _month(m.group("mb") or m.group("mc"))
    if m.group("ymm"):
        year = int(m.group("ymm"))
    elif m.group("wmm") and published:
        year = published.year + {"last": -1, "this": 0, "next": 1}[m.group("wmm").lower()]
    elif published:
        year = published.year
        if _future(m):
            year += first < published.month
        elif last > published.month:
            year -= 1
    elif hint:
        year = hint
    else:
        raise ValueError("a month range with no year to anchor it")
    if last < first:
        first, last = last, first
    return year_value(year, first, last)


def _with_part_month(y: int, mon: int, part: str | None) -> DateValue:
    part = (part or "").lower()
    last = calendar.monthrange(y, mon)[1]
    if part == "early":
        return month_value(y, mon, 1, 10)
    if part in ("mid", "middle of"):
        return month_value(y, mon, 11, 20)
    if part in ("late", "end of", "the end of"):
        return month_value(y, mon, 21, last)
    return month_value(y, mon)


def _year_for(mon: int, day: int, published: datetime.date | None, hint: int | None) -> int | None:
    """Year of a "September 13" with no year: the sentence's year, else the
    publication year, stepping back one year if that lands well after publication."""
    if hint:
        return hint
    if not published:
        return None
    year = published.year
    try:
        if datetime.date(year, mon, day) > published + datetime.timedelta(days=31):
            year -= 1
    except ValueError:
        return None
    return year


def _relative(phrase: str, published: datetime.date | None) -> DateValue | None:
    if not published:
        return None
    y, m = published.year, published.month
    if phrase.endswith("year"):
        back = 0 if phrase.startswith(("this", "the same")) else 1
        return year_value(y + 1 if phrase.startswith("next") else y - back)
    if phrase.endswith("month"):
        if phrase.startswith(("this", "the same")):
            return month_value(y, m)
        if phrase.startswith("next"):
            return month_value(y + 1, 1) if m == 12 else month_value(y, m + 1)
        return month_value(y - 1, 12) if m == 1 else month_value(y, m - 1)
    if phrase == "yesterday":
        d = published - datetime.timedelta(days=1)
        return day_value(d.year, d.month, d.day)
    if phrase == "today":
        return day_value(published.year, published.month, published.day)
    return None


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A clause about what is to come: "Putin will travel to Harbin on Friday".
FUTURE_RE = re.compile(
    r"\b(?:will|shall|is to|are to|(?:is|are) (?:due|scheduled|set|expected|slated) to"
    r"|to be (?:held|hosted|convened|opened|launched|signed|staged)|upcoming|forthcoming)\b",
    re.I,
)
_CLAUSE_START = re.compile(r"[,;:]\s|\bthat\s", re.I)


def _future(m: re.Match[str]) -> bool:
    """The clause before the date speaks of the future."""
    before = m.string[: m.start()]
    cut = max((c.end() for c in _CLAUSE_START.finditer(before)), default=0)
    return bool(FUTURE_RE.search(before, cut))


def _relative_year(text: str, published: datetime.date | None) -> int | None:
    """The year a sentence names relatively ("this year"), for its bare months."""
    if not published:
        return None
    m = _REL_YEAR.search(text)
    if not m:
        return None
    return published.year + {"last": -1, "this": 0, "next": 1}[m.group(1).lower()]


_REL_YEAR = re.compile(r"\b(last|this|next)\s+year\b", re.I)


def _bare_month(
    mon: int, published: datetime.date | None, hint: int | None, future: bool
) -> DateValue | None:
    """ "in October" with no year: the sentence's year, else the publication
    year, moved a year on (future clause) or back (a month well after publication)."""
    if hint:
        return month_value(hint, mon)
    if not published:
        return None
    year = published.year
    if future and mon < published.month:
        year += 1
    elif not future and mon > published.month + 1:
        year -= 1
    return month_value(year, mon)


def _weekday(name: str, published: datetime.date | None, future: bool = False) -> DateValue | None:
    """ "on Thursday" in news copy: the latest such day on or before publication,
    or in a clause about the future, the next such day on or after it."""
    if not published:
        return None
    if future:
        ahead = (WEEKDAYS.index(name.lower()) - published.weekday()) % 7
        d = published + datetime.timedelta(days=ahead)
    else:
        back = (published.weekday() - WEEKDAYS.index(name.lower())) % 7
        d = published - datetime.timedelta(days=back)
    return day_value(d.year, d.month, d.day)


def _dateparser_relative(phrase: str, published: datetime.date | None) -> DateValue | None:
    if not published:
        return None
    import dateparser  # imported lazily: it costs ~0.3 s and most articles never need it

    base = datetime.datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(
        phrase, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    )
    if parsed is None:
        return None
    low = phrase.lower()
    if "year" in low:
        return year_value(parsed.year)
    if "month" in low:
        return month_value(parsed.year, parsed.month)
    return day_value(parsed.year, parsed.month, parsed.day)
