"""Load the claim queue and review pages under gunicorn + PostgreSQL and print latency.

    .venv/bin/python bench/queue_load.py [--claims 100000] [--duration 10]

Creates (once) a database `corroborate_bench` with 100,000 claims, serves the app with
gunicorn (DEBUG off), and drives four URLs with wrk at 4 and 16 connections: the trivial
/healthz view, the queue with a filter, a deep keyset page of the queue, and a review page
with 20 references. Prints p50/p95 latency, requests per second, errors, and each page's
throughput as a share of the trivial view's. Aim: p95 <= 60 ms at 4 connections and >= 40 %
of the trivial view's throughput; no errors at 16. A benchmark, never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "corroborate_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
PORT = 8765
ENV = {
    **os.environ,
    "DATABASE_URL": f"{SERVER}/{DB_NAME}",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_REDIS_URL": "redis://127.0.0.1:6379/1",  # as in docker-compose.yml
    "LOG_LEVEL": "WARNING",
    # django-axes stays on, as in production: its middleware does no work on a request that
    # is not a login (measured: no query, no session write).
}
# gunicorn's own advice for sync workers is (2 x cores) + 1; 2 x cores leaves the database
# and wrk a share of this machine.
WORKERS = 2 * (os.cpu_count() or 1)
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT p50=%.2f p95=%.2f rps=%.1f errors=%d requests=%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6), errors, summary.requests))
end
"""


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True,
                   stdout=subprocess.DEVNULL)


def load(n_claims: int) -> dict[str, str]:
    """Create the data if missing; return the session cookie and the URLs to drive."""
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.utils import timezone

    from claims.models import Article, Claim, Outlet
    from verify.models import Reference
    from verify.review.queue import SORT_KEYS, encode_cursor

    if Claim.objects.count() < n_claims:
        print(f"loading {n_claims:,} claims …", flush=True)
        Claim.objects.all().delete()
        Article.objects.all().delete()
        outlets = [Outlet.objects.get_or_create(name=f"Outlet {i}")[0] for i in range(5)]
        per_article = 500
        types = [t for t, _ in Claim.Type.choices]
        start = timezone.now() - timedelta(days=400)
        for a in range(n_claims // per_article):
            article = Article.objects.create(
                outlet=outlets[a % 5], title=f"Bench article {a}", text="x " * 2000,
                content_hash=f"{a:064d}", published=(start + timedelta(days=a)).date(),
            )
            claims = []
            for i in range(per_article):
                k = a * per_article + i
                status, verdict = "open", ""
                if k % 10 == 7:
                    status = "proposed"
                elif k % 10 in (8, 9):
                    status, verdict = "final", ["supported", "disputed", "unverified"][k % 3]
                claims.append(Claim(
                    article=article, start=i * 8, end=i * 8 + 7,
                    sentence=f"Claim {k}: Kim Jong Un met Vladimir Putin in year {1950 + k % 70}.",
                    type=types[k % len(types)], status=status, verdict=verdict,
                    subject_name="Kim Jong Un", object_name="Vladimir Putin",
                    created_at=start + timedelta(seconds=k),
                ))
            Claim.objects.bulk_create(claims, batch_size=per_article)
        manage("shell", "-c", "from django.db import connection; "
               "connection.cursor().execute('VACUUM ANALYZE')")
    user = User.objects.filter(username="bench").first() or User.objects.create_user(
        "bench", "bench@example.org", "bench-password-123"
    )
    user.groups.add(Group.objects.get(name="reviewer"))
    client = Client()
    client.force_login(user)
    target = Claim.objects.order_by("id")[n_claims // 2]
    for i in range(20 - target.references.count()):
        url = f"https://example.org/bench/{i}"
        Reference.objects.create(
            claim=target, source="wikipedia", url=url, canonical_url=url, passage_hash=str(i),
            title=f"Reference {i}", publisher="Example", score=i / 20,
            passage="Kim Jong Un met Vladimir Putin in Vladivostok. " * 8,
        )
    todo = Claim.objects.to_work().order_by("created_at", "id")
    deep = todo.values_list("created_at", "id")[60_000]  # setup only: the page uses keyset
    assert [k for k, _ in SORT_KEYS["oldest"]] == ["created_at", "id"]
    outlet = Outlet.objects.get(name="Outlet 2")
    return {
        "cookie": client.cookies["sessionid"].value,
        "trivial /healthz": "/healthz",
        "queue, filtered": f"/queue/?type=meeting&outlet={outlet.pk}",
        "queue, deep page": f"/queue/?after={encode_cursor(list(deep))}",
        "review, 20 refs": f"/claims/{target.pk}/",
    }


def gunicorn_args() -> list[str]:
    return [".venv/bin/gunicorn", "config.wsgi", "--workers", str(WORKERS),
            "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"]


def gunicorn_command() -> str:
    return f"gunicorn {' '.join(gunicorn_args()[1:])} ({WORKERS} sync workers, DEBUG=0)"


def serve() -> subprocess.Popen:
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    server = subprocess.Popen(gunicorn_args(), cwd=ROOT, env=ENV)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def check(url: str, cookie: str) -> None:
    """Every measured URL answers 200 for the logged-in reviewer (not a login redirect)."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{url}",
                                     headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.url.endswith(url), (url, response.url)


def wrk(url: str, cookie: str, connections: int, duration: int, script: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{min(connections, 4)}", f"-c{connections}", f"-d{duration}s",
         "-H", f"Cookie: sessionid={cookie}", "-s", script, f"http://127.0.0.1:{PORT}{url}"],
        capture_output=True, text=True, check=True,
    ).stdout
    found = re.search(r"RESULT (.*)", out)
    assert found, out
    return {k: float(v) for k, v in (pair.split("=") for pair in found.group(1).split())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    ensure_database()
    manage("migrate", "--noinput")
    urls = load(args.claims)
    cookie = urls.pop("cookie")
    server = serve()
    try:
        for url in urls.values():
            check(url, cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(WRK_SCRIPT)
        print(f"\n{args.claims:,} claims, PostgreSQL, {gunicorn_command()}, "
              f"wrk {args.duration}s per row, {os.cpu_count()} CPUs shared by all\n")
        print(f"{'page':20} {'conns':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} "
              f"{'errors':>6} {'vs trivial':>10}")
        for connections in (4, 16):
            trivial = 0.0
            for name, url in urls.items():
                wrk(url, cookie, connections, 2, f.name)  # warm up
                r = wrk(url, cookie, connections, args.duration, f.name)
                trivial = trivial or r["rps"]
                print(f"{name:20} {connections:>5} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                      f"{r['rps']:>8.0f} {int(r['errors']):>6} {r['rps'] / trivial:>9.0%}",
                      flush=True)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
