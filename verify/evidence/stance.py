"""Stance hints per reference and an overall suggestion per claim: explained, never a verdict.

Agreement is never decided by similarity: a passage agrees only when it names the claim's
parties (by Wikidata id, gazetteer name, or all the words of an unlinked name) *and* its
date agrees at the coarser of the two precisions (one day of tolerance), or, for a claim
without a date, when it also names the event. A sentence with the wrong year looks almost
identical to the right one; here it comes out as "date differs".

Dates in passages are found with the extractor's own date grammar
(claims.extraction.dates.find_dates: regexes, and dateparser for the rare relative forms),
resolved against the reference's publication date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rapidfuzz.distance import Indel

from claims.extraction.entities import Discourse, find_mentions
from claims.extraction.text import tokenize
from verify.evidence import signals
from verify.evidence.text import (
    EVENT_OF,
    EVENT_WORDS,
    dates_in,
    event_near,
    fold,
    host_of,
    terms,
    words,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from claims.extraction import Gazetteer
    from claims.extraction.entities import Mention
    from claims.models import Claim
    from verify.models import Reference

AGREES, CONTRADICTS, RELATED, UNRELATED = "agrees", "contradicts", "related", "unrelated"
NOT_ASSESSED = "not_assessed"
SUPPORTED, DISPUTED, UNVERIFIED = "supported", "disputed", "unverified"
ORDER = {"year": 0, "month": 1, "day": 2}
SENTENCE = re.compile(r"[^\s].*?(?:[.!?](?=\s|$)|$)", re.S)
ANNIVERSARY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+anniversary", re.I)
YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")


# --- Dates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A date as a claim or a source states it: an interval at a precision."""

    precision: str  # year | month | day
    start: date
    end: date

    def __str__(self) -> str:
        if self.precision == "year":
            return str(self.start.year)
        month = f"{calendar.month_name[self.start.month]} {self.start.year}"
        if self.precision == "day":
            return f"{self.start.day} {month}"
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        if self.start.day == 1 and self.end.day == last:
            return month
        return f"{self.start.day}–{self.end.day} {month}"


def claim_when(claim: Claim) -> When | None:
    if not (claim.date_precision and claim.date_start):
        return None
    return When(claim.date_precision, claim.date_start, claim.date_end or claim.date_start)


def _expand(start: date, end: date, precision: str) -> tuple[date, date]:
    """The interval widened to whole months or years."""
    if precision == "year":
        return date(start.year, 1, 1), date(end.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(end.year, end.month)[1]
        return start.replace(day=1), end.replace(day=last)
    return start, end


def dates_agree(claimed: When, stated: When) -> bool:
    """Compare at the coarser precision, with one day of tolerance on the day-precise side
    (the claim's when both are): "9 February 2000" agrees with "February 2000", "18 June
    2024" with "19 June 2024", but not "March 2000" with "February 2000"."""
    coarser = min(claimed.precision, stated.precision, key=ORDER.__getitem__)
    a, b = (claimed.start, claimed.end), (stated.start, stated.end)
    one = timedelta(days=1)
    if claimed.precision == "day":
        a = (a[0] - one, a[1] + one)
    elif stated.precision == "day":
        b = (b[0] - one, b[1] + one)
    a, b = _expand(*a, coarser), _expand(*b, coarser)
    return a[0] <= b[1] and b[0] <= a[1]


def describe_agreement(claimed: When, stated: When) -> str:
    if str(claimed) == str(stated):
        return f"date agrees ({stated})"
    finer = ORDER[stated.precision] - ORDER[claimed.precision]
    if finer > 0 or (finer == 0 and claimed.start <= stated.start and stated.end <= claimed.end):
        return f"date agrees ({stated} is within {claimed})"
    if finer < 0:
        return f"date agrees at the source's precision ({stated} includes {claimed})"
    return f"date agrees within a day (source says {stated}, the claim {claimed})"


def passage_dates(text: str, published: date | None) -> list[When]:
    return [When(m.value.precision, m.value.start, m.value.end) for m in dates_in(text, published)]


def anniversary_check(claim: Claim, stated: When) -> str:
    """For an anniversary claim: "1949 + 70 = 2019" when the sentence's ordinal and one of
    its years fit the source's date of the original event, else ""."""
    years = {int(y) for y in YEAR.findall(claim.sentence)}
    for n in (int(x) for x in ANNIVERSARY.findall(claim.sentence)):
        for year in range(stated.start.year, stated.end.year + 1):
            if year + n in years:
                return f"anniversary arithmetic checks out ({year} + {n} = {year + n})"
    return ""


# --- Parties -------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    name: str
    qid: str


def _content(name: str) -> set[str]:
    return {w for _, _, w in words(name) if len(w) > 2 and w not in {"the", "and", "of", "on"}}


def named(party: Party, mentions: list[Mention], passage_words: set[str]) -> bool:
    """The passage names the party: same Wikidata id, same gazetteer name, a place in that
    country (for states), or every word of an unlinked name (allowing for word endings:
    "establishment" is named by "established")."""
    for m in mentions:
        if party.qid and m.ref.qid == party.qid:
            return True
        if m.ref.name.casefold() == party.name.casefold():
            return True
        if (
            party.qid
            and m.entry is not None
            and m.entry.kind == "place"
            and m.entry.country == party.qid
        ):
            return True
    if party.qid:
        return False
    wanted = {fold(w) for w in _content(party.name)}
    return bool(wanted) and all(any(_same_stem(w, p) for p in passage_words) for w in wanted)


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return n >= 6 and n >= 0.75 * min(len(a), len(b))


def counterparts(
    party: Party, parties: list[Party], mentions: list[Mention], gazetteer: Gazetteer
) -> list[str]:
    """Other people or states of the party's kind that the passage names instead of it."""
    entry = gazetteer.by_qid.get(party.qid) if party.qid else None
    if entry is None or entry.kind not in ("person", "state"):
        return []
    mine = {p.qid for p in parties} | {p.name.casefold() for p in parties}
    # "North Korea" in a passage about Kim Jong Un is his country, not another counterpart.
    mine |= {e.country for p in parties if (e := gazetteer.by_qid.get(p.qid)) and e.country}
    return list(
        dict.fromkeys(
            m.ref.name
            for m in mentions
            if m.entry is not None
            and m.entry.kind == entry.kind
            and m.ref.qid not in mine
            and m.ref.name.casefold() not in mine
        )
    )


def claim_parties(claim: Claim) -> list[Party]:
    first = (
        (claim.speaker_name, claim.speaker_qid)
        if claim.type == "quote" and claim.speaker_name
        else (claim.subject_name, claim.subject_qid)
    )
    pairs = [first, (claim.object_name, claim.object_qid)]
    return [Party(n, q) for n, q in pairs if n]


# --- Per reference -------------------------------------------------------------------


@dataclass
class Finding:
    stance: str
    hint: str
    parties: float  # how many of the claim's parties the passage names
    # "agrees", "coarse" (agrees at the source's coarser precision), "differs", "elsewhere"
    # (the source's dates are of another occasion) or None (nothing to compare)
    date: str | None = None


# Thresholds on the cosine of the passage's best sentence to the claim's sentence (dev split).
SIMILAR = 0.5  # about the same thing, though few words are shared
SAME_WORDS = 0.65  # a quote in another translation says the same, whatever words it shares
QUOTE_WORDS = 0.5  # this share of the quote's key words in the source: the same words
# A date of the same act this close to the claim's is a wrong date; further, another event.
WRONG_DATE_DAYS = 45
REPORTED_WITHIN_DAYS = 3  # a report published this soon after the claimed day dates it
LATIN = re.compile(r"[A-Za-z]")


LETTER = re.compile(r"[^\W\d_]")


def readable(passage: str) -> bool:
    """The checks read English: a passage mostly in another script is not assessed."""
    letters = len(LETTER.findall(passage))
    return bool(letters) and len(LATIN.findall(passage)) >= 0.5 * letters


_mentions: dict[tuple[int, str], list[Mention]] = {}


def mentions_in(passage: str, gazetteer: Gazetteer) -> list[Mention]:
    """The gazetteer's mentions in a passage, remembered: a claim's passages are ranked
    again each time one of its jobs finishes."""
    key = (id(gazetteer), passage)
    found = _mentions.get(key)
    if found is None:
        if len(_mentions) > 4096:
            _mentions.clear()
        found = _mentions[key] = find_mentions(tokenize(passage), gazetteer, Discourse())
    return found


def assess(
    claim: Claim, ref: Reference, gazetteer: Gazetteer, similarity: float | None = None
) -> Finding:
    """The passage's stance on the claim with the reason. `similarity` is the cosine of
    its best sentence to the claim's (None without the embedding model)."""
    if ref.source == "prior":
        return assess_prior(ref)
    passage = ref.passage
    if not passage.strip():
        return Finding(UNRELATED, "empty passage", 0)
    if not readable(passage):
        return Finding(UNRELATED, "not assessed: the passage is not in English", 0)
    sim = similarity or 0.0
    mentions = mentions_in(passage, gazetteer)
    passage_words = {w for _, _, w in words(passage)}
    parties = claim_parties(claim)
    found = [p for p in parties if named(p, mentions, passage_words)]
    missing = [p for p in parties if p not in found]
    shared = set(terms(claim.sentence)) & passage_words
    if not found and len(shared) < 2 and sim < SIMILAR:
        return Finding(UNRELATED, "no relation found", 0)
    score = float(len(found))
    place = Party(claim.place_name, claim.place_qid) if claim.place_name else None
    # The same kind of event on both sides ("concluded" and "signed" are one), or the place.
    event = bool(
        {EVENT_OF[w] for w in terms(claim.sentence) if w in EVENT_OF}
        & {EVENT_OF[w] for w in passage_words if w in EVENT_OF}
    ) or (place is not None and named(place, mentions, passage_words))
    # An unlinked party the gazetteer does not know ("the two leaders", "the delegation")
    # is not held against a passage that names the linked ones and says the same thing; an
    # unlinked proper name ("Alexandr Kozlov") is: a passage without it is not about him.
    loose = [
        p
        for p in missing
        if not p.qid and (not proper_name(p.name, claim.sentence) or partly_named(p, passage_words))
    ]
    all_named = bool(parties) and (
        not missing or (len(loose) == len(missing) and any(p.qid for p in found) and sim >= SIMILAR)
    )
    others = [n for p in missing for n in counterparts(p, parties, mentions, gazetteer)]
    about_text = _about(passage, parties, mentions) or passage
    about = all_named or (bool(found) and (event or sim >= SIMILAR))

    claimed = claim_when(claim)
    # Only dates of the same kind of event as the claim's count, either way ("ratified on
    # 9 November" says nothing about "entered into force in November").
    what = claim_event(claim)
    dated = _relevant_dates(passage, ref.published, parties, mentions) if claimed else []
    stated = [when for when, event in dated if what is None or event in (None, what)]
    agreeing = [s for s in stated if claimed and dates_agree(claimed, s)]
    # Another date of the claim's own act (or, when the claim names no act, in a passage
    # sharing one of its event words): within weeks it is a wrong date; further away it is
    # another event of the same parties (a visit the year before), not a contradiction.
    differing = [
        when
        for when, e in dated
        if claimed
        and when not in agreeing
        and _near(claimed, when)
        and (e == what if what else event)
    ]
    wrong = [w for w in differing if claimed and _wrong_date(claim, claimed, w)]
    date_found = "agrees" if agreeing else "differs" if wrong else None
    proposition = event or sim >= SIMILAR or what is None
    reported = reported_on(claimed, ref.published) if claimed and not stated else ""
    # The passage is about the claim's occasion: a date of it agrees, or it was reported then.
    same_occasion = bool(agreeing or reported)

    # Signals that contradict whatever the dates say, about the same proposition only.
    if about:
        cue = signals.denial(about_text)
        if cue and not signals.denial(claim.sentence):
            return Finding(CONTRADICTS, f"denial: the source says “{cue}” about it", score)
        excluded = signals.outcome(claim.sentence, about_text)
        if excluded:
            return Finding(CONTRADICTS, excluded, score)
    figure, figure_hint, figure_day = figure_finding(
        claim, passage, ref.published, about or not parties, claimed
    )
    # A figure of another occasion (the source's dates of the act are not the claim's) is
    # another count, not a wrong one.
    if figure == "differs" and not (claimed and stated and not agreeing):
        return Finding(CONTRADICTS, figure_hint, score)
    agent = other_agent(claim, passage, mentions, parties, gazetteer)
    if agent:
        return Finding(CONTRADICTS, agent, score)

    detail = signals.missing_detail(claim.sentence, passage, ref.published)
    if claim.type == "anniversary":
        same = same_anniversary(claim, passage)
        if same and (found or event):
            if detail:
                return Finding(RELATED, f"{same}, but {detail}", score + 1)
            return Finding(AGREES, same, score + 1, "agrees")
    # A quote's other party is often inside the quoted words: its speaker is who must be named.
    if claim.type == "quote" and parties and parties[0] in found:
        # Who spoke and when is not what was said: the words must be in the source too.
        said = quoted_words(claim, gazetteer)
        overlap = len(said & passage_words)
        when_said = _another_time(claim, ref) if not agreeing else ""
        same_words = bool(said) and (
            overlap / len(said) >= QUOTE_WORDS or sim >= SAME_WORDS
        )
        if when_said and same_words:
            return Finding(
                RELATED, f"speaker named and similar words, but {when_said}", score, date_found
            )
        if same_words and not wrong:
            how = (
                f"{overlap} of {len(said)} key words match"
                if overlap / len(said) >= QUOTE_WORDS
                else f"the words say the same (similarity {sim:.2f})"
            )
            return Finding(AGREES, f"speaker named and {how}", score, date_found)
        return Finding(RELATED, "speaker named; the words differ", score, date_found)
    # The same figure of the same unit on the claim's day is the proposition itself, even when
    # the source names the parties otherwise.
    if figure == "agrees" and not wrong and (all_named or same_occasion or figure_day):
        return Finding(AGREES, figure_hint, score, date_found or "agrees")
    if claimed is not None and all_named:
        if agreeing:
            best = max(agreeing, key=lambda s: ORDER[s.precision])
            check = anniversary_check(claim, best) if claim.type == "anniversary" else ""
            if detail:
                return Finding(
                    RELATED, f"{describe_agreement(claimed, best)}, but {detail}", score, "agrees"
                )
            if ORDER[claimed.precision] - ORDER[best.precision] >= 2:
                return Finding(RELATED, f"the source gives only the year ({best})", score)
            if not proposition:
                return Finding(
                    RELATED,
                    "co-mention: the parties and the date are named, not the same act",
                    score,
                )
            coarse = ORDER[best.precision] < ORDER[claimed.precision]
            return Finding(
                AGREES,
                check or describe_agreement(claimed, best),
                score,
                "coarse" if coarse else "agrees",
            )
        if wrong:
            shown = max(wrong, key=lambda s: ORDER[s.precision])
            if not states_date(claim):
                # The claim's date was worked out (the dateline, an anniversary), not said:
                # a source dating the act otherwise questions the reading, not the claim.
                return Finding(
                    RELATED,
                    f"the source dates it to {shown}; the claim's sentence "
                    f"gives no date ({claimed} is the article's)",
                    score,
                )
            if place is not None and not (
                named(place, mentions, passage_words) or partly_named(place, passage_words)
            ):
                # A trip has many stops: the act on another day somewhere else is another stop.
                return Finding(
                    RELATED,
                    f"the source dates it to {shown}, but not at {place.name}: another stop",
                    score,
                )
            return Finding(
                CONTRADICTS, f"date differs: source says {shown}, not {claimed}", score, "differs"
            )
        if differing:
            return Finding(
                RELATED,
                f"different event: the source's {differing[0]} is another occasion, not {claimed}",
                score,
                "elsewhere",
            )
        if not stated:
            # Published that day and naming the parties is co-mention; the same act, said
            # alike, makes it a report of the claim.
            if reported and proposition:
                if detail:
                    return Finding(RELATED, f"{reported}, but {detail}", score)
                return Finding(AGREES, reported, score, "agrees")
            who = "both parties" if len(parties) > 1 else parties[0].name
            return Finding(RELATED, f"{who} named, no date", score)
        return Finding(
            RELATED,
            f"parties named; the source's dates ({stated[0]}) seem to be about something else",
            score,
            "elsewhere",
        )
    if claimed is None and all_named and event:
        who = "both parties" if len(parties) > 1 else parties[0].name
        if detail:
            return Finding(RELATED, f"{who} named and the event matches, but {detail}", score)
        return Finding(AGREES, f"{who} named and the event matches; no date in the claim", score)
    if others:
        return Finding(
            RELATED,
            f"counterpart differs: source names {others[0]}, not {missing[0].name}",
            score,
            date_found,
        )
    if agreeing and claimed:
        return Finding(
            RELATED,
            describe_agreement(claimed, agreeing[0])
            + ", but "
            + " and ".join(p.name for p in missing)
            + " not named",
            score,
            "agrees",
        )
    if found:
        return Finding(
            RELATED,
            "names "
            + " and ".join(p.name for p in found)
            + (", not " + " or ".join(p.name for p in missing) if missing else ""),
            score,
        )
    return Finding(RELATED, "shares words with the claim: " + ", ".join(sorted(shared)[:5]), score)


SAME_OCCASION_DAYS = 31


def proper_name(name: str, sentence: str) -> bool:
    """An unlinked party written as a name in the claim ("Alexandr Kozlov", "Upright Gate"),
    not a description ("the military delegation")."""
    content = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) > 2]
    at = sentence.find(name)
    written = sentence[at : at + len(name)] if at >= 0 else name
    caps = [w for w in re.findall(r"[^\W\d_]+", written) if len(w) > 2 and w[0].isupper()]
    if at == 0 and len(content) == 1:  # any word is capitalised there
        return False
    return bool(content) and len(caps) == len(content)


def partly_named(party: Party, passage_words: set[str]) -> bool:
    """An unlinked name in a spelling of the passage's own ("Komsomolsk-on-Amur" for
    "Komsomolsk-Na-Amure", "Manturov" for "Mantrov"): its last word (a surname) and half
    its words. Another Alexander is not Alexandr Kozlov."""
    wanted = [fold(w) for w in re.findall(r"[^\W\d_]+", party.name) if len(w) > 2]
    wanted = [w for w in wanted if w not in {"the", "and"}]
    hits = [w for w in wanted if any(_same_stem(w, p) or _close(w, p) for p in passage_words)]
    return bool(wanted) and wanted[-1] in hits and 2 * len(hits) >= len(wanted)


def _close(a: str, b: str) -> bool:
    """One letter added or left out in a name ("mantrov", "manturov"; "amure", "amur")."""
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(shorter) == 4:  # short words: only a letter at the end
        return longer.startswith(shorter)
    return Indel.distance(longer, shorter) == 1


def states_date(claim: Claim) -> bool:
    """The claim's sentence itself gives its date ("on 18 June", "in 1946", "on Monday"),
    rather than the date being read from the dateline or worked out from an anniversary."""
    if claim.type == "anniversary":
        return False
    return bool(dates_in(claim.sentence, claim.article.published))


def figure_finding(
    claim: Claim, passage: str, published: date | None, about: bool, claimed: When | None
) -> tuple[str, str, bool]:
    """The figure signal, sentence by sentence, and whether that sentence dates its figure
    to the claim's day. A figure differs only in a sentence about the same thing: it shares
    at least two of the claim's words besides the count, the passage is about the claim's
    parties (or the claim names none), and the sentence gives no other date. The same
    figure agrees wherever it is."""
    agree: tuple[str, str, bool] = ("", "", False)
    for match in SENTENCE.finditer(passage):
        sentence = match.group()
        found, hint = signals.compare_figures(claim.sentence, sentence, published)
        if not found:
            continue
        when = passage_dates(sentence, published) if claimed else []
        on_the_day = claimed is not None and any(dates_agree(claimed, w) for w in when)
        if when and not on_the_day:
            continue  # a count of another day
        if found == "differs":
            if about and len(signals.figure_context(claim.sentence, sentence)) >= FIGURE_CONTEXT:
                return found, hint, on_the_day
        elif not agree[0] or (on_the_day and not agree[2]):
            agree = (found, hint, on_the_day)
    return agree


FIGURE_CONTEXT = 2  # words a source's sentence shares with the claim beyond the figure


def _another_time(claim: Claim, ref: Reference) -> str:
    """For a claim without a date of its own: the source was published long before or
    after the article, so the words it reports were said on another occasion."""
    mine, theirs = claim.article.published, ref.published
    if claim.date_start or mine is None or theirs is None:
        return ""
    if abs((theirs - mine).days) > SAME_OCCASION_DAYS:
        return f"the source is of {theirs:%B %Y}, the article of {mine:%B %Y}"
    return ""


def _about(passage: str, parties: list[Party], mentions: list[Mention]) -> str:
    """The passage's sentences that name one of the parties or an event word: a denial or a
    figure in a sentence about something else says nothing about the claim."""
    out = []
    for match in SENTENCE.finditer(passage):
        sentence = match.group()
        sentence_words = {w for _, _, w in words(sentence)}
        mine = [m for m in mentions if match.start() <= m.start < match.end()]
        if any(named(p, mine, sentence_words) for p in parties) or sentence_words & EVENT_WORDS:
            out.append(sentence)
    return " ".join(out)


# Things that happen once: another date for them is a wrong date, not another occasion.
ONCE = {"treaty_document", "anniversary", "historical_event", "date_event"}


def _wrong_date(claim: Claim, claimed: When, stated: When) -> bool:
    """A wrong date rather than another occasion: any other near date of a one-off event
    (a treaty is signed once), else a date within weeks of a claim dated to the month or
    the day (the same parties meet again; a visit a year later is another visit)."""
    if claim.type in ONCE:
        return True
    if claimed.precision == "year":
        return False
    gap = max((stated.start - claimed.end).days, (claimed.start - stated.end).days, 0)
    return gap <= WRONG_DATE_DAYS


def reported_on(claimed: When, published: date | None) -> str:
    """A news report published on the claimed day or just after dates the event it reports
    ("arrived on Wednesday" without a date), if the claim is dated to the day or month."""
    if published is None or claimed.precision == "year":
        return ""
    after = (published - claimed.end).days
    if claimed.start <= published and after <= REPORTED_WITHIN_DAYS:
        return f"reported on {published.day} {published:%B %Y}, within the claim's {claimed}"
    return ""


def same_anniversary(claim: Claim, passage: str) -> str:
    """For an anniversary claim: the source marks the same "Nth anniversary" of something
    the claim names (a word of its subject or object)."""
    ordinals = {int(x) for x in ANNIVERSARY.findall(claim.sentence)}
    if not ordinals:
        return ""
    theirs = {int(x) for x in ANNIVERSARY.findall(passage)}
    # What is commemorated is the subject ("diplomatic ties"); the object is mostly the
    # country, and a country's name marks every one of its anniversaries.
    wanted = {fold(w) for w in _content(claim.subject_name or claim.object_name)}
    wanted -= {fold(w) for w in signals.vocabulary()["anniversary_generic"].split()}
    passage_words = {w for _, _, w in words(passage)}
    for n in sorted(ordinals & theirs):
        hit = sorted(w for w in wanted if any(_same_stem(w, p) for p in passage_words))
        if hit or not wanted:
            return f"the source marks the same {n}th anniversary" + (
                f" ({', '.join(hit[:3])})" if hit else ""
            )
    return ""


def other_agent(
    claim: Claim,
    passage: str,
    mentions: list[Mention],
    parties: list[Party],
    gazetteer: Gazetteer,
) -> str:
    """ "actor differs" when the claim's subject does an act (signed, proposed, hosted...)
    and a sentence of the source gives the same act to another person or state of the same
    kind, without naming the claim's subject there. Only for the same act on the same thing:
    the sentence names the claim's other party, or (when the claim names none) shares one of
    the claim's own words besides names and acts ("the joint statement"). Never for a quote,
    whose acts are the speaker's words ("the country hosting the mission")."""
    if not claim.subject_name or claim.type == "quote":
        return ""
    mine = {a for _, _, a in signals.acts(claim.sentence)}
    if not mine:
        return ""
    subject = Party(claim.subject_name, claim.subject_qid)
    entry = gazetteer.by_qid.get(subject.qid) if subject.qid else None
    if entry is None or entry.kind not in ("person", "state", "org"):
        return ""
    ours = {p.qid for p in parties if p.qid} | {p.name.casefold() for p in parties}
    ours |= {e.country for p in parties if (e := gazetteer.by_qid.get(p.qid)) and e.country}
    for match in SENTENCE.finditer(passage):
        sentence, at = match.group(), match.start()
        in_sentence = [m for m in mentions if at <= m.start < match.end()]
        sentence_words = {w for _, _, w in words(sentence)}
        if named(subject, in_sentence, sentence_words):
            continue
        if not same_target(claim, in_sentence, sentence_words, gazetteer):
            continue
        for start, _, act in signals.acts(sentence):
            if act not in mine:
                continue
            before = [
                m
                for m in in_sentence
                if m.end <= at + start and m.entry is not None and m.entry.kind == entry.kind
            ]
            if before:
                agent = before[-1]
                if agent.ref.qid not in ours and agent.ref.name.casefold() not in ours:
                    return (
                        f"actor differs: the source gives the act ({act}) to "
                        f"{agent.ref.name}, not {subject.name}"
                    )
    return ""


def same_target(
    claim: Claim, mentions: list[Mention], sentence_words: set[str], gazetteer: Gazetteer
) -> bool:
    """The sentence is about what the claim's act is done to: its other party named, or,
    without one, a word of the claim that is neither a name nor an act word."""
    if claim.object_name:
        return named(Party(claim.object_name, claim.object_qid), mentions, sentence_words)
    names = {w for _, _, w in words(f"{claim.subject_name} {claim.place_name}")}
    acts = {fold(w) for w in signals.vocabulary()["act_of"]}
    own = set(terms(claim.sentence)) - names - acts - EVENT_WORDS
    return bool(own & sentence_words)


NEAR_YEARS = 2


def quoted_words(claim: Claim, gazetteer: Gazetteer) -> set[str]:
    """What a quote claim says, without who and where: the sentence's content words less
    the names in it and its event words ("said at the talks that Russia would help the
    DPRK build satellites" -> help, build, satellite, ...)."""
    names = {
        w
        for m in find_mentions(tokenize(claim.sentence), gazetteer, Discourse())
        for _, _, w in words(claim.sentence[m.start : m.end])
    }
    return set(terms(claim.sentence)) - names - EVENT_WORDS


def _near(claimed: When, stated: When) -> bool:
    """A date a year or two off is a wrong date; one decades away is another event."""
    return abs(stated.start.year - claimed.start.year) <= NEAR_YEARS


def claim_event(claim: Claim) -> str | None:
    """The event the claim's date belongs to: the event word nearest its date. None for an
    anniversary, whose date is worked out, not written."""
    if claim.type == "anniversary":
        return None
    found = dates_in(claim.sentence, claim.article.published)
    return event_near(claim.sentence, found[0].start, found[0].end) if found else None


def _relevant_dates(
    passage: str, published: date | None, parties: list[Party], mentions: list[Mention]
) -> list[tuple[When, str | None]]:
    """Dates in the passage's sentences that name a party or an event word, each with the
    event nearest to it; the dates of a sentence about something else are not the claim's."""
    out: list[tuple[When, str | None]] = []
    for match in SENTENCE.finditer(passage):
        sentence = match.group()
        sentence_words = {w for _, _, w in words(sentence)}
        mine = [m for m in mentions if match.start() <= m.start < match.end()]
        if any(named(p, mine, sentence_words) for p in parties) or sentence_words & EVENT_WORDS:
            for m in dates_in(sentence, published):
                when = When(m.value.precision, m.value.start, m.value.end)
                out.append((when, event_near(sentence, m.start, m.end)))
    return out


def assess_prior(ref: Reference) -> Finding:
    """An earlier claim with the same fields or wording: its verdict is the hint."""
    verdict = ref.provenance.get("verdict", "")
    status = ref.provenance.get("status", "")
    hint = f"an earlier identical claim was judged {verdict} ({status})"
    if status != "final":  # a proposed verdict is a draft: shown, never counted
        return Finding(RELATED, hint + "; not final, not counted", 1.0)
    stance = {SUPPORTED: AGREES, DISPUTED: CONTRADICTS}.get(verdict, RELATED)
    return Finding(stance, hint, 2.0, "agrees" if stance == AGREES else None)


# --- Per claim -----------------------------------------------------------------------


@dataclass
class Suggested:
    label: str
    reasons: list[str]


# The policy (docs/verification.md), tuned on the corpus's dev split only:
# - likely supported: an independent passage agrees on the proposition (parties, event, and
#   the date within its precision), and contradicting pages do not outnumber agreeing ones;
# - likely disputed: an independent passage contradicts it by a signal (date, figure, actor,
#   denial, outcome) and contradicting pages outnumber agreeing ones;
# - unverified otherwise, saying what is missing.
# One vote per page; copies and relays of state media never vote.
EXCERPT = 160


def suggest(refs: Iterable[Reference], *, not_searched: Iterable[str] = ()) -> Suggested:
    """Likely supported / likely disputed / unverified, with the reasons and the passages
    behind them."""
    agree: dict[str, Reference] = {}
    contra: dict[str, Reference] = {}
    echoes: dict[str, Reference] = {}
    related: list[Reference] = []
    for ref in sorted(refs, key=lambda r: -r.score):
        if not ref.independent:
            if ref.stance in (AGREES, CONTRADICTS):
                echoes.setdefault(ref.canonical_url, ref)
            continue
        if ref.stance == AGREES:
            agree.setdefault(ref.canonical_url, ref)
        elif ref.stance == CONTRADICTS:
            contra.setdefault(ref.canonical_url, ref)
        elif ref.stance == RELATED:
            related.append(ref)
    contra = {k: v for k, v in contra.items() if k not in agree}
    reasons = [f"{_who(r)} contradicts it: {r.hint} — {_quote(r)}" for r in contra.values()][:3]
    reasons += [f"{_who(r)} agrees: {r.hint} — {_quote(r)}" for r in agree.values()][:3]
    if contra and len(contra) > len(agree):
        label = DISPUTED
        if agree:
            reasons.append(
                f"{len(contra)} independent sources contradict it against {len(agree)} that agree"
            )
    elif agree:
        label = SUPPORTED
        if contra:
            reasons.append(
                f"{len(agree)} independent sources agree against {len(contra)}; "
                "a reviewer should weigh the contradiction"
            )
    else:
        label = UNVERIFIED
        reasons += missing(related, echoes)
    if echoes:
        reasons.append(
            "not counted, not independent: " + ", ".join(_who(r) for r in echoes.values())
        )
        reasons += [
            f"{_who(r)} was judged not independent: {r.hint.partition('not independent: ')[2]}"
            for r in list(echoes.values())[:3]
            if "not independent: " in r.hint
        ]
    skipped = sorted(set(not_searched))
    if skipped:
        reasons.append("not searched: " + ", ".join(skipped))
    return Suggested(label, reasons)


def missing(related: list[Reference], echoes: dict[str, Reference]) -> list[str]:
    """What no independent source says, read from the related passages' hints."""
    if not related:
        out = ["no independent source found that bears on it"]
        if echoes:
            out.append("only state media or pages relaying it say so")
        return out
    hints = [r.hint for r in related]
    out = []
    names = sorted(
        {
            h.split(", not ", 1)[1].split(";")[0]
            for h in hints
            if h.startswith("names ") and ", not " in h
        }
    )
    if any("no date" in h for h in hints):
        out.append("no independent source names the date")
    if any("only the year" in h for h in hints):
        out.append("no independent source gives the date more precisely than the year")
    if any(h.startswith("different event") or "something else" in h for h in hints):
        out.append("independent sources date the parties' meetings to other occasions")
    if any("the words differ" in h for h in hints):
        out.append("no independent source carries the words quoted")
    # The piece itself, as the hint quotes it: "the figure (“19 gun”)", "the time of day".
    for piece, quoted in (
        ("figure", r"gives no figure for (“[^”]*”)"),
        ("time of day", r"gives no time of day \(the claim says (“[^”]*”)"),
    ):
        found = [m.group(1) for h in hints if (m := re.search(quoted, h))]
        if found:
            out.append(f"no independent source gives the {piece} ({found[0]})")
    dated = [
        h.split(";")[0].removeprefix("the source dates it to ")
        for h in hints
        if h.startswith("the source dates it to ")
    ]
    if dated:
        out.append(
            f"an independent source dates it to {dated[0]}; the claim's own sentence "
            "gives no date to compare"
        )
    if any(h.startswith("co-mention") for h in hints):
        out.append("sources name the parties and the date but not the same act")
    if names:
        out.append("no independent source names " + " or ".join(names[:3]))
    if echoes:
        out.append("only state media or pages relaying it confirm it")
    first = related[0]
    out.append(f"closest: {_who(first)}: {first.hint} — {_quote(first)}")
    return out or ["no independent reference confirms it"]


def _quote(ref: Reference) -> str:
    text = " ".join(ref.passage.split())
    return "“" + (text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…") + "”"


def _who(ref: Reference) -> str:
    return ref.publisher or host_of(ref.url) or ref.source
