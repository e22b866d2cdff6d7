"""No lost updates: every save carries the version it started from.

The threaded test sends real concurrent requests through Django against the configured
database; run it on PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
    .venv/bin/pytest tests/claims/test_concurrency.py
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.conftest import make_user
from verify.models import AuditEvent, Reference, Review
from verify.review import services


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_says_what_the_other_person_did(
    reviewer: User, editor: User, claim: Claim, reference: Reference
) -> None:
    services.submit_review(claim=claim, reviewer=editor, verdict="disputed",
                           rationale="TASS says otherwise.", references=[reference],
                           expected_version=1)
    client = Client()
    client.force_login(reviewer)
    response = client.post(reverse("review:verdict", args=[claim.pk]), {
        "verdict": "supported", "rationale": "My careful reasoning.",
        "references": [reference.pk], "version": 1,
    })
    body = response.content.decode()
    assert response.status_code == 409
    assert "eddie proposed a verdict" in body
    assert "TASS says otherwise." in body
    assert "My careful reasoning." in body  # the second person's input is still in the form
    assert 'name="version" value="2"' in body  # saving again is a deliberate second decision
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_a_stale_field_edit_keeps_the_input(reviewer_client: Client, claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).update(version=2)
    response = reviewer_client.post(reverse("review:claim_edit", args=[claim.pk]), {
        "version": 1, "type": "visit", "place_name": "Khasan",
    })
    assert response.status_code == 409
    assert 'value="Khasan"' in response.content.decode()
    claim.refresh_from_db()
    assert claim.place_name == "Vladivostok"


@pytest.mark.django_db(transaction=True)
def test_concurrent_verdicts_on_one_claim_one_wins_the_rest_see_the_conflict(
    make_claim: Callable[..., Claim], make_reference: Callable[..., Reference]
) -> None:
    claim = make_claim()
    reference = make_reference(claim)
    people = [make_user(f"reviewer{i}", "reviewer") for i in range(6)]
    start = threading.Barrier(len(people))
    statuses: dict[str, int] = {}

    def post_verdict(user: User) -> None:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            response = client.post(reverse("review:verdict", args=[claim.pk]), {
                "verdict": "supported", "rationale": f"Reasoning of {user}",
                "references": [reference.pk], "version": 1,
            })
            statuses[user.username] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post_verdict, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(statuses.values()) == [302] + [409] * (len(people) - 1)
    claim.refresh_from_db()
    assert claim.version == 2
    review = Review.objects.get()
    assert statuses[review.reviewer.username] == 302
    assert AuditEvent.objects.filter(action="proposed").count() == 1
