"""Gathering references for claims: plan one job per (claim, source), run a job, then rank
the claim's references and refresh its suggestion.

Plain functions; verify/tasks.py wraps them, verify/services.py queues them, and
`manage.py check_article` runs them in-process (run_until_finished): one code path.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.ingestion import canonical_url
from claims.models import Article, Claim
from claims.processing import current_gazetteer, failure_summary
from verify.evidence import embeddings, ranking, stance
from verify.evidence.sources import SOURCES, Candidate, SourceError, get_source
from verify.models import AuditEvent, GatherJob, Reference, Suggestion

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)


def plan_jobs(article: Article, sources: Iterable[str] | None = None) -> list[GatherJob]:
    """One job per (claim, source) that does not have one yet; disabled sources are skipped.
    `sources` limits the plan to the sources named.

    Two planners at once (two workers, a re-sent message) both pass the check below; the
    database's one-active-job constraint (gatherjob_one_active) then drops the second
    insert, so no search ever runs twice."""
    names = set(sources) if sources is not None else None
    have = set(
        GatherJob.objects.filter(claim__article=article, query="").values_list("claim_id", "source")
    )
    jobs = []
    for claim in article.claims.all():
        for source in SOURCES:
            if (claim.pk, source.name) in have or (names is not None and source.name not in names):
                continue
            state = GatherJob.State.QUEUED if source.enabled() else GatherJob.State.SKIPPED
            jobs.append(GatherJob(claim=claim, source=source.name, state=state))
    GatherJob.objects.bulk_create(jobs, ignore_conflicts=True)
    queued = GatherJob.objects.filter(claim__article=article, state=GatherJob.State.QUEUED)
    if names is not None:
        queued = queued.filter(source__in=names)
    return list(queued)


def run_job(job_id: int) -> GatherJob | None:
    """Run one job if no one else is running it. Safe to call twice.

    Temporary errors put the job back in the queue and raise, so that the task retries it
    with backoff; permanent ones, unreachable sources and the last attempt finish it."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.JOB_LEASE_SECONDS)
    claimed = GatherJob.objects.filter(pk=job_id, state=GatherJob.State.QUEUED).update(
        state=GatherJob.State.RUNNING, lease_until=lease, updated_at=now
    )
    if not claimed:
        return None
    job = GatherJob.objects.select_related("claim__article__outlet").get(pk=job_id)
    source = get_source(job.source)
    try:
        if source is None:
            raise SourceError(f"No source called {job.source!r}.", permanent=True)
        candidates = source.search(job.claim, job.query)
        job.found = store_candidates(job.claim, source.name, candidates, user=job.requested_by)
        finish(job, GatherJob.State.DONE)
    except SourceError as exc:
        if exc.unreachable:
            finish(job, GatherJob.State.UNREACHABLE, str(exc))
        elif exc.permanent or job.attempts + 1 >= settings.GATHER_MAX_ATTEMPTS:
            finish(job, GatherJob.State.FAILED, str(exc))
        else:
            requeue(job, str(exc))
            raise  # the task retries it with backoff
    except Exception as exc:
        # A bug or a response no one foresaw: fail the job in words instead of leaving it
        # "running" for the reconciler to start again and again.
        log.exception("gather job %s (%s) crashed", job.pk, job.source)
        finish(job, GatherJob.State.FAILED, f"Unexpected error: {failure_summary(exc)}")
        if settings.RAISE_PIPELINE_ERRORS:
            raise  # recorded on the job above; tests must see the bug, not a failed job
    return job


def run_until_finished(
    job_id: int, *, sleep: Callable[[float], None] = time.sleep, backoff: float = 1.0
) -> GatherJob | None:
    """Run a job in this process as the worker would, retrying temporary errors with
    exponential backoff (or the server's Retry-After) until it finishes."""
    for attempt in range(settings.GATHER_MAX_ATTEMPTS):
        try:
            run_job(job_id)
        except SourceError as exc:
            wait = getattr(exc, "retry_after", None) or backoff * 2**attempt
            sleep(min(float(wait), settings.HTTP_DEADLINE))
            continue
        break
    return GatherJob.objects.filter(pk=job_id).first()


def requeue(job: GatherJob, error: str) -> None:
    job.state = GatherJob.State.QUEUED
    job.error = f"Will retry: {error}"
    job.attempts += 1
    job.updated_at = timezone.now()
    job.save(update_fields=["state", "error", "attempts", "updated_at"])


def finish(job: GatherJob, state: str, error: str = "") -> None:
    job.state = state
    job.error = error
    job.attempts += 1
    job.updated_at = job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "attempts", "found", "updated_at", "finished_at"])
    refresh_claim(job.claim)
    note_unassessed(job)
    article = job.claim.article
    pending = GatherJob.objects.filter(claim__article=article).exclude(
        state__in=GatherJob.State.finished()
    )
    if not pending.exists():
        Article.objects.filter(pk=article.pk, state=Article.State.GATHERING).update(
            state=Article.State.DONE, state_changed_at=timezone.now()
        )


def note_unassessed(job: GatherJob) -> None:
    """Record on the job the passages it brought that ranking could not assess."""
    reasons = list(
        job.claim.references.filter(
            source=job.source, stance=Reference.Stance.NOT_ASSESSED
        ).values_list("hint", flat=True)
    )
    if reasons:
        note = f"{len(reasons)} passage(s) not assessed; first: {reasons[0]}"
        job.error = "; ".join(filter(None, [job.error, note]))[:2000]
        job.save(update_fields=["error"])


def store_candidates(
    claim: Claim, source: str, candidates: list[Candidate], user: User | None = None
) -> int:
    stored = 0
    for c in candidates:
        passage = c.passage[: settings.PASSAGE_MAX_CHARS]
        with transaction.atomic():
            ref, created = Reference.objects.get_or_create(
                claim=claim,
                canonical_url=canonical_url(c.url)[:2000],
                passage_hash=hashlib.sha256(passage.encode()).hexdigest(),
                defaults={
                    "source": source,
                    "url": c.url[:2000],
                    "title": c.title[:500],
                    "publisher": c.publisher[:200],
                    "published": c.published,
                    "passage": passage,
                    "provenance": c.provenance,
                    "added_by": user,
                },
            )
            if created and user is not None:
                # A person asked for this one (a URL, their own query): it joins the trail.
                AuditEvent.record(
                    actor=user,
                    action=AuditEvent.Action.REFERENCE_ADDED,
                    claim=claim,
                    obj=ref,
                    after={"source": source, "url": ref.url, "title": ref.title},
                )
        stored += created
    return stored


def refresh_claim(claim: Claim) -> Suggestion:
    """Rank all of a claim's references again and update its suggestion.

    The claim row is locked meanwhile, so two jobs of one claim finishing together rank one
    after the other and the last one sees every reference."""
    with transaction.atomic():
        Claim.objects.select_for_update().filter(pk=claim.pk).first()
        refs = list(claim.references.all())
        for ref, ranked in zip(refs, ranking.rank(claim, refs, current_gazetteer()), strict=True):
            ref.score, ref.independent, ref.stance = ranked.score, ranked.independent, ranked.stance
            ref.hint, ref.matches = ranked.hint[:500], ranked.matches
        Reference.objects.bulk_update(refs, ["score", "independent", "stance", "hint", "matches"])
        states = list(claim.jobs.values_list("source", "state"))
        done = {s for s, state in states if state == GatherJob.State.DONE}
        not_searched = [
            f"{s} ({state})"
            for s, state in states
            if state in (GatherJob.State.FAILED, GatherJob.State.UNREACHABLE) and s not in done
        ]
        suggested = stance.suggest(refs, not_searched=not_searched)
        if not embeddings.available():
            # The review page shows the reasons: it says when ranking runs without the model.
            suggested.reasons.append(embeddings.status())
        defaults = {
            "label": suggested.label,
            "reasons": suggested.reasons,
            "updated_at": timezone.now(),
        }
        try:
            with transaction.atomic():
                suggestion, _ = Suggestion.objects.update_or_create(claim=claim, defaults=defaults)
        except IntegrityError:  # created by another process a moment ago: update theirs
            Suggestion.objects.filter(claim=claim).update(**defaults)
            suggestion = Suggestion.objects.get(claim=claim)
    return suggestion
