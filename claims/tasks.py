"""Celery tasks: decorators and one call each. The work is in claims.processing and
claims.monitoring."""

from __future__ import annotations

import logging

from celery import shared_task

from claims import monitoring, processing
from claims.models import Article
from claims.signals import claims_extracted

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def process_article(article_id: int) -> None:
    """Extract an article's claims, then tell whoever listens (verify starts gathering).

    The article is claimed with a conditional update first, so a second message for it (the
    reconciler re-sending work from a long queue) does nothing instead of extracting again."""
    article = processing.claim_for_extraction(article_id)
    if article is None:
        log.info("article %s: not waiting for extraction (gone or claimed); nothing to do",
                 article_id)
        return
    try:
        processing.extract_article(article)
    except Exception as exc:
        article.set_state(Article.State.FAILED, error=processing.failure_summary(exc))
        raise
    claims_extracted.send(sender=Article, article=article)


@shared_task
def poll_feeds() -> None:
    """Poll the outlets' feeds that are due (beat sends this every FEED_POLL_SECONDS)."""
    monitoring.poll_due_feeds(budget_seconds=monitoring.TASK_BUDGET_SECONDS)
