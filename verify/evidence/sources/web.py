"""A web page a reviewer points at: fetched through the SSRF guard, reduced to its main text.

The reviewer's query is the page's URL. verify/http.py fetches it (never trafilatura's own
downloader: it would bypass the guard, the caps and the politeness limits); trafilatura only
parses the HTML for the main text, title, site name and original publication date. The text
is split into passages of whole paragraphs, and stored and shown as text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings

from outbound import http
from verify.evidence.sources.base import Candidate, Source, SourceError

if TYPE_CHECKING:
    from claims.models import Claim

# A long feature page is ~20 passages of 2,000 characters; more than this is a book or a
# listing, and ranking only needs the best few anyway.
MAX_PASSAGES = 40
_LOOKS_LIKE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/\S*)?$")


class Web(Source):
    name = "web"
    label = "Web page"

    def enabled(self) -> bool:
        return self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        url = page_url(query)
        if not url:
            return []  # nothing to fetch: this source only reads pages a reviewer names
        response = http.fetch_user_url(url)
        data = extract(response)
        text = data.get("text") or ""
        if not text.strip():
            raise SourceError(f"No readable text was found at {response.url}.", permanent=True)
        title = (data.get("title") or "").strip()
        publisher = (data.get("sitename") or "").strip() or urlsplit(response.url).hostname or ""
        published = _iso_date(data.get("date"))
        provenance = {**response.provenance(), "extractor": "trafilatura"}
        return [
            Candidate(url=response.url, title=title, publisher=publisher, published=published,
                      passage=passage, provenance={**provenance, "passage": i})
            for i, passage in enumerate(passages(text)[:MAX_PASSAGES])
        ]


def page_url(query: str) -> str:
    """The URL in a reviewer's query ("" if there is none); "example.org/x" gets https://."""
    query = query.strip()
    if not query:
        return ""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", query) and not _LOOKS_LIKE_HOST.match(query):
        return query  # any scheme: the guard refuses what it must, with a reason
    if _LOOKS_LIKE_HOST.match(query):
        return "https://" + query
    raise SourceError(f"The web source reads a page; {query[:80]!r} is not a URL.",
                      permanent=True)


def extract(response: http.Response) -> dict[str, Any]:
    """Main text and metadata of the fetched page; trafilatura is a parser only here."""
    import trafilatura  # heavy import: only when a page arrives

    if not response.headers.get("Content-Type", "").lower().startswith(("text/html",
                                                                        "application/xhtml")):
        return {"text": response.text()}  # text/plain: the text is the page
    doc = trafilatura.bare_extraction(
        response.text(),
        url=response.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # The original publication date, not the date the page was last touched.
        date_extraction_params={"original_date": True, "extensive_search": True},
    )
    if doc is None:
        return {}
    return doc if isinstance(doc, dict) else doc.as_dict()


def passages(text: str, limit: int | None = None) -> list[str]:
    """Whole paragraphs grouped up to `limit` characters (settings.PASSAGE_MAX_CHARS); a
    paragraph longer than that is cut at sentence ends, and a run-on sentence at a space."""
    limit = limit or settings.PASSAGE_MAX_CHARS
    groups: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        for chunk in _chunks(" ".join(paragraph.split()), limit):
            if groups and len(groups[-1]) + 2 + len(chunk) <= limit:
                groups[-1] += "\n\n" + chunk
            else:
                groups.append(chunk)
    return groups


def _chunks(paragraph: str, limit: int) -> list[str]:
    if len(paragraph) <= limit:
        return [paragraph] if paragraph else []
    chunks: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    return chunks


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
