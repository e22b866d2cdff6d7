"""Actions that span models or have side effects. The only place that queues claim work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from claims import ingestion
from claims.models import Article, Outlet
from config.queueing import send_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


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
    outlet: str = "",
    published: date | None = None,
    source_url: str = "",
    user: AbstractBaseUser | None = None,
    is_html: bool | None = None,
) -> Ingested:
    """Clean, detect metadata, save once, and queue processing after commit.

    Explicit arguments win over what the text itself says. Raises IngestError for input
    we refuse; nothing is saved then.
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
                outlet=_outlet_named(outlet_name),
                title=(title or detected.title or from_text.title)[:500],
                byline=(detected.byline or from_text.byline)[:200],
                published=published or detected.published or from_text.published,
                source_url=source_url,
                text=text,
                content_hash=digest,
                ingested_by=user,
            )
            queue_processing(article)
    except IntegrityError:
        # Someone else saved the same text a moment ago: theirs is the article.
        return Ingested(Article.objects.get(content_hash=digest), created=False)
    return Ingested(article, created=True)


def _outlet_named(name: str) -> Outlet | None:
    name = name.strip()
    if not name:
        return None
    outlet = Outlet.objects.filter(name__iexact=name).first()
    return outlet or Outlet.objects.create(name=name[:200])


def queue_processing(article: Article) -> None:
    from claims import tasks  # tasks import services' callers, not the other way round

    send_on_commit(tasks.process_article, article.pk)
