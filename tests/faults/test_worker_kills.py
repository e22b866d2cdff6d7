"""Killing Celery workers in the middle of gathering: nothing is lost, nothing is doubled.

Real workers (`celery -A config worker`, prefork) on a Redis broker — the suite's own Redis
in CI (database 14, kept apart from other runs) or, on the embedded default, a throwaway
redis-server — and the suite's database. Jobs are real gathering jobs for the slow test
source (tests/faults/slow_source.py), which calls replay servers on 127.0.0.1 through
outbound.http and takes about a second, so a kill lands mid-request.

What brings work back:
* a pool process killed: the worker rejects the message (task_reject_on_worker_lost) and
  it is redelivered at once; the job row still says "running", so the redelivery leaves it
  alone and the reconciler queues it again once its lease (hard time limit + 30 s) is over;
* the whole worker killed: the messages it held come back after the broker's visibility
  timeout; rows left "running" come back through the reconciler when their lease ends.

The test plays beat's part by calling verify.tasks.reconcile every 2 s. Run with
`make fault-tests`; these take a few minutes.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db.models import Count

from claims.models import Article, Claim
from tests.conftest import ROOT
from tests.faults.brokers import RedisServer, celery_broker
from tests.faults.slow_source import PID_HEADER, SlowSource
from tests.replay import ReplayServer, Reply, Seen
from tests.test_worker import worker_env
from verify import tasks
from verify.evidence import services
from verify.models import GatherJob, Reference

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The test workers' limits, short so that a kill costs seconds, not minutes.
SOFT_TIME_LIMIT, TIME_LIMIT = 8, 10
LEASE = TIME_LIMIT + 30  # config/settings.py: JOB_LEASE_SECONDS
VISIBILITY_TIMEOUT = LEASE + 5  # as in production (600 s vs 180 s): longer than a lease
RESTORE_SWEEP = 10  # kombu looks for messages past their visibility timeout this often
JOB_SECONDS = 1.0  # how long the replay server takes to answer a search
# Replay servers, i.e. politeness keys (two requests in flight each). A killed request keeps
# its host's slot until the slot's lease ends (HTTP_DEADLINE + 30 s); spreading the jobs
# over several hosts, as several real sources would be, keeps the test to a minute or two.
HOSTS = 12
RECONCILE_EVERY = 2.0


@pytest.fixture
def broker_url(tmp_path: Path) -> Iterator[str]:
    suite = os.environ.get("CELERY_BROKER_URL", "")
    if suite.startswith("redis://"):
        parts = urlsplit(suite)
        url = urlunsplit((parts.scheme, parts.netloc, "/14", "", ""))
        redis.Redis.from_url(url).flushdb()
        yield url
        redis.Redis.from_url(url).flushdb()
    else:
        with RedisServer(tmp_path) as server:
            yield server.url


@pytest.fixture
def hosts() -> Iterator[list[ReplayServer]]:
    servers = [ReplayServer() for _ in range(HOSTS)]
    for server in servers:
        server.route("/search", search_results)
        server.__enter__()
    yield servers
    for server in servers:
        server.__exit__(None, None, None)


def search_results(request: Seen) -> Reply:
    claim = request.query["claim"][0]
    results = [
        {
            "url": f"https://example.org/evidence/{claim}/{letter}",
            "title": f"Evidence {letter} for claim {claim}",
            "passage": f"Passage {letter} about claim {claim}.",
        }
        for letter in "ab"
    ]
    # The same page again behind a tracking parameter: still one reference.
    results.append({**results[0], "url": results[0]["url"] + "/?utm_source=feed"})
    return Reply(json={"results": results}, delay=JOB_SECONDS)


class Workers:
    """Starts test workers in their own process groups and kills only what it started."""

    def __init__(self, broker_url: str, hosts: list[ReplayServer], log_dir: Path) -> None:
        self.env = {
            **worker_env(),
            "CELERY_BROKER_URL": broker_url,
            # Politeness slots and circuit breakers in the same private Redis database, so
            # no state crosses from one test (or another test run) to the next.
            "CACHE_REDIS_URL": broker_url,
            "BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "TASK_SOFT_TIME_LIMIT": str(SOFT_TIME_LIMIT),
            "TASK_TIME_LIMIT": str(TIME_LIMIT),
            "HTTP_DEADLINE": "6",
            "HTTP_READ_TIMEOUT": "5",
            "HTTP_CACHE": "0",
            "SLOW_SOURCE_URLS": ",".join(h.url() for h in hosts),
        }
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, concurrency: int) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"worker-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "fetch",
                "--concurrency", str(concurrency), "--include", "tests.faults.slow_source",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO", "--hostname", f"fault{len(self.procs)}@%h",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill takes the pool too
        )
        self.procs.append(proc)
        return proc

    def is_pool_process(self, pid: int) -> bool:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return False
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        return any(parent == p.pid and p.poll() is None for p in self.procs)

    def kill_all(self, proc: subprocess.Popen[bytes]) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def logs(self, tail: int = 3000) -> str:
        """The workers' logs; by default only the end of each, to keep failures readable."""
        return "\n".join(p.read_text(errors="replace")[-tail:] for p in self.log_dir.glob("*.log"))


@pytest.fixture
def workers(
    broker_url: str, hosts: list[ReplayServer], tmp_path: Path
) -> Iterator[Workers]:
    started = Workers(broker_url, hosts, tmp_path)
    yield started
    started.stop()


def make_batch(n: int, monkeypatch: pytest.MonkeyPatch) -> Article:
    """An article with n claims, and its gathering jobs planned and queued for real."""
    monkeypatch.setattr("verify.evidence.gathering.SOURCES", [SlowSource()])
    text = " ".join(f"Kim Jong Un visited city number {i}." for i in range(n))
    article = Article.objects.create(text=text, content_hash=f"kills-{n}")
    at = 0
    for i in range(n):
        sentence = f"Kim Jong Un visited city number {i}."
        Claim.objects.create(article=article, start=at, end=at + len(sentence), sentence=sentence)
        at += len(sentence) + 1
    assert services.start_gathering(article) == n
    return article


def requests_seen(hosts: list[ReplayServer]) -> list[Seen]:
    return sorted((r for h in hosts for r in h.seen("/search")), key=lambda r: r.at)


def reconcile_until_done(article: Article, deadline: float) -> bool:
    """Beat's part: reconcile every few seconds until every job has finished."""
    while time.monotonic() < deadline:
        tasks.reconcile()
        pending = GatherJob.objects.filter(claim__article=article).exclude(
            state__in=GatherJob.State.finished()
        )
        if not pending.exists():
            return True
        time.sleep(RECONCILE_EVERY)
    return False


def assert_each_reference_once(article: Article) -> None:
    jobs = GatherJob.objects.filter(claim__article=article)
    not_done = list(jobs.exclude(state=GatherJob.State.DONE).values_list("state", "error"))
    assert not_done == []
    assert not jobs.filter(state=GatherJob.State.RUNNING).exists()
    doubled = (
        Reference.objects.filter(claim__article=article)
        .values("claim", "canonical_url")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(doubled) == []
    per_claim = set(
        Reference.objects.filter(claim__article=article)
        .values("claim").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert per_claim == {2}  # pages a and b; the tracking-parameter copy folded into a


def test_killing_pool_processes_mid_job_twenty_times_loses_and_doubles_nothing(
    broker_url: str,
    hosts: list[ReplayServer],
    workers: Workers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kills_wanted = 20
    with celery_broker(broker_url):
        article = make_batch(30, monkeypatch)
        workers.start(concurrency=3)
        killed: set[int] = set()
        handled, reconciled = 0, 0.0
        give_up = time.monotonic() + 180
        while len(killed) < kills_wanted and time.monotonic() < give_up:
            seen = requests_seen(hosts)
            for request in seen[handled:]:
                pid = int(request.headers[PID_HEADER])
                # Only a process of our worker, only while its request is still open.
                open_request = time.monotonic() - request.at < JOB_SECONDS * 0.8
                wanted = len(killed) < kills_wanted
                if wanted and open_request and pid not in killed and workers.is_pool_process(pid):
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
            handled = len(seen)
            if time.monotonic() - reconciled > RECONCILE_EVERY:
                tasks.reconcile()
                reconciled = time.monotonic()
            time.sleep(0.05)
        states = list(GatherJob.objects.values_list("state", "error"))
        assert len(killed) == kills_wanted, (len(killed), len(seen), states, workers.logs())

        # Every killed job comes back within its lease, plus a reconcile tick, plus the
        # rest of the batch run `concurrency` at a time.
        bound = LEASE + RECONCILE_EVERY + TIME_LIMIT * math.ceil(30 / 3)
        started = time.monotonic()
        finished = reconcile_until_done(article, deadline=started + bound)
        elapsed = time.monotonic() - started

    print(f"pool kills: {len(killed)}; every job done {elapsed:.0f} s after the last kill "
          f"(bound {bound} s)")
    assert finished, workers.logs()
    assert_each_reference_once(article)
    assert "WorkerLostError" in workers.logs(tail=10**9)  # the kills were real and seen as such


def test_killing_the_whole_worker_ten_times_mid_batch_loses_and_doubles_nothing(
    broker_url: str,
    hosts: list[ReplayServer],
    workers: Workers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    concurrency, batch = 2, 24
    with celery_broker(broker_url):
        article = make_batch(batch, monkeypatch)
        for _ in range(10):
            before = len(requests_seen(hosts))
            proc = workers.start(concurrency=concurrency)
            give_up = time.monotonic() + 60
            while len(requests_seen(hosts)) == before and time.monotonic() < give_up:
                time.sleep(0.05)  # until this worker is in the middle of a job
            assert len(requests_seen(hosts)) > before, workers.logs()
            workers.kill_all(proc)
        workers.start(concurrency=concurrency)
        remaining = GatherJob.objects.filter(claim__article=article).exclude(
            state__in=GatherJob.State.finished()
        ).count()

        # The messages held by the killed workers come back after the visibility timeout
        # (and kombu's next sweep); each remaining job then needs at most one time limit,
        # `concurrency` at a time.
        bound = VISIBILITY_TIMEOUT + RESTORE_SWEEP + TIME_LIMIT * math.ceil(
            remaining / concurrency
        )
        started = time.monotonic()
        finished = reconcile_until_done(article, deadline=started + bound)
        elapsed = time.monotonic() - started

    print(f"worker kills: 10; {remaining} jobs left at the last kill, all done {elapsed:.0f} s "
          f"later (bound {bound} s)")
    assert finished, workers.logs()
    assert_each_reference_once(article)
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
