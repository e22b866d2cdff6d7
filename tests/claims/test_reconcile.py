"""The reconciler queues lost work again, once per period, never on every tick."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Article, Claim
from verify import pipeline
from verify.models import GatherJob

pytestmark = pytest.mark.django_db


def test_stale_work_is_sent_again_once_until_it_is_stale_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[str, int]] = []
    monkeypatch.setattr(pipeline, "send", lambda task, pk: sent.append((task.name, pk)) or True)
    long_ago = timezone.now() - timedelta(hours=1)
    article = Article.objects.create(text="x", content_hash="h", state_changed_at=long_ago)
    claim = Claim.objects.create(article=article, start=0, end=1, sentence="x")
    lost = GatherJob.objects.create(claim=claim, source="library", updated_at=long_ago)
    dead = GatherJob.objects.create(
        claim=claim, source="wikipedia", state=GatherJob.State.RUNNING, lease_until=long_ago
    )
    fresh = GatherJob.objects.create(claim=claim, source="gdelt")

    pipeline.reconcile()
    pipeline.reconcile()  # the next tick: nothing is stale any more

    assert sorted(sent) == [
        ("claims.tasks.process_article", article.pk),
        ("verify.evidence.tasks.run_gather_job", lost.pk),
        ("verify.evidence.tasks.run_gather_job", dead.pk),
    ]
    assert GatherJob.objects.get(pk=dead.pk).state == GatherJob.State.QUEUED
    assert fresh.pk not in [pk for _, pk in sent]
