"""Celery tasks for gathering (routed to the `fetch` queue). The work is in verify.gathering."""

from __future__ import annotations

from celery import shared_task

from verify import gathering
from verify.sources import SourceError


@shared_task(
    acks_late=True,
    autoretry_for=(SourceError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
)
def run_gather_job(job_id: int) -> None:
    gathering.run_job(job_id)
