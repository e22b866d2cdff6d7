"""Celery tasks: decorators and one call each. The work is in claims.processing."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from claims import processing
from claims.models import Article
from config.queueing import send
from verify import services as verify_services
from verify.models import GatherJob


@shared_task(acks_late=True)
def process_article(article_id: int) -> None:
    """Extract, then gather: the two steps run as a chain so each is retried on its own."""
    (extract_article.si(article_id) | gather_article.si(article_id)).delay()


@shared_task(acks_late=True)
def extract_article(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return
    try:
        processing.extract_article(article)
    except Exception as exc:
        article.set_state(Article.State.FAILED, error=f"Extraction failed: {exc}")
        raise


@shared_task(acks_late=True)
def gather_article(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        verify_services.start_gathering(article)


@shared_task
def reconcile() -> None:
    """Queue again the work whose enqueue failed or whose worker died."""
    from verify.tasks import run_gather_job

    # Rows are touched as they are sent again, so work still waiting in a long queue is sent
    # once per RECONCILE_AFTER_SECONDS, not once per tick.
    now = timezone.now()
    for article_id in Article.objects.stale().values_list("pk", flat=True):
        Article.objects.filter(pk=article_id).update(state_changed_at=now)
        send(process_article, article_id)
    for job_id in GatherJob.objects.stale().values_list("pk", flat=True):
        GatherJob.objects.filter(pk=job_id).exclude(state__in=GatherJob.State.finished()).update(
            state=GatherJob.State.QUEUED, updated_at=now
        )
        send(run_gather_job, job_id)


@shared_task
def poll_feeds() -> None:
    """Poll the outlets' feeds that are due (beat sends this every FEED_POLL_SECONDS)."""
    from claims import monitoring

    monitoring.poll_due_feeds(budget_seconds=monitoring.TASK_BUDGET_SECONDS)
