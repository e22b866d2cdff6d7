"""Model rows to the API's plain dicts (validated against api.schemas on the way out)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from api.models import Delivery, Webhook
from claims.models import Article, Claim
from verify.evidence.views import job_progress
from verify.models import AuditEvent, Reference, Review, Suggestion, Summary
from verify.publishing import services as publishing

CLAIM_FIELDS = (
    "type", "subject_name", "subject_qid", "object_name", "object_qid", "place_name",
    "place_qid", "speaker_name", "speaker_qid", "occasion", "date_value", "date_precision",
    "date_start", "date_end",
)


def review_status(claim: Claim) -> dict[str, str]:
    """The one place that says how a claim's review state reads in the API."""
    waiting = ""
    if claim.status == Claim.Status.PROPOSED:  # only then is a proposal waiting: one query
        waiting = (
            claim.reviews.filter(status=Review.Status.PROPOSED)
            .values_list("verdict", flat=True).first() or ""
        )
    return {"status": claim.status, "verdict": claim.verdict, "proposed_verdict": waiting}


def article(found: Article) -> dict[str, Any]:
    progress = job_progress(found)
    return {
        "id": found.pk,
        "title": found.title,
        "byline": found.byline,
        "outlet": found.outlet.name if found.outlet else None,
        "published": found.published,
        "source_url": found.source_url,
        "ingested_at": found.ingested_at,
        "word_count": found.word_count,
        "progress": {
            "state": found.state,
            "error": found.error,
            "working": progress["working"],
            "claims": found.claims.count(),
            "jobs_total": progress["total"],
            "jobs_finished": progress["finished"],
            "jobs_by_state": {state: n for state, _label, n in progress["by_state"]},
        },
        "claims_url": reverse("api-1:claims") + f"?status=any&article={found.pk}",
    }


def claim(found: Claim) -> dict[str, Any]:
    return {
        **{name: getattr(found, name) for name in CLAIM_FIELDS},
        "id": found.pk,
        "article_id": found.article_id,
        "sentence": found.sentence,
        "start": found.start,
        "end": found.end,
        "checkworthiness": found.checkworthiness,
        "edited": found.edited,
        "version": found.version,
        "review": review_status(found),
        "assignee": found.assignee.get_username() if found.assignee else None,
        "created_at": found.created_at,
        "url": reverse("api-1:claim", args=[found.pk]),
    }


def claim_detail(found: Claim) -> dict[str, Any]:
    try:
        suggested: Suggestion | None = found.suggestion  # type: ignore[attr-defined]
    except Suggestion.DoesNotExist:
        suggested = None
    reviews = found.reviews.select_related("reviewer", "approved_by").prefetch_related(
        "references"
    )
    return {
        **claim(found),
        "reason": found.reason,
        "suggestion": {
            "label": suggested.label,
            "label_display": str(suggested.get_label_display()),
            "reasons": [str(r) for r in suggested.reasons],
        } if suggested else None,
        "references": [reference(r) for r in found.references.order_by("-score", "id")],
        "reviews": [review(r) for r in reviews],
    }


def reference(ref: Reference) -> dict[str, Any]:
    return {
        "id": ref.pk, "source": ref.source, "url": ref.url, "title": ref.title,
        "publisher": ref.publisher, "published": ref.published, "passage": ref.passage,
        "score": ref.score, "independent": ref.independent, "stance": ref.stance,
        "hint": ref.hint, "matches": ref.matches or [], "fetched_at": ref.fetched_at,
    }


def review(found: Review) -> dict[str, Any]:
    return {
        "id": found.pk, "verdict": found.verdict, "rationale": found.rationale,
        "status": found.status, "reviewer": found.reviewer.get_username(),
        "approved_by": found.approved_by.get_username() if found.approved_by else None,
        "references": sorted(r.pk for r in found.references.all()),
        "created_at": found.created_at, "decided_at": found.decided_at,
    }


def event(found: AuditEvent) -> dict[str, Any]:
    return {
        "at": found.at, "actor": found.actor.get_username() if found.actor else None,
        "action": found.action, "version": found.version, "before": found.before,
        "after": found.after, "note": found.note,
    }


def published(summary: Summary) -> dict[str, Any]:
    """A summary version as the API lists it and as webhooks announce it."""
    return {
        "article_id": summary.article_id,
        "version": summary.version,
        "state": summary.state,
        "headline": summary.snapshot["article"]["headline"],
        "outlet": summary.snapshot["article"]["outlet"]["name"],
        "published_at": summary.published_at,
        "correction_note": summary.correction_note,
        "url": publishing.absolute(publishing.summary_url(summary)),
        "api_url": publishing.absolute(reverse("api-1:published_summary",
                                               args=[summary.article_id])),
        "claims": len(summary.snapshot["claims"]),
    }


def webhook(hook: Webhook, deliveries: list[Delivery]) -> dict[str, Any]:
    return {
        "id": hook.pk, "name": hook.name, "url": hook.url, "events": hook.events,
        "active": hook.active, "created_by": hook.created_by.get_username(),
        "created": hook.created, "deliveries": [delivery(d) for d in deliveries],
    }


def delivery(found: Delivery) -> dict[str, Any]:
    return {
        "id": found.pk, "event": found.event, "article_id": found.summary.article_id,
        "summary_version": found.summary.version, "state": found.state,
        "attempts": found.attempts, "last_status": found.last_status,
        "last_error": found.last_error, "created": found.created,
        "last_attempt": found.last_attempt, "delivered": found.delivered,
    }
