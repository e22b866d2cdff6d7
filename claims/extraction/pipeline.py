"""The extraction pipeline: sentences -> mentions and dates -> frames -> claims."""

from __future__ import annotations

import datetime
import logging
import os
import re
import traceback

from . import checkworthiness, lexicon
from .dates import FUTURE_RE, DateMention, day_value, find_dates
from .entities import (
    Discourse,
    Gazetteer,
    Mention,
    find_mentions,
    introductions,
    load_gazetteer,
)
from .frames import Frame, SentenceView, detect, sentence_claim, typed_claims
from .model import (
    ExtractedClaim,
    ExtractionFailure,
    ExtractionResult,
    Sentence,
    SentenceDecision,
)
from .sentences import split_sentences
from .text import Token, tokenize

log = logging.getLogger(__name__)

CLAIM_KINDS = frozenset({"body", "heading", "title"})
MAX_SENTENCE = 2000  # longer "sentences" are tables or junk; skip them
_PRINTABLE = re.compile(r"[A-Za-z]")
# Under STRICT an exception inside extraction propagates instead of being returned as a
# failure; the extraction tests run strict (tests/claims/extraction/conftest.py).
STRICT = os.environ.get("CORROBORATE_EXTRACTION_STRICT", "") not in ("", "0", "false")


def extract(
    text: str,
    *,
    published: datetime.date | None = None,
    gazetteer: Gazetteer | None = None,
    strict: bool | None = None,
) -> list[ExtractedClaim]:
    """Check-worthy claims of an article (``extract_article(...).claims``)."""
    return extract_article(text, published=published, gazetteer=gazetteer, strict=strict).claims


def extract_article(
    text: str,
    *,
    published: datetime.date | None = None,
    gazetteer: Gazetteer | None = None,
    strict: bool | None = None,
    method: str | None = None,
) -> ExtractionResult:
    """Claims, a check-worthiness decision for every body sentence, and the failures.

    An exception while reading a sentence is returned as an ExtractionFailure (the rest of
    the article is still read); under ``strict`` (default: the module's STRICT) it propagates.
    """
    strict = STRICT if strict is None else strict
    result = ExtractionResult()
    if not isinstance(text, str) or not text:
        return result

    def failed(stage: str, span: tuple[int, int] | None, exc: Exception) -> None:
        if strict:
            raise exc
        log.warning("extraction failed (%s at %s): %r", stage, span, exc)
        result.failures.append(
            ExtractionFailure(
                stage, span, f"{type(exc).__name__}: {exc}"[:500], traceback.format_exc()
            )
        )

    try:
        gaz = gazetteer or load_gazetteer()
        sentences = split_sentences(text)
    except Exception as exc:
        failed("sentences", None, exc)
        return result
    ctx = Discourse()
    if (
        published is not None
        and sentences
        and sentences[0].kind in ("title", "heading")
        and not any(s.kind == "dateline" for s in sentences)
    ):
        # An article (it opens with its headline) with no dateline, as a web copy or a
        # feature, tells of its publication day; a loose sentence has no story's day.
        ctx.narrative_day = day_value(published.year, published.month, published.day)
    lead = next((s for s in sentences if s.kind == "body"), None)
    if lead is not None and any(s.start < lead.start and s.kind in CLAIM_KINDS for s in sentences):
        # A headline names people ("Putin, To Lam hold talks") whom only the
        # lead introduces ("Vietnamese President To Lam"): read the lead first.
        try:
            ctx.introduced.update(
                introductions(tokenize(lead.text, lead.start), gaz, lead.text, lead.start)
            )
        except Exception as exc:
            failed("lead", (lead.start, lead.end), exc)
    for sent in sentences:
        try:
            claims, decision = _sentence_claims(sent, published, gaz, ctx, method)
        except Exception as exc:
            failed("sentence", (sent.start, sent.end), exc)
            continue
        result.claims.extend(claims)
        if decision is not None:
            result.decisions.append(decision)
    return result


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRONOUNS = lexicon.words("pipeline.PRONOUNS")
ANOTHER_TIME_RE = lexicon.word_regex(lexicon.mapping("pipeline.ANOTHER_TIME")["words"])
FIRST_PERSON = lexicon.words("pipeline.FIRST_PERSON")
_TEXT_BY = lexicon.mapping("pipeline.TEXT_BY")
TEXT_BY_RE = re.compile(
    r"\b(?:"
    + "|".join(map(re.escape, _TEXT_BY["nouns"]))
    + r")\s+"
    + re.escape(_TEXT_BY["agent"])
    + r"\s+",
    re.I,
)
CLAUSE_OPENERS = lexicon.words("pipeline.CLAUSE_OPENERS")
_CLAUSE_BREAK = re.compile(r"[,;:\"\u201c\u201d(]")
# Words that make what follows them a prepositional phrase: "the teachings of
# Kim Il Sung", "greeted by X", "talks with X" name people who are not the actor.
PREPOSITIONS = lexicon.words("pipeline.PREPOSITIONS")
# Words of a subordinate clause: "..., where President X gave guidance" is not
# about X as the sentence's actor.
SUBORDINATORS = lexicon.words("pipeline.SUBORDINATORS")
# Lower-case words between a clause break and a name that still leave the name
# opening its clause: "the respected Comrade X", "our great leader X".
NAME_LEADS = lexicon.words("pipeline.NAME_LEADS")
# A name is a clause's subject when a verb follows it. Common irregular and
# auxiliary forms; regular ones are told by their endings.
VERBS = lexicon.words("pipeline.VERBS")
ADVERBS = lexicon.words("pipeline.ADVERBS")


def resolve_pronouns(
    text: str, base: int, tokens: list[Token], mentions: list[Mention], ctx: Discourse
) -> list[Mention]:
    """ "he"/"she" as ordinary person mentions, and the sentence's subject noted
    in ``ctx`` for the sentences after it.

    A pronoun is the one person named before it in the sentence who can be its
    antecedent: not inside a quotation the pronoun is outside of ('"...Putin's
    visit...," he said'), not in a prepositional phrase ("the teachings of X")
    and not a genitive inside its clause ("recalling X's wishes"); of several,
    the one that is a clause's subject. Failing that, at the start of a sentence
    or clause: the person the previous sentence was about, else the person the
    article is about (its most frequent subject so far). A pronoun inside a
    quotation speaks of someone the quotation knows, and is left alone, as is
    anything less clear."""
    quotes = _quoted(text, base)
    added = _first_person(text, base, tokens, mentions, quotes, ctx)
    for k, tok in enumerate(tokens):
        if tok.fold not in PRONOUNS or _inside(tok.start, quotes):
            continue
        before = [
            m
            for m in mentions
            if m.end <= tok.start
            and m.ref.kind == "person"
            and not _inside(m.start, quotes)
            and _can_be_antecedent(text, base, tokens, mentions, m)
        ]
        refs = {m.ref for m in before}
        if len(refs) > 1:
            before = [m for m in before if _clause_subject(text, base, tokens, mentions, m)]
            refs = {m.ref for m in before}
        antecedent: Mention | None = None
        if len(refs) == 1:
            antecedent = before[-1]
        elif not refs and _clause_start(text, base, tokens, k):
            antecedent = ctx.subject or ctx.main_actor()
        if antecedent is not None:
            added.append(Mention(tok.start, tok.end, antecedent.ref, antecedent.entry, "pronoun"))
    if added:
        mentions = sorted([*mentions, *added], key=lambda m: m.start)
    ctx.note_subject(
        next(
            (
                m
                for m in mentions
                if m.ref.kind == "person"
                and not _inside(m.start, quotes)
                and _can_be_antecedent(text, base, tokens, mentions, m)
                and _clause_subject(text, base, tokens, mentions, m, main=True)
            ),
            None,
        )
    )
    return mentions


def _first_person(
    text: str,
    base: int,
    tokens: list[Token],
    mentions: list[Mention],
    quotes: list[tuple[int, int]],
    ctx: Discourse,
) -> list[Mention]:
    """ "I", "my", "me" are the speaker: inside a quotation, the person the sentence
    attributes it to outside the quotation ('"My visit ...," Xi said'), else the person
    the article is about; in a sentence with no quotation (a speech or letter printed
    in full), the person the article is about."""
    outside = [m for m in mentions if m.ref.kind == "person" and not _inside(m.start, quotes)]
    added = []
    for k, tok in enumerate(tokens):
        if not (tok.raw == "I" or tok.fold in FIRST_PERSON):
            continue
        prev = tokens[k - 1] if k > 0 else None
        gap = text[prev.end - base : tok.start - base] if prev else ""
        if tok.raw == "I" and prev and k > 1 and prev.raw[:1].isupper() and not gap.strip():
            continue  # "World War I", "Peter I"
        span = next((q for q in quotes if q[0] <= tok.start < q[1]), None)
        if quotes and span is None:
            continue
        speaker = ctx.author if span is None and ctx.author else ctx.main_actor()
        if span is not None:
            after = [m for m in outside if m.start >= span[1]]
            before = [m for m in outside if m.end <= span[0]]
            speaker = after[0] if after else before[-1] if before else speaker
        if speaker is not None:
            added.append(Mention(tok.start, tok.end, speaker.ref, speaker.entry, "pronoun"))
    return added


def _quoted(text: str, base: int) -> list[tuple[int, int]]:
    """Article spans inside quotation marks. A straight quote after a space (or at
    the start) opens, any other closes; a closing mark with no opening one ends a
    quotation that began in an earlier sentence."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for i, ch in enumerate(text):
        if ch not in '"\u201c\u201d':
            continue
        opening = ch == "\u201c" or (ch == '"' and (i == 0 or text[i - 1] in " \n([\u2014-"))
        if opening and opened is None:
            opened = i
        elif not opening:
            spans.append((base + (opened or 0), base + i + 1))
            opened = None
    if opened is not None:
        spans.append((base + opened, base + len(text)))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _token_at(tokens: list[Token], pos: int) -> int | None:
    return next((k for k, t in enumerate(tokens) if t.start == pos), None)


def _lead_in(text: str, base: int, tokens: list[Token], k: int) -> list[Token]:
    """The words of token ``k``'s clause before it (back to a clause break)."""
    j = k
    while j > 0 and not _CLAUSE_BREAK.search(
        text[tokens[j - 1].end - base : tokens[j].start - base]
    ):
        j -= 1
    return tokens[j:k]


def _opens_clause(text: str, base: int, tokens: list[Token], k: int) -> bool:
    lead = _lead_in(text, base, tokens, k)
    while lead and (lead[-1].fold in NAME_LEADS or lead[-1].raw[:1].isupper()):
        lead = lead[:-1]
    return not lead or lead[-1].fold in CLAUSE_OPENERS or lead[-1].fold in SUBORDINATORS


def _can_be_antecedent(
    text: str, base: int, tokens: list[Token], mentions: list[Mention], m: Mention
) -> bool:
    """Not named in a prepositional phrase, nor as a genitive inside its clause."""
    k = _token_at(tokens, m.start)
    if k is None:
        return True
    p = k
    while p > 0 and tokens[p - 1].fold in NAME_LEADS:
        p -= 1
    prev = tokens[p - 1] if p > 0 else None
    gap = text[prev.end - base : tokens[p].start - base] if prev else ""
    if prev is not None and not _CLAUSE_BREAK.search(gap):
        if prev.fold in PREPOSITIONS:
            return False
        if prev.fold in ("and", "or"):
            # "talks with X and Y": Y shares X's place in the sentence.
            other = next((x for x in mentions if x.end == prev.start - 1 and x is not m), None)
            if other is not None and other.ref.kind == "person":
                return _can_be_antecedent(text, base, tokens, mentions, other)
    if text[m.end - base : m.end - base + 2] in ("'s", "\u2019s"):
        return _opens_clause(text, base, tokens, k)
    return True


def _clause_subject(
    text: str,
    base: int,
    tokens: list[Token],
    mentions: list[Mention],
    m: Mention,
    main: bool = False,
) -> bool:
    """A verb follows the name (past an apposition in commas, a second name joined
    by "and", an adverb): "X, general secretary of ..., inspected", "X and Y met".
    ``main``: and not in a subordinate clause ("..., where X gave guidance")."""
    k = _token_at(tokens, m.start)
    if k is None:
        return False
    if main and any(t.fold in SUBORDINATORS for t in _lead_in(text, base, tokens, k)):
        return False
    if text[m.end - base : m.end - base + 2] in ("'s", "\u2019s"):
        return False
    end = m.end
    for _ in range(6):
        nxt = next((j for j, t in enumerate(tokens) if t.start >= end), None)
        if nxt is None:
            return False
        t = tokens[nxt]
        gap = text[end - base : t.start - base]
        if t.fold in ("and", "or") and "," not in gap:
            other = next(
                (x for x in mentions if x.start > t.start and x.ref.kind == "person"), None
            )
            if other is None or _token_at(tokens, other.start) != nxt + 1:
                return False
            end = other.end
            continue
        if t.fold in ADVERBS or (t.fold.endswith("ly") and t.raw.islower()):
            end = t.end
            continue
        if _verb(t):
            return True
        if "," in gap and t.raw[:1].islower() and t.fold not in PRONOUNS:
            # An apposition: skip to the comma that closes it.
            close = next(
                (
                    j
                    for j in range(nxt + 1, len(tokens))
                    if "," in text[tokens[j - 1].end - base : tokens[j].start - base]
                ),
                None,
            )
            if close is None:
                return False
            end = tokens[close - 1].end
            continue
        if "," in gap and t.fold == "and":
            end = t.end
            continue
        return False
    return False


def _verb(t: Token) -> bool:
    w = t.raw
    if not w.islower() or not w.isalpha():
        return False
    if w in VERBS:
        return True
    if w.endswith("ed") and len(w) > 4:
        return True
    return len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))


def _clause_start(text: str, base: int, tokens: list[Token], k: int) -> bool:
    if k == 0:
        return True
    gap = text[tokens[k - 1].end - base : tokens[k].start - base]
    return bool(_CLAUSE_BREAK.search(gap)) or tokens[k - 1].fold in CLAUSE_OPENERS


def _sentence_claims(
    sent: Sentence,
    published: datetime.date | None,
    gaz: Gazetteer,
    ctx: Discourse,
    method: str | None = None,
) -> tuple[list[ExtractedClaim], SentenceDecision | None]:
    tokens = tokenize(sent.text, sent.start)
    heading = sent.kind in ("title", "heading")
    if sent.kind == "dateline":
        # "PYONGYANG, June 20 (Xinhua) --": the day the report is from, for the lead's
        # "Thursday" and every undated act of the story after it.
        day = next(
            (d.value for d in find_dates(sent.text, published) if d.value.precision == "day"),
            None,
        )
        if day is not None:
            ctx.dateline = ctx.narrative_day = day
    mentions = find_mentions(tokens, gaz, ctx, sent.text, sent.start, heading)  # notes people
    if sent.kind == "dateline":
        ctx.dateline_place = next(
            (m for m in mentions if m.ref.kind in ("place", "state")), ctx.dateline_place
        )
    if heading and ctx.author is None:
        _note_author(sent, mentions, published, ctx)
    if (
        sent.kind not in CLAIM_KINDS
        or len(sent.text) > MAX_SENTENCE
        or not _PRINTABLE.search(sent.text)
    ):
        return [], None
    mentions = resolve_pronouns(sent.text, sent.start, tokens, mentions, ctx)
    reference = ctx.dateline.start if ctx.dateline else published
    # In a passage about the past ("In 2006, ..."), a bare "March 21" is of that year.
    story_year = None if FUTURE_RE.search(sent.text) else ctx.story_year
    dates = find_dates(sent.text, reference, year_hint=story_year, previous_day=ctx.last_day)
    days = [d.value for d in dates if d.value.precision == "day"]
    if days:
        ctx.last_day = days[-1]
    if sent.kind == "body":
        _note_story_year(sent.text, dates, reference, ctx)
    rel = [
        m.__class__(m.start - sent.start, m.end - sent.start, m.ref, m.entry, m.via)
        for m in mentions
    ]
    view = SentenceView(sent.text, rel, dates, published, gaz, ctx)
    scored = []
    for frame in detect(view):
        value, reason = checkworthiness.score(frame, sent.text)
        if value >= checkworthiness.threshold():
            scored.append((frame, value, reason))
    decision = None
    if sent.kind == "body":
        decision = checkworthiness.decide(
            view, (sent.start, sent.end), [f for f, _, _ in scored], method
        )
        if not decision.checkable:
            scored = []
        elif not scored:
            # Checkable, yet no frame reads it: still a claim, with the sentence's best
            # subject, place and date.
            value = max(0.0, min(1.0, 0.5 + decision.score / 10))
            scored = [(f, value, f.cue) for f in typed_claims(view) or [sentence_claim(view)]]
        _narrative_dates(view, [f for f, _, _ in scored], reference)
    out = [
        ExtractedClaim(
            sentence=sent.text,
            span=(sent.start, sent.end),
            type=frame.type,
            subject=frame.subject,
            object=frame.object,
            place=frame.place,
            date=frame.date,
            checkworthiness=value,
            reason=reason,
            speaker=frame.speaker,
            occasion=frame.occasion,
            entities=_unique([m.ref for m in mentions]),
            checkable_reasons=list(decision.reasons) if decision else [],
        )
        for frame, value, reason in scored
    ]
    return out, decision


def _note_author(
    sent: Sentence, mentions: list[Mention], published: datetime.date | None, ctx: Discourse
) -> None:
    """A heading introducing a text printed in full ("Speech by President X at ...
    (March 23, 2013, Moscow)") names its author, the "I" of the text, and the day it was
    given, the text's own day when no dateline gives one."""
    found = TEXT_BY_RE.search(sent.text)
    if found is None:
        return
    pos = sent.start + found.end()
    author = next((m for m in mentions if m.ref.kind == "person" and m.start >= pos), None)
    if author is None:
        return
    ctx.author = author
    day = next(
        (d.value for d in find_dates(sent.text, published) if d.value.precision == "day"),
        None,
    )
    if day is not None and ctx.dateline is None:
        ctx.dateline = ctx.narrative_day = day


# Kinds of claim that tell of the story's own day when they name none: not history, not
# what an anniversary or a document dates.
NARRATIVE_TYPES = frozenset({"visit", "meeting", "quote", "date_event", "other", "statistic"})
NARRATIVE_SPAN = 10  # days from the report's date within which a named day moves the story


_WRITTEN_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_OPENING_YEAR = re.compile(
    r"^(?:In|By|During|Since)\s+(?:early\s+|late\s+|mid-?)?(?:1[6-9]|20)\d\d$"
)


def _note_story_year(
    text: str, dates: list[DateMention], reference: datetime.date | None, ctx: Discourse
) -> None:
    """The year a passage about the past is in: set by a sentence that opens with its year
    ("In 2006, ...") or writes out a past day in full ("On Dec 31, 2006, ..."); any other
    year, or a day near the report's date, ends the passage."""
    if reference is None:
        return
    written = [d for d in dates if _WRITTEN_YEAR.search(text, d.start, d.end)]
    near = any(
        d.value.precision == "day" and abs((d.value.start - reference).days) <= NARRATIVE_SPAN
        for d in dates
    )
    opening = [d for d in written if _OPENING_YEAR.match(text[: d.end])]
    full_days = [d for d in written if d.value.precision == "day"]
    past = [d for d in opening + full_days if d.value.start.year < reference.year]
    if near or (written and not past):
        ctx.story_year = None
    elif past:
        ctx.story_year = past[-1].value.start.year


def _narrative_dates(
    view: SentenceView, frames: list[Frame], reference: datetime.date | None
) -> None:
    """An act the sentence gives no date for happened on the story's day (the dateline's,
    or the last day the story named near it); a sentence about the future has none."""
    ctx = view.ctx
    near = [
        d.value
        for d in view.dates
        if d.value.precision == "day"
        and reference is not None
        and abs((d.value.start - reference).days) <= NARRATIVE_SPAN
    ]
    # What someone is reported to say ("X reaffirmed on Thursday that this will never
    # change") does not make the saying a forecast.
    reported = [f.content for f in frames if f.type == "quote" and f.content]
    told = view.text
    for lo, hi in reported:
        told = told[:lo] + " " * (hi - lo) + told[hi:]
    future = bool(FUTURE_RE.search(told))
    if near and not future:
        # The day of the act the sentence reports ("X arrived in Moscow Friday ..., his
        # first trip after he became president last week"), else its last day named.
        acts = [f.date for f in frames if f.type in NARRATIVE_TYPES and f.date in near]
        ctx.narrative_day = acts[0] if acts else near[-1]
    ahead = [d for d in near if reference is not None and d.start >= reference]
    if future and ahead:
        ctx.programme_day = ahead[-1]
    if ctx.narrative_day is None or ctx.story_year is not None:
        return
    for frame in frames:
        if frame.date is not None or frame.type not in NARRATIVE_TYPES:
            continue
        if future and not view.dates and frame.type != "quote":
            # An undated act of a programme the story announced ("The visit's main part
            # will be held on June 19. ... Then the leaders will hold talks.") is of its
            # day; with no programme day named, of the story's own day: a report of a
            # visit announces what happens during it ("During his visit, X will meet Y").
            if not ANOTHER_TIME_RE.search(view.text):
                frame.date = ctx.programme_day or ctx.narrative_day
            continue
        # Words are said on the story's day whatever they speak of (the future, a year
        # gone by); any other act only when the sentence names no date and no future.
        if frame.type == "quote" or not (view.dates or future):
            frame.date = ctx.narrative_day


def _unique(refs: list) -> list:  # type: ignore[type-arg]
    seen = set()
    out = []
    for ref in refs:
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out
