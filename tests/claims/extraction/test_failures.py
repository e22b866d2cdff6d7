"""Extraction failures are returned with the result, or raised under strict mode."""

from __future__ import annotations

import datetime

import pytest

from claims.extraction import extract, extract_article, pipeline

PUB = datetime.date(2024, 5, 2)


@pytest.fixture
def broken_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    def detect(view: object) -> list[object]:
        raise RuntimeError("frame bug")

    monkeypatch.setattr(pipeline, "detect", detect)


@pytest.mark.usefixtures("broken_frames")
def test_a_failing_sentence_is_returned_as_a_failure_outside_strict_mode() -> None:
    text = "Kim Jong Un visited Russia in April 2019. Putin met him in Vladivostok."
    result = extract_article(text, published=PUB, strict=False)
    assert result.claims == []
    assert [f.stage for f in result.failures] == ["sentence", "sentence"]
    assert result.failures[0].span == (0, 41)
    assert result.failures[0].error == "RuntimeError: frame bug"
    assert "frame bug" in result.failures[0].traceback
    assert result.to_json()["failures"][0]["error"] == "RuntimeError: frame bug"


@pytest.mark.usefixtures("broken_frames")
def test_strict_mode_lets_the_exception_propagate() -> None:
    with pytest.raises(RuntimeError, match="frame bug"):
        extract("Kim Jong Un visited Russia in April 2019.", published=PUB, strict=True)


@pytest.mark.usefixtures("broken_frames")
def test_the_extraction_tests_run_strict() -> None:
    with pytest.raises(RuntimeError):
        extract("Kim Jong Un visited Russia in April 2019.", published=PUB)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01\x02\xff" * 1000,
        "Москва и Пхеньян подписали договор 19 июня 2024 года. 平壤 北京 会谈。",
        "word " * 10_000 + ".",
        ("Kim Jong Un visited Russia in April 2019 and met Putin. " * 20_000)[:5_000_000],
    ],
    ids=["empty", "binary", "non-latin", "10k-word sentence", "5 MB"],
)
def test_any_text_yields_claims_or_none_and_no_failure(text: str) -> None:
    result = extract_article(text, published=PUB, strict=True)
    assert result.failures == []
    for claim in result.claims:
        assert text[claim.span[0] : claim.span[1]] == claim.sentence
