"""Actions that span models or have side effects. The only place that queues claim work."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from claims import ingestion
from claims.ingestion import canonical_url
from claims.models import Article, AuditEvent, Claim, Comment, Outlet, Review
from claims.outlets import find_outlet
from config.queueing import send_on_commit
from verify.models import LibraryDocument, Reference

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Ingested:
    article: Article
    created: bool

    @property
    def message(self) -> str:
        if self.created:
            return f"Article “{self.article}” saved; processing is queued."
        return f"This article is already in Corroborate as “{self.article}” (nothing was added)."


def ingest_article(
    *,
    text: str,
    title: str = "",
    byline: str = "",
    outlet: str = "",
    published: date | None = None,
    source_url: str = "",
    user: User | None = None,
    is_html: bool | None = None,
    queue: bool = True,
    create_outlet: bool = True,
) -> Ingested:
    """Clean, detect metadata, save once, and queue processing after commit.

    Explicit arguments win over what the text itself says. Raises IngestError for input
    we refuse; nothing is saved then. Without `create_outlet` (a person who may not add
    outlets) an outlet nobody knows is left blank rather than created.
    """
    detected = ingestion.Detected()
    if is_html or (is_html is None and ingestion.looks_like_html(text)):
        text, detected = ingestion.html_to_text(text)
    text = ingestion.clean_text(text)
    ingestion.validate(text)
    from_text = ingestion.detect_metadata(text, list(Outlet.objects.values_list("name", flat=True)))
    digest = ingestion.content_hash(text)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return Ingested(existing, created=False)
    outlet_name = outlet or detected.outlet or from_text.outlet
    try:
        with transaction.atomic():
            article = Article.objects.create(
                outlet=_outlet_named(outlet_name, create=create_outlet),
                title=(title or detected.title or from_text.title)[:500],
                byline=(byline or detected.byline or from_text.byline)[:200],
                published=published or detected.published or from_text.published,
                source_url=source_url,
                canonical_url=canonical_url(source_url)[:2000] if source_url else "",
                text=text,
                content_hash=digest,
                ingested_by=user,
            )
            if queue:
                queue_processing(article)
    except IntegrityError:
        # Someone else saved the same text a moment ago: theirs is the article.
        return Ingested(Article.objects.get(content_hash=digest), created=False)
    return Ingested(article, created=True)


def _outlet_named(name: str, *, create: bool) -> Outlet | None:
    name = name.strip()
    if not name:
        return None
    outlet = find_outlet(name)
    if outlet is None and create:
        outlet = Outlet.objects.create(name=name[:200])
    return outlet


def queue_processing(article: Article) -> None:
    from claims import tasks  # tasks import services' callers, not the other way round

    send_on_commit(tasks.process_article, article.pk)


# --- Review workflow --------------------------------------------------------------------
# Every change a person makes to a claim carries the version they saw and goes through
# `_bump`: a conditional UPDATE ... WHERE version = n. If someone else saved first nothing
# is written and StaleVersion says what they did. Every change writes an AuditEvent in the
# same transaction.

EDITABLE_FIELDS = (
    "type", "subject_name", "subject_qid", "object_name", "object_qid", "place_name",
    "place_qid", "speaker_name", "speaker_qid", "occasion", "date_value", "date_precision",
    "date_start", "date_end",
)


class ReviewError(Exception):
    """An action that is not allowed as asked; str(exc) says why in words."""


class StaleVersion(ReviewError):
    """Someone saved the claim after the version this person saw."""

    def __init__(self, claim: Claim, expected_version: int):
        self.claim = claim
        self.expected_version = expected_version
        self.events = list(
            AuditEvent.objects.filter(claim_id=claim.pk, version__gt=expected_version)
            .select_related("actor")
        )
        who = ", ".join(
            dict.fromkeys(f"{e.actor} {e.get_action_display()}" for e in self.events)
        ) or "someone changed it"
        super().__init__(
            f"This claim changed while you were working on it ({who}; version "
            f"{expected_version} → {claim.version}). Your input is kept below: check it "
            f"against theirs and save again."
        )


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _bump(claim: Claim, expected_version: int, **changes: Any) -> Claim:
    """Write `changes` only if the claim is still at `expected_version`; raise otherwise."""
    updated = Claim.objects.filter(pk=claim.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise StaleVersion(Claim.objects.get(pk=claim.pk), expected_version)
    claim.refresh_from_db()
    return claim


# The one way to append to the audit trail (inside the transaction of the change).
record = AuditEvent.record


@transaction.atomic
def edit_claim(
    *, claim: Claim, user: User, changes: dict[str, Any], expected_version: int
) -> Claim:
    """Correct a claim's structured fields (issue 3, item 7)."""
    changes = {k: v for k, v in changes.items() if k in EDITABLE_FIELDS}
    before = _snapshot(claim, changes)
    changed = {k: v for k, v in changes.items() if before[k] != _snapshot_value(v)}
    _bump(claim, expected_version, edited=True, **changed)
    record(actor=user, action=AuditEvent.Action.EDITED, claim=claim,
           before={k: before[k] for k in changed}, after=_snapshot(claim, changed))
    return claim


def _snapshot_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def split_claim(
    *, claim: Claim, user: User, fields: dict[str, Any], expected_version: int
) -> Claim:
    """One extracted claim is really two: keep this one, add a second on the same sentence
    with the given fields. Returns the new claim."""
    _bump(claim, expected_version, edited=True)
    new = Claim(
        article_id=claim.article_id, start=claim.start, end=claim.end,
        sentence=claim.sentence, checkworthiness=claim.checkworthiness,
        reason=f"Split from claim {claim.pk} by {user}"[:300], edited=True,
    )
    for name in EDITABLE_FIELDS:
        setattr(new, name, fields.get(name, getattr(claim, name)))
    new.full_clean(exclude=["article"])
    new.save()
    record(actor=user, action=AuditEvent.Action.SPLIT, claim=claim, note=f"New claim {new.pk}")
    record(actor=user, action=AuditEvent.Action.ADDED, claim=new,
           after=_snapshot(new, EDITABLE_FIELDS), note=f"Split from claim {claim.pk}")
    return new


@transaction.atomic
def add_claim_from_selection(
    *,
    article: Article,
    user: User,
    quote: str,
    start: int | None = None,
    type: str = Claim.Type.OTHER,
) -> Claim:
    """A claim the extractor missed: the reviewer selects (or pastes) its words.

    `start` is where the selection begins in the article text when the browser knows it;
    otherwise the first occurrence of the quote is taken."""
    quote = quote.strip()
    if not quote:
        raise ReviewError("Select or paste the words of the claim.")
    text = article.text
    if start is None or text[start : start + len(quote)] != quote:
        start = text.find(quote)
    if start < 0:
        raise ReviewError("Those words are not in the article text; copy them exactly.")
    if type not in Claim.Type.values:
        raise ReviewError("Choose a claim type.")
    claim = Claim.objects.create(
        article=article, start=start, end=start + len(quote), sentence=quote, type=type,
        checkworthiness=1.0, reason=f"Added by {user}"[:300], edited=True,
    )
    record(actor=user, action=AuditEvent.Action.ADDED, claim=claim,
           after={"sentence": quote, "start": claim.start, "end": claim.end, "type": type})
    return claim


@transaction.atomic
def dismiss_claim(
    *, claim: Claim, user: User, reason: str, expected_version: int
) -> Claim:
    """Not checkable (opinion, rhetoric, intention): out of every queue, with the reason."""
    if not reason.strip():
        raise ReviewError("Say why the claim is not checkable.")
    before = _snapshot(claim, ["review_state", "stage"])
    _bump(claim, expected_version, review_state=Claim.ReviewState.DISMISSED,
          stage=Claim.Stage.FINAL, proposed_verdict="", edited=True,
          locked_by=None, locked_until=None)
    record(actor=user, action=AuditEvent.Action.DISMISSED, claim=claim, before=before,
           after=_snapshot(claim, ["review_state", "stage"]), note=reason.strip())
    return claim


def _review_snapshot(review: Review) -> dict[str, Any]:
    return {
        "verdict": review.verdict, "status": review.status, "rationale": review.rationale,
        "reviewer": str(review.reviewer), "references": sorted(
            r.pk for r in review.references.all()
        ),
    }


@transaction.atomic
def submit_review(
    *,
    claim: Claim,
    reviewer: User,
    verdict: str,
    rationale: str,
    references: Sequence[Reference] = (),
    expected_version: int,
) -> Review:
    """A reviewer's verdict. Under the two-person rule it is proposed and the claim's
    review_state does not change until an editor approves it."""
    rationale = rationale.strip()
    if verdict not in Review.Verdict.values:
        raise ReviewError("Choose supported, disputed or unverified.")
    if not rationale:
        raise ReviewError("Write a rationale: what the evidence shows and why.")
    references = list(references)
    if any(r.claim_id != claim.pk for r in references):
        raise ReviewError("Cite only this claim's references.")
    if verdict != Review.Verdict.UNVERIFIED and not references:
        raise ReviewError("A supported or disputed verdict must cite at least one reference.")
    if claim.review_state == Claim.ReviewState.DISMISSED:
        raise ReviewError("This claim was dismissed as not checkable.")
    final = not settings.TWO_PERSON_RULE
    now = timezone.now()
    if final:
        _bump(claim, expected_version, review_state=verdict, stage=Claim.Stage.FINAL,
              proposed_verdict="", locked_by=None, locked_until=None)
    else:
        _bump(claim, expected_version, stage=Claim.Stage.PROPOSED, proposed_verdict=verdict,
              locked_by=None, locked_until=None)
    for old in claim.reviews.filter(status=Review.Status.PROPOSED):
        old.status = Review.Status.RETURNED
        old.decided_at = now
        old.save(update_fields=["status", "decided_at"])
        record(actor=reviewer, action=AuditEvent.Action.SUPERSEDED, claim=claim, obj=old,
               before={"status": Review.Status.PROPOSED}, after={"status": old.status})
    review = Review.objects.create(
        claim=claim, verdict=verdict, rationale=rationale, reviewer=reviewer,
        status=Review.Status.FINAL if final else Review.Status.PROPOSED,
        decided_at=now if final else None,
    )
    review.references.set(references)
    record(actor=reviewer,
           action=AuditEvent.Action.DECIDED if final else AuditEvent.Action.PROPOSED,
           claim=claim, obj=review, after=_review_snapshot(review))
    return review


def _proposed(review: Review, editor: User) -> None:
    if review.status != Review.Status.PROPOSED:
        raise ReviewError(f"This verdict is already {review.get_status_display().lower()}.")
    if review.reviewer_id == editor.pk:
        raise ReviewError("Under the two-person rule someone else must approve your verdict.")


@transaction.atomic
def approve_review(*, review: Review, editor: User, expected_version: int) -> Review:
    """An editor who is not the author makes a proposed verdict final."""
    _proposed(review, editor)
    claim = review.claim
    before = _snapshot(claim, ["review_state", "stage"])
    _bump(claim, expected_version, review_state=review.verdict, stage=Claim.Stage.FINAL,
          proposed_verdict="")
    review.status = Review.Status.FINAL
    review.approved_by = editor
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "approved_by", "decided_at"])
    record(actor=editor, action=AuditEvent.Action.APPROVED, claim=claim, obj=review,
           before=before, after=_snapshot(claim, ["review_state", "stage"]))
    return review


@transaction.atomic
def return_review(
    *, review: Review, editor: User, comment: str, expected_version: int
) -> Review:
    """An editor sends a proposed verdict back to the queue, saying why."""
    _proposed(review, editor)
    if not comment.strip():
        raise ReviewError("Say why the verdict goes back.")
    claim = review.claim
    _bump(claim, expected_version, stage=Claim.Stage.RETURNED, proposed_verdict="")
    review.status = Review.Status.RETURNED
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_at"])
    Comment.objects.create(claim=claim, author=editor, body=comment.strip())
    record(actor=editor, action=AuditEvent.Action.RETURNED, claim=claim, obj=review,
           before={"status": Review.Status.PROPOSED}, after={"status": review.status},
           note=comment.strip())
    return review


@transaction.atomic
def add_comment(*, claim: Claim, author: User, body: str) -> Comment:
    if not body.strip():
        raise ReviewError("Write something first.")
    comment = Comment.objects.create(claim=claim, author=author, body=body.strip())
    record(actor=author, action=AuditEvent.Action.COMMENTED, claim=claim, obj=comment,
           note=comment.body)
    return comment


@transaction.atomic
def assign_claims(
    *, claims: Sequence[Claim], assignee: User | None, by: User
) -> int:
    """Bulk assignment by an editor. Not a content change, so versions stay as they are."""
    ids = [c.pk for c in claims]
    Claim.objects.filter(pk__in=ids).update(assignee=assignee)
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=by, action=AuditEvent.Action.ASSIGNED, claim_id=c.pk,
                   article_id=c.article_id, model="claim", object_id=c.pk, version=c.version,
                   before={"assignee": str(c.assignee) if c.assignee_id else None},
                   after={"assignee": str(assignee) if assignee else None})
        for c in claims
    )
    return len(ids)


def take_next_claim(
    *, user: User, queryset: QuerySet[Claim] | None = None
) -> Claim | None:
    """The next claim to review for `user`, held for CLAIM_LOCK_MINUTES.

    A claim this person already holds comes first; then the oldest open claim assigned to
    them; then the oldest unassigned one nobody holds. Two reviewers asking at once get
    different claims: the lock is taken with a conditional UPDATE and a loser tries the next.
    """
    now = timezone.now()
    until = now + timedelta(minutes=settings.CLAIM_LOCK_MINUTES)
    base = (queryset if queryset is not None else Claim.objects.all()).filter(
        stage__in=Claim.Stage.to_work(), review_state=Claim.ReviewState.PENDING
    )
    held = base.filter(locked_by=user, locked_until__gt=now).order_by("created_at", "id")
    for claim in held[:1]:
        Claim.objects.filter(pk=claim.pk).update(locked_until=until)
        claim.locked_until = until
        return claim
    free = base.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now)).filter(
        Q(assignee__isnull=True) | Q(assignee=user)
    )
    ordered = free.annotate(mine=Q(assignee=user)).order_by("-mine", "created_at", "id")
    for _attempt in range(5):
        candidates = list(ordered.values_list("pk", flat=True)[:10])
        if not candidates:
            return None
        for pk in candidates:
            took = Claim.objects.unlocked(now).filter(pk=pk).update(
                locked_by=user, locked_until=until
            )
            if took:
                return Claim.objects.select_related("locked_by").get(pk=pk)
    return None


def hold_claim(*, claim: Claim, user: User) -> bool:
    """Take the soft lock on one claim if nobody else holds it; True if this person has it."""
    now = timezone.now()
    until = now + timedelta(minutes=settings.CLAIM_LOCK_MINUTES)
    took = Claim.objects.filter(pk=claim.pk).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now) | Q(locked_by=user)
    ).update(locked_by=user, locked_until=until)
    return bool(took)


def release_claim(*, claim: Claim, user: User) -> None:
    Claim.objects.filter(pk=claim.pk, locked_by=user).update(locked_by=None, locked_until=None)


@transaction.atomic
def add_library_reference(
    *, claim: Claim, document: LibraryDocument, user: User
) -> Reference:
    """Cite a document from the team's library: its paragraph closest to the claim."""
    passage = best_passage(document.text, claim.sentence)[: settings.PASSAGE_MAX_CHARS]
    reference, created = Reference.objects.get_or_create(
        claim=claim,
        canonical_url=document.url,
        passage_hash=hashlib.sha256(passage.encode()).hexdigest(),
        defaults={
            "source": "library", "url": document.url, "title": document.title,
            "publisher": document.publisher, "published": document.published,
            "passage": passage, "score": 0.0, "independent": True,
            "stance": Reference.Stance.RELATED,
            "hint": f"Chosen from the library by {user}"[:500], "added_by": user,
        },
    )
    if created:
        record(actor=user, action=AuditEvent.Action.REFERENCE_ADDED, claim=claim, obj=reference,
               after={"source": "library", "url": document.url, "title": document.title})
    return reference


def best_passage(text: str, sentence: str) -> str:
    from rapidfuzz import fuzz

    paragraphs = [p.strip() for p in text.split("\n") if p.strip()] or [text]
    return max(paragraphs, key=lambda p: fuzz.token_set_ratio(p, sentence))


def prior_verdict(reference: Reference) -> str:
    """The verdict an earlier review gave, as the `prior` source recorded it."""
    verdict = str((reference.provenance or {}).get("verdict", ""))
    if verdict in Review.Verdict.values:
        return verdict
    by_stance: dict[str, str] = {
        Reference.Stance.AGREES: Review.Verdict.SUPPORTED,
        Reference.Stance.CONTRADICTS: Review.Verdict.DISPUTED,
    }
    return by_stance.get(reference.stance, Review.Verdict.UNVERIFIED)


def reuse_verdict(
    *, claim: Claim, reference: Reference, reviewer: User, expected_version: int
) -> Review:
    """One click: the verdict of a matching earlier claim, citing it."""
    if reference.source != "prior" or reference.claim_id != claim.pk:
        raise ReviewError("Only an earlier verdict listed for this claim can be reused.")
    rationale = f"Same claim as reviewed earlier: {reference.title or reference.url}."
    if reference.hint:
        rationale += f" {reference.hint}"
    return submit_review(claim=claim, reviewer=reviewer, verdict=prior_verdict(reference),
                         rationale=rationale, references=[reference],
                         expected_version=expected_version)
