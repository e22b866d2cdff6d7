"""Earlier verdicts come back only for the same claim, and only when they are final.

The bug this guards against: in the running app a claim about Putin's 2024 visit was shown
as "Likely supported", with one-click reuse, from the seed's *proposed* verdict on the July
2000 visit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import Claim, Verdict
from tests.verify.sources.test_prior import VISIT
from verify.evidence import gathering
from verify.evidence.sources.prior import PriorSource
from verify.models import Reference, Review, Suggestion

# The seed article's claim: Putin's visit to the DPRK, July 2000.
SEED_2000 = VISIT
VISIT_2024 = {
    **SEED_2000,
    "sentence": "President Putin paid a state visit to the DPRK, the first in 24 years.",
    "date_value": "",
    "date_precision": "",
    "date_start": None,
    "date_end": None,
}


def judged(claim: Claim, reviewer: User, status: str, verdict: str = "supported") -> Claim:
    Review.objects.create(
        claim=claim,
        verdict=verdict,
        rationale="Kremlin archive: 19-20 July.",
        reviewer=reviewer,
        status=status,
    )
    finalise(claim, status, verdict)
    return claim


def finalise(claim: Claim, status: str, verdict: str) -> None:
    """The claim's own state, as the review state machine leaves it after that review."""
    final = status == Review.Status.FINAL
    Claim.objects.filter(pk=claim.pk).update(
        status=Claim.Status.FINAL if final else Claim.Status.PROPOSED,
        verdict=verdict if final else "",
    )


def suggestion_for(claim: Claim) -> Suggestion:
    """Gather earlier verdicts for the claim as the worker does, then rank and suggest."""
    gathering.store_candidates(claim, "prior", PriorSource().search(claim))
    return gathering.refresh_claim(claim)


@pytest.mark.django_db
def test_a_2024_visit_is_not_likely_supported_by_the_proposed_verdict_on_the_2000_visit(
    claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    judged(claim_factory(**SEED_2000), reviewer, Review.Status.PROPOSED)
    visit_2024 = claim_factory(**VISIT_2024, published=date(2024, 6, 19))
    suggestion = suggestion_for(visit_2024)
    assert suggestion.label != Verdict.SUPPORTED
    assert not Reference.objects.filter(claim=visit_2024, source="prior").exists()


@pytest.mark.django_db
def test_a_final_verdict_on_the_2000_visit_is_not_reused_for_a_2024_visit_either(
    claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    judged(claim_factory(**SEED_2000), reviewer, Review.Status.FINAL)
    dated_2024 = {
        **SEED_2000,
        "sentence": SEED_2000["sentence"].replace("July 2000", "June 2024"),
        "date_value": "2024-06",
        "date_start": date(2024, 6, 1),
        "date_end": date(2024, 6, 30),
    }
    assert PriorSource().search(claim_factory(**dated_2024)) == []
    assert PriorSource().search(claim_factory(**VISIT_2024)) == []


@pytest.mark.django_db
def test_the_same_claim_brings_back_its_final_verdict_only(
    claim_factory: Callable[..., Claim], reviewer: User
) -> None:
    earlier = judged(claim_factory(**SEED_2000), reviewer, Review.Status.PROPOSED)
    again = {**SEED_2000, "sentence": "Putin went to Pyongyang in July 2000."}
    assert PriorSource().search(claim_factory(**again)) == []
    Review.objects.filter(claim=earlier).update(status=Review.Status.FINAL)
    finalise(earlier, Review.Status.FINAL, "supported")
    found = PriorSource().search(claim_factory(**again))
    assert [c.provenance["status"] for c in found] == [Review.Status.FINAL]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"type": Claim.Type.MEETING}, "another type"),
        ({"object_name": "China", "object_qid": "Q148"}, "another party"),
        (
            {
                "date_value": "2000-08",
                "date_start": date(2000, 8, 1),
                "date_end": date(2000, 8, 31),
            },
            "another month",
        ),
        (
            {
                "date_value": "2000",
                "date_precision": "year",
                "date_start": date(2000, 1, 1),
                "date_end": date(2000, 12, 31),
                "sentence": "Putin visited the DPRK in 2000.",
            },
            None,
        ),
    ],
)
def test_type_parties_and_date_at_the_coarser_precision_decide(
    claim_factory: Callable[..., Claim], reviewer: User, change: dict[str, Any], why: str | None
) -> None:
    judged(claim_factory(**SEED_2000), reviewer, Review.Status.FINAL)
    found = PriorSource().search(claim_factory(**{**SEED_2000, **change}))
    if why is None:  # "in 2000" agrees with "July 2000" at the year
        assert len(found) == 1
    else:
        assert found == [], why


@pytest.mark.django_db
def test_an_earlier_verdict_stored_while_it_was_only_proposed_is_shown_but_never_counted(
    claim_factory: Callable[..., Claim],
) -> None:
    # A reference gathered by an older version (or before the earlier review was sent back)
    # still carries the proposed verdict: the suggestion must not lean on it.
    claim = claim_factory(**SEED_2000)
    stored = Reference.objects.create(
        claim=claim,
        source="prior",
        url="https://corroborate.example/claims/1/",
        canonical_url="corroborate.example/claims/1",
        passage="Judged supported (proposed).",
        provenance={"claim": 1, "review": 1, "verdict": "supported", "status": "proposed"},
    )
    suggestion = gathering.refresh_claim(claim)
    stored.refresh_from_db()
    assert stored.stance == Reference.Stance.RELATED
    assert stored.hint.endswith("not final, not counted")
    assert suggestion.label != Verdict.SUPPORTED
