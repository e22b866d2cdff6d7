"""Time (and optionally profile) each benchmarked page in process, without a server.

    .venv/bin/python bench/profile_pages.py [--n 50] [--profile "queue, filtered"]

Same database and URLs as bench/pages_load.py, DEBUG off; each page is requested through
Django's test client (the whole middleware stack, no network) `--n` times after a warm-up.
The second row is the smallest desk page (pages_load.with_smallest_desk_page).
Printed: the median CPU time of this process per request (the Python and HTML work, which
other programs on a shared machine barely disturb), the median and best wall time, and the
number of SQL queries with the time spent in them. `--profile NAME` prints where that
page's time goes: a pyinstrument call tree when pyinstrument is installed
(`pip install pyinstrument==5.1.3`), else cProfile's top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable

import pages_load
import queue_load as ql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--profile", default="", help="a page name (prefix) to profile")
    args = parser.parse_args()
    ql.ensure_database()
    ql.manage("migrate", "--noinput")
    ql.manage("collectstatic", "--noinput")  # DEBUG off: pages need the manifest
    urls = ql.load(args.claims)
    cookie = urls.pop("cookie")
    urls |= pages_load.load_pages()
    urls = pages_load.with_smallest_desk_page(urls)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = cookie
    print(f"{'page':26} {'CPU ms':>7} {'wall ms':>8} {'best':>6} {'queries':>8} {'SQL ms':>7}")
    for name, url in urls.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times, cpu = [], []
        for _ in range(args.n):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"{name:26} {statistics.median(cpu):>7.1f} {statistics.median(times):>8.1f} "
              f"{min(times):>6.1f} {len(queries):>8} {sql:>7.1f}", flush=True)
        if args.profile and name.startswith(args.profile):
            profile(lambda url=url: client.get(url), args.n)


def profile(call: Callable[[], object], n: int) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        cprofile = cProfile.Profile()
        cprofile.enable()
        for _ in range(n):
            call()
        cprofile.disable()
        pstats.Stats(cprofile).sort_stats("cumulative").print_stats(45)
        return
    profiler = Profiler(interval=0.0001)
    profiler.start()
    for _ in range(n):
        call()
    profiler.stop()
    from pyinstrument.renderers import ConsoleRenderer

    print(profiler.output_text(unicode=True, show_all=False, short_mode=False))
    print(profiler.output(ConsoleRenderer(unicode=True, flat=True, show_all=True))[:6000])


if __name__ == "__main__":
    main()
