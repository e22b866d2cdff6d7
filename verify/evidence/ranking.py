"""Ranking a claim's candidate references: relevance, entities, dates and independence.

BM25 is computed here over the claim's own candidates (a handful to a few dozen passages),
not with bm25s: an index library brings nothing at that size, and twenty lines of Okapi
BM25 are easier to read and test than building and querying an index per claim. The
library source has already used the database's full-text rank to pick the documents.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from verify.evidence import stance
from verify.evidence.text import host_of, terms, words

if TYPE_CHECKING:
    from claims.extraction import Gazetteer
    from claims.models import Claim
    from verify.models import Reference

log = logging.getLogger(__name__)


def claim_terms(claim: Claim) -> list[str]:
    """What a claim is about: its sentence, its entities' names and its date's year."""
    parts = [
        claim.sentence,
        claim.subject_name,
        claim.object_name,
        claim.place_name,
        claim.speaker_name,
        claim.date_value[:4],
    ]
    return list(dict.fromkeys(t for part in parts for t in terms(part)))


def match_offsets(passage: str, wanted: list[str]) -> list[list[int]]:
    want = set(wanted)
    return [[s, e] for s, e, w in words(passage) if w in want]


def bm25(query: list[str], passages: list[str], k1: float = 1.2, b: float = 0.75) -> list[float]:
    """Okapi BM25 of each passage for the query, with the passages themselves as corpus."""
    docs = [Counter(terms(p)) for p in passages]
    if not docs:
        return []
    avg = sum(sum(d.values()) for d in docs) / len(docs) or 1.0
    n = len(docs)
    scores = []
    for d in docs:
        length = sum(d.values())
        total = 0.0
        for q in set(query):
            tf = d.get(q, 0)
            if not tf:
                continue
            df = sum(1 for other in docs if q in other)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))
        scores.append(total)
    return scores


def on_domain(host: str, domains: set[str]) -> bool:
    """True when host is one of the domains or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def dependent_domains(claim: Claim) -> set[str]:
    """Domains whose copies never count as independent for this claim: the claim's own
    outlet, the configured state media, and every Outlet marked as state media."""
    from claims.models import Outlet

    domains = {d.lower().removeprefix("www.") for d in settings.STATE_MEDIA_DOMAINS}
    for listed in Outlet.objects.filter(is_state_media=True).values_list("domains", flat=True):
        domains.update(str(d).lower().removeprefix("www.") for d in listed or [])
    outlet = claim.article.outlet
    if outlet is not None:
        domains.update(str(d).lower().removeprefix("www.") for d in outlet.domains or [])
        if outlet.website:
            domains.add(host_of(outlet.website))
    if claim.article.source_url:
        domains.add(host_of(claim.article.source_url))
    domains.discard("")
    return domains


def assess_or_explain(claim: Claim, ref: Reference, gazetteer: Gazetteer) -> stance.Finding:
    """The passage's stance, or "not assessed" with the reason when reading it failed: one
    odd page must not take down the ranking of every other passage of the claim."""
    try:
        return stance.assess(claim, ref, gazetteer)
    except Exception as exc:
        log.exception("could not assess reference %s of claim %s", ref.pk, claim.pk)
        reason = f"Not assessed: {exc.__class__.__name__}: {exc}"
        return stance.Finding(stance.NOT_ASSESSED, reason[:500], 0.0)


@dataclass
class Ranked:
    score: float
    independent: bool
    stance: str
    hint: str
    matches: list[list[int]]


def rank(claim: Claim, refs: list[Reference], gazetteer: Gazetteer) -> list[Ranked]:
    """Score every reference of a claim. Relevance (BM25, normalised to the best candidate)
    counts for up to 2 points, each party the passage names 1, a date that agrees 1.5 and
    one that differs 1 (a contradiction is evidence too); unrelated passages and copies of
    state media are pushed down."""
    query = claim_terms(claim)
    relevance = bm25(query, [r.passage for r in refs])
    best = max(relevance, default=0.0) or 1.0
    dependent = dependent_domains(claim)
    out = []
    for ref, rel in zip(refs, relevance, strict=True):
        found = assess_or_explain(claim, ref, gazetteer)
        independent = not on_domain(host_of(ref.url), dependent)
        score = (
            2 * rel / best
            + found.parties
            + {"agrees": 1.5, "differs": 1.0}.get(found.date or "", 0)
        )
        score += found.stance in (stance.AGREES, stance.CONTRADICTS)
        if found.stance == stance.UNRELATED:
            score *= 0.3
        if not independent:
            score *= 0.5
        out.append(
            Ranked(
                round(score, 3),
                independent,
                found.stance,
                found.hint,
                match_offsets(ref.passage, query),
            )
        )
    return out
