"""Hostile files in a library_import (issue 16, item 4): each broken file is reported and
skipped, every other file is imported, and the summary counts them all.

The PDFs are real files written here: pypdf reads them and raises what it raises (the
LimitReachedError of a declared size no file of that length can hold, a cyclic page tree,
a truncated file); nothing is patched.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from tests.verify.test_commands import run
from verify.models import LibraryDocument

pytestmark = pytest.mark.django_db


def pdf(objects: list[bytes], *, xref_size: int | None = None) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (xref_size or len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, len(objects), xref))
    return out.getvalue()


def page_pdf(text: str, url: str, **kwargs: int) -> bytes:
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode())
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        b" >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
        + b"\nendstream",
        b"<< /URL (%s) /Title (Summit) >>" % url.encode(),
    ], **kwargs)


HOSTILE = {
    # pypdf: "Declared size 99999999 exceeds allowed limit" (LimitReachedError)
    "a-declared-size-bomb.pdf": page_pdf("Bomb", "https://example.org/bomb", xref_size=99_999_999),
    "b-cyclic-pages.pdf": pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
                               b"<< /URL (https://example.org/cyclic) >>"]),
    "c-truncated.pdf": page_pdf("Cut", "https://example.org/cut")[:300],
    "d-header-only.pdf": b"%PDF-1.7\n",
    "e-not-a-pdf.pdf": b"PK\x03\x04" + bytes(200),
    "f-no-url.txt": b"Just some text.",
}


def test_broken_files_are_reported_and_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    for name, data in HOSTILE.items():
        (tmp_path / name).write_bytes(data)
    # Good files sorted between and after the broken ones: an import that stops at the
    # first failure loses them.
    (tmp_path / "a0-good.txt").write_text("URL: https://example.org/first\n\nKim met Putin.")
    (tmp_path / "c0-good.pdf").write_bytes(page_pdf("Kim met Putin", "https://example.org/pdf"))
    (tmp_path / "z-good.txt").write_text("URL: https://example.org/last\n\nKim met Putin.")

    out, err = run("library_import", str(tmp_path))

    assert out.strip() == f"3 added, 0 updated, {len(HOSTILE)} refused"
    assert set(LibraryDocument.objects.values_list("url", flat=True)) == {
        "https://example.org/first", "https://example.org/pdf", "https://example.org/last"}
    for name in HOSTILE:
        assert f"refused {tmp_path / name}: " in err, name
    assert "LimitReachedError" in err
