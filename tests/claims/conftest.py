"""Articles, claims and references for the review-workflow tests, built directly in the DB."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from claims.models import Article, Claim, Outlet
from verify.models import Reference

TEXT = (
    "DPRK-Russia ties progress\n"
    "Kim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019. "
    "The two leaders discussed the situation on the Korean peninsula.\n"
    "The Moscow Declaration was signed in August 2001.\n"
)


# Queries every desk page pays before its view: the session, the user, and the user's
# permissions (Django's ModelBackend: their own, then their groups').
BEFORE_THE_VIEW = 4


@pytest.fixture
def article(db: None) -> Article:
    outlet = Outlet.objects.create(name="Pyongyang Times", is_state_media=True)
    return Article.objects.create(
        title="DPRK-Russia ties progress", text=TEXT, content_hash="a" * 64, outlet=outlet
    )


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


@pytest.fixture
def make_claim(article: Article) -> Callable[..., Claim]:
    def make(sentence: str = "Kim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019.",
             **fields: object) -> Claim:
        start, end = _span(article.text, sentence)
        defaults: dict[str, object] = {
            "type": Claim.Type.MEETING, "subject_name": "Kim Jong Un",
            "object_name": "Vladimir Putin", "place_name": "Vladivostok",
            "date_value": "2019-04-25", "date_precision": "day",
        }
        defaults.update(fields)
        return Claim.objects.create(
            article=article, start=start, end=end, sentence=sentence, **defaults
        )

    return make


@pytest.fixture
def claim(make_claim: Callable[..., Claim]) -> Claim:
    return make_claim()


@pytest.fixture
def make_reference() -> Callable[..., Reference]:
    def make(claim: Claim, n: int = 1, **fields: object) -> Reference:
        url = f"https://example.org/story-{claim.pk}-{n}"
        passage = fields.pop("passage", f"Kim Jong Un and Vladimir Putin met in Vladivostok ({n}).")
        defaults: dict[str, object] = {
            "source": "wikipedia", "title": f"Summit report {n}", "publisher": "Example News",
            "score": 1.0 / n, "stance": Reference.Stance.AGREES,
        }
        defaults.update(fields)
        return Reference.objects.create(
            claim=claim, url=url, canonical_url=url, passage=str(passage),
            passage_hash=hashlib.sha256(str(passage).encode()).hexdigest(), **defaults,
        )

    return make


@pytest.fixture
def reference(claim: Claim, make_reference: Callable[..., Reference]) -> Reference:
    return make_reference(claim)
