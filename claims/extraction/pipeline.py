"""The extraction pipeline: sentences -> mentions and dates -> frames -> claims."""

from __future__ import annotations

import datetime
import logging
import re

from . import checkworthiness, strict
from .dates import find_dates
from .entities import (
    Discourse,
    Gazetteer,
    Mention,
    find_mentions,
    introductions,
    load_gazetteer,
)
from .frames import SentenceView, detect
from .model import ExtractedClaim, Sentence
from .sentences import split_sentences
from .text import Token, tokenize

log = logging.getLogger(__name__)

CLAIM_KINDS = frozenset({"body", "heading", "title"})
MAX_SENTENCE = 2000  # longer "sentences" are tables or junk; skip them
_PRINTABLE = re.compile(r"[A-Za-z]")


def extract(
    text: str,
    *,
    published: datetime.date | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[ExtractedClaim]:
    """Check-worthy claims of an article; never raises (a failure logs and
    yields no claims for that sentence)."""
    if not isinstance(text, str) or not text:
        return []
    try:
        gaz = gazetteer or load_gazetteer()
        sentences = split_sentences(text)
    except Exception:
        if strict.RAISE_ERRORS:
            raise
        log.exception("sentence splitting failed")
        return []
    ctx = Discourse()
    lead = next((s for s in sentences if s.kind == "body"), None)
    if lead is not None and any(s.start < lead.start and s.kind in CLAIM_KINDS for s in sentences):
        # A headline names people ("Putin, To Lam hold talks") whom only the
        # lead introduces ("Vietnamese President To Lam"): read the lead first.
        try:
            ctx.introduced.update(
                introductions(tokenize(lead.text, lead.start), gaz, lead.text, lead.start)
            )
        except Exception:
            if strict.RAISE_ERRORS:
                raise
            log.exception("reading the lead ahead failed")
    claims: list[ExtractedClaim] = []
    for sent in sentences:
        try:
            claims.extend(_sentence_claims(sent, published, gaz, ctx))
        except Exception:
            if strict.RAISE_ERRORS:
                raise
            log.exception("extraction failed on sentence at %s", sent.start)
    return claims


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRONOUNS = frozenset({"he", "she"})
CLAUSE_OPENERS = frozenset({"and", "but", "when", "while", "where", "as", "after", "before"})
_CLAUSE_BREAK = re.compile(r"[,;:\"\u201c\u201d(]")
# Words that make what follows them a prepositional phrase: "the teachings of
# Kim Il Sung", "greeted by X", "talks with X" name people who are not the actor.
PREPOSITIONS = _words(
    "of by with to from for at in on about during under after before between among behind"
    " toward towards than like via against including into upon without within through over"
    " across besides beside near around as"
)
# Words of a subordinate clause: "..., where President X gave guidance" is not
# about X as the sentence's actor.
SUBORDINATORS = _words(
    "where which who whom whose when while that because since if although though as"
    " after before until once whereas"
)
# Lower-case words between a clause break and a name that still leave the name
# opening its clause: "the respected Comrade X", "our great leader X".
NAME_LEADS = _words(
    "the a respected dear beloved great esteemed late former then our his her their its"
)
# A name is a clause's subject when a verb follows it. Common irregular and
# auxiliary forms; regular ones are told by their endings.
VERBS = _words(
    "said says is was are were has had have will would can could may might must shall should"
    " did does do went met made gave took sent held led paid came saw told spoke left began"
    " wrote kept won stood laid put set sat got became brought thought found felt read ran"
    " sees goes"
)
ADVERBS = _words(
    "also then later once first again further already still never not personally warmly especially"
)


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
    added = []
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
) -> list[ExtractedClaim]:
    tokens = tokenize(sent.text, sent.start)
    heading = sent.kind in ("title", "heading")
    mentions = find_mentions(tokens, gaz, ctx, sent.text, sent.start, heading)  # notes people
    if (
        sent.kind not in CLAIM_KINDS
        or len(sent.text) > MAX_SENTENCE
        or not _PRINTABLE.search(sent.text)
    ):
        return []
    mentions = resolve_pronouns(sent.text, sent.start, tokens, mentions, ctx)
    dates = find_dates(sent.text, published, previous_day=ctx.last_day)
    days = [d.value for d in dates if d.value.precision == "day"]
    if days:
        ctx.last_day = days[-1]
    rel = [
        m.__class__(m.start - sent.start, m.end - sent.start, m.ref, m.entry, m.via)
        for m in mentions
    ]
    view = SentenceView(sent.text, rel, dates, published, gaz, ctx)
    out = []
    for frame in detect(view):
        value, reason = checkworthiness.score(frame, sent.text)
        if value < checkworthiness.THRESHOLD:
            continue
        out.append(
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
            )
        )
    return out


def _unique(refs: list) -> list:  # type: ignore[type-arg]
    seen = set()
    out = []
    for ref in refs:
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out
