"""The real-article corpus is what the issues ask of it, internally consistent, and its test
split is the one that was frozen (tests/fixtures/corpus/README.md)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "fixtures/corpus"
GOLDS = sorted(CORPUS.glob("articles/*/*.gold.json"))
TYPES = {"visit", "meeting", "treaty_document", "anniversary", "quote", "date_event",
         "statistic", "historical_event", "other"}


def folded(text: str) -> str:
    for curly, plain in (("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def test_the_frozen_test_split_is_unchanged() -> None:
    listed = {}
    for line in (CORPUS / "test.sha256").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = {
        str(p.relative_to(CORPUS)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(CORPUS.glob("*/test/**/*"))
        if p.is_file()
    }
    assert present == listed


def test_the_corpus_is_large_and_varied_enough() -> None:
    golds = [json.loads(p.read_text()) for p in GOLDS]
    outlets = Counter(g["article"]["outlet"] for g in golds)
    countries = {g["article"]["country"] for g in golds}
    claims = sum(len(g["claims"]) for g in golds)
    test = [p for p in GOLDS if p.parent.name == "test"]
    assert len(golds) >= 40 and len(outlets) >= 6 and len(countries) >= 3
    assert claims >= 300
    assert len(test) >= 15
    pages = list(CORPUS.glob("evidence/*/*/*.txt"))
    assert len(pages) >= 150


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_every_gold_file_matches_its_text_and_pages(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text())
    article = gold["article"]
    text = folded((gold_path.parent / article["text_file"]).read_text())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", article["published"]) and article["url"]
    slug = gold_path.name.removesuffix(".gold.json")
    pages = CORPUS / "evidence" / gold_path.parent.name / slug
    urls = {
        line.removeprefix("URL:").strip()
        for page in pages.glob("*.txt")
        for line in page.read_text().splitlines()[:1]
    }
    for claim in gold["claims"]:
        assert folded(claim["sentence"]) in text, claim["id"]
        assert claim["type"] in TYPES
        assert claim["verdict"] in {"supported", "disputed", "unverified"}
        for evidence in claim["evidence"]:
            assert evidence["url"] in urls, (claim["id"], evidence["url"])
    for sentence in gold.get("non_checkable", []):
        assert folded(sentence) in text
