"""Every desk and public page issue 8 (item 17) names, under gunicorn + PostgreSQL, next to
the trivial view on the same server; and 10 concurrent logins through the real login form.

    .venv/bin/python bench/pages_load.py [--claims 100000] [--duration 10] [--runs 3]

Builds on bench/queue_load.py (same database `corroborate_bench`, same 100,000 claims, same
gunicorn settings, same wrk driver) and adds:

- the article page of a realistic article: the seed article (claims/fixtures/seed) with the
  claims the real extractor finds in it, each with 5 references and a final verdict;
- that article's public summary page, published through verify.publishing.services;
- 10 concurrent logins: 10 threads each GET the login form and POST the right password for
  a user of its own (argon2 hashing, axes on); p50/p95 of the POST over `--logins` rounds.

Each wrk row runs `--runs` times (the machine is shared with other test runs) and prints the
median of each figure; the 1-minute load average is printed before every run.
Aim at 4 connections: p95 <= 60 ms and >= 40 % of the trivial view's throughput; at 16: no
errors. A benchmark, never part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import queue_load as ql

SEED = ql.ROOT / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"
LOGIN_USERS = 10
LOGIN_PASSWORD = "bench-login-password-456"  # a throwaway bench database


def load_pages() -> dict[str, str]:
    """The seed article, reviewed and published, and the login users; returns the URLs.

    Runs after queue_load.load(), which has set Django up on the bench database.
    """
    from django.contrib.auth.models import Group, User

    from claims import ingestion, processing, services
    from claims.models import Article, Claim, Outlet
    from verify.models import Reference, Review
    from verify.publishing import services as publishing

    for i in range(LOGIN_USERS):
        user = User.objects.filter(username=f"login{i}").first()
        if user is None:
            user = User.objects.create_user(f"login{i}", password=LOGIN_PASSWORD)
            user.groups.add(Group.objects.get(name="reviewer"))
    editor = User.objects.filter(username="bench-editor").first()
    if editor is None:
        editor = User.objects.create_user("bench-editor", password=LOGIN_PASSWORD)
        editor.groups.add(Group.objects.get(name="editor"))

    Outlet.objects.get_or_create(name="Pyongyang Times", defaults={"is_state_media": True})
    article = services.ingest_article(
        text=ingestion.decode(SEED.read_bytes()), outlet="Pyongyang Times", queue=False
    ).article
    if not article.summaries.exists():
        claims = processing.extract_article(article)
        verdicts = ["supported", "disputed", "unverified", "supported", "dismissed"]
        for n, claim in enumerate(claims):
            refs = [
                Reference.objects.create(
                    claim=claim, source="wikipedia", url=f"https://en.wikipedia.org/wiki/B{n}_{i}",
                    canonical_url=f"https://en.wikipedia.org/wiki/B{n}_{i}", passage_hash=str(i),
                    title=f"Reference {i} on claim {n}", publisher="Wikipedia", score=i / 5,
                    passage=f"{claim.sentence} Independent sources describe the event. " * 3,
                )
                for i in range(5)
            ]
            verdict = verdicts[n % len(verdicts)]
            if verdict == "dismissed":
                Claim.objects.filter(pk=claim.pk).update(
                    status=Claim.Status.DISMISSED, reason="A prediction."
                )
                continue
            review = Review.objects.create(
                claim=claim, verdict=verdict, reviewer=user, approved_by=editor,
                status=Review.Status.FINAL, rationale="Independent sources agree. " * 4,
            )
            review.references.set(refs[:2] if verdict != "unverified" else [])
            Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.FINAL, verdict=verdict)
        article.set_state(Article.State.DONE)
        publishing.publish_summary(article=article, editor=editor)
    n_claims = article.claims.count()
    return {
        f"article ({n_claims} claims)": article.get_absolute_url(),
        f"public summary ({n_claims})": f"/published/{article.pk}/",
    }


def with_smallest_desk_page(urls: dict[str, str]) -> dict[str, str]:
    """`urls` with the smallest page a logged-in user can open second, after the trivial
    view: "password changed" (login required, the base template and a sentence). What any
    desk page costs before it does anything of its own: the session, the user, the
    middleware and the page frame."""
    first, *rest = urls.items()
    return dict([first, ("smallest desk page", "/accounts/password/done/"), *rest])


def load_average() -> float:
    return os.getloadavg()[0]


def median_row(url: str, cookie: str, connections: int, args: argparse.Namespace,
               script: str) -> dict[str, float]:
    """wrk `args.runs` times after a warm-up; the median of each figure, and the loads seen."""
    ql.wrk(url, cookie, connections, 2, script)
    runs, loads = [], []
    for _ in range(args.runs):
        loads.append(load_average())
        runs.append(ql.wrk(url, cookie, connections, args.duration, script))
    row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    row["errors"] = max(r["errors"] for r in runs)  # any error in any run counts
    return row | {"load_min": min(loads), "load_max": max(loads)}


def login_once(results: list[float], errors: list[str], username: str) -> None:
    """The form, then the POST with its CSRF token, as a browser does; times the POST.

    http.client rather than a cookie jar: with DEBUG off the CSRF cookie is Secure, and a
    jar would not send it back over the benchmark's plain HTTP.
    """
    conn = http.client.HTTPConnection("127.0.0.1", ql.PORT, timeout=30)
    try:
        conn.request("GET", "/accounts/login/")
        form = conn.getresponse()
        page = form.read().decode()
        cookies = SimpleCookie()
        for header in form.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token and "csrftoken" in cookies, "no CSRF token on the login form"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1),
                                       "username": username, "password": LOGIN_PASSWORD})
        start = time.perf_counter()
        conn.request("POST", "/accounts/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        })
        answer = conn.getresponse()
        answer.read()
        elapsed = time.perf_counter() - start
        # Logged in: redirected to the dashboard (a failed login shows the form again).
        assert answer.status == 302 and answer.getheader("Location") == "/", answer.status
        results.append(elapsed * 1000)
    except Exception as exc:  # a benchmark counts errors, it does not stop on them
        errors.append(f"{username}: {exc!r}")
    finally:
        conn.close()


def logins(rounds: int) -> dict[str, float]:
    """`rounds` times: 10 threads log in at once, each as a user of its own."""
    times: list[float] = []
    errors: list[str] = []
    loads = []
    start = time.perf_counter()
    for _ in range(rounds):
        loads.append(load_average())
        threads = [threading.Thread(target=login_once, args=(times, errors, f"login{i}"))
                   for i in range(LOGIN_USERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    wall = time.perf_counter() - start
    for e in errors[:3]:
        print("login error:", e)
    assert len(times) > 1, "no login succeeded"
    q = statistics.quantiles(times, n=20)
    return {"p50": statistics.median(times), "p95": q[18], "rps": len(times) / wall,
            "errors": len(errors), "load_min": min(loads), "load_max": max(loads)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--logins", type=int, default=5, help="rounds of 10 concurrent logins")
    parser.add_argument("--only", default="", help="comma-separated page names to drive")
    args = parser.parse_args()
    ql.ensure_database()
    ql.manage("migrate", "--noinput")
    urls = ql.load(args.claims)
    cookie = urls.pop("cookie")
    urls = with_smallest_desk_page(urls | load_pages())
    if args.only:
        wanted = args.only.split(",")
        urls = {k: v for k, v in urls.items() if k.startswith(("trivial", "smallest")) or
                any(k.startswith(w) for w in wanted)}
    server = ql.serve()
    try:
        for url in urls.values():
            ql.check(url, cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(ql.WRK_SCRIPT)
        print(f"\n{args.claims:,} claims, PostgreSQL, {ql.gunicorn_command()}\n"
              f"wrk {args.duration}s per run, median of {args.runs} runs; "
              f"{os.cpu_count()} CPUs shared with other work; load = 1-min load average "
              f"before the runs (min-max)\n")
        print(f"{'page':26} {'conns':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} "
              f"{'errors':>6} {'vs trivial':>10} {'load':>9}")
        for connections in (4, 16):
            trivial = 0.0
            for name, url in urls.items():
                r = median_row(url, cookie, connections, args, f.name)
                trivial = trivial or r["rps"]
                print(f"{name:26} {connections:>5} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                      f"{r['rps']:>8.0f} {int(r['errors']):>6} {r['rps'] / trivial:>9.0%} "
                      f"{r['load_min']:>4.1f}-{r['load_max']:<4.1f}", flush=True)
        r = logins(args.logins)
        print(f"{'login, 10 at once':26} {10:>5} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['rps']:>8.1f} {int(r['errors']):>6} {'':>10} "
              f"{r['load_min']:>4.1f}-{r['load_max']:<4.1f}")
        Path(f.name).unlink()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
