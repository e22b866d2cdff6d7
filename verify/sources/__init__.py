"""The registry of reference sources. Adding a source is one module and one line here."""

from __future__ import annotations

from verify.sources.base import Candidate, Source, SourceError
from verify.sources.factcheck import FactCheck
from verify.sources.gdelt import Gdelt
from verify.sources.library import LibrarySource
from verify.sources.prior import PriorSource
from verify.sources.web import Web
from verify.sources.wikidata import Wikidata
from verify.sources.wikipedia import Wikipedia

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
