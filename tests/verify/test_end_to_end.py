"""The seed article from ingestion to ranked references, against every source's API replayed
on 127.0.0.1 (tests/verify/replay_sources.py): first in this process (eager Celery, tasks
queued on commit as in production), then once through a real `celery worker` on the
suite's broker and database (Redis + PostgreSQL in CI's second run).

Every claim must end with only finished jobs, ranked and explained references from the
sources, a suggestion, and no duplicate reference; gathering again must add nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from pytest_django.fixtures import Settings

from claims import services as claim_services
from claims.models import Article
from config.celery import app as celery_app
from outbound import http
from tests.replay import ReplayServer
from tests.verify.replay_sources import FACTCHECK_KEY, PATHS, serve_all_sources, source_urls
from tests.workers import ROOT, restore_broker, stop, wait_for, worker_env
from verify.evidence import services as verify_services
from verify.evidence.sources import SOURCES
from verify.models import GatherJob, Reference, Suggestion

pytestmark = pytest.mark.django_db(transaction=True)  # on-commit queueing runs for real

# Sources that search on their own; `web` only reads a page a reviewer names.
SEARCHING = {"library", "prior", "wikipedia", "wikidata", "gdelt", "factcheck"}
# Sources whose replayed answers give every claim references, whatever it says.
ANSWER_EVERY_CLAIM = {"wikipedia", "factcheck"}
REFERENCE_NOTE = """Russia and North Korea signed the Treaty on Friendship, Good-Neighbourliness
and Cooperation in Pyongyang on 9 February 2000. Vladimir Putin visited Pyongyang in July 2000,
the first visit of a Russian leader to North Korea."""


@pytest.fixture
def apis(replay: ReplayServer, settings: Settings) -> ReplayServer:
    """Every source's API on the replay server; fast HTTP limits for this process."""
    serve_all_sources(replay)
    for name, url in source_urls(replay.url("")).items():
        setattr(settings, name, url)
    settings.FACTCHECK_API_KEY = FACTCHECK_KEY  # factcheck is off without a key
    settings.SOURCES_DISABLED = []
    settings.HTTP_CACHE = False  # every run asks the server: re-runs must dedupe, not cache
    settings.HOST_LIMITS = {"default": {"in_flight": 4, "interval": 0.0}}
    http.reset_breakers()
    return replay


@pytest.fixture
def library_note(db: None) -> None:
    verify_services.save_library_document(
        url="https://example.org/notes/dprk-russia-2000", title="DPRK-Russia, 2000",
        publisher="Desk notes", text=REFERENCE_NOTE,
    )


def assert_gathered(article: Article) -> None:
    """Finished jobs for every (claim, source), ranked references, a suggestion, no dupes."""
    article.refresh_from_db()
    claims = list(article.claims.all())
    assert len(claims) >= 10
    assert article.state == Article.State.DONE

    jobs = GatherJob.objects.filter(claim__article=article)
    states = dict(jobs.values_list("state").annotate(n=Count("id")))
    assert set(states) <= set(GatherJob.State.finished()), states
    # The replay server answers every request: nothing may fail or be unreachable.
    failed = list(jobs.exclude(state=GatherJob.State.DONE).values_list("source", "error"))
    assert failed == []
    planned = sorted(jobs.values_list("claim_id", "source"))
    assert planned == sorted((c.pk, s.name) for c in claims for s in SOURCES)  # one each

    references = Reference.objects.filter(claim__article=article)
    assert set(references.values_list("source", flat=True)) >= SEARCHING - {"prior"}
    for claim in claims:
        refs = list(claim.references.all())  # ordered best first
        assert {r.source for r in refs} >= ANSWER_EVERY_CLAIM, claim.sentence
        assert [r.score for r in refs] == sorted((r.score for r in refs), reverse=True)
        assert refs[0].score > 0 and all(r.hint for r in refs), claim.sentence
        assert Suggestion.objects.filter(claim=claim).exists(), claim.sentence

    keys = list(references.values_list("claim_id", "canonical_url", "passage_hash"))
    assert len(keys) == len(set(keys))
    pages = list(references.values_list("claim_id", "canonical_url", "passage"))
    assert len(pages) == len(set(pages))  # no passage twice for a claim, under any URL form


def assert_gathering_again_adds_nothing(article: Article) -> None:
    before = sorted(Reference.objects.filter(claim__article=article).values_list("pk", flat=True))
    assert verify_services.start_gathering(article) == 0  # every job is planned already
    again = [
        verify_services.rerun_source(claim=claim, source=source.name, user=None)
        for claim in article.claims.all()
        for source in SOURCES
        if source.name in SEARCHING
    ]
    rerun = GatherJob.objects.filter(pk__in=[job.pk for job in again])
    assert set(rerun.values_list("state", flat=True)) == {GatherJob.State.DONE}
    assert set(rerun.values_list("found", flat=True)) == {0}
    after = sorted(Reference.objects.filter(claim__article=article).values_list("pk", flat=True))
    assert after == before


def test_the_seed_article_is_gathered_in_process(
    apis: ReplayServer, library_note: None, seed_text: str
) -> None:
    result = claim_services.ingest_article(text=seed_text)  # extract, then gather, on commit

    assert_gathered(result.article)
    for path in set(PATHS.values()) - {PATHS["WIKIPEDIA_REST_URL"]}:
        assert apis.seen(path), f"no source asked {path}"
    asked = len(apis.requests)
    assert_gathering_again_adds_nothing(result.article)
    assert len(apis.requests) > asked  # the re-runs did ask the sources again


@pytest.fixture
def worker(apis: ReplayServer, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery worker` (two pool processes) on this test's private broker and the
    suite's database, its sources pointed at the replay server."""
    celery_app.conf.task_always_eager = False  # through the broker, to the worker
    env = {
        **worker_env(tmp_path),  # points the sources at a closed port: overridden here
        **source_urls(apis.url("")),
        "FACTCHECK_API_KEY": FACTCHECK_KEY,
        "SOURCES_DISABLED": "",
        "HTTP_CACHE": "0",
        # The replay server is one host; bench/gather.py measures the real limits.
        "HOST_LIMITS_JSON": json.dumps({"127.0.0.1": {"in_flight": 4, "interval": 0.0}}),
    }
    log = (tmp_path / "worker.log").open("wb")  # a file: a full pipe would stall the worker
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default,fetch",
         "--concurrency", "2", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    yield proc
    stop(proc)
    log.close()
    restore_broker()


@pytest.mark.services
def test_the_seed_article_is_gathered_by_a_real_worker(
    apis: ReplayServer, library_note: None, worker: subprocess.Popen[bytes], seed_text: str,
    tmp_path: Path,
) -> None:
    print("broker:", settings.CELERY_BROKER_URL.split("@")[-1], "database:", connection.vendor)
    result = claim_services.ingest_article(text=seed_text)

    def finished() -> bool:
        article = Article.objects.get(pk=result.article.pk)
        return article.state in (Article.State.DONE, Article.State.FAILED)

    if not wait_for(finished, timeout=240):
        log = (tmp_path / "worker.log").read_text(errors="replace")
        pytest.fail(f"the worker did not finish gathering; its log:\n{log[-4000:]}")
    assert_gathered(result.article)
    requests = {r.headers.get("User-Agent", "") for r in apis.requests}
    assert requests and all(agent.startswith("Corroborate/") for agent in requests)
