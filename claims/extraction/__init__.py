"""Claim extraction engine: plain functions, no Django.

from claims.extraction import extract
claims = extract(text, published=datetime.date(2020, 4, 24))
"""

from __future__ import annotations

from .entities import Gazetteer, load_gazetteer
from .model import DateValue, EntityRef, ExtractedClaim, Sentence
from .pipeline import extract
from .sentences import split_sentences

__all__ = [
    "DateValue",
    "EntityRef",
    "ExtractedClaim",
    "Gazetteer",
    "Sentence",
    "extract",
    "load_gazetteer",
    "split_sentences",
]
