"""The extraction pipeline: sentences -> mentions and dates -> frames -> claims."""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from . import checkworthiness
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
from .model import DateValue, ExtractedClaim, Sentence
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
        log.exception("sentence splitting failed")
        return []
    ctx = Discourse()
    memory = Memory()
    lead = next((s for s in sentences if s.kind == "body"), None)
    if lead is not None and any(s.start < lead.start and s.kind in CLAIM_KINDS for s in sentences):
        # A headline names people ("Putin, To Lam hold talks") whom only the
        # lead introduces ("Vietnamese President To Lam"): read the lead first.
        try:
            ctx.introduced.update(
                introductions(tokenize(lead.text, lead.start), gaz, lead.text, lead.start)
            )
        except Exception:
            log.exception("reading the lead ahead failed")
    claims: list[ExtractedClaim] = []
    for sent in sentences:
        try:
            claims.extend(_sentence_claims(sent, published, gaz, ctx, memory))
        except Exception:
            log.exception("extraction failed on sentence at %s", sent.start)
    return claims


@dataclass
class Memory:
    """What earlier sentences of the article settled, for "he"/"she" and "the
    same day" in the next one."""

    subject: Mention | None = None  # first person named in the previous sentence
    last_day: DateValue | None = None  # last day the article named


PRONOUNS = frozenset({"he", "she"})
CLAUSE_OPENERS = frozenset({"and", "but", "when", "while", "where", "as", "after", "before"})
_CLAUSE_BREAK = re.compile(r"[,;:\"\u201c\u201d(]")


def resolve_pronouns(
    text: str, base: int, tokens: list[Token], mentions: list[Mention], memory: Memory
) -> list[Mention]:
    """ "he"/"she" as ordinary person mentions: the one person named before it
    in the sentence; else, at the start of a sentence or clause, the person the
    previous sentence opened with. Anything less clear is left alone."""
    added = []
    for k, tok in enumerate(tokens):
        if tok.fold not in PRONOUNS:
            continue
        before = [m for m in mentions if m.end <= tok.start and m.ref.kind == "person"]
        if len({m.ref for m in before}) == 1:
            antecedent: Mention | None = before[-1]
        elif _clause_start(text, base, tokens, k):
            antecedent = memory.subject
        else:
            antecedent = None
        if antecedent is not None:
            added.append(Mention(tok.start, tok.end, antecedent.ref, antecedent.entry, "pronoun"))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: m.start)


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
    memory: Memory,
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
    mentions = resolve_pronouns(sent.text, sent.start, tokens, mentions, memory)
    memory.subject = next((m for m in mentions if m.ref.kind == "person"), None)
    dates = find_dates(sent.text, published, previous_day=memory.last_day)
    days = [d.value for d in dates if d.value.precision == "day"]
    if days:
        memory.last_day = days[-1]
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
