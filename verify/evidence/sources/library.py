"""The team's own reference library (verify.models.LibraryDocument).

Search uses the database's full-text search: PostgreSQL `websearch_to_tsquery` against a GIN
index on the documents' tsvector, or SQLite FTS5 (a table kept in sync by triggers, both
created by migration 0003) on the embedded default. The best documents are split into
passages and the passages that share the most of the claim's words are returned.

Reading files for the library lives here too: plain text with `Key: value` headers, HTML
reduced to its main text (trafilatura), and PDF read with pypdf.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection

from verify.evidence import embeddings, passages
from verify.evidence.ranking import claim_terms
from verify.evidence.sources.base import Candidate, Source
from verify.evidence.text import terms, words
from verify.models import LibraryDocument

if TYPE_CHECKING:
    import numpy as np

    from claims.models import Claim

DOCUMENTS = 30  # documents taken from the full-text search per query
PASSAGES_PER_DOCUMENT = 2
CANDIDATES = 40  # passages returned per search, best first: ranking reads each of them


class LibrarySource(Source):
    name = "library"
    label = "Reference library"

    def enabled(self) -> bool:
        return self.name not in settings.SOURCES_DISABLED

    def search(self, claim: Claim, query: str = "") -> list[Candidate]:
        wanted = terms(query) if query else claim_terms(claim)
        # A sentence can hold several claims; the passages about *this* claim's parties
        # come first.
        parties = [] if query else terms(f"{claim.subject_name} {claim.object_name}")
        probe = query or claim.sentence
        scored: list[tuple[float, Candidate]] = []
        for doc in find_documents(wanted, limit=DOCUMENTS):
            cut = passages.sentences(doc.text)
            vectors = document_vectors(doc, cut)
            for score, (first, last) in best_windows(
                cut, wanted, keep=PASSAGES_PER_DOCUMENT, boost=parties, probe=probe,
                vectors=vectors,
            ):
                scored.append((score, Candidate(
                    url=doc.url,
                    title=doc.title,
                    publisher=doc.publisher,
                    published=doc.published,
                    passage=passages.join(cut, first, last),
                    provenance={
                        "library_document": doc.pk,
                        "document_updated_at": doc.updated_at.isoformat(),
                        "sentences": [first, last],
                        "embeddings_key": doc.embeddings_key,
                    },
                )))
        scored.sort(key=lambda pair: -pair[0])
        return [c for _, c in scored[:CANDIDATES]]


def document_vectors(doc: LibraryDocument, cut: list[passages.Sentence]) -> np.ndarray | None:
    """The stored vectors of the document's sentences, computed and stored the first time
    they are needed (or after its text or the model changed); None without the model."""
    if not embeddings.available():
        return None
    key = embeddings.key(doc.text)
    rows = min(len(cut), EMBEDDED_SENTENCES)
    if doc.embeddings_key == key:
        stored = embeddings.unpack(doc.embeddings)
        if stored is not None and len(stored) == rows:
            return stored
    vectors = embeddings.encode([s.text for s in cut[:rows]])
    doc.embeddings, doc.embeddings_key = embeddings.pack(vectors), key
    LibraryDocument.objects.filter(pk=doc.pk).update(
        embeddings=doc.embeddings, embeddings_key=key
    )
    return embeddings.unpack(doc.embeddings)


# A 2 MB page has thousands of sentences: the first ones are embedded, the rest are found by
# their words alone (embedding them all would take a minute of one core).
EMBEDDED_SENTENCES = 400


def best_windows(
    cut: list[passages.Sentence],
    wanted: list[str],
    *,
    keep: int,
    boost: Sequence[str] = (),
    probe: str = "",
    vectors: np.ndarray | None = None,
) -> list[tuple[float, tuple[int, int]]]:
    """The best passages of a document: each sentence scored by the share of the claim's
    words its passage holds (words in `boost` counting three times) plus, with the model,
    the cosine of the sentence to the claim; the best centres, apart, with their neighbours."""
    if not cut:
        return []
    want, extra = set(wanted), set(boost)
    total = len(want) + 2 * len(extra) or 1
    present = [{w for _, _, w in words(s.text)} for s in cut]
    dense = [0.0] * len(cut)
    if vectors is not None and len(vectors):
        sims = vectors @ embeddings.encode_one(probe)
        dense[: len(sims)] = [float(x) for x in sims]
    scored = []
    for i in range(len(cut)):
        first, last = passages.window(cut, i, settings.PASSAGE_MAX_CHARS)
        seen = set().union(*present[first:last])
        hits = len(want & seen) + 2 * len(extra & seen)
        if hits or dense[i] > 0.5:
            scored.append((hits / total + dense[i], i, (first, last)))
    out: list[tuple[float, tuple[int, int]]] = []
    taken: list[int] = []
    for score, i, span in sorted(scored, key=lambda t: (-t[0], t[1])):
        if any(abs(i - j) < 2 for j in taken):
            continue
        taken.append(i)
        out.append((score, span))
        if len(out) >= keep:
            break
    return out


def find_documents(wanted: list[str], *, limit: int) -> list[LibraryDocument]:
    """Documents matching any of the words, best first by the database's own rank."""
    if not wanted:
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # The same expression as the GIN index, so `@@` can use it.
        vector = SearchVector("title", "text", config="english")
        query = SearchQuery(" or ".join(wanted), search_type="websearch", config="english")
        return list(
            LibraryDocument.objects.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "id")[:limit]
        )
    if connection.vendor == "sqlite":
        # Every word quoted, so nothing a claim says is read as FTS5 syntax.
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in wanted)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM verify_librarydocument_fts WHERE verify_librarydocument_fts "
                "MATCH %s ORDER BY bm25(verify_librarydocument_fts) LIMIT %s",
                [match, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        docs = LibraryDocument.objects.in_bulk(ids)
        return [docs[i] for i in ids if i in docs]
    raise NotImplementedError(f"No full-text search for {connection.vendor}")


PARAGRAPH = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_passages(text: str, max_chars: int | None = None) -> list[str]:
    """Paragraphs, with long ones cut at sentence ends into pieces of at most max_chars."""
    limit = max_chars or settings.PASSAGE_MAX_CHARS
    out = []
    for para in PARAGRAPH.split(text):
        para = " ".join(para.split())
        if not para:
            continue
        piece = ""
        for sentence in SENTENCE_END.split(para):
            while len(sentence) > limit:  # one endless "sentence" (a table, a list)
                if piece:
                    out.append(piece)
                    piece = ""
                out.append(sentence[:limit])
                sentence = sentence[limit:]
            if piece and len(piece) + 1 + len(sentence) > limit:
                out.append(piece)
                piece = ""
            piece = f"{piece} {sentence}".strip()
        if piece:
            out.append(piece)
    return out


def best_passages(
    text: str, wanted: list[str], *, keep: int, boost: Sequence[str] = ()
) -> list[str]:
    """The passages sharing the most distinct words with the claim, words in `boost`
    counting three times (ties: earlier first)."""
    want, extra = set(wanted), set(boost)
    scored = []
    for i, passage in enumerate(split_passages(text)):
        present = {w for _, _, w in words(passage)}
        hits = len(want & present) + 2 * len(extra & present)
        if hits:
            scored.append((-hits, i, passage))
    return [p for _, _, p in sorted(scored)[:keep]]


# --- Reading files ---------------------------------------------------------------------

HEADER = re.compile(r"^([A-Za-z][A-Za-z -]{0,30}):[ \t]*(.*)$")
KNOWN = {"url", "title", "publisher", "published", "demo"}


@dataclass
class ReadDocument:
    url: str
    title: str
    publisher: str
    published: date | None
    text: str
    is_demo: bool = False


class Refused(Exception):
    """A file the library does not take; str(exc) says why."""


def read_file(path: Path) -> ReadDocument:
    data = path.read_bytes()
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise Refused(f"larger than {settings.UPLOAD_MAX_BYTES} bytes")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(data)
    if b"\x00" in data[:4096]:
        raise Refused("not a text, HTML or PDF file")
    text = data.decode("utf-8", errors="replace")
    if suffix in (".html", ".htm", ".xhtml") or text.lstrip()[:15].lower().startswith(
        ("<!doctype", "<html")
    ):
        return read_html(text)
    return read_text(text)


def read_text(text: str) -> ReadDocument:
    """`Key: value` lines, a blank line, then the body; unknown keys are ignored."""
    headers: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines) and (m := HEADER.match(lines[i])):
        headers[m.group(1).strip().lower()] = m.group(2).strip()
        i += 1
    if headers and KNOWN & headers.keys() and i < len(lines) and not lines[i].strip():
        body = "\n".join(lines[i + 1 :])
    else:
        headers, body = {}, text
    document = _document(
        headers.get("url", ""),
        headers.get("title", ""),
        headers.get("publisher", ""),
        headers.get("published", ""),
        body,
    )
    document.is_demo = headers.get("demo", "").lower() in ("yes", "true", "1")
    return document


def read_html(html: str) -> ReadDocument:
    import trafilatura

    body = (
        trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_precision=True
        )
        or ""
    )
    meta = trafilatura.extract_metadata(html)
    return _document(meta.url or "", meta.title or "", meta.sitename or "", meta.date or "", body)


def read_pdf(data: bytes) -> ReadDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        body = "\n\n".join((page.extract_text() or "") for page in reader.pages)
        info: dict[str, Any] = dict(reader.metadata or {})
    except (PdfReadError, ValueError, KeyError) as exc:
        raise Refused(f"unreadable PDF ({exc})") from exc
    # A PDF has no place for its address but its document information: /URL by convention.
    return _document(
        str(info.get("/URL", "")),
        str(info.get("/Title", "") or ""),
        str(info.get("/Author", "") or ""),
        "",
        body,
    )


def _document(url: str, title: str, publisher: str, published: str, body: str) -> ReadDocument:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Refused("no URL: give an http(s) `URL:` header (HTML: a canonical link)") from None
    body = body.strip()
    if not body:
        raise Refused("no text")
    return ReadDocument(
        url[:2000],
        " ".join(title.split())[:500],
        publisher.strip()[:200],
        parse_date(published),
        body,
    )


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD (also YYYY-MM, YYYY: the first day), else whatever dateparser reads."""
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    import dateparser

    parsed = dateparser.parse(value, languages=["en"])
    return parsed.date() if parsed else None
