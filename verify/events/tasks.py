"""Celery task for grouping (default queue); the work is in grouping.py."""

from __future__ import annotations

from celery import shared_task

from claims.models import Article
from verify.events import grouping


@shared_task(acks_late=True)
def group_article(article_id: int) -> None:
    """Group an article's claims into events; gone articles are skipped, a re-run is safe."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        grouping.group_article(article)
