"""Bringing an article in: clean it, save it once, and queue its extraction after commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from celery import current_app
from django.db import IntegrityError, transaction

from claims import ingestion
from claims.ingestion import canonical_url
from claims.models import Article, Outlet
from claims.outlets import find_outlet
from config.queueing import send_on_commit

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


# By name, not by import: claims.tasks runs the feed poller, which calls ingest_article here,
# so importing the task module would close a circle (tests/test_architecture.py).
PROCESS_ARTICLE = "claims.tasks.process_article"


def queue_processing(article: Article) -> None:
    send_on_commit(current_app.signature(PROCESS_ARTICLE), article.pk)
