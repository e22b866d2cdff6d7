"""Gathering jobs: idempotent, temporary errors retried, permanent ones failed in words,
unreachable sources recorded, and an offline claim still gets the library and prior."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from claims.models import Article, Claim
from tests.replay import ReplayServer
from tests.verify.conftest import quick_http
from verify.evidence import gathering, services
from verify.evidence.sources import SourceError
from verify.models import GatherJob, Reference, Suggestion

API = "/w/api.php"
RESPONSES = Path(__file__).parent / "sources" / "responses"
CLOSED = "http://127.0.0.1:9/"  # the discard port: nothing listens, connect is refused


@pytest.fixture(autouse=True)
def fast_http(settings: Settings) -> Iterator[None]:
    with quick_http(settings, retries=0):  # one attempt: the retry tests count them
        yield


@pytest.fixture
def claim(db: None) -> Claim:
    sentence = (
        "The treaty on friendship, good-neighbourliness and cooperation was concluded "
        "between the two countries in February 2000."
    )
    article = Article.objects.create(
        title="DPRK-Russia ties progress",
        text=sentence,
        published=date(2020, 4, 24),
        content_hash=hashlib.sha256(sentence.encode()).hexdigest(),
        state=Article.State.GATHERING,
    )
    return Claim.objects.create(
        article=article,
        start=0,
        end=len(sentence),
        sentence=sentence,
        type="treaty_document",
        subject_name="treaty on friendship, good-neighbourliness and cooperation",
        date_value="2000-02",
        date_precision="month",
        date_start=date(2000, 2, 1),
        date_end=date(2000, 2, 29),
    )


@pytest.fixture
def library(db: None) -> None:
    services.save_library_document(
        url="https://jamestown.org/program/russia-and-north-korea-sign-friendship-treaty/",
        title="Russia and North Korea sign friendship treaty",
        publisher="The Jamestown Foundation",
        text="Russia and North Korea signed the Treaty on Friendship, Good-Neighbourliness and "
        "Cooperation in Pyongyang on 9 February 2000.",
    )


def job(claim: Claim, source: str) -> GatherJob:
    return GatherJob.objects.create(claim=claim, source=source)


def test_a_job_stores_ranks_and_suggests(claim: Claim, library: None) -> None:
    done = gathering.run_job(job(claim, "library").pk)
    assert done is not None and done.state == GatherJob.State.DONE and done.found == 1
    ref = claim.references.get()
    assert (ref.stance, ref.independent) == ("agrees", True)
    assert ref.hint == "date agrees (9 February 2000 is within February 2000)"
    assert ref.score > 0 and ref.matches
    assert Suggestion.objects.get(claim=claim).label == "supported"
    claim.article.refresh_from_db()
    assert claim.article.state == Article.State.DONE


def test_running_a_source_again_adds_no_duplicate_references(claim: Claim, library: None) -> None:
    first = job(claim, "library")
    gathering.run_job(first.pk)
    assert gathering.run_job(first.pk) is None  # already done: nothing happens
    again = services.rerun_source(claim=claim, source="library", user=None)
    gathering.run_job(again.pk)
    assert Reference.objects.filter(claim=claim).count() == 1
    assert GatherJob.objects.get(pk=again.pk).found == 0


def test_a_temporary_error_requeues_then_fails_clearly_on_the_last_attempt(
    claim: Claim, replay: ReplayServer, settings: Settings
) -> None:
    settings.WIKIPEDIA_API_URL = replay.url(API)
    settings.GATHER_MAX_ATTEMPTS = 2
    replay.route(API, status=500, body=b"upstream error")
    pending = job(claim, "wikipedia")
    with pytest.raises(SourceError):
        gathering.run_job(pending.pk)
    pending.refresh_from_db()
    assert (pending.state, pending.attempts) == (GatherJob.State.QUEUED, 1)
    assert pending.error.startswith("Will retry: ")
    gathering.run_job(pending.pk)  # the last attempt: no exception, a failed job
    pending.refresh_from_db()
    assert (pending.state, pending.attempts) == (GatherJob.State.FAILED, 2)
    assert "500" in pending.error


def test_run_until_finished_retries_with_backoff_in_process(
    claim: Claim, replay: ReplayServer, settings: Settings
) -> None:
    settings.WIKIPEDIA_API_URL = replay.url(API)
    replay.route(
        API,
        responses=[
            http_reply(status=503),
            http_reply(json=json.loads((RESPONSES / "wikipedia_search.json").read_text())),
        ],
    )
    waits: list[float] = []
    finished = gathering.run_until_finished(job(claim, "wikipedia").pk, sleep=waits.append)
    assert finished is not None and finished.state == GatherJob.State.DONE
    assert waits == [1.0]


def http_reply(**kwargs: object) -> object:
    from tests.replay import Reply

    return Reply(**kwargs)  # type: ignore[arg-type]


def test_a_permanent_error_fails_at_once(
    claim: Claim, replay: ReplayServer, settings: Settings
) -> None:
    settings.WIKIPEDIA_API_URL = replay.url(API)
    replay.route(API, json=json.loads((RESPONSES / "wikipedia_badvalue.json").read_text()))
    failed = gathering.run_job(job(claim, "wikipedia").pk)
    assert failed is not None and failed.state == GatherJob.State.FAILED and failed.attempts == 1


def test_an_unknown_source_fails_in_words(claim: Claim) -> None:
    failed = gathering.run_job(job(claim, "carrier-pigeon").pk)
    assert failed is not None and failed.error == "No source called 'carrier-pigeon'."


def test_offline_sources_are_unreachable_within_seconds_and_the_library_still_answers(
    claim: Claim, library: None, settings: Settings
) -> None:
    for name in ("WIKIPEDIA_API_URL", "WIKIDATA_API_URL", "WDQS_URL", "GDELT_DOC_URL"):
        setattr(settings, name, CLOSED)
    jobs = gathering.plan_jobs(claim.article)
    started = time.monotonic()
    for planned in jobs:
        gathering.run_until_finished(planned.pk, sleep=lambda _: None)
    assert time.monotonic() - started < 10
    states = dict(GatherJob.objects.filter(claim=claim).values_list("source", "state"))
    assert states["wikipedia"] == states["wikidata"] == GatherJob.State.UNREACHABLE
    assert states["gdelt"] == GatherJob.State.DONE  # nothing to ask: GDELT starts in 2017
    assert states["library"] == states["prior"] == GatherJob.State.DONE
    assert states["factcheck"] == GatherJob.State.SKIPPED  # no API key
    suggestion = Suggestion.objects.get(claim=claim)
    assert suggestion.label == "supported"
    assert any(
        r.startswith("not searched: ") and "wikipedia (unreachable)" in r
        for r in suggestion.reasons
    )


def test_plan_jobs_can_be_limited_to_named_sources(claim: Claim) -> None:
    jobs = gathering.plan_jobs(claim.article, ["library", "prior"])
    assert sorted(j.source for j in jobs) == ["library", "prior"]
    assert gathering.plan_jobs(claim.article, ["library"]) == [
        j for j in jobs if j.source == "library"
    ]


def test_rerun_and_own_query_create_jobs_queued_on_commit(
    claim: Claim, reviewer: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        rerun = services.rerun_source(claim=claim, source="library", user=reviewer)
        again = services.rerun_source(claim=claim, source="library", user=reviewer)
        own = services.search_again(
            claim=claim, source="library", query="  Paek Nam Sun  ", user=reviewer
        )
    assert rerun == again  # a double click queues one job
    assert (own.query, own.requested_by) == ("Paek Nam Sun", reviewer)
    assert len(callbacks) == 2


def test_a_search_needs_words_and_a_source_that_exists(claim: Claim, settings: Settings) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.search_again(claim=claim, source="library", query="   ", user=None)
    with pytest.raises(ValidationError):
        services.rerun_source(claim=claim, source="nowhere", user=None)
    settings.SOURCES_DISABLED = ["library"]
    with pytest.raises(ValidationError):
        services.rerun_source(claim=claim, source="library", user=None)


def test_the_task_retries_no_sooner_than_the_sources_retry_after(
    claim: Claim, replay: ReplayServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.evidence.tasks import run_gather_job

    settings.WIKIPEDIA_API_URL = replay.url(API)
    replay.route(API, status=429, headers={"Retry-After": "30"}, body=b"slow down")
    asked: dict[str, object] = {}

    class Retried(Exception):
        pass

    def retry(**kwargs: object) -> Exception:
        asked.update(kwargs)
        return Retried()

    monkeypatch.setattr(run_gather_job, "retry", retry)
    pending = job(claim, "wikipedia")
    with pytest.raises(Retried):
        run_gather_job.run(pending.pk)
    assert asked["countdown"] == 30
    assert GatherJob.objects.get(pk=pending.pk).state == GatherJob.State.QUEUED


def test_two_planners_at_once_leave_one_active_job_per_claim_source_and_query(
    claim: Claim, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_bulk_create = GatherJob.objects.bulk_create
    raced: list[bool] = []

    def another_worker_plans_first(objs: list[GatherJob], *args: object, **kw: object) -> object:
        # The other planner runs between this one's look-up and its insert.
        if not raced:
            raced.append(True)
            gathering.plan_jobs(claim.article)
        return real_bulk_create(objs, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(GatherJob.objects, "bulk_create", another_worker_plans_first)
    first = gathering.plan_jobs(claim.article)
    second = gathering.plan_jobs(claim.article)
    active = GatherJob.objects.filter(state__in=["queued", "running"])
    assert raced and active.exists()
    assert active.count() == active.values("claim", "source", "query").distinct().count()
    assert sorted(j.pk for j in first) == sorted(j.pk for j in second)


def test_the_database_refuses_a_second_active_job_and_allows_a_rerun_after_the_first(
    claim: Claim,
) -> None:
    from django.db import IntegrityError, transaction

    done = GatherJob.objects.create(claim=claim, source="library", state=GatherJob.State.DONE)
    waiting = GatherJob.objects.create(claim=claim, source="library")
    with pytest.raises(IntegrityError), transaction.atomic():
        GatherJob.objects.create(claim=claim, source="library", state=GatherJob.State.RUNNING)
    assert services.rerun_source(claim=claim, source="library", user=None) == waiting
    assert done.pk != waiting.pk
