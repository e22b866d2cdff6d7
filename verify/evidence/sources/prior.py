"""Earlier verdicts: the same claim in other articles, with its final verdict.

State media repeat themselves; when an earlier claim was already judged, its verdict and
rationale come back as a reference so a reviewer can reuse it in one click. Only for the
same claim: the same type, the same parties, and dates that agree at the coarser of the two
precisions (a 2024 visit is never the 2000 visit; a claim without a date matches only an
undated one). Near-identical wording finds candidates but does not replace those checks,
since two sentences a year apart often differ only in the date. Only final verdicts count:
a proposed one is a reviewer's draft, not a verdict to reuse.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse
from rapidfuzz import fuzz

from claims.models import Claim
from verify.evidence.sources.base import Candidate, Source
from verify.evidence.stance import claim_when, dates_agree
from verify.models import Review

SAME_TEXT = 90  # rapidfuzz token_sort_ratio at or above which two sentences are one claim
SAME_QUERY = 80  # token_set_ratio for a reviewer's own wording
SCAN = 5000  # most recent reviewed claims compared by text
FOUND = 10


class PriorSource(Source):
    name = "prior"
    label = "Earlier verdicts"

    def enabled(self) -> bool:
        return self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        reviewed = (
            Claim.objects.exclude(article_id=claim.article_id)
            .filter(status=Claim.Status.FINAL)
            .select_related("article__outlet")
            .prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=Review.objects.filter(status=Review.Status.FINAL).select_related(
                        "reviewer"
                    ),
                )
            )
        )
        if query:
            matches = [
                c
                for c in reviewed.order_by("-id")[:SCAN]
                if fuzz.token_set_ratio(query, c.sentence) >= SAME_QUERY
            ]
        else:
            same_fields = list(reviewed.filter(same_fields_q(claim))[: FOUND * 5])
            same_text = [
                c
                for c in reviewed.order_by("-id")[:SCAN]
                if fuzz.token_sort_ratio(claim.sentence, c.sentence) >= SAME_TEXT
            ]
            matches = [
                c
                for c in {c.pk: c for c in same_fields + same_text}.values()
                if same_claim(claim, c)
            ]
        return [candidate(c) for c in matches[:FOUND]]


def same_fields_q(claim: Claim) -> Q:
    """Same type and parties (by Wikidata id where both have one, else by name); the two
    sides of a meeting may come in either order."""
    if not claim.subject_name:
        return Q(pk__in=[])  # nothing structured to compare: text only
    q = Q(type=claim.type) & party_q("subject", claim.subject_name, claim.subject_qid)
    if claim.object_name:
        q &= party_q("object", claim.object_name, claim.object_qid)
    if claim.type == Claim.Type.MEETING and claim.object_name:
        q |= (
            Q(type=claim.type)
            & party_q("subject", claim.object_name, claim.object_qid)
            & party_q("object", claim.subject_name, claim.subject_qid)
        )
    return q


def party_q(field: str, name: str, qid: str) -> Q:
    by_name = Q(**{f"{field}_name__iexact": name})
    return (Q(**{f"{field}_qid": qid}) | (Q(**{f"{field}_qid": ""}) & by_name)) if qid else by_name


def dates_compatible(claim: Claim, other: Claim) -> bool:
    """Both undated, or both dated and agreeing at the coarser precision: "2000" and "July
    2000" agree, "June 2024" and "July 2000" do not, and neither does a dated claim with an
    undated one (nothing says they are about the same occasion)."""
    mine, theirs = claim_when(claim), claim_when(other)
    if mine is None or theirs is None:
        return mine is None and theirs is None
    return dates_agree(mine, theirs)


def same_parties(claim: Claim, other: Claim) -> bool:
    def same(name: str, qid: str, other_name: str, other_qid: str) -> bool:
        if qid and other_qid:
            return qid == other_qid
        return name.casefold() == other_name.casefold()

    straight = same(claim.subject_name, claim.subject_qid, other.subject_name, other.subject_qid)
    straight = straight and same(
        claim.object_name, claim.object_qid, other.object_name, other.object_qid
    )
    if straight or claim.type != Claim.Type.MEETING:
        return straight
    return same(
        claim.subject_name, claim.subject_qid, other.object_name, other.object_qid
    ) and same(claim.object_name, claim.object_qid, other.subject_name, other.subject_qid)


def same_claim(claim: Claim, other: Claim) -> bool:
    """Same type, same parties, dates agreeing at the coarser precision."""
    return (
        claim.type == other.type
        and same_parties(claim, other)
        and dates_compatible(claim, other)
    )


def latest_review(claim: Claim) -> Review:
    """The latest final verdict (the search prefetches final ones only)."""
    reviews = [r for r in claim.reviews.all() if r.status == Review.Status.FINAL]
    return max(reviews, key=lambda r: (r.decided_at or r.created_at, r.created_at, r.pk))


def claim_url(claim: Claim) -> str:
    try:
        path = reverse("review:claim", args=[claim.pk])
    except NoReverseMatch:  # no claim page: the article page, at the claim
        path = claim.article.get_absolute_url() + f"#claim-{claim.pk}"
    return settings.SITE_URL.rstrip("/") + path


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def candidate(claim: Claim) -> Candidate:
    review = latest_review(claim)
    article = claim.article
    outlet = article.outlet.name if article.outlet else "an unknown outlet"
    when = (review.decided_at or review.created_at).date()
    passage = (
        f"Judged {review.verdict} ({review.get_status_display().lower()}) by "
        f"{review.reviewer.get_username()} on {long_date(when)}: {review.rationale} "
        f"The earlier claim, in “{article}” ({outlet}"
        f"{', ' + long_date(article.published) if article.published else ''}): "
        f"“{claim.sentence}”"
    )
    return Candidate(
        url=claim_url(claim),
        title=f"Earlier verdict: {review.verdict} — {article}"[:500],
        publisher="Corroborate (earlier review)",
        published=when,
        passage=passage,
        provenance={
            "claim": claim.pk,
            "review": review.pk,
            "verdict": review.verdict,
            "status": review.status,
        },
    )
