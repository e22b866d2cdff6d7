"""Hybrid ranking: sentence passages, stored sentence vectors, the dense model loaded once
and checked, BM25 without it, one passage per page in the first five, and bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from claims.extraction import load_gazetteer
from claims.models import Claim
from tests.verify.evidence_helpers import make_claim, reference
from verify.evidence import embeddings, gathering, passages, ranking, services, stance
from verify.evidence.sources.library import LibrarySource
from verify.models import LibraryDocument, Reference

needs_model = pytest.mark.skipif(
    not embeddings.available(), reason="the embedding extra is not installed"
)


def test_passages_are_sentences_with_their_neighbours_in_the_same_paragraph() -> None:
    text = ("Mr. Lee arrived on Monday. He met the U.S. envoy at 10 a.m. They spoke for an "
            "hour.\n\nA new paragraph starts here. It ends here.")
    cut = passages.sentences(text)
    assert [s.text for s in cut] == [
        "Mr. Lee arrived on Monday.", "He met the U.S. envoy at 10 a.m.",
        "They spoke for an hour.", "A new paragraph starts here.", "It ends here.",
    ]
    assert passages.window(cut, 1) == (0, 3)
    assert passages.window(cut, 2) == (1, 3)  # the next sentence is another paragraph's
    assert passages.join(cut, *passages.window(cut, 3)) == (
        "A new paragraph starts here. It ends here."
    )


@needs_model
def test_the_model_is_checked_and_loaded_once_and_similar_sentences_are_close() -> None:
    assert embeddings.model() is embeddings.model()
    v = embeddings.encode([
        "The president flew to Hanoi for the summit.",
        "The head of state travelled to Hanoi for the summit meeting.",
        "Rice prices fell in the spring.",
    ])
    assert v.shape == (3, embeddings.DIM)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3
    assert embeddings.unpack(embeddings.pack(v)).shape == v.shape


def test_a_model_file_that_does_not_match_its_hash_is_not_used(monkeypatch: pytest.MonkeyPatch,
                                                               settings: Settings) -> None:
    monkeypatch.setattr(embeddings, "MODEL_SHA256", "0" * 64)
    monkeypatch.setattr(embeddings, "_state", {})
    assert embeddings.model() is None
    assert "BM25" in embeddings.status()


@pytest.fixture
def claim(db: None) -> Claim:
    return make_claim(
        "Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome on 13 September 2023.",
        type="meeting", subject_name="Kim Jong Un", subject_qid="Q56226",
        object_name="Vladimir Putin", object_qid="Q7747",
        date_value="2023-09-13", date_precision="day",
        date_start=date(2023, 9, 13), date_end=date(2023, 9, 13), published=date(2023, 9, 14),
    )


def save(url: str, text: str) -> LibraryDocument:
    return services.save_library_document(url=url, text=text, title="t",
                                          published=date(2023, 9, 13))[0]


@needs_model
def test_library_sentence_vectors_are_computed_once_and_reused(
    claim: Claim, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = save("https://news.example/a", "Putin hosted Kim Jong Un at the Vostochny Cosmodrome "
               "on 13 September 2023. The two leaders toured the launch pad. Talks followed.")
    LibrarySource().search(claim)
    doc.refresh_from_db()
    assert doc.embeddings_key == embeddings.key(doc.text)
    assert embeddings.unpack(doc.embeddings).shape == (3, embeddings.DIM)
    calls: list[int] = []
    real = embeddings.encode
    monkeypatch.setattr(embeddings, "encode", lambda texts: calls.append(len(texts)) or real(texts))
    found = LibrarySource().search(claim)
    assert calls == []  # the claim's own vector is remembered, the document's are stored
    assert found[0].provenance["sentences"] == [0, 2]
    services.save_library_document(url=doc.url, text=doc.text + " A new sentence.")
    LibrarySource().search(claim)
    assert calls == [4]  # the text changed: its vectors are computed again


def test_without_the_model_ranking_is_bm25_and_the_reasons_say_so(
    claim: Claim, settings: Settings
) -> None:
    settings.EMBEDDINGS = False
    save("https://news.example/a", "Putin hosted Kim Jong Un at the Vostochny Cosmodrome on "
         "13 September 2023.")
    gathering.store_candidates(claim, "library", LibrarySource().search(claim))
    suggestion = gathering.refresh_claim(claim)
    assert suggestion.label == stance.SUPPORTED
    assert any("BM25" in r and "switched off" in r for r in suggestion.reasons)


def test_the_first_five_hold_one_passage_per_page_while_other_pages_are_relevant(
    claim: Claim,
) -> None:
    good = ("Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome on 13 September 2023.")
    refs = [reference(claim, good + f" Passage {i}.", "https://big.example/page") for i in range(4)]
    refs += [reference(claim, f"Kim Jong Un and Vladimir Putin talked in Russia, page {i}.",
                       f"https://other{i}.example/p") for i in range(5)]
    ranked = ranking.rank(claim, refs, load_gazetteer())
    top = sorted(zip(refs, ranked, strict=True), key=lambda p: -p[1].score)[:5]
    assert len({r.url for r, _ in top}) == 5
    assert top[0][0].url == "https://big.example/page"
    few = ranking.rank(claim, refs[:5], load_gazetteer())  # only two pages: both may repeat
    assert sorted(x.score for x in few)[-4:] == sorted(x.score for x in few[:4])


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        ("", "empty passage"),
        ("金正恩同志与普京总统于2023年9月13日在东方航天发射场举行会谈。", "not in English"),
        ("2023 2022 2021 13 September 2023, 12 September 2023; 1 May 2020.", None),
    ],
)
def test_bad_passages_are_ranked_or_dropped_with_a_reason_never_an_exception(
    claim: Claim, passage: str, expected: str | None
) -> None:
    [found] = ranking.rank(claim, [reference(claim, passage)], load_gazetteer())
    assert found.stance != stance.NOT_ASSESSED
    if expected:
        assert found.stance == stance.UNRELATED
        assert expected in found.hint


def test_a_two_megabyte_page_is_searched_and_ranked(claim: Claim, tmp_path: Path) -> None:
    filler = "Officials discussed grain, fisheries and rail links in a long meeting. " * 29000
    text = filler + ("\n\nKim Jong Un met Vladimir Putin at the Vostochny Cosmodrome on 13 "
                     "September 2023.")
    assert len(text) > 2_000_000
    save("https://huge.example/page", text)
    found = LibrarySource().search(claim)
    assert found and len(found) <= 40
    refs = [Reference(claim=claim, source="library", url=c.url, canonical_url=c.url,
                      passage=c.passage, provenance=c.provenance) for c in found]
    ranked = ranking.rank(claim, refs, load_gazetteer())
    assert len(ranked) == len(refs)
