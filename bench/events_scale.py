"""Time grouping one new article against many existing claims and events.

    .venv/bin/python bench/events_scale.py [--claims 100000]

Fills a fresh test database (SQLite, or PostgreSQL when DATABASE_URL is set) with N claims
in N/5 events of 5 articles' claims each, parties drawn from 400 people and states and
dates spread over 2000-2025, then groups a new two-claim article (Putin in Pyongyang, 19 June
2024) ten times and prints the median and the number of queries. Aim: <= 200 ms at
100,000 claims. A benchmark, never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXT = ("Putin in Pyongyang\nRussian President Vladimir Putin arrived in Pyongyang on "
        "June 19, 2024 for a state visit to North Korea.\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from claims.models import Article, Claim, Outlet
    from claims.processing import extract_article
    from verify.events.grouping import group_article
    from verify.models import Event, EventMembership, EventParty

    logging.getLogger("claims").setLevel(logging.WARNING)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("load_gazetteer", verbosity=0)
        rng = random.Random(7)
        people = [f"Q{900000 + i}" for i in range(400)] + ["Q7747", "Q423", "Q56226"]
        outlet = Outlet.objects.create(name="Wire", is_state_media=True)
        n_events = args.claims // 5
        t0 = time.perf_counter()
        articles = Article.objects.bulk_create(
            Article(outlet=outlet, text="x", content_hash=f"bench-{i}", state="done")
            for i in range(n_events)
        )
        events, claims, parties = [], [], []
        for i, article in enumerate(articles):
            day = date(2000, 1, 1) + timedelta(days=rng.randrange(26 * 365))
            a, b = rng.sample(people, 2)
            events.append(Event(name=f"Event {i}", type="visit", date_start=day, date_end=day,
                                parties=[{"key": a, "name": a}, {"key": b, "name": b}]))
            for k in range(5):
                claims.append(Claim(article=article, start=k * 10, end=k * 10 + 9,
                                    sentence="x", type="meeting", subject_qid=a, object_qid=b,
                                    date_value=day.isoformat(), date_precision="day",
                                    date_start=day, date_end=day))
        Event.objects.bulk_create(events, batch_size=2000)
        Claim.objects.bulk_create(claims, batch_size=2000)
        for event in events:
            parties += [EventParty(event=event, key=p["key"]) for p in event.parties]
        EventParty.objects.bulk_create(parties, batch_size=2000)
        EventMembership.objects.bulk_create(
            [EventMembership(event=events[i // 5], claim=c, reason="bench")
             for i, c in enumerate(claims)], batch_size=2000)
        print(f"loaded {len(claims):,} claims in {n_events:,} events "
              f"({time.perf_counter() - t0:.0f} s, {connection.vendor})")
        article = Article.objects.create(outlet=outlet, text=TEXT, published=date(2024, 6, 19),
                                         content_hash="bench-new")
        extract_article(article)
        times = []
        for _ in range(10):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                group_article(article)
                times.append(time.perf_counter() - t)
        print(f"grouping one article ({article.claims.count()} claims) against "
              f"{Claim.objects.count():,} claims: median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms, {len(queries)} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
