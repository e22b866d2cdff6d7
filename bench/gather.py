"""Gathering wall time against the bound the politeness limits allow, with 1, 2 and 4 real
Celery worker processes. Prints figures; asserts nothing.

    .venv/bin/python bench/gather.py                      # embedded default: SQLite + files
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/0 CACHE_REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/gather.py
    options: --processes 1,2,4  --latency 0.2  --disable gdelt (SOURCES_DISABLED)

What runs: the seed article's claims are extracted in this process, then
verify.evidence.services.start_gathering queues one job per (claim, source) to real `celery worker
--concurrency N` processes. Every source API is replayed (tests/verify/replay_sources.py)
with `--latency` seconds added to each answer, each source on a loopback address of its own
(127.0.0.2, 127.0.0.3 …) whose HOST_LIMITS entry is the one its real host gets from
settings.HOST_LIMITS (passed to the workers as HOST_LIMITS_JSON), so the per-host limits
apply as in production. HTTP cache off: every job asks its server.

With DATABASE_URL it uses a database `corroborate_bench_gather` on that server and Redis
database 13 of CELERY_BROKER_URL's server as the broker (politeness in Redis when
CACHE_REDIS_URL or a Redis broker is set); without, a SQLite file, the filesystem broker and
file locks in a temporary folder. Nothing else is touched.

The bound: for each host, max(requests ÷ in-flight limit × latency, (requests − 1) ×
interval + latency); the article cannot be gathered faster than its slowest host allows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.verify.replay_sources import FACTCHECK_KEY  # noqa: E402 - after the path is set

SEED = ROOT / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"
PUBLISHED = date(2020, 4, 24)  # the seed's date: undated claims are searched around it
REFERENCE_PACK = ROOT / "claims/fixtures/reference-pack"
BENCH_DB = "corroborate_bench_gather"
BENCH_REDIS_DB = 13
# Each source's endpoint on a loopback host of its own, standing for its real host (whose
# politeness limits it gets). WIKIPEDIA_REST_URL shares Wikipedia's host, as in production.
HOSTS = {
    "WIKIPEDIA_API_URL": ("127.0.0.2", "en.wikipedia.org"),
    "WIKIPEDIA_REST_URL": ("127.0.0.2", "en.wikipedia.org"),
    "WIKIDATA_API_URL": ("127.0.0.3", "www.wikidata.org"),
    "WDQS_URL": ("127.0.0.4", "query.wikidata.org"),
    "GDELT_DOC_URL": ("127.0.0.5", "api.gdeltproject.org"),
    "FACTCHECK_URL": ("127.0.0.6", "factchecktools.googleapis.com"),
}


def environment(var_dir: Path) -> dict[str, str]:
    """Database, broker and folders for this process and the workers (not the sources)."""
    env = {"VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "0",
           "HTTP_CACHE": "0", "SOURCES_DISABLED": "", "PYTHONPATH": str(ROOT),
           "FACTCHECK_API_KEY": FACTCHECK_KEY}
    database = os.environ.get("DATABASE_URL", "")
    if database:
        parts = urlsplit(database)
        env["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    else:
        env["SQLITE_PATH"] = str(var_dir / "bench.sqlite3")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis://"):
        parts = urlsplit(broker)
        env["CELERY_BROKER_URL"] = urlunsplit(
            (parts.scheme, parts.netloc, f"/{BENCH_REDIS_DB}", "", ""))
    else:
        env["CELERY_BROKER_URL"] = "filesystem://localhost//"
    return env


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def start_workers(env: dict[str, str], processes: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "fetch",
         "--concurrency", str(processes), "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", "INFO", "--hostname", f"bench{processes}@%h"],
        cwd=ROOT, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while b" ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return proc


def stop_workers(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)  # its own process group: the pool goes too
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def bound(requests: dict[str, int], limits: dict[str, tuple[int, float]],
          latency: float) -> dict[str, float]:
    """Per host: the least time its politeness limits allow for its requests."""
    return {
        host: max(n / limits[host][0] * latency, (n - 1) * limits[host][1] + latency)
        for host, n in requests.items() if n
    }


def run(processes: int, *, env: dict[str, str], latency: float, var_dir: Path) -> dict:
    """Gather the seed's claims once with `processes` worker processes; the figures."""
    from claims.models import Article
    from claims.processing import extract_article
    from outbound import http
    from tests.replay import ReplayServer
    from tests.verify.replay_sources import serve_all_sources, source_urls
    from verify.evidence import services as verify_services
    from verify.models import GatherJob

    servers = {ip: ReplayServer(host=ip) for ip, _ in HOSTS.values()}
    for server in servers.values():
        serve_all_sources(server, delay=latency)
        server.__enter__()
    ports = {ip: server.port for ip, server in servers.items()}
    urls = source_urls(lambda setting: f"http://{HOSTS[setting][0]}:{ports[HOSTS[setting][0]]}")
    limits = {ip: http.host_limits(real) for ip, real in HOSTS.values()}
    worker_env = {
        **env, **urls,
        "HOST_LIMITS_JSON": json.dumps(
            {ip: {"in_flight": n, "interval": i} for ip, (n, i) in limits.items()}),
    }
    workers = start_workers(worker_env, processes, var_dir / f"worker-{processes}.log")
    try:
        Article.objects.all().delete()  # the previous run's article, claims, jobs, references
        text = SEED.read_text(encoding="utf-8")
        article = Article.objects.create(text=text, published=PUBLISHED,
                                         content_hash=f"bench-{time.time_ns()}")
        extract_article(article)
        began = time.monotonic()
        jobs = verify_services.start_gathering(article)  # queued to the workers on commit
        pending = GatherJob.objects.filter(claim__article=article).exclude(
            state__in=GatherJob.State.finished())
        while pending.exists():
            time.sleep(0.05)
        wall = time.monotonic() - began
        states = dict.fromkeys(GatherJob.State.values, 0)
        for state in GatherJob.objects.filter(claim__article=article).values_list(
                "state", flat=True):
            states[state] += 1
    finally:
        stop_workers(workers)
        for server in servers.values():
            server.__exit__(None, None, None)
    requests = {ip: len(server.requests) for ip, server in servers.items()}
    # The politeness check as the servers saw it: the shortest time between two starts.
    gaps = {ip: min((b.at - a.at for a, b in itertools.pairwise(server.requests)), default=0.0)
            for ip, server in servers.items()}
    per_host = bound(requests, limits, latency)
    return {"processes": processes, "jobs": jobs, "wall": wall, "states": states,
            "requests": requests, "gaps": gaps, "limits": limits, "bounds": per_host,
            "bound": max(per_host.values(), default=0.0)}


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.node()}: {os.cpu_count()} CPUs (nproc), {memory:.1f} GiB RAM, " \
           f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds added per answer")
    parser.add_argument("--disable", default="", help="sources to switch off, e.g. gdelt")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="bench-gather-"))
    env = environment(var_dir)
    env["SOURCES_DISABLED"] = args.disable
    if "DATABASE_URL" in env:
        ensure_postgres_database(env["DATABASE_URL"])
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Article

    call_command("migrate", verbosity=0)
    call_command("library_import", str(REFERENCE_PACK), verbosity=0)
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # the bench's own db
    from outbound import politeness

    print(machine())
    print(f"database {connection.vendor}, broker {settings.CELERY_BROKER_URL.split('://')[0]}, "
          f"politeness and circuit state in {'Redis' if politeness.redis_url() else 'file locks'}; "
          f"latency {args.latency * 1000:.0f} ms per answer; "
          f"sources disabled: {args.disable or 'none'}")
    results = []
    try:
        for n in (int(p) for p in args.processes.split(",")):
            result = run(n, env=env, latency=args.latency, var_dir=var_dir)
            results.append(result)
            report(result)
    finally:
        Article.objects.all().delete()
        shutil.rmtree(var_dir, ignore_errors=True)
    print()
    print("processes  jobs  wall s  bound s  wall/bound  jobs/s")
    for r in results:
        print(f"{r['processes']:>9}  {r['jobs']:>4}  {r['wall']:>6.1f}  {r['bound']:>7.1f}"
              f"  {r['wall'] / r['bound']:>9.2f}×  {r['jobs'] / r['wall']:>6.2f}")


def report(r: dict) -> None:
    finished = ", ".join(f"{n} {state}" for state, n in r["states"].items() if n)
    print(f"\n{r['processes']} worker process(es): {r['jobs']} jobs ({finished}) "
          f"in {r['wall']:.1f} s, {r['jobs'] / r['wall']:.2f} jobs/s")
    names = {ip: real for ip, real in HOSTS.values()}
    for ip, n in sorted(r["requests"].items()):
        in_flight, interval = r["limits"][ip]
        print(f"  {ip} ({names[ip]}): {n} requests, {in_flight} in flight, "
              f"{interval:g} s interval -> bound {r['bounds'].get(ip, 0.0):.1f} s; "
              f"shortest gap between starts {r['gaps'][ip]:.2f} s")
    print(f"  bound {r['bound']:.1f} s; wall/bound {r['wall'] / r['bound']:.2f}×")


if __name__ == "__main__":
    main()
