"""Re-extracting an article replaces the machine's claims and keeps every claim a person
touched (issue 3, item 7)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from claims import processing, services, tasks
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db


def shape(claims: list[Claim]) -> Counter[tuple[int, int, str]]:
    return Counter((c.start, c.end, c.type) for c in claims)


def test_reextraction_keeps_edited_and_reviewed_claims_and_adds_no_duplicates(
    seed_text: str,
) -> None:
    article = services.ingest_article(text=seed_text, queue=False).article
    first = processing.extract_article(article)
    # One of two claims that share a sentence and a type (the seed's two anniversaries).
    twins = [c for c in first if shape(first)[(c.start, c.end, c.type)] == 2]
    edited, reviewed = twins[0], first[0]
    Claim.objects.filter(pk=edited.pk).update(edited=True, subject_name="Corrected by a person")
    Claim.objects.filter(pk=reviewed.pk).update(
        status=Claim.Status.FINAL, verdict=Claim.Verdict.SUPPORTED
    )

    processing.extract_article(article)

    kept = {c.pk: c for c in article.claims.all()}
    assert kept[edited.pk].subject_name == "Corrected by a person"
    assert kept[reviewed.pk].verdict == Claim.Verdict.SUPPORTED
    assert not {c.pk for c in first} - {edited.pk, reviewed.pk} & set(kept)  # replaced
    assert shape(list(kept.values())) == shape(first)  # nothing lost, nothing doubled


def test_a_second_message_for_an_article_being_extracted_does_nothing_and_says_so(
    seed_text: str, caplog: pytest.LogCaptureFixture
) -> None:
    article = services.ingest_article(text=seed_text, queue=False).article
    assert processing.claim_for_extraction(article.pk) is not None  # a worker is on it
    with caplog.at_level(logging.INFO, logger="claims.tasks"):
        tasks.process_article(article.pk)
    article.refresh_from_db()
    assert (article.state, article.claims.count()) == (Article.State.EXTRACTING, 0)
    assert f"article {article.pk}: not waiting for extraction" in caplog.text


def test_an_extraction_whose_worker_died_is_extracted_again_by_the_reconciler(
    seed_text: str, settings: Settings
) -> None:
    from verify import pipeline

    article = services.ingest_article(text=seed_text, queue=False).article
    died = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    Article.objects.filter(pk=article.pk).update(state=Article.State.EXTRACTING,
                                                 state_changed_at=died)
    pipeline.reconcile()  # Celery runs eagerly here: the task runs inside this call
    article.refresh_from_db()
    assert article.state != Article.State.EXTRACTING
    assert article.claims.exists()
