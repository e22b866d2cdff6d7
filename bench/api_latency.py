"""The API's claim list beside the web queue at 100,000 claims, under gunicorn + PostgreSQL.

    .venv/bin/python bench/api_latency.py [--claims 100000] [--duration 10] [--runs 3]

Builds on bench/queue_load.py and bench/pages_load.py (their loader, gunicorn settings, wrk
driver and median-of-runs), on a throwaway database of its own, `bench_api`, which it
creates. Drives at 4 connections, with wrk (falling back to a thread pool of 4 when wrk is
not installed):

- the trivial /healthz view (what any request costs on this server);
- `GET /api/v1/claims/` with a bearer token: the first page and a deep page by cursor;
- the web queue page, logged in: the same first page and the same deep page.

Prints p50/p95 for each and the API's p95 as a share of the queue's; first, each URL's CPU
time per request in process (Django's test client, no server), which load barely moves.
Before the load it prints PostgreSQL's plan for the API's deep page and stops if it is not
an index scan.
The token's rate limit stays on (raised above what wrk can send), so its cache round trip
is part of the figure. A benchmark, never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pages_load as pl
import queue_load as ql

# Our own throwaway database; the other benchmarks' corroborate_bench stays untouched.
ql.DB_NAME = "bench_api"
ql.ENV["DATABASE_URL"] = f"{ql.SERVER}/{ql.DB_NAME}"
# Far above what 4 connections send in a run, so nothing is refused, but still checked.
ql.ENV["API_RATE_LIMIT"] = str(10**9)

# wrk sends the token from its script: queue_load.wrk sends only the session cookie.
TOKEN_SCRIPT = 'wrk.headers["Authorization"] = "Bearer {token}"\n'
CONNECTIONS = 4


def load_api(n_claims: int) -> dict[str, str]:
    """queue_load's data, a token for its reviewer, and the pairs of URLs to compare."""
    urls = ql.load(n_claims)
    from django.contrib.auth.models import User

    from api.models import ApiToken

    _, raw = ApiToken.issue(user=User.objects.get(username="bench"), name="bench")
    deep = urls["queue, deep page"].split("?", 1)[1]
    return {
        "cookie": urls["cookie"],
        "token": raw,
        "trivial /healthz": "/healthz",
        "API, first page": "/api/v1/claims/",
        "queue, first page": "/queue/",
        "API, deep page": f"/api/v1/claims/?{deep}",
        "queue, deep page": urls["queue, deep page"],
    }


def explain_deep_page(url: str, token: str) -> str:
    """PostgreSQL's plan for the API's deep page: the claim query the endpoint itself runs,
    captured from one request (as tests/api/test_claim_list_plan.py does)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        response = Client(HTTP_HOST="127.0.0.1").get(
            url, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, url
    [sql] = [q["sql"] for q in seen.captured_queries
             if 'FROM "claims_claim"' in q["sql"] and "LIMIT" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    if "Seq Scan on claims_claim" in plan:
        raise SystemExit(f"the claim list scans the whole table:\n{plan}")
    return plan


def in_process(urls: dict[str, str], cookie: str, token: str, n: int) -> None:
    """Each URL through Django's test client `n` times (after a warm-up): the median CPU
    time of this process per request, which other programs on a shared machine barely
    disturb, and the queries of one request (as bench/profile_pages.py does for pages)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print(
        f"\nin process, median of {n}:\n{'page':20} {'CPU ms':>7} {'wall ms':>8} "
        f"{'queries':>8} {'SQL ms':>7}"
    )
    for name, url in urls.items():
        client = Client(HTTP_HOST="127.0.0.1")
        headers = {}
        if name.startswith("API"):
            headers = {"Authorization": f"Bearer {token}"}
        else:
            client.cookies["sessionid"] = cookie
        for _ in range(3):
            assert client.get(url, headers=headers).status_code == 200, url
        wall, cpu = [], []
        for _ in range(n):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url, headers=headers)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers=headers)
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"{name:20} {statistics.median(cpu):>7.1f} {statistics.median(wall):>8.1f} "
            f"{len(queries):>8} {sql:>7.1f}",
            flush=True,
        )


def check_api(url: str, token: str) -> None:
    """The API answers 200 with a full page for the token (not a 401 or an empty list)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{ql.PORT}{url}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert response.status == 200 and len(body["items"]) == 25 and body["next_cursor"], url


def threaded(url: str, headers: dict[str, str], duration: int) -> dict[str, float]:
    """wrk's figures from CONNECTIONS threads, each one request at a time on its own
    keep-alive connection, for when wrk is not installed."""
    import http.client

    times: list[float] = []
    errors: list[int] = []
    stop = time.perf_counter() + duration

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", ql.PORT, timeout=30)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=run) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q = statistics.quantiles(times, n=20)
    return {
        "p50": statistics.median(times),
        "p95": q[18],
        "rps": len(times) / duration,
        "errors": len(errors),
        "requests": len(times),
    }


def measure(
    url: str, cookie: str, token: str, args: argparse.Namespace, script: str
) -> dict[str, float]:
    """The median of `args.runs` runs after a warm-up, with wrk or the thread pool."""
    if shutil.which("wrk"):
        return pl.median_row(url, cookie, CONNECTIONS, args, script)
    headers = {"Cookie": f"sessionid={cookie}"} | (
        {"Authorization": f"Bearer {token}"} if token else {}
    )
    threaded(url, headers, 2)
    runs = [threaded(url, headers, args.duration) for _ in range(args.runs)]
    row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return row | {
        "errors": max(r["errors"] for r in runs),
        "load_min": pl.load_average(),
        "load_max": pl.load_average(),
    }


def scripts(token: str) -> tuple[str, str]:
    """wrk scripts: the plain one (cookie only) and one that also sends the token."""
    paths = []
    for head in ("", TOKEN_SCRIPT.format(token=token)):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(head + ql.WRK_SCRIPT)
        paths.append(f.name)
    return paths[0], paths[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=50, help="requests per URL in process")
    args = parser.parse_args()
    ql.ensure_database()
    ql.manage("migrate", "--noinput")
    urls = load_api(args.claims)
    cookie, token = urls.pop("cookie"), urls.pop("token")
    print("PostgreSQL's plan for the API's deep page:")
    print(explain_deep_page(urls["API, deep page"], token))
    ql.manage("collectstatic", "--noinput")  # DEBUG off: pages need the manifest
    in_process(urls, cookie, token, args.n)
    plain, with_token = scripts(token)
    server = ql.serve()
    try:
        for name, url in urls.items():
            if name.startswith("API"):
                check_api(url, token)
            else:
                ql.check(url, cookie)
        driver = "wrk" if shutil.which("wrk") else "a pool of 4 threads"
        print(
            f"\n{args.claims:,} claims, PostgreSQL, {ql.gunicorn_command()}\n"
            f"{driver}, {CONNECTIONS} connections, {args.duration}s per run, median of "
            f"{args.runs} runs; {os.cpu_count()} CPUs shared with other work; load = "
            f"1-min load average before the runs (min-max)\n"
        )
        print(f"{'page':20} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>6} {'load':>9}")
        rows = {}
        for name, url in urls.items():
            api = name.startswith("API")
            # The API row sends no session: the token alone must carry it.
            r = measure(
                url, "" if api else cookie, token if api else "", args, with_token if api else plain
            )
            rows[name] = r
            print(
                f"{name:20} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['rps']:>8.0f} "
                f"{int(r['errors']):>6} {r['load_min']:>4.1f}-{r['load_max']:<4.1f}",
                flush=True,
            )
        print()
        for page in ("first page", "deep page"):
            a, q = rows[f"API, {page}"], rows[f"queue, {page}"]
            print(
                f"API / queue, {page}: p50 {a['p50'] / q['p50']:.2f}, p95 {a['p95'] / q['p95']:.2f}"
            )
    finally:
        server.terminate()
        server.wait(10)
        for path in (plain, with_token):
            Path(path).unlink()


if __name__ == "__main__":
    main()
