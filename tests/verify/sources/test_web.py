"""The web source: a page a reviewer names, fetched through the SSRF guard, read by
trafilatura, cut into passages that carry their provenance."""

from __future__ import annotations

from datetime import date

import pytest
from pytest_django.fixtures import Settings

from claims.models import Claim
from outbound import http
from tests.replay import ReplayServer
from verify.evidence.gathering import run_job
from verify.evidence.sources import get_source
from verify.evidence.sources.base import SourceError
from verify.evidence.sources.web import Web, page_url, passages
from verify.models import GatherJob, Reference

PARAGRAPH = (
    "President Vladimir Putin arrived in Pyongyang on 19 July 2000 for talks with Kim Jong Il, "
    "the first visit by a Russian or Soviet leader to North Korea. The two leaders signed a "
    "joint declaration the same day, pledging cooperation on security and the economy. "
)
PAGE = f"""<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Putin in Pyongyang | Example News</title>
<meta property="og:title" content="Putin makes historic visit to Pyongyang">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2000-07-19T10:00:00Z">
<script>document.write("<p>injected</p>"); alert("xss")</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Putin makes historic visit to Pyongyang</h1>
<p>{PARAGRAPH * 2}</p>
<p>{PARAGRAPH}</p>
<p>Russian officials described the visit as <b>a new page</b> in relations between the two
countries, which had cooled after the collapse of the Soviet Union in 1991.</p>
<p>{PARAGRAPH * 3}</p>
</article>
<footer>Copyright 2000 Example News. All rights reserved.</footer>
</body></html>""".encode()


@pytest.fixture
def page(replay: ReplayServer, settings: Settings) -> str:
    settings.ALLOW_LOOPBACK_FETCH = True  # the test server is on 127.0.0.1
    settings.PASSAGE_MAX_CHARS = 700
    replay.route("/world/putin-pyongyang.html", body=PAGE, content_type="text/html",
                 headers={"ETag": '"p1"'})
    return replay.url("/world/putin-pyongyang.html")


def test_it_is_registered_and_can_be_switched_off(settings: Settings) -> None:
    source = get_source("web")
    assert isinstance(source, Web) and source.enabled()
    settings.SOURCES_DISABLED = ["web"]
    assert not source.enabled()


def test_without_a_url_it_fetches_nothing(replay: ReplayServer, visit_claim: Claim) -> None:
    assert Web().search(visit_claim) == []
    assert Web().search(visit_claim, "   ") == []
    assert replay.requests == []


def test_it_reads_the_main_text_title_and_date(page: str, replay: ReplayServer,
                                               visit_claim: Claim) -> None:
    candidates = Web().search(visit_claim, page)

    assert candidates
    first = candidates[0]
    assert first.url == page
    assert first.title == "Putin makes historic visit to Pyongyang"
    assert first.publisher == "Example News"
    assert first.published == date(2000, 7, 19)
    text = "\n\n".join(c.passage for c in candidates)
    assert "first visit by a Russian or Soviet leader" in text
    assert "a new page in relations" in text  # markup gone, words kept
    assert "Home" not in text and "All rights reserved" not in text  # chrome gone
    assert "alert" not in text and "injected" not in text and "<" not in text
    assert replay.seen("/world/putin-pyongyang.html")[0].headers["User-Agent"].startswith(
        "Corroborate/")  # fetched through verify/http.py, not trafilatura's downloader


def test_passages_are_paragraph_groups_within_the_limit(page: str,
                                                        visit_claim: Claim) -> None:
    candidates = Web().search(visit_claim, page)

    assert len(candidates) >= 3
    assert all(0 < len(c.passage) <= 700 for c in candidates)
    assert any("\n\n" in c.passage for c in candidates)  # short paragraphs travel together


def test_each_passage_carries_the_provenance(page: str, visit_claim: Claim) -> None:
    candidates = Web().search(visit_claim, page + "?key=secret")

    provenance = candidates[1].provenance
    assert provenance["request_url"] == page  # the key is not kept
    assert provenance["status"] == 200
    assert provenance["etag"] == '"p1"'
    assert provenance["extractor"] == "trafilatura"
    assert provenance["passage"] == 1
    assert len(provenance["sha256"]) == 64 and provenance["fetched_at"]


def test_a_private_address_is_refused_before_any_connection(visit_claim: Claim) -> None:
    # tests/conftest.py fails the test if anything but loopback is ever connected to.
    with pytest.raises(http.BlockedURL, match=r"10\.0\.0\.1 is a private address") as caught:
        Web().search(visit_claim, "http://10.0.0.1/admin")

    assert caught.value.permanent


def test_a_missing_page_is_a_permanent_error(replay: ReplayServer, settings: Settings,
                                             visit_claim: Claim) -> None:
    settings.ALLOW_LOOPBACK_FETCH = True

    with pytest.raises(http.FetchError, match="HTTP 404") as caught:
        Web().search(visit_claim, replay.url("/gone"))

    assert caught.value.permanent


def test_a_page_without_text_is_a_permanent_error(replay: ReplayServer, settings: Settings,
                                                  visit_claim: Claim) -> None:
    settings.ALLOW_LOOPBACK_FETCH = True
    replay.route("/empty", body=b"<html><body><script>x()</script></body></html>",
                 content_type="text/html")

    with pytest.raises(SourceError, match="No readable text") as caught:
        Web().search(visit_claim, replay.url("/empty"))

    assert caught.value.permanent


def test_a_plain_text_page_is_its_own_text(replay: ReplayServer, settings: Settings,
                                           visit_claim: Claim) -> None:
    settings.ALLOW_LOOPBACK_FETCH = True
    replay.route("/notes.txt", body=b"Putin visited Pyongyang on 19 July 2000.\n\nSecond.",
                 content_type="text/plain; charset=utf-8")

    [candidate] = Web().search(visit_claim, replay.url("/notes.txt"))

    assert candidate.passage == "Putin visited Pyongyang on 19 July 2000.\n\nSecond."


def test_words_that_are_not_a_url_are_refused_in_words() -> None:
    with pytest.raises(SourceError, match="is not a URL") as caught:
        page_url("Putin visit 2000")

    assert caught.value.permanent
    assert page_url("example.org/news/1") == "https://example.org/news/1"
    assert page_url(" https://example.org/a ") == "https://example.org/a"
    assert page_url("file:///etc/passwd") == "file:///etc/passwd"  # the guard refuses it


def test_long_paragraphs_are_cut_at_sentence_ends() -> None:
    text = ("A sentence of some length that ends here. " * 40).strip() + "\n" + "Short one."

    pieces = passages(text, limit=300)

    assert all(len(p) <= 300 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(p.replace("\n\n", " ") for p in pieces).split() == text.split()


def test_a_run_on_sentence_is_cut_at_a_space() -> None:
    pieces = passages("word " * 500, limit=200)

    assert all(len(p) <= 200 for p in pieces)
    assert sum(p.count("word") for p in pieces) == 500


def test_a_gather_job_with_a_url_stores_references(page: str, visit_claim: Claim) -> None:
    job = GatherJob.objects.create(claim=visit_claim, source="web", query=page)

    run_job(job.pk)

    job.refresh_from_db()
    assert job.state == GatherJob.State.DONE, job.error
    references = Reference.objects.filter(claim=visit_claim)
    assert job.found == references.count() >= 3
    assert {r.url for r in references} == {page}
