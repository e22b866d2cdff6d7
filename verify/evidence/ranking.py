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

from verify.evidence import relays, stance
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


def assess_or_explain(
    claim: Claim, ref: Reference, gazetteer: Gazetteer, similarity: float | None = None
) -> stance.Finding:
    """The passage's stance, or "not assessed" with the reason when reading it failed: one
    odd page must not take down the ranking of every other passage of the claim."""
    try:
        return stance.assess(claim, ref, gazetteer, similarity)
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


# Weights of the score, tuned on the corpus's dev split only (docs/verification.md; 29
# articles on 3 December: a party counts half, as BM25 over its name already counts it).
W_BM25 = 2.0  # BM25 over the claim's words, relative to the best candidate
W_DENSE = 4.0  # cosine of the passage's best sentence to the claim's sentence
W_PARTY = 0.5  # each of the claim's parties the passage names
# A contradiction is evidence too; a passage whose dates are of another occasion is less
# likely to be about the claim.
W_DATE = {"agrees": 1.5, "coarse": 0.75, "differs": 1.0, "elsewhere": -1.0}
W_SAME_TIME = 1.0  # a report published when the claimed event happened
SAME_TIME_DAYS = (-2, 10)
W_DECIDED = 1.0  # the passage agrees or contradicts
TOP = 5  # the first five: one passage per page while other pages are relevant


def dense_scores(claim: Claim, refs: list[Reference]) -> list[float] | None:
    """Cosine of each passage to the claim's sentence: library passages from the vectors
    stored with their document, others embedded here (a few: earlier verdicts, web pages).
    None without the model."""
    from verify.evidence import embeddings
    from verify.models import LibraryDocument

    if not refs or not embeddings.available():
        return None
    probe = embeddings.encode_one(claim.sentence)
    wanted: set[int] = set()
    for r in refs:
        prov = r.provenance if isinstance(r.provenance, dict) else {}
        if isinstance(prov.get("library_document"), int) and prov.get("sentences"):
            wanted.add(prov["library_document"])
    # Vectors made from another version of the text would point at other sentences.
    stored = {
        pk: (key, data)
        for pk, key, data in LibraryDocument.objects.filter(pk__in=wanted).values_list(
            "pk", "embeddings_key", "embeddings"
        )
    }
    out: list[float | None] = []
    for r in refs:
        prov = r.provenance if isinstance(r.provenance, dict) else {}
        key, data = stored.get(prov.get("library_document") or 0, ("", None))
        vectors = embeddings.unpack(data) if key and prov.get("embeddings_key") == key else None
        span = prov.get("sentences") or []
        if vectors is not None and len(span) == 2 and 0 <= span[0] < span[1] <= len(vectors):
            out.append(float((vectors[span[0] : span[1]] @ probe).max()))
        else:
            out.append(None)
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        fresh = embeddings.encode([refs[i].passage[:2000] for i in missing]) @ probe
        for i, v in zip(missing, fresh, strict=True):
            out[i] = float(v)
    return [max(0.0, v or 0.0) for v in out]


def rank(claim: Claim, refs: list[Reference], gazetteer: Gazetteer) -> list[Ranked]:
    """Score every reference of a claim: relevance (BM25 and, with the model, the dense
    similarity of the passage to the claim), then the structured signals (each party the
    passage names, a date that agrees or differs, a stance decided either way); unrelated
    passages and copies or relays of state media are pushed down. In the first five, one
    passage per page while another page has a relevant one."""
    query = claim_terms(claim)
    relevance = bm25(query, [r.passage for r in refs])
    best = max(relevance, default=0.0) or 1.0
    try:
        dense = dense_scores(claim, refs)
    except Exception:  # the model failing must not lose the ranking: BM25 still works
        log.exception("dense scores failed for claim %s", claim.pk)
        dense = None
    dependent = dependent_domains(claim)
    out = []
    for i, (ref, rel) in enumerate(zip(refs, relevance, strict=True)):
        found = assess_or_explain(claim, ref, gazetteer, dense[i] if dense else None)
        why_dependent = dependence(ref, dependent)
        score = (
            W_BM25 * rel / best
            + (W_DENSE * dense[i] if dense else 0.0)
            + W_PARTY * found.parties
            + W_DATE.get(found.date or "", 0)
            + W_SAME_TIME * same_time(claim, ref)
        )
        score += W_DECIDED * (found.stance in (stance.AGREES, stance.CONTRADICTS))
        if found.stance == stance.UNRELATED:
            score *= 0.3
        hint = found.hint
        if why_dependent:
            score *= 0.5
            hint = f"{hint}; not independent: {why_dependent}"
        out.append(
            Ranked(
                round(score, 3),
                not why_dependent,
                found.stance,
                hint,
                match_offsets(ref.passage, query),
            )
        )
    return one_per_page(refs, out)


def same_time(claim: Claim, ref: Reference) -> bool:
    """The reference was published when the claim's event happened: the day of a dated
    claim, else (a claim about the news of the day) the article's own date."""
    if ref.published is None or ref.source == "prior":
        return False
    when = claim.date_start if claim.date_precision == "day" else None
    published = claim.article.published
    if when is None and not claim.date_precision:
        when = published
    if when is None:
        return False
    days = (ref.published - when).days
    return SAME_TIME_DAYS[0] <= days <= SAME_TIME_DAYS[1]


def dependence(ref: Reference, dependent: set[str]) -> str:
    """Why a reference does not count as independent, or "" when it does."""
    host = host_of(ref.url)
    if ref.source != "prior" and on_domain(host, dependent):
        return f"{host} is state media or the article's own outlet"
    phrase = relays.relayed(ref.passage)
    if phrase and ref.source != "prior":
        return f"the passage relays state media (“{phrase}”)"
    return ""


def one_per_page(refs: list[Reference], ranked: list[Ranked]) -> list[Ranked]:
    """A second passage of a page ranks below the first five while other pages have
    relevant passages: its score is lowered to just under the fifth's."""
    order = sorted(range(len(refs)), key=lambda i: -ranked[i].score)
    seen: set[str] = set()
    top: list[int] = []
    later: list[int] = []
    for i in order:
        page = refs[i].canonical_url or refs[i].url
        if page in seen:
            later.append(i)
        else:
            seen.add(page)
            (top if len(top) < TOP else later).append(i)
    relevant = [i for i in top if ranked[i].stance != stance.UNRELATED]
    if len(relevant) < TOP:
        # Fewer than five relevant pages: their other passages may fill the five.
        return ranked
    floor = min(ranked[i].score for i in top)
    for i in later:
        if ranked[i].score >= floor:
            ranked[i].score = round(floor - 0.001 * (1 + later.index(i)), 3)
    return ranked
