"""What a file is, from its first bytes: an upload named .html can be a zip (issue 16,
item 10), and saying "not valid UTF-16 text" about it sends the person looking for an
encoding problem. The signatures are the files' own magic numbers (as in file(1))."""

from __future__ import annotations

# (offset, signature, what to call it)
SIGNATURES: list[tuple[int, bytes, str]] = [
    (0, b"PK\x03\x04", "a zip archive (or a Word, OpenDocument or EPUB file, which are zips)"),
    (0, b"PK\x05\x06", "an empty zip archive"),
    (0, b"PK\x07\x08", "a zip archive"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"(\xb5/\xfd", "a Zstandard archive"),
    (257, b"ustar", "a tar archive"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"\x7fELF", "a program (ELF)"),
    (0, b"\x00asm", "a WebAssembly program"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
]
RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound file", b"AVI ": "an AVI video"}


def binary_kind(data: bytes) -> str | None:
    """"a zip archive", "a PNG image"…, or None when the bytes start like no known
    binary format (they may still not be text)."""
    for offset, signature, kind in SIGNATURES:
        if data[offset:offset + len(signature)] == signature:
            return kind
    if data[:2] == b"MZ" and b"\x00" in data[2:64]:  # "MZ" alone could start a text
        return "a Windows program"
    if data[:4] == b"RIFF":
        return RIFF_KINDS.get(data[8:12], "a RIFF media file")
    if data[4:8] == b"ftyp":
        return "an MP4 or QuickTime media file"
    return None
