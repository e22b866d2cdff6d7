"""Text and URLs written into Markdown so that every Markdown viewer shows them as written.

The public summary.md is built from text that state media, sources and reviewers wrote.
Python-Markdown and CommonMark (markdown-it) agree on few escapes: a backslash escapes
ASCII punctuation in CommonMark, but Python-Markdown only honours it before
\\ ` * _ { } [ ] ( ) > # + - . ! and prints it before anything else, where a raw `<`
would then open an HTML tag. So the markup characters both escape with a backslash get
one, and `<`, `>`, `&` and `|` become character references, which both decode.
tests/security/test_markdown.py renders a hostile corpus through both.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_BACKSLASHED = re.compile(r"([\\`*_{}\[\]()!])")
# Characters that only mean something at the start of a line (a heading, a list item, a
# thematic break); text() never writes a line break, so only its first character can.
_LINE_START = re.compile(r"^([#+\-]|\d+(?=\.))")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_ENTITY = re.compile("[&<>|]")

# What may stay unencoded inside an autolink `<…>`: RFC 3986's unreserved and reserved
# characters, minus the brackets and parentheses that Markdown reads as link syntax. Any
# other character (`<`, `>`, spaces, quotes, backslashes, non-ASCII) is percent-encoded;
# an existing %xx is kept as it is. An `&` that would read as a character reference
# (`&lt;`) is encoded too: Python-Markdown decodes those inside an autolink, CommonMark not.
_URL_SAFE = ":/?#@!$&'*+,;=-._~%"
_REFERENCE_LIKE = re.compile(r"&(?=#?\w+;)")
_LINKABLE = re.compile(r"^https?://[^/?#\s]", re.IGNORECASE)


def text(value: str) -> str:
    """Plain text as inline Markdown that renders as the same text: no link, no image, no
    HTML, no emphasis; whitespace (newlines too) is folded to single spaces, so it can never
    start a block of its own."""
    folded = " ".join(value.split())
    escaped = _ENTITY.sub(lambda m: _ENTITIES[m[0]], folded)
    escaped = _BACKSLASHED.sub(r"\\\1", escaped)
    return _LINE_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0], escaped)


def url(value: str) -> str:
    """A web address as a Markdown autolink, percent-encoded so nothing in it can close
    the link or start another; anything but an http(s) address is written as plain text,
    never as a link."""
    value = value.strip()
    if not _LINKABLE.match(value):
        return text(value)
    return f"<{_REFERENCE_LIKE.sub('%26', quote(value, safe=_URL_SAFE))}>"
