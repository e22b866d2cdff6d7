"""Celery tasks for gathering (routed to the `fetch` queue); the work is in gathering.py."""

from __future__ import annotations

from celery import Task, shared_task

from verify.evidence import gathering
from verify.evidence.sources import SourceError

BACKOFF_SECONDS = 5
BACKOFF_MAX_SECONDS = 300


# No max_retries here: run_job counts the job's own attempts and fails it for good after
# GATHER_MAX_ATTEMPTS, after which it no longer raises.
@shared_task(bind=True, acks_late=True, max_retries=None)
def run_gather_job(self: Task, job_id: int) -> None:
    """Run a job; a temporary error comes back later, never sooner than the source's
    Retry-After. run_job has already put the job back to "queued", so a retry only has to
    wait and call again."""
    try:
        gathering.run_job(job_id)
    except SourceError as exc:
        backoff = min(BACKOFF_SECONDS * 2**self.request.retries, BACKOFF_MAX_SECONDS)
        retry_after = getattr(exc, "retry_after", None) or 0
        raise self.retry(exc=exc, countdown=max(backoff, retry_after)) from exc
