"""Fetched HTML is shown only after this: a strict allow-list (nh3, the Rust ammonia
sanitiser), or plain text. Store and show text wherever HTML is not needed."""

from __future__ import annotations

import html as htmllib
import re

import nh3

TAGS = {"p", "br", "b", "i", "em", "strong", "a", "ul", "ol", "li", "blockquote", "mark"}
ATTRIBUTES = {"a": {"href"}}
# Elements whose content is dropped along with the tag, not kept as text.
DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math",
           "textarea", "select", "title"}
_BLOCK_END = re.compile(r"<\s*(br\s*/?|/\s*(p|div|li|h[1-6]|tr|blockquote|section|article)\s*)>",
                        re.I)


def sanitize_html(html: str) -> str:
    """HTML safe to insert in a page: only simple formatting and http(s) links, which open
    with rel="noopener noreferrer nofollow"; scripts, styles and handlers are gone."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROPPED,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def to_text(html: str) -> str:
    """The text of an HTML fragment: block ends become line breaks, tags and the content of
    scripts and styles go, entities are decoded, runs of spaces collapse."""
    marked = _BLOCK_END.sub("\n", html)
    stripped = nh3.clean(marked, tags=set(), clean_content_tags=DROPPED, attributes={})
    text = htmllib.unescape(stripped)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
