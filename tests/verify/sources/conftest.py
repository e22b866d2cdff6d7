"""Fixtures for source tests: canned API bodies, claims to search for, and an HTTP seam
tuned for a local replay server (no politeness waits, one quick retry, no cache)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from claims.models import Article, Claim
from tests.verify.conftest import quick_http

RESPONSES = Path(__file__).parent / "responses"


def body(name: str) -> Any:
    """A canned API response from tests/verify/sources/responses/."""
    return json.loads((RESPONSES / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fast_http(settings: Settings) -> Iterator[None]:
    with quick_http(settings, retries=1):
        yield


def make_claim(**fields: Any) -> Claim:
    text = fields.pop("article_text", "Chairman Kim Jong Il met President Putin in July 2000.")
    article = Article.objects.create(
        title="DPRK-Russia ties progress", text=text, published=fields.pop("published", None),
        content_hash=hashlib.sha256(f"{text}{Article.objects.count()}".encode()).hexdigest(),
    )
    defaults: dict[str, Any] = {"start": 0, "end": len(text), "sentence": text}
    return Claim.objects.create(article=article, **{**defaults, **fields})


@pytest.fixture
def claim_factory(db: None) -> Callable[..., Claim]:
    return make_claim


@pytest.fixture
def visit_claim(db: None) -> Claim:
    """Putin's visit to North Korea, July 2000 (the seed article's claim)."""
    return make_claim(
        type=Claim.Type.VISIT,
        sentence="Chairman Kim Jong Il met President Putin on a visit to the DPRK for the "
                 "first time in July 2000.",
        subject_name="Vladimir Putin", subject_qid="Q7747",
        object_name="North Korea", object_qid="Q423",
        date_value="2000-07", date_precision="month",
        date_start=date(2000, 7, 1), date_end=date(2000, 7, 31),
        published=date(2020, 4, 24),
    )


@pytest.fixture
def summit_claim(db: None) -> Claim:
    """Kim Jong Un and Putin in Vladivostok, 25 April 2019: inside GDELT's coverage."""
    return make_claim(
        type=Claim.Type.MEETING,
        sentence="Kim Jong Un and Vladimir Putin, Vladivostok, April 25, 2019.",
        subject_name="Kim Jong Un", subject_qid="Q56226",
        object_name="Vladimir Putin", object_qid="Q7747",
        place_name="Vladivostok", place_qid="Q959",
        date_value="2019-04-25", date_precision="day",
        date_start=date(2019, 4, 25), date_end=date(2019, 4, 25),
        published=date(2020, 4, 24),
    )
