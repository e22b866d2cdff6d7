"""Gathering references for claims: plan one job per (claim, source), run a job.

Plain functions; verify/tasks.py wraps them and verify/services.py queues them.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import Article, Claim
from verify.models import GatherJob, Reference
from verify.sources import SOURCES, Candidate, SourceError, get_source

log = logging.getLogger(__name__)


def plan_jobs(article: Article) -> list[GatherJob]:
    """One job per (claim, source) that does not have one yet; disabled sources are skipped."""
    have = set(GatherJob.objects.filter(claim__article=article, query="").values_list(
        "claim_id", "source"
    ))
    jobs = []
    for claim in article.claims.all():
        for source in SOURCES:
            if (claim.pk, source.name) in have:
                continue
            state = GatherJob.State.QUEUED if source.enabled() else GatherJob.State.SKIPPED
            jobs.append(GatherJob(claim=claim, source=source.name, state=state))
    GatherJob.objects.bulk_create(jobs)
    return [j for j in GatherJob.objects.filter(claim__article=article, state=GatherJob.State.QUEUED)]


def run_job(job_id: int) -> GatherJob | None:
    """Run one job if no one else is running it. Safe to call twice."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.JOB_LEASE_SECONDS)
    claimed = GatherJob.objects.filter(pk=job_id, state=GatherJob.State.QUEUED).update(
        state=GatherJob.State.RUNNING, lease_until=lease, updated_at=now
    )
    if not claimed:
        return None
    job = GatherJob.objects.select_related("claim__article").get(pk=job_id)
    source = get_source(job.source)
    try:
        if source is None:
            raise SourceError(f"No source called {job.source!r}.", permanent=True)
        candidates = source.search(job.claim, job.query)
        job.found = store_candidates(job.claim, source.name, candidates)
        finish(job, GatherJob.State.DONE)
    except SourceError as exc:
        if exc.unreachable:
            finish(job, GatherJob.State.UNREACHABLE, str(exc))
        elif exc.permanent or job.attempts + 1 >= settings.GATHER_MAX_ATTEMPTS:
            finish(job, GatherJob.State.FAILED, str(exc))
        else:
            requeue(job, str(exc))
            raise  # the task retries it with backoff
    return job


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
    article = job.claim.article
    pending = GatherJob.objects.filter(claim__article=article).exclude(
        state__in=GatherJob.State.finished()
    )
    if not pending.exists():
        Article.objects.filter(pk=article.pk, state=Article.State.GATHERING).update(
            state=Article.State.DONE, state_changed_at=timezone.now()
        )


# Query parameters that say how a reader arrived, not which page it is.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "spm",
})


def canonical_url(url: str) -> str:
    """Scheme, `www.`, default port, tracking parameters (utm_*, fbclid…), fragment and
    trailing slash folded, so one page is one reference and one article (claims.monitoring)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = "&".join(
        pair for pair in parts.query.split("&")
        if pair and not _is_tracking(pair.partition("=")[0].lower())
    )
    return urlunsplit(("", host, path, query, ""))[2:]


def _is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS


def store_candidates(claim: Claim, source: str, candidates: list[Candidate]) -> int:
    stored = 0
    for c in candidates:
        passage = c.passage[: settings.PASSAGE_MAX_CHARS]
        with transaction.atomic():
            _, created = Reference.objects.get_or_create(
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
                },
            )
        stored += created
    return stored
