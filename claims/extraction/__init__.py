"""Claim extraction engine: plain functions, no Django.

from claims.extraction import extract
claims = extract(text, published=datetime.date(2020, 4, 24))
"""

from __future__ import annotations

from .entities import Gazetteer, load_gazetteer
from .model import (
    DateValue,
    EntityRef,
    ExtractedClaim,
    ExtractionFailure,
    ExtractionResult,
    Sentence,
    SentenceDecision,
)
from .pipeline import extract, extract_article
from .sentences import split_sentences

__all__ = [
    "DateValue",
    "EntityRef",
    "ExtractedClaim",
    "ExtractionFailure",
    "ExtractionResult",
    "Gazetteer",
    "Sentence",
    "SentenceDecision",
    "extract",
    "extract_article",
    "load_gazetteer",
    "split_sentences",
]
