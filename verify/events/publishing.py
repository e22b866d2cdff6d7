"""Publishing an event's comparison: frozen, versioned snapshots, as for article summaries.

An editor publishes once every claim the comparison shows has a final verdict (a dismissed
claim is left out of it). The public page renders from the snapshot only: the outlets'
words, the differences, each claim's verdict with its ClaimReview, and the references the
reviewers cited (never the machine's uncited candidates). Republishing adds version N+1
with a correction note; a retraction is a new version too. The article-summary helpers of
verify.publishing (final reviews, credits, citations, ClaimReview) are reused as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from claims.models import Article, Claim, Verdict
from verify.events import comparison
from verify.models import AuditEvent, Event, EventSummary, Review, Summary
from verify.publishing import services as publishing
from verify.publishing.services import Blocker, PublishError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["PublishError", "blockers", "publish_event", "retract_event"]


def shown_claims(event: Event) -> list[Claim]:
    """The claims the comparison publishes: every claim of the event but the dismissed."""
    return list(
        Claim.objects.filter(event_membership__event=event)
        .exclude(status=Claim.Status.DISMISSED)
        .select_related("article__outlet").order_by("article__published", "article_id", "start")
    )


def final_reviews(claims: list[Claim]) -> dict[int, Review]:
    reviews: dict[int, Review] = {}
    for article in Article.objects.filter(pk__in={c.article_id for c in claims}):
        reviews |= publishing.final_reviews(article)
    return reviews


def blockers(claims: list[Claim], reviews: dict[int, Review]) -> list[Blocker]:
    out = []
    for claim in claims:
        if claim.status != Claim.Status.FINAL:
            out.append(Blocker(claim, "not reviewed yet, or its verdict awaits approval"))
        elif claim.pk not in reviews:
            out.append(Blocker(claim, "its verdict is not final"))
    return out


@transaction.atomic
def publish_event(*, event: Event, editor: User, correction_note: str = "") -> EventSummary:
    """Freeze the event's comparison into a new current version. Refused while a claim it
    shows lacks a final verdict, when a republication has no correction note, and when
    nothing changed since the current published version."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    current = event.summaries.filter(is_current=True).first()
    correction_note = correction_note.strip()
    claims = shown_claims(event)
    if not claims:
        raise PublishError("This event has no claims to publish.")
    reviews = final_reviews(claims)
    if found := blockers(claims, reviews):
        raise PublishError(
            f"{len(found)} claim(s) are not ready: "
            + "; ".join(f"claim {b.claim.pk}: {b.reason}" for b in found[:5])
        )
    snapshot = build_snapshot(event, claims, reviews)
    if current is not None:
        if current.state == Summary.State.PUBLISHED and current.snapshot == snapshot:
            raise PublishError(f"Nothing has changed since version {current.version}.")
        if not correction_note:
            raise PublishError("A new version needs a correction note saying what changed.")
    # A published event is the reviewers' decision: re-grouping never deletes or renames it.
    Event.objects.filter(pk=event.pk).update(reviewer_locked=True)
    return _add_version(event, current, state=Summary.State.PUBLISHED, snapshot=snapshot,
                        note=correction_note, editor=editor)


@transaction.atomic
def retract_event(*, event: Event, editor: User, note: str) -> EventSummary:
    """Withdraw the current comparison. Its page stays up, marked retracted, with the note."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    current = event.summaries.filter(is_current=True).first()
    note = note.strip()
    if current is None or current.state != Summary.State.PUBLISHED:
        raise PublishError("There is no published comparison to retract.")
    if not note:
        raise PublishError("A retraction needs a note saying why.")
    return _add_version(event, current, state=Summary.State.RETRACTED,
                        snapshot=current.snapshot, note=note, editor=editor)


def _add_version(event: Event, current: EventSummary | None, *, state: str,
                 snapshot: dict[str, Any], note: str, editor: User) -> EventSummary:
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    latest = event.summaries.aggregate(n=Max("version"))["n"] or 0
    summary = EventSummary.objects.create(
        event=event, version=latest + 1, state=state, is_current=True, snapshot=snapshot,
        correction_note=note, published_by=editor,
    )
    retracted = state == Summary.State.RETRACTED
    AuditEvent.record(
        actor=editor,
        action=AuditEvent.Action.RETRACTED if retracted else AuditEvent.Action.PUBLISHED,
        obj=summary,
        before={"version": current.version, "state": current.state} if current else {},
        after={"version": summary.version, "state": summary.state, "event": event.pk},
        note=note,
    )
    return summary


# --- The snapshot ---------------------------------------------------------------------


def build_snapshot(event: Event, claims: list[Claim],
                   reviews: dict[int, Review]) -> dict[str, Any]:
    """Everything the public page shows, as plain JSON."""
    cited = {r.pk: r for review in reviews.values() for r in review.references.all()}
    table = comparison.compare(claims, references=[
        r for r in cited.values() if r.claim_id in {c.pk for c in claims}])
    return {
        "event": {
            "id": event.pk, "name": event.name, "type": event.type,
            "type_label": str(event.get_type_display()),
            "date_start": event.date_start.isoformat(), "date_end": event.date_end.isoformat(),
            "parties": [p["name"] for p in event.parties],
            "places": [p["name"] for p in event.places],
        },
        "columns": [{"label": col.label, "state_media": col.state_media,
                     "independent": col.independent} for col in table.columns],
        # An aspect no outlet speaks of (no figures, no document) is left off the page.
        "rows": [{"key": key, "label": label, "cells": [_cell(cell) for cell in cells]}
                 for key, label, cells in table.rows
                 if any(cell.claims or cell.references for cell in cells)],
        "differences": [{"aspect": d.aspect, "outlets": list(d.outlets), "note": d.note}
                        for d in table.differences],
        "claims": [_claim(c, reviews[c.pk], c in table.unrepeated) for c in claims],
    }


def _cell(cell: comparison.Cell) -> dict[str, Any]:
    return {
        "values": list(cell.values),
        "claims": [{"id": c.pk, "sentence": c.sentence} for c in cell.claims],
        "references": [{"url": r.url, "publisher": r.publisher or r.source,
                        "passage": r.passage, "stance": str(r.get_stance_display())}
                       for r in cell.references],
        "notes": list(cell.notes),
    }


def _claim(claim: Claim, review: Review, unrepeated: bool) -> dict[str, Any]:
    article, outlet = claim.article, claim.article.outlet
    return {
        "id": claim.pk,
        "outlet": comparison.outlet_key(claim),
        "state_media": bool(outlet and outlet.is_state_media),
        "article": {
            "id": article.pk, "headline": article.title or f"Article {article.pk}",
            "published": article.published.isoformat() if article.published else "",
            "url": article.source_url,
            "outlet": {"name": outlet.name if outlet else "",
                       "wikidata_id": outlet.wikidata_id if outlet else "",
                       "website": outlet.website if outlet else ""},
        },
        "sentence": claim.sentence,
        "short": claim.proposition(),
        "type": claim.type,
        "type_label": str(claim.get_type_display()),
        "state": review.verdict,
        "label": str(Verdict(review.verdict).label),
        "rationale": review.rationale,
        "reviewed_by": publishing.credit(review.reviewer),
        "approved_by": publishing.credit(review.approved_by) if review.approved_by else "",
        "decided_at": (review.decided_at or review.created_at).isoformat(),
        "references": [publishing._cited(r)
                       for r in publishing._one_per_page(review.references.all())],
        "unrepeated": unrepeated,
    }


# --- Reading published comparisons ----------------------------------------------------


def page_url(summary: EventSummary, *, versioned: bool = False) -> str:
    if versioned:
        return reverse("events:published_version", args=[summary.event_id, summary.version])
    return reverse("events:published", args=[summary.event_id])


def claim_reviews(summary: EventSummary, first: datetime) -> list[dict[str, Any]]:
    """schema.org ClaimReview for each claim of a published comparison, built by the
    summaries' own function: the claim appeared in its outlet's article, and the review
    lives on this page, at the claim's anchor."""
    out = []
    page = publishing.absolute(page_url(summary))
    for claim in summary.snapshot["claims"]:
        as_article = Summary(article_id=claim["article"]["id"], published_at=summary.published_at,
                             snapshot={"article": claim["article"]})
        review = publishing.claim_review(as_article, claim, first=first)
        review["url"] = f"{page}#claim-{claim['id']}"
        out.append(review)
    return out

