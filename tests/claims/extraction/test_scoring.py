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


# Held-out sets (tests/fixtures/heldout/README.md): articles written with their gold before
# the extractor ran on them. Sets 1 and 2 were then used to find general rules; set 3 never
# was. Floors a little under what the extractor reached on 28 November 2026 (set 1: P 1.00
# R 0.86; set 2: P 0.98 R 0.98; set 3: P 1.00 R 0.55), so that a change which loses a kind of
# claim across articles fails here rather than on the next real article.
HELDOUT = ARTICLES.parent / "heldout"
FLOORS = {"set1": (0.95, 0.80), "set2": (0.90, 0.90), "set3": (0.90, 0.50)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_held_out_set_does_not_regress(name: str) -> None:
    golds = sorted((HELDOUT / name).glob("*.gold.json"))
    assert len(golds) >= 3
    results = [score(g.with_name(g.name.replace(".gold.json", ".txt")), g) for g in golds]
    relaxed = [r["claims_relaxed"] for r in results]
    precision = sum(m["tp"] for m in relaxed) / sum(m["predicted"] for m in relaxed)
    recall = sum(m["tp"] for m in relaxed) / sum(m["gold"] for m in relaxed)
    floor_p, floor_r = FLOORS[name]
    report = "; ".join(f"{g.name}: {summary(r)}" for g, r in zip(golds, results, strict=True))
    assert precision >= floor_p, report
    assert recall >= floor_r, report
