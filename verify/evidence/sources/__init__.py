"""The registry of reference sources. Adding a source is one module and one line here."""

from __future__ import annotations

from verify.evidence.sources.base import Candidate, Source, SourceError
from verify.evidence.sources.factcheck import FactCheck
from verify.evidence.sources.gdelt import Gdelt
from verify.evidence.sources.library import LibrarySource
from verify.evidence.sources.prior import PriorSource
from verify.evidence.sources.web import Web
from verify.evidence.sources.wikidata import Wikidata
from verify.evidence.sources.wikipedia import Wikipedia

SOURCES: list[Source] = [
    LibrarySource(),
    PriorSource(),
    Wikipedia(),
    Wikidata(),
    Gdelt(),
    FactCheck(),
    Web(),
]


def get_source(name: str) -> Source | None:
    return next((s for s in SOURCES if s.name == name), None)


__all__ = ["SOURCES", "Candidate", "Source", "SourceError", "get_source"]
