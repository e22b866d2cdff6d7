"""Actions that span models or have side effects. The only place that queues claim work.

This is also the review state machine: the functions below (submit_review, approve_review,
return_review, dismiss_claim) are the only code that changes Claim.status and Claim.verdict.
Each goes through `_bump`, a conditional UPDATE on the version the person saw and on the
status the transition starts from, and writes its AuditEvent in the same transaction.

    open ──submit──► proposed ──approve──► final
    returned ─┘        │ └─────return────► returned
                       └──submit (again)─► proposed (the earlier proposal is returned)
    any status ──dismiss──► dismissed
    any status but dismissed ──submit, two-person rule off──► final

A final claim may be reviewed or dismissed again (a correction): it leaves `final` and its
verdict until the new decision; what was published stays as published (the snapshot).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from claims.models import Article, Claim, Verdict
from config.queueing import send_on_commit
from verify.models import (
    AuditEvent,
    Comment,
    LibraryDocument,
    Notification,
    Reference,
    Review,
    Tag,
    tag_key,
)
from verify.review import notifications, tasks

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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


def _bump(
    claim: Claim,
    expected_version: int,
    *,
    from_status: Sequence[str] | None = None,
    **changes: Any,
) -> Claim:
    """Write `changes` only if the claim is still at `expected_version` (and, for a
    transition, still in one of `from_status`); raise otherwise."""
    rows = Claim.objects.filter(pk=claim.pk, version=expected_version)
    if from_status is not None:
        rows = rows.filter(status__in=from_status)
    if not rows.update(version=F("version") + 1, **changes):
        current = Claim.objects.get(pk=claim.pk)
        if current.version != expected_version:
            raise StaleVersion(current, expected_version)
        raise ReviewError(f"Not allowed: the claim is {current.get_status_display().lower()}.")
    claim.refresh_from_db()
    return claim


STATE_FIELDS = ["status", "verdict"]
# Where each transition may start from.
SUBMITTABLE = [s for s in Claim.Status.values if s != Claim.Status.DISMISSED]
DISMISSIBLE = Claim.Status.values


def _close_proposals(claim: Claim, actor: User, now: Any) -> None:
    """A new proposal or a dismissal ends the pending one: it can no longer be approved."""
    for old in claim.reviews.filter(status=Review.Status.PROPOSED):
        old.status = Review.Status.RETURNED
        old.decided_at = now
        old.save(update_fields=["status", "decided_at"])
        record(actor=actor, action=AuditEvent.Action.SUPERSEDED, claim=claim, obj=old,
               before={"status": Review.Status.PROPOSED}, after={"status": old.status})


# The one way to append to the audit trail (inside the transaction of the change).
record = AuditEvent.record


def _mail(made: list[Notification]) -> None:
    """The e-mail of new notices goes out after the change commits (or never, if it rolls
    back); the notices themselves are part of the change."""
    if made:
        send_on_commit(tasks.send_notification_mail, [n.pk for n in made])


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
    before = _snapshot(claim, STATE_FIELDS)
    _bump(claim, expected_version, from_status=DISMISSIBLE, status=Claim.Status.DISMISSED,
          verdict="", edited=True, locked_by=None, locked_until=None)
    _close_proposals(claim, user, timezone.now())
    record(actor=user, action=AuditEvent.Action.DISMISSED, claim=claim, before=before,
           after=_snapshot(claim, STATE_FIELDS), note=reason.strip())
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
    """A reviewer's verdict. Under the two-person rule it is proposed and the claim has no
    verdict until an editor approves it."""
    rationale = rationale.strip()
    if verdict not in Verdict.values:
        raise ReviewError("Choose supported, disputed or unverified.")
    if not rationale:
        raise ReviewError("Write a rationale: what the evidence shows and why.")
    references = list(references)
    if any(r.claim_id != claim.pk for r in references):
        raise ReviewError("Cite only this claim's references.")
    if verdict != Verdict.UNVERIFIED and not references:
        raise ReviewError("A supported or disputed verdict must cite at least one reference.")
    if claim.status == Claim.Status.DISMISSED:
        raise ReviewError("This claim was dismissed as not checkable.")
    final = not settings.TWO_PERSON_RULE
    now = timezone.now()
    if final:
        _bump(claim, expected_version, from_status=SUBMITTABLE, status=Claim.Status.FINAL,
              verdict=verdict, locked_by=None, locked_until=None)
    else:
        _bump(claim, expected_version, from_status=SUBMITTABLE, status=Claim.Status.PROPOSED,
              verdict="", locked_by=None, locked_until=None)
    _close_proposals(claim, reviewer, now)
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
    review.refresh_from_db(fields=["status"])
    if review.status != Review.Status.PROPOSED:
        raise ReviewError(f"This verdict is already {review.get_status_display().lower()}.")
    if review.reviewer_id == editor.pk:
        raise ReviewError("Under the two-person rule someone else must approve your verdict.")


@transaction.atomic
def approve_review(*, review: Review, editor: User, expected_version: int) -> Review:
    """An editor who is not the author makes a proposed verdict final."""
    _proposed(review, editor)
    claim = review.claim
    before = _snapshot(claim, STATE_FIELDS)
    _bump(claim, expected_version, from_status=[Claim.Status.PROPOSED],
          status=Claim.Status.FINAL, verdict=review.verdict)
    review.status = Review.Status.FINAL
    review.approved_by = editor
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "approved_by", "decided_at"])
    record(actor=editor, action=AuditEvent.Action.APPROVED, claim=claim, obj=review,
           before=before, after=_snapshot(claim, STATE_FIELDS))
    _mail(notifications.notify(users=[review.reviewer], kind=Notification.Kind.APPROVED,
                               claim=claim, actor=editor, note=review.get_verdict_display()))
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
    _bump(claim, expected_version, from_status=[Claim.Status.PROPOSED],
          status=Claim.Status.RETURNED)
    review.status = Review.Status.RETURNED
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_at"])
    Comment.objects.create(claim=claim, author=editor, body=comment.strip())
    record(actor=editor, action=AuditEvent.Action.RETURNED, claim=claim, obj=review,
           before={"status": Review.Status.PROPOSED}, after={"status": review.status},
           note=comment.strip())
    _mail(notifications.notify(users=[review.reviewer], kind=Notification.Kind.RETURNED,
                               claim=claim, actor=editor, note=comment.strip()))
    return review


@transaction.atomic
def add_comment(*, claim: Claim, author: User, body: str) -> Comment:
    if not body.strip():
        raise ReviewError("Write something first.")
    comment = Comment.objects.create(claim=claim, author=author, body=body.strip())
    record(actor=author, action=AuditEvent.Action.COMMENTED, claim=claim, obj=comment,
           note=comment.body)
    _mail(notifications.notify(users=notifications.mentioned(comment.body, author=author),
                               kind=Notification.Kind.MENTIONED, claim=claim, actor=author,
                               note=comment.body))
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
    newly = [c for c in claims if c.assignee_id != (assignee.pk if assignee else None)]
    _mail(notifications.notify_many(user=assignee, kind=Notification.Kind.ASSIGNED,
                                    claims=newly, actor=by))
    return len(ids)


# --- Tags ------------------------------------------------------------------------------
# A label, not a content change: versions stay as they are, as with assignment. Each change
# writes its AuditEvent, on the claim's timeline or, for an article, with the article's id.

Tagged = Claim | Article


def _tag_named(name: str, by: User) -> Tag:
    """The desk's tag of this name in any case, made on first use."""
    key = tag_key(name)
    if not key:
        raise ReviewError("A tag needs a name.")
    if "," in name:  # the separator of the tag box and of the queue's joined names
        raise ReviewError(f"A tag name holds no comma: “{name}”.")
    found = Tag.objects.filter(key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # two people making the same new tag at once
            return Tag.objects.create(name=name, created_by=by)
    except IntegrityError:
        return Tag.objects.get(key=key)


def _tags_of(target: Tagged) -> Any:
    """The target's tag relation (Tag.claims / Tag.articles, seen from the other side)."""
    return target.tags  # type: ignore[union-attr]


def _record_tags(target: Tagged, by: User, action: str, names: list[str]) -> None:
    if isinstance(target, Claim):
        record(actor=by, action=action, claim=target, after={"tags": names})
    else:
        record(actor=by, action=action, obj=target, after={"tags": names})


def tags_named(names: Sequence[str], by: User) -> list[Tag]:
    """The desk's tags of these names, each once, made on first use."""
    return list({t.pk: t for t in (_tag_named(n, by) for n in names)}.values())


@transaction.atomic
def add_tags(*, target: Tagged, names: Sequence[str], by: User) -> list[Tag]:
    """Put these tags on a claim or an article; returns the ones it did not carry yet."""
    return put_tags(target=target, tags=tags_named(names, by), by=by)


@transaction.atomic
def put_tags(*, target: Tagged, tags: Sequence[Tag], by: User) -> list[Tag]:
    """add_tags with the tags already looked up (a bulk action looks them up once)."""
    had = set(_tags_of(target).filter(pk__in=[t.pk for t in tags]).values_list("pk", flat=True))
    new = [t for t in tags if t.pk not in had]
    if new:
        _tags_of(target).add(*new)
        _record_tags(target, by, AuditEvent.Action.TAGGED, [t.name for t in new])
    return new


@transaction.atomic
def remove_tag(*, target: Tagged, name: str, by: User) -> bool:
    """Take a tag off a claim or an article; False when it did not carry it."""
    tag = _tags_of(target).filter(key=tag_key(name)).first()
    if tag is None:
        return False
    _tags_of(target).remove(tag)
    _record_tags(target, by, AuditEvent.Action.UNTAGGED, [tag.name])
    return True


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
        status__in=Claim.Status.to_work()
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
    if verdict in Verdict.values:
        return verdict
    by_stance: dict[str, str] = {
        Reference.Stance.AGREES: Verdict.SUPPORTED,
        Reference.Stance.CONTRADICTS: Verdict.DISPUTED,
    }
    return by_stance.get(reference.stance, Verdict.UNVERIFIED)


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
