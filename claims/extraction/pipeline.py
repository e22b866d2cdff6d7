"""The extraction pipeline: sentences -> mentions and dates -> frames -> claims."""

from __future__ import annotations

import datetime
import logging
import re

from . import checkworthiness
from .dates import find_dates
from .entities import Discourse, Gazetteer, find_mentions, load_gazetteer
from .frames import SentenceView, detect
from .model import ExtractedClaim, Sentence
from .sentences import split_sentences
from .text import tokenize

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
    claims: list[ExtractedClaim] = []
    for sent in sentences:
        try:
            claims.extend(_sentence_claims(sent, published, gaz, ctx))
        except Exception:
            log.exception("extraction failed on sentence at %s", sent.start)
    return claims


def _sentence_claims(
    sent: Sentence, published: datetime.date | None, gaz: Gazetteer, ctx: Discourse
) -> list[ExtractedClaim]:
    tokens = tokenize(sent.text, sent.start)
    mentions = find_mentions(tokens, gaz, ctx, sent.text, sent.start)  # updates the discourse
    if (
        sent.kind not in CLAIM_KINDS
        or len(sent.text) > MAX_SENTENCE
        or not _PRINTABLE.search(sent.text)
    ):
        return []
    rel = [
        m.__class__(m.start - sent.start, m.end - sent.start, m.ref, m.entry, m.via)
        for m in mentions
    ]
    view = SentenceView(sent.text, rel, find_dates(sent.text, published), published, gaz, ctx)
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
