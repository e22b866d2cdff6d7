"""Earlier verdicts: the same claim in another article comes back with its verdict."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import Claim
from verify.evidence.sources.prior import PriorSource
from verify.models import Review

VISIT = {
    "type": Claim.Type.VISIT,
    "sentence": "Chairman Kim Jong Il met President Putin on a visit to the DPRK for the first "
    "time in July 2000.",
    "subject_name": "Vladimir Putin",
    "subject_qid": "Q7747",
    "object_name": "North Korea",
    "object_qid": "Q423",
    "date_value": "2000-07",
    "date_precision": "month",
    "date_start": date(2000, 7, 1),
    "date_end": date(2000, 7, 31),
}


@pytest.fixture
def earlier(claim_factory: Callable[..., Claim], reviewer: User) -> Claim:
    claim = claim_factory(**{**VISIT, "sentence": "Putin's 2000 visit to Pyongyang was a first.",
                             "status": Claim.Status.FINAL, "verdict": "supported"})
    Review.objects.create(
        claim=claim,
        verdict="supported",
        rationale="Kremlin archive: 19-20 July.",
        reviewer=reviewer,
        status=Review.Status.FINAL,
    )
    return claim


def search(claim: Claim, query: str = "") -> list[Any]:
    return PriorSource().search(claim, query)


def test_a_claim_with_the_same_fields_in_another_article_brings_its_verdict(
    earlier: Claim, claim_factory: Callable[..., Claim]
) -> None:
    found = search(claim_factory(**VISIT))
    assert len(found) == 1
    assert found[0].provenance["verdict"] == "supported"
    assert found[0].passage.startswith("Judged supported (final) by rita on ")
    assert "Kremlin archive: 19-20 July." in found[0].passage
    assert found[0].url.endswith(f"/claims/{earlier.pk}/")


def test_a_final_verdict_wins_over_a_later_proposal(
    earlier: Claim, claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    Review.objects.filter(claim=earlier).update(status=Review.Status.FINAL)
    Review.objects.create(
        claim=earlier,
        verdict="disputed",
        rationale="Second thoughts.",
        reviewer=reviewer,
        status=Review.Status.PROPOSED,
    )
    assert search(claim_factory(**VISIT))[0].provenance["verdict"] == "supported"


def test_claims_of_the_same_article_and_unreviewed_claims_are_not_earlier_verdicts(
    claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    claim_factory(**VISIT)  # never reviewed
    claim = claim_factory(**VISIT)
    sibling = Claim.objects.create(article=claim.article, start=0, end=1, **VISIT)
    Review.objects.create(claim=sibling, verdict="supported", rationale="r", reviewer=reviewer)
    assert search(claim) == []


def test_an_incompatible_date_is_another_claim(
    earlier: Claim, claim_factory: Callable[..., Claim]
) -> None:
    later = {
        **VISIT,
        "date_value": "2024-06",
        "date_start": date(2024, 6, 1),
        "date_end": date(2024, 6, 30),
        "sentence": "Putin visited the DPRK in June 2024.",
    }
    assert search(claim_factory(**later)) == []


def test_near_identical_wording_matches_without_structured_fields(
    claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    sentence = "The DPRK and Russia will work hard to contribute to ensuring regional peace."
    old = claim_factory(sentence=sentence, status=Claim.Status.FINAL, verdict="unverified")
    Review.objects.create(claim=old, verdict="unverified", rationale="Opinion.", reviewer=reviewer,
                          status=Review.Status.FINAL)
    assert len(search(claim_factory(sentence=sentence.replace("hard", "very hard")))) == 1
    assert search(claim_factory(sentence="Grain harvests rose in 2019.")) == []


def test_a_reviewers_own_wording_searches_earlier_claims(
    earlier: Claim, claim_factory: Callable[..., Claim]
) -> None:
    other = claim_factory(sentence="Something else entirely.")
    assert len(search(other, "Putin 2000 visit to Pyongyang")) == 1


def test_a_proposal_nobody_approved_is_not_an_earlier_verdict(
    claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    old = claim_factory(**VISIT, status=Claim.Status.PROPOSED)
    Review.objects.create(claim=old, verdict="supported", rationale="Looks right.",
                          reviewer=reviewer, status=Review.Status.PROPOSED)
    assert search(claim_factory(**VISIT)) == []
