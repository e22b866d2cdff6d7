"""The API's claim list stays an index range scan at any depth (bench/api_latency.py measures
it at 100,000 claims; this keeps the plan from regressing on a small table)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.api.conftest import ApiClient
from tests.claims.conftest import TEXT

SENTENCE = "Kim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019."


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL picks a scan for a table this small; forbidding scans shows whether
            # an index can answer the query at all, which is what scale depends on.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize("sort", ["oldest", "article"])
def test_a_deep_page_of_the_claim_list_is_read_through_the_queues_index(
    make_claim: Callable[..., Claim], reviewer: User, client_for: Callable[..., ApiClient],
    sort: str,
) -> None:
    assert SENTENCE in TEXT
    for _ in range(12):
        make_claim(SENTENCE)
    client = client_for(reviewer)
    first = client.get(f"/api/v1/claims/?n=5&sort={sort}").json()
    with CaptureQueriesContext(connection) as seen:
        deep = client.get(f"/api/v1/claims/?n=5&sort={sort}&after={first['next_cursor']}")
    assert deep.status_code == 200 and len(deep.json()["items"]) == 5
    [listing] = [q["sql"] for q in seen.captured_queries
                 if 'FROM "claims_claim"' in q["sql"] and "LIMIT 6" in q["sql"]]
    plan = plan_of(listing)
    if connection.vendor == "postgresql":  # what production runs: the queue's own index
        assert f"Index Scan using claim_to_work_{sort} on claims_claim" in plan, plan
        assert "Seq Scan on claims_claim" not in plan
    else:  # SQLite's planner picks among the indexes by its own rules, never a full scan
        assert "SEARCH claims_claim USING INDEX" in plan, plan
        assert "SCAN claims_claim" not in plan
