"""Markdown injection in the public summary.md (issue 16, item 1).

Hostile URLs, titles, names and rationales enter through the code that takes them in real
life (ingest_article, a source's candidates, the review and publishing services); the
published summary.md is fetched from its public URL and rendered by two Markdown
implementations, Python-Markdown and markdown-it-py (CommonMark). Each must show exactly
the links the summary meant (the original article, the summary's page, each reference),
each to an http(s) address, and no image, no raw HTML, no other link.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
import pytest
from django.contrib.auth.models import User
from django.test import Client
from markdown_it import MarkdownIt

from claims.models import Claim
from claims.services import ingest_article
from verify.evidence.gathering import store_candidates
from verify.evidence.sources.base import Candidate
from verify.models import Reference
from verify.publishing import markdown_text
from verify.publishing import services as publishing
from verify.review import services

pytestmark = pytest.mark.django_db

# Each a URL Django's URLValidator accepts, or one a source or a redirect could report.
HOSTILE_URLS = [
    "https://example.org/x>[click](javascript:alert(document.cookie))",
    "https://example.org/x>![t](https://tracker.example.net/p.gif)",
    "https://example.org/x> <img src=x onerror=alert(1)>",
    "https://example.org/a)](javascript:alert(1))",
    "https://example.org/[x](https://evil.example.net/)",
    "https://example.org/x`code`<b>bold</b>",
    "https://example.org/x\\>[y](javascript:alert(1))",
    "https://example.org/x%3E[y](javascript:alert(1))",
    "https://example.org/x\n\n[y](javascript:alert(1))",
    "https://example.org/x|a|b|\n|-|-|",
    "https://example.org/x\"onmouseover=\"alert(1)",
    "https://example.org/x<javascript:alert(1)>",
    "https://example.org/x>&lt;script&gt;alert(1)&lt;/script&gt;",
    "https://example.org/q?a=<https://evil.example.net/>",
]
HOSTILE_TEXT = [
    "[click](javascript:alert(document.cookie))",
    "![pixel](https://tracker.example.net/p.gif)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "\\<script>alert(1)\\</script>",
    "<https://evil.example.net/>",
    "<javascript:alert(1)>",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "[x]\n\n[x]: https://evil.example.net/",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "`</code><img src=x>`",
    "*a* __b__ ~~c~~",
    "# heading\n- item\n1. item",
    "1. looks like a list",
    "- looks like a list",
    "---",
    "| a | b |\n|---|---|\n| c | d |",
    "> quoted",
    "\u200b[x](javascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](https://evil.example.net/ \"title\")",
    "<a href=\"https://evil.example.net/\">x</a>",
    "<!-- comment -->",
    "<div>\n\n[x](https://evil.example.net/)\n\n</div>",
]

RENDERERS: dict[str, Callable[[str], str]] = {
    "python-markdown": lambda text: markdown.markdown(text, extensions=["tables"]),
    "markdown-it": lambda text: MarkdownIt("commonmark").enable("table").render(text),
}
# What the summary's own structure produces; any other element came from the data.
STRUCTURE = {"h1", "h2", "p", "ul", "li", "blockquote", "strong", "a"}


class Rendered(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.other: list[str] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag not in STRUCTURE or (tag == "a" and set(dict(attrs)) != {"href"}):
            self.other.append(f"<{tag} {attrs}>")

    def handle_comment(self, data: str) -> None:
        self.other.append(f"<!--{data}-->")


def publish_hostile(reviewer: User, editor: User, url: str, words: str) -> tuple[int, list[str]]:
    """An article with `url` as its source, one claim citing two references (`url` and a
    plain one) with `words` everywhere text goes. Returns the article id and the http(s)
    addresses the summary means to link to."""
    article = ingest_article(
        text=f"Kim Jong Un met Vladimir Putin in Vladivostok. {words}", title=f"Talks {words}",
        outlet=f"Outlet {words}"[:200], source_url=url, user=reviewer, is_html=False,
    ).article
    claim = services.add_claim_from_selection(
        article=article, user=reviewer, quote="Kim Jong Un met Vladimir Putin in Vladivostok.",
        type=Claim.Type.MEETING,
    )
    store_candidates(claim, "factcheck", [
        Candidate(url=url, title=words, publisher=words[:200], passage=f"{words} Kim met Putin."),
        Candidate(url="https://example.org/plain", title="", publisher="",
                  passage="Kim met Putin."),
    ])
    refs = list(Reference.objects.filter(claim=claim).order_by("id"))
    claim.refresh_from_db()
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="supported",
                                    rationale=words, references=refs,
                                    expected_version=claim.version)
    claim.refresh_from_db()
    services.approve_review(review=review, editor=editor, expected_version=claim.version)
    first = publishing.publish_summary(article=article, editor=editor)
    claim.refresh_from_db()
    review = services.submit_review(claim=claim, reviewer=reviewer, verdict="disputed",
                                    rationale=f"{words} (corrected)", references=refs,
                                    expected_version=claim.version)
    claim.refresh_from_db()
    services.approve_review(review=review, editor=editor, expected_version=claim.version)
    publishing.publish_summary(article=article, editor=editor, correction_note=words)
    page = publishing.absolute(publishing.summary_url(first))
    intended = [article.source_url, page, *(r.url for r in refs)]
    return article.pk, [u for u in intended if u.lower().startswith(("http://", "https://"))]


def problems(text: str, intended: list[str], words: str = "") -> list[str]:
    found = []
    wanted = sorted(" ".join(unquote(u).split()) for u in intended)
    for name, render in RENDERERS.items():
        html = Rendered()
        html.feed(render(text))
        html.close()
        found += [f"{name}: {other}" for other in html.other]
        got = sorted(" ".join(unquote(h).split()) for h in html.links)
        if got != wanted:
            found.append(f"{name}: links {got}, meant {wanted}")
        found += [f"{name}: link to {h}" for h in html.links
                  if not h.lower().startswith(("http://", "https://"))]
        # Not vacuous: the words are shown, whole (whitespace folded), as text.
        if " ".join(words.split()) not in " ".join("".join(html.text).split()):
            found.append(f"{name}: the words are not shown as written")
    return found


@pytest.mark.parametrize("url", HOSTILE_URLS, ids=range(len(HOSTILE_URLS)))
def test_a_hostile_url_makes_no_link_the_summary_did_not_mean(
    url: str, reviewer: User, editor: User
) -> None:
    article_id, intended = publish_hostile(reviewer, editor, url, "Two reports agree.")
    text = Client().get(f"/published/{article_id}/summary.md").content.decode()
    assert len(intended) == 4  # not vacuous: the source URL and both references are links
    assert problems(text, intended) == []


@pytest.mark.parametrize("words", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_text_renders_as_text_in_both_implementations(
    words: str, reviewer: User, editor: User
) -> None:
    article_id, intended = publish_hostile(reviewer, editor, "https://example.org/a", words)
    text = Client().get(f"/published/{article_id}/summary.md").content.decode()
    assert problems(text, intended, words) == []


def test_the_escapes_keep_the_text_and_the_address() -> None:
    assert markdown_text.text("a [b](c) <d> & e|f") == r"a \[b\]\(c\) &lt;d&gt; &amp; e&#124;f"
    assert markdown_text.text("1. one") == r"1\. one"
    assert markdown_text.url("https://example.org/x>[y](z)") == (
        "<https://example.org/x%3E%5By%5D%28z%29>"
    )
    assert markdown_text.url("javascript:alert(1)") == r"javascript:alert\(1\)"
