"""Bringing in one article by URL: fetch through the SSRF guard, extract, match the outlet,
ingest once. Every page is served by the replay server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from claims.models import Article, Feed, Outlet
from claims.monitoring import URLIngestError, canonical_url, ingest_url, outlet_for_url
from tests.replay import ReplayServer

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
HTML = "text/html; charset=utf-8"


def page(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.fixture(autouse=True)
def loopback_fetch() -> Iterator[None]:
    """Let the fetcher reach the replay server, without the per-host pause between requests."""
    with override_settings(
        ALLOW_LOOPBACK_FETCH=True, HOST_LIMITS={"default": {"in_flight": 4, "interval": 0}}
    ):
        yield


@pytest.fixture
def kcna_watch(db: None) -> Outlet:
    return Outlet.objects.create(
        name="KCNA Watch", domains=["kcnawatch.org"], is_state_media=True, country="North Korea"
    )


@pytest.fixture
def pages(replay: ReplayServer) -> ReplayServer:
    for path in ("/newstream/treaty", "/newstream/treaty/"):  # WordPress-style, with or without /
        replay.route(path, body=page("treaty.html"), content_type=HTML)
    replay.route("/newstream/vostochny", body=page("vostochny.html"), content_type=HTML)
    return replay


def test_canonical_url_folds_scheme_www_tracking_fragment_and_trailing_slash() -> None:
    assert canonical_url("https://www.KCNAwatch.org/newstream/123/?utm_source=rss&id=7#top") == (
        "kcnawatch.org/newstream/123?id=7"
    )
    assert canonical_url("http://kcnawatch.org/newstream/123") == canonical_url(
        "https://kcnawatch.org/newstream/123/?fbclid=abc&utm_medium=feed"
    )


@pytest.mark.django_db
def test_a_dated_page_becomes_an_article_with_title_byline_date_and_text(
    pages: ReplayServer, reviewer: User
) -> None:
    result = ingest_url(url=pages.url("/newstream/treaty/?utm_source=share"), user=reviewer)

    article = result.article
    assert result.created
    assert article.title == "Putin Pays State Visit to DPRK"
    assert article.byline == "Kim Tae Ho"
    assert article.published == date(2024, 6, 20)
    assert "Treaty on Comprehensive Strategic Partnership" in article.text
    assert "Subscribe to our newsletter" not in article.text  # site chrome is left out
    assert article.source_url == pages.url("/newstream/treaty/?utm_source=share")
    assert article.canonical_url == f"127.0.0.1:{pages.port}/newstream/treaty"
    assert article.ingested_by == reviewer


@pytest.mark.django_db
def test_a_page_without_a_date_is_ingested_with_no_date(pages: ReplayServer) -> None:
    article = ingest_url(url=pages.url("/newstream/vostochny")).article

    assert article.published is None
    assert article.title.startswith("Kim Jong Un Holds Talks with Putin")


@pytest.mark.django_db
def test_the_same_url_in_another_form_is_not_fetched_again(pages: ReplayServer) -> None:
    first = ingest_url(url=pages.url("/newstream/treaty"))
    again = ingest_url(url=pages.url("/newstream/treaty/?utm_campaign=x#comments"))

    assert not again.created
    assert again.article == first.article
    assert len(pages.seen("/newstream/treaty") + pages.seen("/newstream/treaty/")) == 1
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_same_text_at_another_address_is_ingested_once(pages: ReplayServer) -> None:
    pages.route("/mirror/putin-visit.html", body=page("treaty.html"), content_type=HTML)

    first = ingest_url(url=pages.url("/newstream/treaty"))
    mirror = ingest_url(url=pages.url("/mirror/putin-visit.html"))

    assert not mirror.created
    assert mirror.article == first.article
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_pasted_article_learns_its_url_when_the_page_is_fetched_later(
    pages: ReplayServer,
) -> None:
    from claims.services import ingest_article

    pasted = ingest_article(text=page("treaty.html").decode(), is_html=True).article
    fetched = ingest_url(url=pages.url("/newstream/treaty"))

    assert fetched.article == pasted
    pasted.refresh_from_db()
    assert pasted.canonical_url == canonical_url(pages.url("/newstream/treaty"))


@pytest.mark.django_db
def test_the_outlet_is_matched_by_domain(kcna_watch: Outlet) -> None:
    assert outlet_for_url("https://kcnawatch.org/newstream/1") == kcna_watch
    assert outlet_for_url("https://www.kcnawatch.org/newstream/1") == kcna_watch
    assert outlet_for_url("https://m.kcnawatch.org/newstream/1") == kcna_watch
    assert outlet_for_url("https://notkcnawatch.org/newstream/1") is None


@pytest.mark.django_db
def test_the_outlet_is_matched_by_website_and_the_most_specific_domain_wins() -> None:
    yonhap = Outlet.objects.create(name="Yonhap English", website="https://en.yna.co.kr/")
    Outlet.objects.create(name="Yonhap (Korean)", domains=["yna.co.kr"])

    assert outlet_for_url("https://en.yna.co.kr/view/AEN2024") == yonhap


@pytest.mark.django_db
def test_a_fetched_article_gets_the_outlet_of_its_domain(pages: ReplayServer) -> None:
    local = Outlet.objects.create(name="Local mirror", domains=["127.0.0.1"])

    article = ingest_url(url=pages.url("/newstream/treaty")).article

    assert article.outlet == local


@pytest.mark.django_db
def test_a_page_that_is_not_html_is_refused_with_the_reason(replay: ReplayServer) -> None:
    replay.route("/report.pdf", body=b"%PDF-1.7 ...", content_type="application/pdf")

    with pytest.raises(URLIngestError, match="not HTML") as caught:
        ingest_url(url=replay.url("/report.pdf"))

    assert not caught.value.temporary
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_page_with_no_article_text_is_refused(replay: ReplayServer) -> None:
    replay.route("/empty", body=b"<html><body><nav>Home</nav></body></html>", content_type=HTML)

    with pytest.raises(URLIngestError, match="No article text was found"):
        ingest_url(url=replay.url("/empty"))


@pytest.mark.django_db
def test_a_page_that_is_too_large_is_refused(replay: ReplayServer) -> None:
    replay.route("/huge", body=b"<p>" + b"x" * 50_000 + b"</p>", content_type=HTML)

    with override_settings(HTTP_MAX_BYTES=10_000), pytest.raises(URLIngestError, match="too large"):
        ingest_url(url=replay.url("/huge"))


@pytest.mark.django_db
def test_a_page_that_does_not_answer_in_time_is_refused_as_temporary(replay: ReplayServer) -> None:
    replay.route("/slow", body=page("treaty.html"), content_type=HTML, delay=2.0)

    with (
        override_settings(HTTP_READ_TIMEOUT=0.3, HTTP_DEADLINE=1.0, HTTP_MAX_RETRIES=0),
        pytest.raises(URLIngestError, match="timed out") as caught,
    ):
        ingest_url(url=replay.url("/slow"))

    assert caught.value.temporary


@pytest.mark.django_db
def test_an_address_on_a_private_network_is_refused_without_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolve_private(monkeypatch, "intranet.example.org", "10.20.30.40")

    with pytest.raises(URLIngestError, match=r"not allowed.*private"):
        ingest_url(url="http://intranet.example.org/admin")


def resolve_private(monkeypatch: pytest.MonkeyPatch, host: str, address: str) -> None:
    """Make `host` resolve to a private address (and never send traffic there: the connect
    guard in tests/conftest.py would fail the test first)."""
    real = socket.getaddrinfo

    def fake(name: str, *args: object, **kwargs: object) -> list:
        if name == host:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 80))]
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reviewer_adds_an_article_by_url_and_lands_on_it(
    pages: ReplayServer, reviewer_client: Client
) -> None:
    response = reviewer_client.post(
        reverse("monitor:add_url"), {"url": pages.url("/newstream/treaty")}, follow=True
    )

    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == article.get_absolute_url()
    assert "saved; processing is queued" in response.content.decode()


@pytest.mark.django_db
def test_adding_a_url_twice_says_it_is_already_there(
    pages: ReplayServer, reviewer_client: Client
) -> None:
    url = reverse("monitor:add_url")
    reviewer_client.post(url, {"url": pages.url("/newstream/treaty")})
    response = reviewer_client.post(url, {"url": pages.url("/newstream/treaty/")}, follow=True)

    assert "already in Corroborate" in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_form_shows_why_a_url_was_refused(
    replay: ReplayServer, reviewer_client: Client
) -> None:
    replay.route("/report.pdf", body=b"%PDF-1.7", content_type="application/pdf")

    response = reviewer_client.post(reverse("monitor:add_url"), {"url": replay.url("/report.pdf")})

    assert response.status_code == 200
    assert "The page is not HTML" in response.content.decode()


@pytest.mark.django_db
def test_outsiders_cannot_add_by_url_nor_see_feed_health(outsider: User) -> None:
    client = Client()
    client.force_login(outsider)

    assert client.get(reverse("monitor:add_url")).status_code == 403
    assert client.get(reverse("monitor:feeds")).status_code == 403


@pytest.mark.django_db
def test_reviewers_cannot_see_feed_health(reviewer_client: Client) -> None:
    assert reviewer_client.get(reverse("monitor:feeds")).status_code == 403


@pytest.mark.django_db
def test_editors_see_each_feeds_health(editor: User, kcna_watch: Outlet) -> None:
    Feed.objects.create(
        outlet=kcna_watch, url="https://kcnawatch.org/feed/", items_seen=42,
        last_error="The feed could not be read: not well-formed", consecutive_failures=2,
    )
    client = Client()
    client.force_login(editor)

    page_text = client.get(reverse("monitor:feeds")).content.decode()

    assert "https://kcnawatch.org/feed/" in page_text
    assert "42" in page_text
    assert "not well-formed" in page_text
    assert "2 in a row" in page_text
    assert "Poll now" in page_text


@pytest.mark.django_db
@override_settings(ALLOW_LOOPBACK_FETCH=False)
@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/news/1", "http://localhost/news/1"])
def test_an_admin_refused_a_loopback_url_is_told_of_the_development_setting(
    admin_user: User, reviewer_client: Client, url: str
) -> None:
    admin = Client()
    admin.force_login(admin_user)
    told = admin.post(reverse("monitor:add_url"), {"url": url}).content.decode()
    assert "This address is not allowed" in told
    assert "ALLOW_LOOPBACK_FETCH=1" in told and "never set it in production" in told
    reviewer_told = reviewer_client.post(reverse("monitor:add_url"), {"url": url}).content.decode()
    assert "This address is not allowed" in reviewer_told
    assert "ALLOW_LOOPBACK_FETCH" not in reviewer_told
    assert Article.objects.count() == 0
