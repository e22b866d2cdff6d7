"""The interface every reference source implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from claims.models import Claim


class SourceError(Exception):
    """A source failed. `permanent` errors (404, blocked host, bad key) are not retried;
    `unreachable` means the network or host could not be reached at all."""

    def __init__(self, message: str, *, permanent: bool = False, unreachable: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = unreachable


@dataclass
class Candidate:
    """A candidate reference as a source returns it, before ranking."""

    url: str
    title: str = ""
    publisher: str = ""
    published: date | None = None
    passage: str = ""
    provenance: dict = field(default_factory=dict)


class Source:
    name: ClassVar[str]
    label: ClassVar[str]

    def enabled(self) -> bool:
        return True

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        """Candidates for a claim; `query` is a reviewer's own wording when given."""
        raise NotImplementedError
