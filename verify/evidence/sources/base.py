"""The interface every reference source implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from outbound.errors import FetchError

if TYPE_CHECKING:
    from claims.models import Claim


# A source fails in the seam's own terms (permanent, unreachable, retry_after), whether its
# request failed or its API answered something unusable: one class, and this is its name
# for the code that runs sources.
SourceError = FetchError


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
