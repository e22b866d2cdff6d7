"""Redis stopped, hung, flushed or restarted while people keep adding articles.

The web request saves the article, then queues its processing after commit through
config.queueing, which logs and swallows a broker error; the row ("queued") is the record and
verify.tasks.reconcile queues it again once Redis answers. These tests break a real
redis-server (a throwaway one: the shared Redis on :6379 is never stopped) and time the real
view with time.monotonic against the product's documented bounds: 2 s with Redis stopped,
8 s with Redis accepting connections and never answering.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim
from config.queueing import send
from tests.faults.brokers import HungServer, RedisServer, celery_broker, queued_messages
from verify import tasks
from verify.evidence.tasks import run_gather_job
from verify.models import GatherJob

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

STOPPED_BOUND = 2.0  # seconds: Redis refusing connections
HUNG_BOUND = 8.0  # seconds: Redis accepting connections and never answering
# How long after Redis returns the reconciler has queued pending work again (issue 8, item 3).
RECONCILE_BOUND = 120.0

ARTICLE = (
    "Kim Jong Un visited the Vostochny Cosmodrome on 13 September 2023.\n\n"
    "He met President Putin there and the two leaders held talks for four hours.\n\n"
    "(KCNA - September 14, 2023)"
)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path) as server:
        yield server


def submit(client: Client, text: str) -> tuple[float, str]:
    """POST the article form as a person would; seconds taken and the page they land on."""
    started = time.monotonic()
    response = client.post(reverse("claims:article_new"), {"text": text}, follow=True)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    return elapsed, response.content.decode()


def make_jobs(n: int, *, age: timedelta) -> list[GatherJob]:
    article = Article.objects.create(text="Filler article.", content_hash=uuid.uuid4().hex)
    claim = Claim.objects.create(article=article, start=0, end=15, sentence="Filler article.")
    then = timezone.now() - age
    GatherJob.objects.bulk_create(
        GatherJob(claim=claim, source=f"source-{i}", created_at=then, updated_at=then)
        for i in range(n)
    )
    return list(GatherJob.objects.filter(claim=claim).order_by("pk"))


def test_an_article_submitted_while_redis_is_stopped_is_saved_and_queued_by_the_reconciler(
    reviewer_client: Client, redis_server: RedisServer
) -> None:
    redis_server.stop()
    with celery_broker(redis_server.url):
        elapsed, page = submit(reviewer_client, ARTICLE)

        article = Article.objects.get()
        assert article.state == Article.State.QUEUED
        assert "processing is queued" in page
        print(f"Redis stopped: the page answered in {elapsed:.2f} s (bound {STOPPED_BOUND} s)")
        assert elapsed < STOPPED_BOUND, f"the page took {elapsed:.2f} s with Redis stopped"

        redis_server.start()
        assert queued_messages(redis_server.client(), "default") == []
        with override_settings(RECONCILE_AFTER_SECONDS=0):
            tasks.reconcile()
        assert queued_messages(redis_server.client(), "default") == [
            ("claims.tasks.process_article", [article.pk])
        ]


def test_an_article_submitted_while_redis_hangs_is_saved_within_the_bound(
    reviewer_client: Client,
) -> None:
    with HungServer() as hung, celery_broker(hung.url):
        elapsed, page = submit(reviewer_client, ARTICLE)
        assert hung.accepted, "the request never reached the hung broker"

    assert Article.objects.get().state == Article.State.QUEUED
    assert "processing is queued" in page
    print(f"Redis hung: the page answered in {elapsed:.2f} s (bound {HUNG_BOUND} s)")
    assert elapsed < HUNG_BOUND, f"the page took {elapsed:.2f} s with Redis hung"


def test_the_reconciler_queues_stale_articles_and_jobs_and_leaves_fresh_ones(
    redis_server: RedisServer,
) -> None:
    long_ago = timezone.now() - timedelta(seconds=60)
    stale_queued = Article.objects.create(
        text="a", content_hash="a", state=Article.State.QUEUED, state_changed_at=long_ago
    )
    stale_extracting = Article.objects.create(
        text="b", content_hash="b", state=Article.State.EXTRACTING, state_changed_at=long_ago
    )
    Article.objects.create(text="c", content_hash="c", state=Article.State.QUEUED)  # fresh
    Article.objects.create(
        text="d", content_hash="d", state=Article.State.DONE, state_changed_at=long_ago
    )
    old_job, = make_jobs(1, age=timedelta(seconds=60))
    fresh_job, = make_jobs(1, age=timedelta(0))
    dead_runner, = make_jobs(1, age=timedelta(seconds=60))
    GatherJob.objects.filter(pk=dead_runner.pk).update(
        state=GatherJob.State.RUNNING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    live_runner, = make_jobs(1, age=timedelta(seconds=60))
    GatherJob.objects.filter(pk=live_runner.pk).update(
        state=GatherJob.State.RUNNING, lease_until=timezone.now() + timedelta(seconds=60)
    )

    with celery_broker(redis_server.url), override_settings(RECONCILE_AFTER_SECONDS=30):
        tasks.reconcile()

    server = redis_server.client()
    assert sorted(queued_messages(server, "default")) == [
        ("claims.tasks.process_article", [stale_queued.pk]),
        ("claims.tasks.process_article", [stale_extracting.pk]),
    ]
    assert sorted(queued_messages(server, "fetch")) == [
        ("verify.evidence.tasks.run_gather_job", [old_job.pk]),
        ("verify.evidence.tasks.run_gather_job", [dead_runner.pk]),
    ]
    assert GatherJob.objects.get(pk=dead_runner.pk).state == GatherJob.State.QUEUED
    assert GatherJob.objects.get(pk=live_runner.pk).state == GatherJob.State.RUNNING
    assert GatherJob.objects.get(pk=fresh_job.pk).state == GatherJob.State.QUEUED


def test_beat_runs_the_reconciler_often_enough_to_requeue_within_two_minutes() -> None:
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "verify.tasks.reconcile"
    )
    # Work whose enqueue failed a moment before Redis came back becomes stale after
    # RECONCILE_AFTER_SECONDS and is picked up at the next beat tick.
    assert settings.RECONCILE_AFTER_SECONDS + entry["schedule"] <= RECONCILE_BOUND


def test_a_hundred_queued_jobs_survive_a_redis_restart(redis_server: RedisServer) -> None:
    jobs = make_jobs(100, age=timedelta(0))
    with celery_broker(redis_server.url):
        assert all(send(run_gather_job, job.pk) for job in jobs)

    redis_server.stop()  # SIGTERM: a clean shutdown, the append-only file is on disk
    redis_server.start()

    waiting = queued_messages(redis_server.client(), "fetch")
    assert sorted(args[0] for _, args in waiting) == [job.pk for job in jobs]


def test_a_hundred_queued_jobs_lost_by_redis_are_queued_again_by_the_reconciler(
    redis_server: RedisServer,
) -> None:
    jobs = make_jobs(100, age=timedelta(0))
    with celery_broker(redis_server.url):
        assert all(send(run_gather_job, job.pk) for job in jobs)
        redis_server.client().flushall()  # a Redis without persistence, restarted

        with override_settings(RECONCILE_AFTER_SECONDS=60):
            tasks.reconcile()  # not stale yet: nothing is sent twice
        assert queued_messages(redis_server.client(), "fetch") == []

        GatherJob.objects.update(updated_at=timezone.now() - timedelta(seconds=61))
        with override_settings(RECONCILE_AFTER_SECONDS=60):
            tasks.reconcile()

    waiting = queued_messages(redis_server.client(), "fetch")
    assert sorted(args[0] for _, args in waiting) == [job.pk for job in jobs]
    assert all(name == "verify.evidence.tasks.run_gather_job" for name, _ in waiting)
