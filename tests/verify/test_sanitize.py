"""Fetched HTML is sanitised with a strict allow-list before it is shown."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.sanitize import sanitize_html, to_text

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<form action="https://evil.example/"><input name=q></form>',
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    '<object data="evil.swf"></object>',
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<!--<script>alert(1)</script>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<<script>script>alert(1)<</script>/script>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<template><script>alert(1)</script></template>",
    '<p onmouseover="alert(1)">hover</p>',
    "<base href=\"https://evil.example/\">",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_attack_survives(attack: str) -> None:
    clean = sanitize_html(attack).lower()

    for needle in ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe",
                   "<svg", "<form", "<object", "<meta", "<style", "<base", "style=",
                   "data:text"):
        assert needle not in clean


def test_simple_formatting_and_links_are_kept() -> None:
    html = ('<p>A <b>bold</b>, <i>italic</i>, <em>em</em>, <strong>strong</strong> and '
            '<mark>marked</mark> line<br>with <a href="https://kcna.example/a" '
            'target="_blank" class="x">a link</a>.</p><ul><li>one</li></ul><ol><li>two</li>'
            '</ol><blockquote>quoted</blockquote>')

    clean = sanitize_html(html)

    for tag in ("<p>", "<b>", "<i>", "<em>", "<strong>", "<mark>", "<br>", "<ul>", "<ol>",
                "<li>", "<blockquote>"):
        assert tag in clean
    assert ('<a href="https://kcna.example/a" rel="noopener noreferrer nofollow">a link</a>'
            in clean)
    assert "target" not in clean and "class" not in clean


def test_other_tags_go_but_their_text_stays() -> None:
    assert sanitize_html("<div><span>kept</span><h1>title</h1></div>") == "kepttitle"


def test_to_text_keeps_words_and_line_breaks_only() -> None:
    html = ("<h1>Title</h1><p>One &amp; two</p><p>Three<br>four</p>"
            "<script>var a = '<p>never</p>'</script><style>p {color: red}</style>")

    assert to_text(html) == "Title\nOne & two\nThree\nfour"


TOKENS = [*"<>/=\"' abcdefghijklmnopqrstuvwxyz&;:!-\x00", "<script>", "</script>", "<a href=",
          "javascript:", "onerror=", "<img ", "<p>", "<!--", "-->", "<svg", "<![CDATA["]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_the_sanitiser_never_raises_and_never_lets_a_script_through(html: str) -> None:
    clean = sanitize_html(html)
    text = to_text(html)

    assert "<script" not in clean.lower() and "<svg" not in clean.lower()
    assert not re.search(r"href=\"\s*javascript:", clean, re.I)
    assert not re.search(r"<[^>]*\son\w+=", clean, re.I)
    assert isinstance(text, str)
