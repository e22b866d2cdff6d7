"""Wikipedia: full-text search and the lead sections of the pages found, in one API call.

Sends action=query&generator=search with prop=extracts|info|pageprops (formatversion=2,
maxlag=5, errorformat=plaintext); turns each page's plain-text lead into passages. A
tertiary source: good for who, what and when, and each passage carries the revision id.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.conf import settings

from outbound import http
from verify.evidence.sources import queries
from verify.evidence.sources.base import Candidate, Source, SourceError

if TYPE_CHECKING:
    from claims.models import Claim

TTL = 24 * 3600  # pages change slowly; a day old is fresh enough for corroboration
MAX_PAGES = 5
PASSAGE_CHARS = 600
PASSAGES_PER_PAGE = 4
# MediaWiki error codes that mean "later", not "never" (see API:Errors_and_warnings).
TEMPORARY_CODES = frozenset({"maxlag", "ratelimited", "readonly"})


def api_error(response: http.Response, body: Any, *, service: str) -> None:
    """Raise the error a MediaWiki or Wikibase API put inside an HTTP 200 body, if any.

    Both the legacy `{"error": {...}}` and the errorformat=plaintext `{"errors": [...]}` shapes
    occur. maxlag and ratelimited are temporary (with the server's Retry-After); the rest
    (badvalue, readapidenied, no-such-entity ...) will not change on a retry."""
    if not isinstance(body, dict):
        raise SourceError(f"{service} answered with something other than a JSON object.")
    errors = body.get("errors") or ([body["error"]] if isinstance(body.get("error"), dict) else [])
    if not errors:
        return
    first = errors[0] if isinstance(errors[0], dict) else {}
    code = str(first.get("code", "unknown"))
    text = str(first.get("text") or first.get("info") or "")
    temporary = code in TEMPORARY_CODES
    retry_after = _seconds(response.headers.get("Retry-After")) if temporary else None
    raise http.FetchError(
        f"{service} API error {code}: {text}".strip(" :"),
        permanent=not temporary, status=response.status, retry_after=retry_after,
    )


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def passages(text: str, limit: int = PASSAGE_CHARS) -> list[str]:
    """Paragraphs, with long ones cut at sentence ends into pieces of at most ~`limit` chars."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        piece = ""
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])", paragraph):
            if piece and len(piece) + 1 + len(sentence) > limit:
                out.append(piece)
                piece = sentence
            else:
                piece = f"{piece} {sentence}".strip()
        if piece:
            out.append(piece[: limit * 2])  # one run-on "sentence" must not become a page
    return out


class Wikipedia(Source):
    name = "wikipedia"
    label = "Wikipedia"

    def enabled(self) -> bool:
        return self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        # The full search first; when names + type word + year find nothing, the names alone.
        tries = [queries.search_text(claim, query)]
        if not query.strip():
            tries.append(" ".join(queries.names(claim)))
        for text in dict.fromkeys(t for t in tries if t):
            found = self.search_text(text)
            if found:
                return found
        return []

    def search_text(self, text: str) -> list[Candidate]:
        response = http.get(
            settings.WIKIPEDIA_API_URL,
            source=self.name,
            ttl=TTL,
            params={
                "action": "query",
                "generator": "search",
                "gsrsearch": text,
                "gsrlimit": MAX_PAGES,
                "gsrnamespace": 0,
                "prop": "extracts|info|pageprops",
                "exintro": 1,  # a flag: present means true; with it, exlimit=max gives all pages
                "explaintext": 1,
                "exsectionformat": "plain",
                "exlimit": "max",
                "inprop": "url",
                "ppprop": "wikibase_item|disambiguation",
                "redirects": 1,
                "format": "json",
                "formatversion": 2,
                "errorformat": "plaintext",
                "maxlag": 5,
            },
        )
        body = response.json()
        api_error(response, body, service="Wikipedia")
        pages = (body.get("query") or {}).get("pages") or []
        # formatversion=2 returns pages in no particular order: key by title, sort by rank.
        by_title = {p["title"]: p for p in pages if isinstance(p, dict) and "title" in p}
        ranked = sorted(by_title.values(), key=lambda p: p.get("index", 1_000_000))
        candidates: list[Candidate] = []
        for page in ranked:
            if page.get("missing") or page.get("invalid"):
                continue
            props = page.get("pageprops") or {}
            if "disambiguation" in props:
                continue  # a list of meanings, not a statement of facts
            candidates.extend(self.page_candidates(page, text, response))
        return candidates

    def page_candidates(self, page: dict, text: str, response: http.Response) -> list[Candidate]:
        title = str(page["title"])
        url = page.get("canonicalurl") or page.get("fullurl") or ""
        if not url:
            return []
        revid = page.get("lastrevid")
        provenance = {
            **response.provenance(),
            "search": text,
            "rank": page.get("index"),
            "pageid": page.get("pageid"),
            "lastrevid": revid,
            "touched": page.get("touched"),
            "wikibase_item": (page.get("pageprops") or {}).get("wikibase_item", ""),
            "licence": "CC BY-SA 4.0",
        }
        if revid:
            # A permalink to the revision quoted, so the citation does not drift.
            provenance["permalink"] = re.sub(r"/wiki/.*$", "", url) + f"/w/index.php?oldid={revid}"
        return [
            Candidate(url=url, title=title, publisher="Wikipedia", passage=passage,
                      provenance={**provenance, "passage_index": i})
            for i, passage in enumerate(passages(page.get("extract") or "")[:PASSAGES_PER_PAGE])
        ]
