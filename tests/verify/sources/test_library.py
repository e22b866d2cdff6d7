"""The reference library: reading files, full-text search (SQLite FTS5 by default;
run with DATABASE_URL=postgres://… for PostgreSQL), and passages for a claim."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from claims.models import Claim
from verify.evidence import services
from verify.evidence.sources.library import (
    LibrarySource,
    Refused,
    find_documents,
    read_file,
    read_text,
    split_passages,
)
from verify.models import LibraryDocument

TREATY = """URL: https://jamestown.org/program/russia-and-north-korea-sign-friendship-treaty/
Title: Russia and North Korea sign friendship treaty
Publisher: The Jamestown Foundation
Published: 2000-02-10
Section: ignored

The foreign ministers met in Pyongyang.

Russia and North Korea signed the Treaty on Friendship, Good-Neighbourliness and Cooperation \
in Pyongyang on 9 February 2000.

The weather was cold.
"""


def save(text: str = TREATY) -> LibraryDocument:
    doc = read_text(text)
    saved, _ = services.save_library_document(
        url=doc.url,
        title=doc.title,
        publisher=doc.publisher,
        published=doc.published,
        text=doc.text,
    )
    return saved


def test_headers_are_read_and_unknown_keys_ignored() -> None:
    doc = read_text(TREATY)
    assert doc.url.startswith("https://jamestown.org/")
    assert (doc.title, doc.publisher, doc.published) == (
        "Russia and North Korea sign friendship treaty",
        "The Jamestown Foundation",
        date(2000, 2, 10),
    )
    assert doc.text.startswith("The foreign ministers") and "Section" not in doc.text


def test_a_text_without_a_url_is_refused_with_the_reason() -> None:
    with pytest.raises(Refused, match="no URL"):
        read_text("Title: A note\n\nSome facts.")


def test_html_is_reduced_to_its_main_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = " ".join(
        ["Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome on 13 September 2023."] * 3
    )
    page.write_text(
        "<html><head><title>Summit</title>"
        '<link rel="canonical" href="https://example.org/summit"></head>'
        f"<body><nav>Home | About | Contact</nav><article><h1>Summit</h1><p>{body}</p>"
        "<p>The leaders toured the launch site.</p></article>"
        "<footer>Copyright</footer><script>alert(1)</script></body></html>"
    )
    doc = read_file(page)
    assert doc.url == "https://example.org/summit"
    assert "Vostochny Cosmodrome" in doc.text
    assert "alert" not in doc.text and "Copyright" not in doc.text


def test_binary_files_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "image.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(Refused, match="not a text, HTML or PDF"):
        read_file(junk)


def test_long_paragraphs_are_cut_at_sentence_ends() -> None:
    text = "First short paragraph.\n\n" + " ".join(
        f"Sentence number {i} is here." for i in range(40)
    )
    passages = split_passages(text, max_chars=200)
    assert passages[0] == "First short paragraph."
    assert all(len(p) <= 200 for p in passages)
    assert all(p.endswith(".") for p in passages)


@pytest.mark.django_db
def test_search_finds_documents_by_their_words_on_this_database() -> None:
    save()
    save(
        TREATY.replace("jamestown.org/program/russia", "example.org/other").replace(
            "Treaty on Friendship", "Agreement on Fisheries"
        )
    )
    found = find_documents(["treaty", "friendship", "pyongyang"], limit=10)
    assert found[0].url.startswith("https://jamestown.org/")
    assert find_documents(["vladivostok"], limit=10) == []
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_the_index_follows_updates_and_deletions() -> None:
    doc = save()
    doc.text = "Kim Jong Un visited Vladivostok."
    doc.save()
    assert find_documents(["vladivostok"], limit=10) == [doc]
    assert find_documents(["neighbourliness"], limit=10) == []
    doc.delete()
    assert find_documents(["vladivostok"], limit=10) == []


@pytest.mark.django_db
def test_words_that_look_like_query_syntax_are_searched_as_words() -> None:
    save()
    assert find_documents(['"', "OR", "NEAR(", "treaty*", "-"], limit=10) is not None


@pytest.mark.django_db
def test_reimporting_a_url_updates_the_document() -> None:
    first = save()
    second, created = services.save_library_document(url=first.url, text="New text.", title="New")
    assert (second.pk, created, LibraryDocument.objects.count()) == (first.pk, False, 1)


def test_the_source_returns_the_passages_that_match_the_claim(
    claim_factory: Callable[..., Claim],
) -> None:
    save()
    claim = claim_factory(
        sentence="The treaty on friendship, good-neighbourliness and cooperation was concluded "
        "in February 2000.",
        type="treaty_document",
        subject_name="treaty on friendship, good-neighbourliness and cooperation",
        date_value="2000-02",
        date_precision="month",
        date_start=date(2000, 2, 1),
        date_end=date(2000, 2, 29),
    )
    candidates = LibrarySource().search(claim)
    assert candidates[0].passage.startswith("Russia and North Korea signed the Treaty")
    assert candidates[0].publisher == "The Jamestown Foundation"
    assert all("weather" not in c.passage for c in candidates)
    # A reviewer's own wording searches for those words instead.
    assert LibrarySource().search(claim, "foreign ministers")[0].passage.startswith("The foreign")


def tiny_pdf(text: str, url: str) -> bytes:
    """A one-page PDF with `text` in Helvetica and /URL in its document information."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /URL ({url}) /Title (A treaty) >>".encode(),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_pdf_text_is_read_with_its_url(tmp_path: Path) -> None:
    pdf = tmp_path / "treaty.pdf"
    pdf.write_bytes(
        tiny_pdf("The treaty was signed on 9 February 2000.", "https://example.org/t.pdf")
    )
    doc = read_file(pdf)
    assert (doc.url, doc.title) == ("https://example.org/t.pdf", "A treaty")
    assert "signed on 9 February 2000" in doc.text


def test_a_broken_pdf_is_refused(tmp_path: Path) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.4\nnot really")
    with pytest.raises(Refused):
        read_file(pdf)
