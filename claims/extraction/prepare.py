"""Optional helper: pull title, byline, outlet, dateline and publication date
out of a raw article so callers can store clean metadata."""

from __future__ import annotations

import re
from typing import Any

from .dates import find_dates
from .sentences import DATELINE_RE, split_sentences

_OUTLET_DATE_RE = re.compile(r"^\((?P<outlet>[^)]+?)\s*[-\u2013\u2014,]\s*(?P<date>[^)]+)\)$")


def prepare_article(raw: str) -> dict[str, Any]:
    """{"title", "byline", "outlet", "published" (date or None), "dateline", "text"}."""
    info: dict[str, Any] = {
        "title": "",
        "byline": "",
        "outlet": "",
        "published": None,
        "dateline": "",
        "text": raw or "",
    }
    for sent in split_sentences(raw or ""):
        if sent.kind == "title" and not info["title"]:
            info["title"] = sent.text
        elif sent.kind == "byline" and not info["byline"]:
            info["byline"] = re.sub(r"^(?:By|BY|Written by|Reported by)\s+", "", sent.text)
        elif sent.kind == "dateline" and not info["dateline"]:
            info["dateline"] = sent.text
            m = DATELINE_RE.match(sent.text)
            if m and not info["outlet"]:
                info["outlet"] = m.group("agency") or m.group("agency2") or ""
        elif sent.kind == "chrome":
            m = _OUTLET_DATE_RE.match(sent.text)
            if m:
                info["outlet"] = m.group("outlet").strip()
                found = find_dates(m.group("date"), None)
                if found and found[0].value.precision == "day":
                    info["published"] = found[0].value.start
    return info
