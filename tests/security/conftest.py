"""One row of each main model, so the route walker fills path parameters with real ids."""

from __future__ import annotations

import pytest

from claims.models import Article, Claim, Outlet
from verify.models import GatherJob, LibraryDocument, Reference


@pytest.fixture
def world(db: None) -> None:
    outlet = Outlet.objects.create(name="KCNA", is_state_media=True, domains=["kcna.kp"])
    article = Article.objects.create(
        outlet=outlet,
        title="Kim Jong Un visits Russia",
        text="Kim Jong Un visited the Vostochny Cosmodrome on 13 September 2023.",
        content_hash="world",
    )
    claim = Claim.objects.create(
        article=article, start=0, end=66, sentence=article.text, type=Claim.Type.VISIT
    )
    GatherJob.objects.create(claim=claim, source="wikipedia")
    Reference.objects.create(
        claim=claim,
        source="wikipedia",
        url="https://en.wikipedia.org/wiki/2023_Russia%E2%80%93North_Korea_summit",
        canonical_url="en.wikipedia.org/wiki/2023_Russia%E2%80%93North_Korea_summit",
        passage_hash="0" * 64,
        passage="The summit took place at the Vostochny Cosmodrome.",
    )
    LibraryDocument.objects.create(
        url="https://example.org/summit", title="Summit notes", text="Notes on the summit."
    )
