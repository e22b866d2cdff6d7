"""The shared scorer run on the seed and on our own state-media fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from .scoring import ARTICLES, SEED_TEXT, score, seed_gold_path, summary

# The scorer runs `manage.py extract_claims`, which reads the editors' gazetteer table.
pytestmark = pytest.mark.django_db


def test_seed_meets_the_issue_bar() -> None:
    r = score(SEED_TEXT, seed_gold_path())
    fields = r["fields"]
    assert r["sentences"]["f1"] >= 0.95, summary(r)
    assert r["claims_relaxed"]["recall"] >= 0.90, summary(r)
    assert r["claims_relaxed"]["precision"] >= 0.85, summary(r)
    assert fields["type"]["accuracy"] >= 0.90, summary(r)
    assert fields["subject"]["accuracy"] >= 0.85, summary(r)
    assert fields["object"]["accuracy"] >= 0.85, summary(r)
    assert fields["date"]["accuracy"] >= 0.90, summary(r)


FIXTURES = sorted(ARTICLES.glob("*.gold.json"))


def test_there_are_at_least_six_fixture_articles() -> None:
    assert len(FIXTURES) >= 6


@pytest.mark.parametrize("gold", FIXTURES, ids=lambda p: p.name.split(".")[0])
def test_fixture_article_is_extracted_well(gold: Path) -> None:
    r = score(gold.with_name(gold.name.replace(".gold.json", ".txt")), gold)
    assert r["claims_relaxed"]["recall"] >= 0.8, summary(r)
    assert r["claims_relaxed"]["precision"] >= 0.75, summary(r)
    assert r["fields"]["type"]["accuracy"] >= 0.8, summary(r)
    assert not r["unknown_types"]
