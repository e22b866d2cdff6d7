"""Polling outlets' feeds: conditional GET, parsing, new entries ingested once, failing feeds
backing off, one poll per feed at a time. Feeds and pages come from the replay server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Feed, Outlet
from claims.monitoring import claim_feed, poll_due_feeds, poll_feed
from tests.claims.test_monitoring import resolve_private
from tests.replay import ReplayServer, Reply, Seen

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


@pytest.fixture(autouse=True)
def loopback_fetch() -> Iterator[None]:
    with override_settings(
        ALLOW_LOOPBACK_FETCH=True, HTTP_MAX_RETRIES=0,
        HOST_LIMITS={"default": {"in_flight": 4, "interval": 0}},
    ):
        yield


@pytest.fixture
def site(replay: ReplayServer) -> ReplayServer:
    """The outlet's article pages."""
    replay.route("/newstream/treaty/", body=(FEEDS / "treaty.html").read_bytes(), content_type=HTML)
    replay.route("/newstream/vostochny/", body=(FEEDS / "vostochny.html").read_bytes(),
                 content_type=HTML)
    replay.route("/world/1805123", body=(FEEDS / "tass.html").read_bytes(), content_type=HTML)
    return replay


def feed_body(name: str, server: ReplayServer) -> bytes:
    return (FEEDS / name).read_bytes().replace(b"{base}", server.url("").encode())


@pytest.fixture
def make_feed(db: None, site: ReplayServer) -> Callable[..., Feed]:
    outlet = Outlet.objects.create(name="KCNA Watch", is_state_media=True)

    def make(path: str = "/feed/", **fields: object) -> Feed:
        return Feed.objects.create(outlet=outlet, url=site.url(path), **fields)

    return make


def page_requests(server: ReplayServer) -> int:
    return sum(1 for r in server.requests if not r.path.startswith("/feed"))


def test_new_rss_entries_become_articles_of_the_feeds_outlet(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    feed = make_feed(poll_interval_minutes=30)

    result = poll_feed(feed)

    assert result.status == "ok"
    assert [a.title for a in result.new] == [
        "Kim Jong Un Holds Talks with Putin at Vostochny Cosmodrome",  # oldest first
        "Putin Pays State Visit to DPRK",
    ]
    assert all(a.outlet == feed.outlet for a in result.new)
    feed.refresh_from_db()
    assert feed.items_seen == 2
    assert feed.last_error == ""
    assert feed.consecutive_failures == 0
    assert feed.last_success_at is not None
    assert feed.next_poll_at - feed.last_success_at == timedelta(minutes=30)
    assert "kcnawatch-1718863200" in feed.seen_ids


def test_atom_feeds_are_read_too(site: ReplayServer, make_feed: Callable[..., Feed]) -> None:
    site.route("/feed/atom.xml", body=feed_body("atom.xml", site),
               content_type="application/atom+xml")

    result = poll_feed(make_feed("/feed/atom.xml"))

    assert [a.title for a in result.new] == ["Russia, North Korea: key facts and figures"]


def test_polling_the_same_feed_again_adds_nothing_and_fetches_no_page(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    feed = make_feed()
    poll_feed(feed)
    pages_fetched = page_requests(site)

    again = poll_feed(Feed.objects.get(pk=feed.pk))

    assert again.new == []
    assert Article.objects.count() == 2
    assert page_requests(site) == pages_fetched
    assert Feed.objects.get(pk=feed.pk).items_seen == 2


def test_a_story_republished_under_a_new_id_is_ingested_once(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    first = feed_body("rss.xml", site)
    # The same items again under new guids, one link with other tracking parameters.
    republished = first.replace(b"kcnawatch-", b"kcnawatch-v2-").replace(
        b"utm_source=rss&amp;utm_medium=feed", b"utm_source=twitter"
    )
    site.route("/feed/", responses=[Reply(body=first, content_type=RSS),
                                    Reply(body=republished, content_type=RSS)])
    feed = make_feed()
    poll_feed(feed)

    again = poll_feed(Feed.objects.get(pk=feed.pk))

    assert again.new == []
    assert Article.objects.count() == 2


def test_the_same_text_at_a_new_address_under_a_new_id_is_ingested_once(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/mirror/treaty.html", body=(FEEDS / "treaty.html").read_bytes(),
               content_type=HTML)
    first = feed_body("rss.xml", site)
    moved = first.replace(b"kcnawatch-1718863200", b"kcnawatch-moved").replace(
        b"/newstream/treaty/?utm_source=rss&amp;utm_medium=feed", b"/mirror/treaty.html"
    )
    site.route("/feed/", responses=[Reply(body=first, content_type=RSS),
                                    Reply(body=moved, content_type=RSS)])
    feed = make_feed()
    poll_feed(feed)

    again = poll_feed(Feed.objects.get(pk=feed.pk))

    assert again.new == []
    assert again.duplicates == 1  # fetched once to find out: same text
    assert Article.objects.count() == 2


def test_the_second_poll_is_conditional_and_a_304_changes_nothing(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    body = feed_body("rss.xml", site)
    validators = {"ETag": '"rss-v1"', "Last-Modified": "Thu, 20 Jun 2024 06:00:00 GMT"}

    def conditional(request: Seen) -> Reply:
        if request.headers.get("If-None-Match") == '"rss-v1"':
            return Reply(status=304, headers=validators)
        return Reply(body=body, content_type=RSS, headers=validators)

    site.route("/feed/", conditional)
    feed = make_feed()
    poll_feed(feed)
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == ('"rss-v1"', "Thu, 20 Jun 2024 06:00:00 GMT")

    result = poll_feed(feed)

    second = site.seen("/feed/")[1].headers
    assert second["If-None-Match"] == '"rss-v1"'
    assert second["If-Modified-Since"] == "Thu, 20 Jun 2024 06:00:00 GMT"
    assert result.status == "not-modified"
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0
    assert feed.etag == '"rss-v1"'
    assert Article.objects.count() == 2


def test_an_empty_feed_is_a_success_with_nothing_new(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", body=feed_body("empty.xml", site), content_type=RSS)
    feed = make_feed()

    result = poll_feed(feed)

    assert (result.status, result.new) == ("ok", [])
    feed.refresh_from_db()
    assert feed.last_success_at is not None
    assert feed.last_error == ""


def test_a_malformed_feed_is_recorded_as_an_error_not_a_crash(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", body=feed_body("malformed.xml", site), content_type="text/xml")
    feed = make_feed()

    result = poll_feed(feed)

    assert result.status == "failed"
    feed.refresh_from_db()
    assert "could not be read" in feed.last_error
    assert feed.consecutive_failures == 1
    assert feed.last_success_at is None
    assert not Article.objects.exists()


def test_a_failing_feed_waits_longer_after_each_failure_and_recovers(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", responses=[
        *[Reply(body=feed_body("malformed.xml", site), content_type="text/xml")] * 3,
        Reply(body=feed_body("empty.xml", site), content_type=RSS),
    ])
    feed = make_feed(poll_interval_minutes=10)
    waits = []
    for _ in range(3):
        poll_feed(feed)
        feed.refresh_from_db()
        waits.append(round((feed.next_poll_at - timezone.now()) / timedelta(minutes=1)))

    assert waits == [20, 40, 80]
    assert feed.consecutive_failures == 3
    poll_feed(feed)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")


def test_a_feed_that_redirects_to_a_private_address_is_refused(
    site: ReplayServer, make_feed: Callable[..., Feed], monkeypatch: pytest.MonkeyPatch
) -> None:
    resolve_private(monkeypatch, "feeds.internal.example", "10.0.0.7")
    site.route("/feed/", status=302, headers={"Location": "http://feeds.internal.example/rss"})
    feed = make_feed()

    result = poll_feed(feed)

    assert result.status == "failed"
    feed.refresh_from_db()
    assert "not allowed" in feed.last_error
    assert "private address" in feed.last_error
    assert feed.consecutive_failures == 1


def test_an_entry_whose_page_is_not_html_is_skipped_and_not_fetched_again(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/newstream/vostochny/", body=b"%PDF-1.7", content_type="application/pdf")
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    feed = make_feed()

    result = poll_feed(feed)
    feed.refresh_from_db()
    assert "1 skipped" in feed.last_error
    assert feed.consecutive_failures == 0  # the feed itself is fine
    poll_feed(feed)

    assert [a.title for a in result.new] == ["Putin Pays State Visit to DPRK"]
    assert "not HTML" in result.skipped[0]
    assert len(site.seen("/newstream/vostochny/")) == 1


def test_an_entry_whose_page_is_down_is_tried_again_next_poll(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/newstream/vostochny/", responses=[
        Reply(status=503),
        Reply(body=(FEEDS / "vostochny.html").read_bytes(), content_type=HTML),
    ])
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    feed = make_feed()

    first = poll_feed(feed)
    second = poll_feed(Feed.objects.get(pk=feed.pk))

    assert [a.title for a in first.new] == ["Putin Pays State Visit to DPRK"]
    assert [a.title for a in second.new] == [
        "Kim Jong Un Holds Talks with Putin at Vostochny Cosmodrome"
    ]


# --- Scheduling and the lock ------------------------------------------------------------------


def test_only_enabled_feeds_that_are_due_are_polled(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    for path in ("/feed/due", "/feed/later", "/feed/off", "/feed/outlet-off"):
        site.route(path, body=feed_body("empty.xml", site), content_type=RSS)
    due = make_feed("/feed/due")
    make_feed("/feed/later", next_poll_at=timezone.now() + timedelta(minutes=5))
    make_feed("/feed/off", enabled=False)
    off_outlet = Outlet.objects.create(name="Paused outlet", enabled=False)
    Feed.objects.create(outlet=off_outlet, url=site.url("/feed/outlet-off"))

    polled = [r.feed for r in poll_due_feeds()]
    forced = {r.feed.url for r in poll_due_feeds(force=True)}

    assert polled == [due]
    assert forced == {site.url("/feed/due"), site.url("/feed/later")}


def test_a_task_out_of_time_leaves_the_other_feeds_due_for_the_next_run(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    site.route("/feed/other", body=feed_body("empty.xml", site), content_type=RSS)
    first = make_feed("/feed/", next_poll_at=timezone.now() - timedelta(minutes=1))
    other = make_feed("/feed/other")

    results = poll_due_feeds(budget_seconds=0)

    assert [r.feed for r in results] == [first]  # one feed, one fetch: then time is up
    assert [a.title for a in results[0].new] == [
        "Kim Jong Un Holds Talks with Putin at Vostochny Cosmodrome"
    ]
    assert results[0].partial
    assert {r.feed for r in poll_due_feeds()} == {first, other}  # the rest, next time
    assert Article.objects.count() == 2


def test_a_feed_being_polled_is_not_polled_again_at_the_same_time(
    make_feed: Callable[..., Feed],
) -> None:
    feed = make_feed()

    assert claim_feed(feed.pk) is not None
    assert claim_feed(feed.pk) is None
    assert claim_feed(feed.pk, force=True) is None
    assert poll_due_feeds(force=True) == []


def test_a_poll_whose_worker_died_is_taken_up_after_the_lease(
    make_feed: Callable[..., Feed], site: ReplayServer
) -> None:
    site.route("/feed/", body=feed_body("empty.xml", site), content_type=RSS)
    feed = make_feed()
    claimed = claim_feed(feed.pk)
    assert claimed is not None
    Feed.objects.filter(pk=feed.pk).update(  # as if that poll started long ago
        last_polled_at=claimed.last_polled_at - timedelta(hours=1),
        next_poll_at=claimed.next_poll_at - timedelta(hours=1),
    )

    assert [r.status for r in poll_due_feeds()] == ["ok"]


def test_poll_now_queues_a_poll_of_that_feed(
    site: ReplayServer, make_feed: Callable[..., Feed], editor: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    feed = make_feed(next_poll_at=timezone.now() + timedelta(hours=1))
    client = Client()
    client.force_login(editor)

    with django_capture_on_commit_callbacks() as queued:  # type: ignore[operator]
        response = client.post(reverse("monitor:poll_now", args=[feed.pk]), follow=True)

    assert "will be polled in a moment" in response.content.decode()
    assert Feed.objects.get(pk=feed.pk).next_poll_at <= timezone.now()
    assert len(queued) == 1
    queued[0]()  # the broker delivers the poll task (eager in tests)
    assert Article.objects.count() == 2


def test_reviewers_cannot_poll_feeds(
    make_feed: Callable[..., Feed], reviewer_client: Client
) -> None:
    feed = make_feed()

    response = reviewer_client.post(reverse("monitor:poll_now", args=[feed.pk]))

    assert response.status_code == 403


# --- Commands -------------------------------------------------------------------------------


def test_the_poll_feeds_command_polls_due_feeds_and_says_what_it_found(
    site: ReplayServer, make_feed: Callable[..., Feed]
) -> None:
    site.route("/feed/", body=feed_body("rss.xml", site), content_type=RSS)
    make_feed()
    out = StringIO()

    call_command("poll_feeds", stdout=out)
    call_command("poll_feeds", stdout=out)  # not due any more
    call_command("poll_feeds", "--all", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].endswith("ok, 2 new, 0 already in")
    assert lines[1] == "No feed is due."
    assert lines[2].endswith("ok, 0 new, 0 already in")


@pytest.mark.django_db
def test_load_outlets_loads_the_defaults_once_and_keeps_edits() -> None:
    call_command("load_outlets", stdout=StringIO())
    kcna_watch = Outlet.objects.get(name="KCNA Watch")
    Feed.objects.filter(url="https://kcnawatch.org/feed/").update(enabled=False)
    outlets, feeds = Outlet.objects.count(), Feed.objects.count()

    call_command("load_outlets", stdout=StringIO())

    assert (Outlet.objects.count(), Feed.objects.count()) == (outlets, feeds)
    assert kcna_watch.is_state_media and kcna_watch.domains == ["kcnawatch.org"]
    assert not Feed.objects.get(url="https://kcnawatch.org/feed/").enabled
    assert not Outlet.objects.get(name="NK News").is_state_media
    assert Feed.objects.get(url="https://tass.com/rss/v2.xml").enabled
    assert not Feed.objects.get(url="http://www.xinhuanet.com/english/rss/worldrss.xml").enabled
