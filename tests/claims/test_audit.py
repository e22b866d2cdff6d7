from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.test import Client

from claims.models import Claim
from verify.models import AppendOnly, AuditEvent, Reference
from verify.review import services

pytestmark = pytest.mark.django_db


def test_every_change_records_who_when_before_and_after(
    reviewer: User, editor: User, claim: Claim, reference: Reference
) -> None:
    services.edit_claim(claim=claim, user=reviewer, changes={"place_name": "Moscow"},
                        expected_version=1)
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                                    rationale="Seen.", references=[reference],
                                    expected_version=2)
    services.approve_review(review=review, editor=editor, expected_version=3)
    events = list(AuditEvent.objects.for_claim(claim))
    assert [(e.actor, e.action, e.version) for e in events] == [
        (reviewer, "edited", 2), (reviewer, "proposed", 3), (editor, "approved", 4)
    ]
    assert events[0].changes() == [("place_name", "Vladivostok", "Moscow")]
    assert events[1].after["references"] == [reference.pk]
    assert events[2].before["verdict"] == ""
    assert events[2].after["verdict"] == "supported"


def test_a_refused_change_leaves_no_event(reviewer: User, claim: Claim) -> None:
    with pytest.raises(services.StaleVersion):
        services.edit_claim(claim=claim, user=reviewer, changes={"place_name": "X"},
                            expected_version=7)
    assert not AuditEvent.objects.exists()


def test_the_trail_refuses_updates_and_deletes_through_the_orm(
    reviewer: User, claim: Claim
) -> None:
    event = services.add_comment(claim=claim, author=reviewer, body="Hello")
    recorded = AuditEvent.objects.get()
    recorded.note = "rewritten"
    with pytest.raises(AppendOnly):
        recorded.save()
    with pytest.raises(AppendOnly):
        recorded.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=recorded.pk).update(note="rewritten")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().note == event.body


def test_postgresql_itself_refuses_to_rewrite_the_trail(reviewer: User, claim: Claim) -> None:
    services.add_comment(claim=claim, author=reviewer, body="Hello")
    statements = ["UPDATE verify_auditevent SET note = 'x'", "DELETE FROM verify_auditevent"]
    for sql in statements:
        if connection.vendor != "postgresql":
            continue  # SQLite relies on the ORM guard above (its test flush uses DELETE)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.get().note == "Hello"


def test_reviewers_and_editors_read_the_history_on_the_claim_page(
    reviewer: User, reviewer_client: Client, claim: Claim
) -> None:
    services.dismiss_claim(claim=claim, user=reviewer, reason="Ceremonial.", expected_version=1)
    page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert "dismissed as not checkable" in page
    assert "Ceremonial." in page
    assert "<code>status</code>: open → dismissed" in page


def test_bulk_assignment_is_recorded_per_claim(
    editor: User, reviewer: User, claim: Claim
) -> None:
    services.assign_claims(claims=[claim], assignee=reviewer, by=editor)
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.after) == (editor, "assigned", {"assignee": "rita"})
