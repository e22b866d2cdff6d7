"""End to end through a real `celery beat` and a real `celery worker`: beat sends the feed
poll on its schedule, the worker polls a feed served by the replay server, fetches the new
entries and ingests them, and the articles appear with claims extracted.

Same helpers, broker and database as tests/test_worker.py: the suite's test database
(SQLite file by default, PostgreSQL with DATABASE_URL) and a broker private to this test
(a filesystem folder by default, a Redis database number with CELERY_BROKER_URL).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from claims.models import Article, Claim, Feed, Outlet
from tests.conftest import ROOT
from tests.replay import ReplayServer
from tests.test_worker import wait_for, worker, worker_env
from tests.workers import stop

__all__ = ["worker"]  # the fixture, used below by name

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"


@pytest.fixture
def feed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the worker and beat processes need besides worker_env (set before they start,
    which read it): the replay server is on loopback, and beat looks for due feeds every
    2 seconds."""
    monkeypatch.setenv("ALLOW_LOOPBACK_FETCH", "1")
    monkeypatch.setenv("FEED_POLL_SECONDS", "2")


@pytest.fixture
def beat(feed_env: None, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    log = (tmp_path / "beat.log").open("wb")  # a file, not a pipe nobody reads while it runs
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        # The same private broker as the worker fixture's (both take this test's tmp_path).
        cwd=ROOT, env=worker_env(tmp_path), stdout=log, stderr=subprocess.STDOUT,
    )
    yield proc
    stop(proc)
    log.close()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_beat_polls_a_feed_and_its_new_articles_appear_with_claims(
    replay: ReplayServer, feed_env: None, beat: subprocess.Popen[bytes],
    worker: subprocess.Popen[bytes], tmp_path: Path,
) -> None:
    base = replay.url("").encode()
    replay.route("/feed/", body=(FEEDS / "rss.xml").read_bytes().replace(b"{base}", base),
                 content_type="application/rss+xml")
    for name, path in (("treaty.html", "/newstream/treaty/"),
                       ("vostochny.html", "/newstream/vostochny/")):
        replay.route(path, body=(FEEDS / name).read_bytes(), content_type="text/html")
    outlet = Outlet.objects.create(name="KCNA Watch", is_state_media=True)
    feed = Feed.objects.create(outlet=outlet, url=replay.url("/feed/"))
    print("database:", connection.vendor)

    def extracted() -> bool:
        articles = Article.objects.filter(outlet=outlet)
        return articles.count() == 2 and all(a.claims.exists() for a in articles)

    if not wait_for(extracted, timeout=120):
        beat.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        worker_log = worker.communicate(timeout=20)[0].decode(errors="replace")
        beat.wait(timeout=20)
        beat_log = (tmp_path / "beat.log").read_text(errors="replace")
        pytest.fail(f"no articles with claims from the feed.\nbeat:\n{beat_log[-2000:]}\n"
                    f"worker:\n{worker_log[-4000:]}")
    feed.refresh_from_db()
    assert feed.items_seen == 2
    assert feed.last_success_at is not None
    assert replay.seen("/feed/")  # fetched by the worker, over HTTP
    treaty = Article.objects.get(title="Putin Pays State Visit to DPRK")
    assert treaty.claims.filter(type=Claim.Type.VISIT).exists()
