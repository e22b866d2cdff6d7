"""Re-extracting an article replaces the machine's claims and keeps every claim a person
touched (issue 3, item 7)."""

from __future__ import annotations

from collections import Counter

import pytest

from claims import processing, services
from claims.models import Claim

pytestmark = pytest.mark.django_db


def shape(claims: list[Claim]) -> Counter[tuple[int, int, str]]:
    return Counter((c.start, c.end, c.type) for c in claims)


def test_reextraction_keeps_edited_and_reviewed_claims_and_adds_no_duplicates(
    seed_text: str,
) -> None:
    article = services.ingest_article(text=seed_text, queue=False).article
    first = processing.extract_article(article)
    # One of two claims that share a sentence and a type (the seed's two anniversaries).
    twins = [c for c in first if shape(first)[(c.start, c.end, c.type)] == 2]
    edited, reviewed = twins[0], first[0]
    Claim.objects.filter(pk=edited.pk).update(edited=True, subject_name="Corrected by a person")
    Claim.objects.filter(pk=reviewed.pk).update(
        status=Claim.Status.FINAL, verdict=Claim.Verdict.SUPPORTED
    )

    processing.extract_article(article)

    kept = {c.pk: c for c in article.claims.all()}
    assert kept[edited.pk].subject_name == "Corrected by a person"
    assert kept[reviewed.pk].verdict == Claim.Verdict.SUPPORTED
    assert not {c.pk for c in first} - {edited.pk, reviewed.pk} & set(kept)  # replaced
    assert shape(list(kept.values())) == shape(first)  # nothing lost, nothing doubled
