"""Extraction tests run strict: an exception inside the engine fails the test instead of
being returned as an ExtractionFailure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claims.extraction import pipeline


@pytest.fixture(autouse=True)
def strict_extraction(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pipeline, "STRICT", True)
    yield
