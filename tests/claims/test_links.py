from __future__ import annotations

import pytest

from verify.templatetags.links import safe_href


@pytest.mark.parametrize(
    "url",
    ["https://tass.com/politics/1", "http://example.org/a?b=1", "/claims/12/", "/published/3/"],
)
def test_web_pages_and_paths_on_this_site_stay_links(url: str) -> None:
    assert safe_href(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x",
        "ftp://example.org/file", "", "http://[::1",
    ],
)
def test_anything_else_is_shown_as_text(url: str) -> None:
    assert safe_href(url) == ""
