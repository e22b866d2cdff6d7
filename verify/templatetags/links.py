"""Links to addresses that came from outside (sources, feeds, users) are only ever links to
web pages: a `javascript:` or `data:` URL a hostile source returns is shown as text."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def safe_href(url: str) -> str:
    """The URL when it is http(s) or a path on this site, else "" (render it as text)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in {"http", "https"} else ""
