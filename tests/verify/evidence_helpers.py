"""Claims and references for the evidence tests, saved in the real test database."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from claims.extraction import load_gazetteer
from claims.models import Article, Claim
from verify.evidence import stance
from verify.models import Reference
from verify.review.forms import parse_partial_date


def dated(value: str) -> dict[str, Any]:
    """A claim's four date fields for "2019", "2019-02" or "2019-02-26", read by the desk's
    own parser."""
    start, end, precision = parse_partial_date(value)
    return {"date_value": value, "date_precision": precision, "date_start": start,
            "date_end": end}


def make_claim(sentence: str, **fields: Any) -> Claim:
    article = Article.objects.create(
        title="t",
        text=sentence,
        published=fields.pop("published", date(2024, 6, 20)),
        content_hash=hashlib.sha256(f"{sentence}{Article.objects.count()}".encode()).hexdigest(),
    )
    return Claim.objects.create(
        article=article, start=0, end=len(sentence), sentence=sentence, **fields
    )


def reference(claim: Claim, passage: str, url: str = "https://example.org/a",
              **extra: Any) -> Reference:
    return Reference(
        claim=claim, source="library", url=url, canonical_url=url.split("://", 1)[-1],
        passage=passage, **extra,
    )


def assess(claim: Claim, passage: str, similarity: float | None = None) -> stance.Finding:
    return stance.assess(claim, reference(claim, passage), load_gazetteer(), similarity)
