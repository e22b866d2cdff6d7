# ruff: noqa: F811 - pytest fixtures imported from tests.claims.conftest, then requested by name
"""Bulk actions of the queue: each ticked claim goes through the service its own page uses,
with its current version, and the message says how many were done and why others were not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tests.claims.conftest import (  # noqa: F401 - the claims tests' fixtures, shared here
    article,
    make_claim,
)
from tests.conftest import make_user, propose
from verify.models import AuditEvent, Review
from verify.review import services

pytestmark = pytest.mark.django_db
BULK = reverse("review:queue_bulk")
SECOND = "The Moscow Declaration was signed in August 2001."
THIRD = "The two leaders discussed the situation on the Korean peninsula."


@pytest.fixture
def three(make_claim: Callable[..., Claim]) -> list[Claim]:
    return [make_claim(), make_claim(SECOND), make_claim(THIRD)]


def bulk(client: Client, action: str, claims: list[Claim], **fields: str) -> str:
    data = {"assign-claims": [c.pk for c in claims], "assign-action": action, "query": "status=any"}
    data.update({f"assign-{k}": v for k, v in fields.items()})
    response = client.post(BULK, data, follow=True)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def test_a_reviewer_dismisses_several_claims_with_one_reason(
    reviewer: User, reviewer_client: Client, three: list[Claim]
) -> None:
    body = bulk(reviewer_client, "dismiss", three[:2], note="Rhetoric, not a fact.")
    assert "Dismiss as not checkable: 2 done, 0 refused." in body
    statuses = {c.pk: c.status for c in Claim.objects.all()}
    assert [statuses[c.pk] for c in three] == ["dismissed", "dismissed", "open"]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DISMISSED)
    assert {(e.claim_id, e.note, e.actor) for e in events} == {
        (three[0].pk, "Rhetoric, not a fact.", reviewer),
        (three[1].pk, "Rhetoric, not a fact.", reviewer),
    }


def test_an_editor_approves_in_bulk_and_the_two_person_rule_holds_claim_by_claim(
    reviewer: User, editor: User, editor_client: Client, three: list[Claim]
) -> None:
    propose(three[0], reviewer)
    propose(three[1], editor)  # the editor's own proposal: someone else must approve it
    body = bulk(editor_client, "approve", three)
    assert "Approve: 1 done, 2 refused (" in body
    assert (
        f"Under the two-person rule someone else must approve your verdict: claim {three[1].pk}"
    ) in body
    assert f"no verdict awaits approval: claim {three[2].pk}" in body
    statuses = {c.pk: c.status for c in Claim.objects.all()}
    assert [statuses[c.pk] for c in three] == ["final", "proposed", "open"]
    assert Review.objects.get(claim=three[0]).approved_by == editor


def test_an_editor_sends_back_in_bulk_with_a_comment(
    reviewer: User, editor_client: Client, three: list[Claim]
) -> None:
    for c in three[:2]:
        propose(c, reviewer)
    body = bulk(editor_client, "send_back", three[:2], note="Cite the Kremlin readout.")
    assert "Send back: 2 done, 0 refused." in body
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in three[:2]]).values_list("status", flat=True)
    ) == {"returned"}
    assert sorted(c.body for c in three[0].comments.all()) == ["Cite the Kremlin readout."]


def test_a_claim_changed_since_it_was_loaded_is_refused_not_overwritten(
    reviewer: User, editor: User, three: list[Claim]
) -> None:
    from verify.review import bulk as bulk_actions

    review = propose(three[0], reviewer)
    stale = Claim.objects.get(pk=three[0].pk)
    services.return_review(
        review=review,
        editor=make_user("erin", "editor"),
        comment="No.",
        expected_version=stale.version,
    )
    outcome = bulk_actions.run(
        name="dismiss", claims=[stale], user=editor, data={"note": "Opinion."}
    )
    assert outcome.done == []
    assert outcome.refused == {"it changed while you chose (open it to see what)": [stale.pk]}
    assert Claim.objects.get(pk=stale.pk).status == "returned"


def test_a_reviewer_tags_in_bulk_and_each_claim_gets_its_audit_event(
    reviewer_client: Client, three: list[Claim]
) -> None:
    body = bulk(reviewer_client, "tag", three, tags="Vladivostok summit, treaty")
    assert "Tag: 3 done, 0 refused." in body
    for c in three:
        assert [t.name for t in c.tags.all()] == ["treaty", "Vladivostok summit"]  # by key
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TAGGED).count() == 3
    listed = reviewer_client.get(reverse("review:queue") + "?tag=treaty")
    assert len(listed.context["page"].claims) == 3


def test_bulk_tagging_looks_each_tag_up_once_however_many_claims(
    reviewer: User, make_claim: Callable[..., Claim]
) -> None:
    from verify.review import bulk as bulk_actions

    claims = [make_claim() for _ in range(6)]
    with CaptureQueriesContext(connection) as queries:
        outcome = bulk_actions.run(
            name="tag", claims=claims, user=reviewer, data={"tags": ["treaty", "summit", "visit"]}
        )
    assert len(outcome.done) == 6
    lookups = [
        q["sql"] for q in queries.captured_queries if 'WHERE "verify_tag"."key" =' in q["sql"]
    ]
    assert len(lookups) <= 3 * 2  # per tag: found or made (and read again after a race)


def test_a_reviewer_may_not_approve_or_send_back_in_bulk(
    reviewer: User, reviewer_client: Client, three: list[Claim]
) -> None:
    propose(three[0], make_user("vera", "reviewer"))
    for action in ("approve", "send_back"):
        response = reviewer_client.post(
            BULK, {"assign-claims": [three[0].pk], "assign-action": action, "assign-note": "x"}
        )
        assert response.status_code == 403
    assert Claim.objects.get(pk=three[0].pk).status == "proposed"
    page = reviewer_client.get(reverse("review:queue")).content.decode()
    assert 'value="dismiss"' in page and 'value="approve"' not in page


def test_what_a_bulk_action_lacks_is_said_and_the_ticks_and_text_are_kept(
    reviewer_client: Client, three: list[Claim]
) -> None:
    response = reviewer_client.post(
        BULK,
        {
            "assign-claims": [three[1].pk],
            "assign-action": "dismiss",
            "assign-note": " ",
            "query": "status=any",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Dismiss as not checkable: say why." in body
    assert f'value="{three[1].pk}" aria-label="Select claim {three[1].pk}" checked' in body
    too_long = reviewer_client.post(
        BULK, {"assign-claims": [three[1].pk], "assign-action": "tag", "assign-tags": "y" * 60}
    )
    assert too_long.status_code == 422
    assert f'value="{"y" * 60}"' in too_long.content.decode()
    nothing = reviewer_client.post(BULK, {"assign-action": "tag", "assign-tags": "x"})
    assert nothing.status_code == 422 and "Tick at least one claim." in nothing.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {"open"}
