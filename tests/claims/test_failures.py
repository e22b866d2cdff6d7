"""Failures are recorded where people look (the article, the job, the dashboard), and in
tests a bug raises instead of quietly returning less."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from claims import processing, services, tasks
from claims.extraction import extract, pipeline
from claims.models import Article, Claim
from verify.evidence import gathering
from verify.evidence.sources.library import LibrarySource
from verify.models import GatherJob

pytestmark = pytest.mark.django_db


class FrameBug(Exception):
    pass


def broken(*args: object, **kwargs: object) -> list:
    raise FrameBug("a frame tripped over a sentence")


def pages(user: User, article: Article) -> tuple[str, str]:
    """The dashboard and the article page as `user` sees them."""
    client = Client()
    client.force_login(user)
    return (client.get(reverse("review:dashboard")).content.decode(),
            client.get(article.get_absolute_url()).content.decode())


def test_under_tests_a_bug_inside_extraction_raises(
    seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "_sentence_claims", broken)
    with pytest.raises(FrameBug):
        extract(seed_text)


def test_an_extraction_failure_is_stored_on_the_article_and_shown(
    seed_text: str, monkeypatch: pytest.MonkeyPatch, editor: User
) -> None:
    article = services.ingest_article(text=seed_text, queue=False).article
    monkeypatch.setattr(pipeline, "_sentence_claims", broken)
    with pytest.raises(FrameBug):
        tasks.process_article(article.pk)
    article.refresh_from_db()
    assert article.state == Article.State.FAILED
    assert article.error.startswith("FrameBug: a frame tripped over a sentence (at ")
    dashboard, page = pages(editor, article)
    assert "articles whose extraction failed" in dashboard
    assert "FrameBug: a frame tripped over a sentence" in dashboard
    assert "FrameBug: a frame tripped over a sentence" in page


def test_a_gather_job_failure_is_stored_on_the_job_and_shown(
    seed_text: str, monkeypatch: pytest.MonkeyPatch, editor: User
) -> None:
    article = services.ingest_article(text=seed_text, queue=False).article
    processing.extract_article(article)
    claim = Claim.objects.filter(article=article).first()
    assert claim is not None
    job = GatherJob.objects.create(claim=claim, source="library")
    monkeypatch.setattr(LibrarySource, "search", broken)
    with pytest.raises(FrameBug):
        gathering.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == GatherJob.State.FAILED
    assert job.error.startswith("Unexpected error: FrameBug: a frame tripped over a sentence")
    dashboard, page = pages(editor, article)
    assert '<span class="n">1</span> <span class="label">gathering jobs that failed' in dashboard
    assert "Unexpected error: FrameBug" in page


def test_a_partly_unreadable_article_keeps_its_note_after_gathering_starts(
    seed_text: str, monkeypatch: pytest.MonkeyPatch, editor: User
) -> None:
    article = services.ingest_article(text=seed_text, queue=False).article
    monkeypatch.setattr(pipeline, "_sentence_claims", broken)
    monkeypatch.setattr(pipeline, "STRICT", False)  # as in production: the rest is read
    tasks.process_article(article.pk)
    article.refresh_from_db()
    assert article.state in (Article.State.DONE, Article.State.GATHERING)
    assert "could not be read" in article.error
    assert "FrameBug: a frame tripped over a sentence" in article.error
    _, page = pages(editor, article)
    assert "FrameBug: a frame tripped over a sentence" in page
