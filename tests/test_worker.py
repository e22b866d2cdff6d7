"""End to end through a real `celery worker` process.

On the embedded default the worker reads the filesystem broker and the SQLite test database;
with DATABASE_URL and CELERY_BROKER_URL set (as in CI's second run) it reads Redis and
PostgreSQL. Either way the task crosses a process boundary and its result is read back from
the database the worker wrote to. Nothing here is skipped: missing services fail the test.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claims import services
from claims.models import Article
from config.celery import app as celery_app
from tests.workers import ROOT, restore_broker, stop, wait_for, worker_env

__all__ = ["wait_for", "worker", "worker_env"]  # used by other end-to-end tests


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    celery_app.conf.task_always_eager = False
    env = worker_env(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default,fetch",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield proc
    stop(proc)
    restore_broker()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_separate_worker_processes_an_ingested_article(
    worker: subprocess.Popen[bytes], seed_text: str
) -> None:
    print("broker:", settings.CELERY_BROKER_URL.split("@")[-1], "database:", connection.vendor)
    result = services.ingest_article(text=seed_text)  # queued on commit, through the broker
    assert result.created

    def processed() -> bool:
        return Article.objects.get(pk=result.article.pk).state == Article.State.DONE

    finished = wait_for(processed, timeout=90)
    if not finished:
        worker.send_signal(signal.SIGTERM)
        out = worker.communicate(timeout=20)[0].decode(errors="replace")
        pytest.fail(f"the worker did not finish the article; its log:\n{out[-4000:]}")
    article = Article.objects.get(pk=result.article.pk)
    assert article.claims.count() >= 10
    assert article.claims.filter(type="visit", subject_qid="Q56226").exists()
