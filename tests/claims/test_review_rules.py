"""The review state machine's rules hold whatever path a change takes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from claims.models import Claim
from verify.models import Reference, Review
from verify.review import services

pytestmark = pytest.mark.django_db


def test_a_dismissal_leaves_no_proposal_to_approve(
    reviewer: User, editor: User, claim: Claim, reference: Reference
) -> None:
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                                    rationale="Seen.", references=[reference],
                                    expected_version=1)
    services.dismiss_claim(claim=claim, user=editor, reason="Ceremonial.", expected_version=2)
    with pytest.raises(services.ReviewError):
        services.approve_review(review=review, editor=editor, expected_version=3)
    claim.refresh_from_db()
    assert (claim.status, claim.verdict) == (Claim.Status.DISMISSED, "")
    assert not claim.reviews.filter(status=Review.Status.PROPOSED).exists()


def test_an_editor_cannot_approve_their_own_proposal_even_in_the_database(
    editor: User, claim: Claim, reference: Reference
) -> None:
    review = services.submit_review(claim=claim, reviewer=editor, verdict="supported",
                                    rationale="Seen.", references=[reference],
                                    expected_version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(status=Review.Status.FINAL, approved_by=editor)
    review.refresh_from_db()
    assert (review.status, review.approved_by) == (Review.Status.PROPOSED, None)


def test_a_claim_has_at_most_one_proposal_waiting(
    reviewer: User, editor: User, claim: Claim
) -> None:
    Review.objects.create(claim=claim, verdict="unverified", rationale="r", reviewer=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(claim=claim, verdict="supported", rationale="r", reviewer=editor)


def test_a_new_proposal_replaces_the_waiting_one(
    reviewer: User, editor: User, claim: Claim, reference: Reference
) -> None:
    first = services.submit_review(claim=claim, reviewer=reviewer, verdict="unverified",
                                   rationale="Nothing yet.", expected_version=1)
    services.submit_review(claim=claim, reviewer=editor, verdict="supported", rationale="Seen.",
                           references=[reference], expected_version=2)
    first.refresh_from_db()
    assert first.status == Review.Status.RETURNED
    with pytest.raises(services.ReviewError):
        services.approve_review(review=first, editor=editor, expected_version=3)


def test_a_claim_has_a_verdict_exactly_when_it_is_final(claim: Claim) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(verdict="supported")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.FINAL)
