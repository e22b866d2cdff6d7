"""Publishing: frozen, versioned verification summaries and the ClaimReview built from them.

A summary's snapshot is the public record. Public pages, feeds and exports are rendered from
snapshots only, never from live rows, so nothing that was not published can leak into them
and a published page never drifts when someone edits a claim afterwards.

Versions are append-only: republishing adds version N+1 (with a required correction note),
and a retraction is also a new version, in state "retracted", carrying the retraction note.
Only the `is_current` flag of the previous version changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, Verdict
from verify.models import AuditEvent, PublicCredit, Reference, Review, Summary

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

VERDICT_LABELS = {
    Review.Verdict.SUPPORTED: "Supported",
    Review.Verdict.DISPUTED: "Disputed",
    Review.Verdict.UNVERIFIED: "Unverified",
}
# ClaimReview's ratingValue, on the scale Google reads (closer to bestRating = truer). The
# verdict's own word goes with it as alternateName, which is what Google shows: unverified
# sits between the two only because it asserts neither.
RATING_VALUES = {"disputed": 1, "unverified": 2, "supported": 3}
WORST_RATING, BEST_RATING = 1, 3
DISMISSED = Claim.Status.DISMISSED


# Sent inside the publishing transaction with `summary` (the new current version) and
# `previous` (the one it replaced, or None), so that what listens (the api app's webhooks)
# records its work in the same commit; verify knows nothing of who listens.
summary_changed = Signal()


class PublishError(Exception):
    """The article cannot be published (or retracted) as asked; the message says why."""


# Why a claim is not ready, by its stage of review (the list on the publish page says it).
NOT_READY_BECAUSE: dict[str, str] = {
    Claim.Status.OPEN: "not reviewed yet",
    Claim.Status.PROPOSED: "its verdict awaits approval",
    Claim.Status.RETURNED: "sent back to the reviewer",
}
NOT_FINAL = "marked final, but its verdict is not final (no approved review)"


@dataclass(frozen=True)
class Blocker:
    """A claim that keeps the article from being published, and why."""

    claim: Claim
    reason: str

    @property
    def under_review(self) -> bool:
        """Still being checked: a partial publication can go out without it (a claim marked
        final without an approved review is an error to mend, never left out silently)."""
        return self.claim.status in NOT_READY_BECAUSE


# --- Services -------------------------------------------------------------------------


@transaction.atomic
def publish_summary(
    *,
    article: Article,
    editor: User,
    correction_note: str = "",
    headline: str = "",
    introduction: str = "",
    partial: bool = False,
) -> Summary:
    """Freeze the article's reviewed claims into a new current version of its summary.

    Refused while any claim lacks a final verdict (or a dismissal) unless `partial`: then
    the final claims go out and the page names those still under review, which a later
    version adds. Refused too when a republication has no correction note (one that only
    adds such claims gets its note written for it), and when nothing changed since the
    current published version. `headline` and `introduction` are the editor's own words
    at the top of the page (blank: the article's headline, no introduction).
    """
    article = _locked(article)
    current = article.summaries.filter(is_current=True).first()
    correction_note = correction_note.strip()
    if not article.claims.exists():
        raise PublishError("This article has no claims to publish.")
    _check_ready(publish_blockers(article), partial=partial)
    snapshot = build_snapshot(article, headline=headline, introduction=introduction)
    if not snapshot["claims"]:
        raise PublishError("No claim has a final verdict or was dismissed: nothing to publish.")
    if current is not None:
        if current.state == Summary.State.PUBLISHED and current.snapshot == snapshot:
            raise PublishError(f"Nothing has changed since version {current.version}.")
        correction_note = correction_note or additions_note(current.snapshot, snapshot)
        if not correction_note:
            raise PublishError("A new version needs a correction note saying what changed.")
    return _add_version(
        article,
        current,
        state=Summary.State.PUBLISHED,
        snapshot=snapshot,
        note=correction_note,
        editor=editor,
    )


def _check_ready(blockers: list[Blocker], *, partial: bool) -> None:
    refusing = [b for b in blockers if not (partial and b.under_review)]
    if refusing:
        raise PublishError(
            f"{len(refusing)} claim(s) are not ready: "
            + "; ".join(f"claim {b.claim.pk}: {b.reason}" for b in refusing[:5])
        )


def additions_note(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The note of a version that only adds verdicts on claims the previous one listed as
    still under review ("" when it changes anything else: then the editor says what)."""
    old = {c["id"]: c for c in before.get("claims", [])}
    new = {c["id"]: c for c in after.get("claims", [])}
    waiting = {c["id"] for c in before.get("under_review", [])}
    added = [new[i] for i in new if i not in old]
    same_rest = all(
        before.get(key) == after.get(key) for key in ("article", "headline", "introduction")
    )
    if not added or not same_rest or any(new.get(i) != c for i, c in old.items()):
        return ""
    if not {c["id"] for c in added} <= waiting:
        return ""
    positions = ", ".join(str(c["position"]) for c in added)
    plural = "s" if len(added) > 1 else ""
    return f"Adds the verdict{plural} on claim{plural} {positions}, still under review before."


@transaction.atomic
def retract_summary(*, article: Article, editor: User, note: str) -> Summary:
    """Withdraw the current summary. Its page stays up, marked retracted, with the note."""
    article = _locked(article)
    current = article.summaries.filter(is_current=True).first()
    note = note.strip()
    if current is None or current.state != Summary.State.PUBLISHED:
        raise PublishError("There is no published summary to retract.")
    if not note:
        raise PublishError("A retraction needs a note saying why.")
    return _add_version(
        article,
        current,
        state=Summary.State.RETRACTED,
        snapshot=current.snapshot,
        note=note,
        editor=editor,
    )


@transaction.atomic
def word_claim(*, claim: Claim, user: User, text: str, expected_version: int) -> bool:
    """Set how the claim is worded when published (claimReviewed, the page's title); blank
    goes back to the wording built from its fields. False, and nothing saved, when someone
    changed the claim since the reviewer loaded it."""
    text = " ".join(text.split())[: Claim._meta.get_field("claim_reviewed").max_length]
    before = claim.claim_reviewed
    updated = Claim.objects.filter(pk=claim.pk, version=expected_version).update(
        version=F("version") + 1, claim_reviewed=text
    )
    if not updated:
        return False
    claim.refresh_from_db()
    if text != before:
        AuditEvent.record(
            actor=user, action=AuditEvent.Action.EDITED, claim=claim,
            before={"claim_reviewed": before}, after={"claim_reviewed": text},
        )
    return True


def _locked(article: Article) -> Article:
    # One publisher at a time per article: the version number is max + 1.
    return Article.objects.select_for_update(of=("self",)).select_related("outlet").get(
        pk=article.pk
    )


def _add_version(
    article: Article,
    current: Summary | None,
    *,
    state: str,
    snapshot: dict[str, Any],
    note: str,
    editor: User,
) -> Summary:
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    latest = article.summaries.aggregate(n=Max("version"))["n"] or 0
    summary = Summary.objects.create(
        article=article,
        version=latest + 1,
        state=state,
        is_current=True,
        snapshot=snapshot,
        correction_note=note,
        published_by=editor,
    )
    retracted = state == Summary.State.RETRACTED
    AuditEvent.record(
        actor=editor,
        action=AuditEvent.Action.RETRACTED if retracted else AuditEvent.Action.PUBLISHED,
        obj=summary,
        before={"version": current.version, "state": current.state} if current else {},
        after={"version": summary.version, "state": summary.state},
        note=note,
    )
    summary_changed.send(sender=Summary, summary=summary, previous=current)
    return summary


# --- Readiness and snapshot -----------------------------------------------------------


def final_reviews(article: Article) -> dict[int, Review]:
    """The latest final review of each claim of the article, by claim id."""
    reviews = (
        Review.objects.filter(claim__article=article, status=Review.Status.FINAL)
        .select_related(
            "reviewer__public_credit", "approved_by__public_credit"
        )
        .prefetch_related(Prefetch("references", queryset=Reference.objects.with_demo_flag()))
        .order_by("claim_id", "-decided_at", "-created_at", "-id")
    )
    latest: dict[int, Review] = {}
    for review in reviews:
        latest.setdefault(review.claim_id, review)
    return latest


def publish_blockers(article: Article, reviews: dict[int, Review] | None = None) -> list[Blocker]:
    """Each claim without a final verdict or a dismissal, in article order, with why."""
    reviews = final_reviews(article) if reviews is None else reviews
    return [
        Blocker(claim, why)
        for claim in article.claims.order_by("start", "id")
        if (why := blocked_because(claim, reviews))
    ]


def blocked_because(claim: Claim, reviews: dict[int, Review]) -> str:
    """Why the claim cannot be published yet; "" when it can (dismissed, or final with the
    approved review in `reviews`)."""
    if claim.status == DISMISSED:
        return ""
    if claim.status != Claim.Status.FINAL:
        return NOT_READY_BECAUSE.get(claim.status, "not reviewed yet")
    return "" if claim.pk in reviews else NOT_FINAL


def build_snapshot(
    article: Article, *, headline: str = "", introduction: str = ""
) -> dict[str, Any]:
    """Everything a public page shows about the article, as plain JSON. Claims without a
    final verdict or a dismissal are listed under "under_review" (no verdict, no ClaimReview);
    positions count every claim, so they stay the same when a later version adds them."""
    reviews = final_reviews(article)
    outlet = article.outlet
    claims = []
    under_review = []
    for position, claim in enumerate(article.claims.order_by("start", "id"), start=1):
        entry: dict[str, Any] = {
            "id": claim.pk,
            "position": position,
            "sentence": claim.sentence,
            # What was checked, as one complete statement (claimReviewed, the page's title).
            "short": claim.proposition(),
            "type": claim.type,
            "type_label": str(claim.get_type_display()),
        }
        if blocked_because(claim, reviews):
            under_review.append(entry)
            continue
        if claim.status == DISMISSED:
            entry |= {
                "state": DISMISSED,
                "label": str(Claim.Status.DISMISSED.label),
                # Until the review workflow records a dismissal reason of its own.
                "reason": claim.reason or "Not a checkable statement of fact.",
            }
        else:
            review = reviews[claim.pk]
            entry |= {
                "state": review.verdict,
                "label": str(Verdict(review.verdict).label),
                "rationale": review.rationale,
                "reviewed_by": credit(review.reviewer),
                "approved_by": credit(review.approved_by) if review.approved_by else "",
                "decided_at": _iso(review.decided_at or review.created_at),
                "references": [_cited(ref) for ref in _one_per_page(review.references.all())],
            }
        claims.append(entry)
    snapshot: dict[str, Any] = {
        "article": {
            "id": article.pk,
            "headline": article.title or f"Article {article.pk}",
            "byline": article.byline,
            "published": _iso(article.published),
            "url": article.source_url,
            "outlet": {
                "name": outlet.name if outlet else "",
                "wikidata_id": outlet.wikidata_id if outlet else "",
                "website": outlet.website if outlet else "",
            },
        },
        "claims": claims,
    }
    # Only when there is something to say, so snapshots of earlier versions compare equal.
    extra = {"headline": " ".join(headline.split()), "introduction": introduction.strip(),
             "under_review": under_review}
    snapshot |= {key: value for key, value in extra.items() if value}
    return snapshot


def _cited(ref: Reference) -> dict[str, Any]:
    cited: dict[str, Any] = {
        "url": ref.url,
        "title": ref.title,
        "publisher": ref.publisher,
        "published": _iso(ref.published),
        "fetched_at": _iso(ref.fetched_at),
    }
    if getattr(ref, "from_demo", False):  # written for the demo: the page must say so
        cited["demo"] = True
    return cited


def _one_per_page(references: Iterable[Reference]) -> list[Reference]:
    """The cited references in citation order, a page cited by several passages once."""
    pages: dict[str, Reference] = {}
    for ref in sorted(references, key=lambda r: r.pk):
        pages.setdefault(ref.canonical_url or ref.url, ref)
    return list(pages.values())


def credit(user: AbstractBaseUser) -> str:
    """How a reviewer or approver is named in public: the desk, unless they chose a public
    name for themselves (PublicCredit) and the desk does not publish as one."""
    if settings.PUBLISH_AS_DESK:
        return settings.DESK_NAME
    try:
        chosen = user.public_credit.public_name.strip()  # type: ignore[attr-defined]
    except PublicCredit.DoesNotExist:
        chosen = ""
    return chosen or settings.DESK_NAME


def _iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


# --- Reading published summaries ------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def summary_url(summary: Summary, *, versioned: bool = False) -> str:
    if versioned:
        return reverse("public:summary_version", args=[summary.article_id, summary.version])
    return reverse("public:summary", args=[summary.article_id])


def claim_url(article_id: int, claim_id: int) -> str:
    return reverse("public:claim", args=[article_id, claim_id])


def reviewed_claims(summary: Summary) -> list[dict[str, Any]]:
    """Claims of the snapshot that carry a verdict (dismissed claims get no claim page)."""
    return [c for c in summary.snapshot["claims"] if c["state"] != DISMISSED]


def first_published(summary: Summary) -> datetime:
    """When the article's summary first went public (version 1)."""
    first = Summary.objects.filter(article_id=summary.article_id).order_by("version").first()
    assert first is not None
    return first.published_at


def claim_review(summary: Summary, claim: dict[str, Any], *, first: datetime) -> dict[str, Any]:
    """schema.org ClaimReview for one reviewed claim of a published summary, with the
    properties Google's fact-check documentation requires and recommends."""
    article = summary.snapshot["article"]
    outlet = article["outlet"]
    claim_author: dict[str, Any] = {"@type": "Organization", "name": outlet["name"]}
    if outlet["wikidata_id"]:
        claim_author["sameAs"] = f"https://www.wikidata.org/wiki/{outlet['wikidata_id']}"
    item: dict[str, Any] = {"@type": "Claim", "author": claim_author}
    # Where the claim was made: the state-media article itself.
    appearance: dict[str, Any] = {
        "@type": "CreativeWork", "headline": article["headline"], "author": claim_author,
    }
    if article["url"]:
        appearance["url"] = article["url"]
    if article["published"]:
        item["datePublished"] = appearance["datePublished"] = article["published"]
    item["appearance"] = appearance
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(claim_url(summary.article_id, claim["id"])),
        "claimReviewed": claim["short"],
        "datePublished": timezone.localdate(first).isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_ORG_NAME,
            "url": settings.FACTCHECK_ORG_URL,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[claim["state"]],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim["label"],
        },
        "itemReviewed": item,
    }
    modified = timezone.localdate(summary.published_at)
    if modified != timezone.localdate(first):
        review["dateModified"] = modified.isoformat()
    return review


def current_summaries() -> Any:
    """Current versions of every summary, published or retracted, newest first."""
    return Summary.objects.filter(is_current=True).select_related("article__outlet")


def all_claim_reviews() -> list[dict[str, Any]]:
    """Every ClaimReview that is public now (retracted summaries have none)."""
    summaries = list(current_summaries().filter(state=Summary.State.PUBLISHED))
    firsts = dict(
        Summary.objects.filter(article_id__in=[s.article_id for s in summaries], version=1)
        .values_list("article_id", "published_at")
    )
    return [
        claim_review(summary, claim, first=firsts[summary.article_id])
        for summary in summaries
        for claim in reviewed_claims(summary)
    ]
