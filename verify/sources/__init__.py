"""The registry of reference sources. Adding a source is one module and one line here."""

from __future__ import annotations

from verify.sources.base import Candidate, Source, SourceError

SOURCES: list[Source] = []


def get_source(name: str) -> Source | None:
    return next((s for s in SOURCES if s.name == name), None)


__all__ = ["SOURCES", "Candidate", "Source", "SourceError", "get_source"]
