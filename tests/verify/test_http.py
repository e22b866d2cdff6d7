"""The outbound HTTP seam against a real server on 127.0.0.1: retries, deadlines, caps,
politeness, the circuit breaker and the cache. Timings are measured on the server side."""

from __future__ import annotations

import gzip
import itertools
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import override_settings

from outbound import http, politeness
from tests.replay import ReplayServer, Reply, Seen

FAST = {
    "HTTP_DEADLINE": 5.0,
    "HTTP_CONNECT_TIMEOUT": 1.0,
    "HTTP_READ_TIMEOUT": 2.0,
    "HTTP_MAX_RETRIES": 3,
    "HTTP_RETRY_BACKOFF": 0.05,
    "HTTP_MAX_BYTES": 1_000_000,
    "HTTP_BREAKER_FAILURES": 5,
    "HTTP_BREAKER_RESET": 60,
    "HOST_LIMITS": {"default": {"in_flight": 8, "interval": 0.0}},
}


@pytest.fixture(autouse=True)
def fast_http(tmp_path: object) -> Iterator[None]:
    """Small limits so failures end in seconds; a fresh cache and lock folder per test."""
    with override_settings(VAR_DIR=tmp_path, **FAST):
        http.reset_breakers()
        yield
        http.reset_breakers()


def starts(server: ReplayServer, path: str) -> list[float]:
    return [r.at for r in server.seen(path)]


def test_it_sends_a_descriptive_user_agent(replay: ReplayServer) -> None:
    replay.route("/api", json={"ok": True})

    http.get(replay.url("/api"), source="test")

    agent = replay.seen("/api")[0].headers["User-Agent"]
    assert agent.startswith("Corroborate/")
    assert "ops@example.org" in agent  # a contact, as Wikimedia's policy asks


def test_it_returns_json_with_provenance_that_hides_the_key(replay: ReplayServer) -> None:
    replay.route("/api", json={"answer": 42}, headers={"ETag": '"v7"'})

    response = http.get(replay.url("/api"), source="test", params={"q": "visit", "key": "s3cret"})

    assert response.json() == {"answer": 42}
    assert replay.seen("/api")[0].query["key"] == ["s3cret"]  # the server still got it
    provenance = response.provenance()
    assert "s3cret" not in str(provenance)
    assert provenance["request_url"] == replay.url("/api?q=visit")
    assert provenance["status"] == 200
    assert provenance["etag"] == '"v7"'
    assert len(provenance["sha256"]) == 64
    assert provenance["from_cache"] is False


def test_it_posts_a_form(replay: ReplayServer) -> None:
    replay.route("/sparql", json={"results": {"bindings": []}},
                 content_type="application/sparql-results+json")

    response = http.post(replay.url("/sparql"), source="test", data={"query": "SELECT ?x {}"},
                         accept=("application/sparql-results+json",))

    assert response.json() == {"results": {"bindings": []}}
    assert replay.seen("/sparql")[0].body == b"query=SELECT+%3Fx+%7B%7D"


def test_it_waits_for_retry_after_before_trying_again(replay: ReplayServer) -> None:
    replay.route("/limited", responses=[Reply(status=429, headers={"Retry-After": "1"}),
                                        Reply(json={"ok": True})])

    assert http.get(replay.url("/limited"), source="test").json() == {"ok": True}

    first, second = starts(replay, "/limited")
    assert second - first >= 1.0


def test_it_reads_retry_after_as_an_http_date(replay: ReplayServer) -> None:
    from email.utils import formatdate

    replay.route("/limited", responses=[
        Reply(status=503, headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)}),
        Reply(json={}),
    ])

    http.get(replay.url("/limited"), source="test")

    first, second = starts(replay, "/limited")
    assert second - first >= 1.0  # the date has one-second resolution


def test_it_gives_up_at_once_when_retry_after_is_past_the_deadline(replay: ReplayServer) -> None:
    replay.route("/limited", status=429, headers={"Retry-After": "30"})

    began = time.monotonic()
    with pytest.raises(http.FetchError) as caught:
        http.get(replay.url("/limited"), source="test")

    assert time.monotonic() - began < 1.0
    assert len(replay.seen("/limited")) == 1  # never retried sooner than asked
    assert caught.value.retry_after == 30  # so the Celery task can come back later
    assert not caught.value.permanent and not caught.value.unreachable
    assert caught.value.status == 429


def test_it_succeeds_on_the_fourth_try_after_three_503s(replay: ReplayServer) -> None:
    replay.route("/flaky", responses=[Reply(status=503)] * 3 + [Reply(json={"ok": 1})])

    assert http.get(replay.url("/flaky"), source="test").json() == {"ok": 1}

    times = starts(replay, "/flaky")
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4
    # Exponential backoff with jitter: each wait is within 0.5-1.5 x (0.05 s x 2^n).
    for n, gap in enumerate(gaps):
        assert 0.5 * 0.05 * 2**n * 0.9 <= gap <= 1.5 * 0.05 * 2**n + 0.2


def test_it_never_retries_a_404(replay: ReplayServer) -> None:
    with pytest.raises(http.FetchError) as caught:
        http.get(replay.url("/missing"), source="test")

    assert caught.value.permanent
    assert caught.value.status == 404
    assert len(replay.seen("/missing")) == 1


def test_it_retries_a_500_then_reports_a_temporary_error(replay: ReplayServer) -> None:
    replay.route("/broken", status=500, body=b"Internal Server Error")

    with pytest.raises(http.FetchError) as caught:
        http.get(replay.url("/broken"), source="test")

    assert not caught.value.permanent and not caught.value.unreachable
    assert caught.value.status == 500
    assert len(replay.seen("/broken")) == 1 + FAST["HTTP_MAX_RETRIES"]  # type: ignore[operator]


@override_settings(HTTP_READ_TIMEOUT=0.5, HTTP_MAX_RETRIES=0)
def test_a_slow_answer_past_the_read_timeout_is_a_temporary_error(replay: ReplayServer) -> None:
    replay.route("/slow", json={}, delay=3.0)

    began = time.monotonic()
    with pytest.raises(http.FetchError, match="read timeout") as caught:
        http.get(replay.url("/slow"), source="test")

    assert 0.4 < time.monotonic() - began < 1.5
    assert not caught.value.permanent and not caught.value.unreachable


@override_settings(HTTP_DEADLINE=1.5, HTTP_READ_TIMEOUT=20.0)
def test_a_server_that_never_answers_ends_at_the_deadline(replay: ReplayServer) -> None:
    replay.route("/silent", json={}, delay=30.0)

    began = time.monotonic()
    with pytest.raises(http.FetchError) as caught:
        http.get(replay.url("/silent"), source="test")

    assert time.monotonic() - began < 2.5
    assert not caught.value.permanent


@override_settings(HTTP_DEADLINE=1.5, HTTP_READ_TIMEOUT=20.0, HTTP_MAX_RETRIES=0)
def test_a_server_trickling_bytes_ends_at_the_deadline(replay: ReplayServer) -> None:
    replay.route("/trickle", json={"padding": "x" * 200}, trickle=0.1)  # ~20 s in all

    began = time.monotonic()
    with pytest.raises(http.FetchError, match="deadline"):
        http.get(replay.url("/trickle"), source="test")

    assert time.monotonic() - began < 2.5


def test_an_unreachable_host_fails_within_seconds(replay: ReplayServer) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connection refused

    began = time.monotonic()
    with pytest.raises(http.FetchError) as caught:
        http.get(f"http://127.0.0.1:{port}/api", source="test")

    assert caught.value.unreachable
    assert time.monotonic() - began < 2.0


def test_malformed_json_is_a_temporary_error(replay: ReplayServer) -> None:
    replay.route("/bad", body=b'{"articles": [', content_type="application/json")

    response = http.get(replay.url("/bad"), source="test")
    with pytest.raises(http.FetchError, match="malformed JSON") as caught:
        response.json()

    assert not caught.value.permanent


def test_control_characters_inside_json_are_tolerated(replay: ReplayServer) -> None:
    # GDELT sometimes puts raw control characters and stray backslashes in titles.
    replay.route("/gdelt", body=b'{"title": "Kim\x01 meets\x1f Putin\x0b in \\Moscow"}',
                 content_type="application/json")

    data = http.get(replay.url("/gdelt"), source="test").json()

    assert data["title"].split() == ["Kim", "meets", "Putin", "in", "Moscow"]


def test_the_wrong_content_type_is_a_permanent_error(replay: ReplayServer) -> None:
    replay.route("/api", body=b"<html>Please enable JavaScript</html>",
                 content_type="text/html; charset=utf-8")

    with pytest.raises(http.FetchError, match="unexpected content type text/html") as caught:
        http.get(replay.url("/api"), source="test")

    assert caught.value.permanent
    assert len(replay.seen("/api")) == 1


def test_a_50_mb_body_is_refused_from_its_content_length(replay: ReplayServer) -> None:
    replay.route("/huge", body=b"x" * 50_000_000, content_type="application/json")

    with pytest.raises(http.FetchError, match="more than the 1,000,000-byte limit") as caught:
        http.get(replay.url("/huge"), source="test")

    assert caught.value.permanent


def test_a_50_mb_body_without_a_length_stops_at_the_cap(replay: ReplayServer) -> None:
    # No usable Content-Length: the client must count what it reads and stop.
    replay.route("/huge", body=b"x" * 50_000_000, content_type="application/json",
                 headers={"Content-Length": "", "Connection": "close"})

    tracemalloc.start()
    try:
        with pytest.raises(http.FetchError, match="more than the 1,000,000-byte limit"):
            http.get(replay.url("/huge"), source="test")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 10_000_000


def test_a_gzip_bomb_stops_at_the_cap_of_decoded_bytes(replay: ReplayServer) -> None:
    bomb = gzip.compress(bytes(60_000_000), compresslevel=9)  # ~60 KB that inflates to 60 MB
    assert len(bomb) < 100_000
    replay.route("/bomb", body=bomb, content_type="application/json",
                 headers={"Content-Encoding": "gzip"})

    tracemalloc.start()
    try:
        with pytest.raises(http.FetchError, match="more than the 1,000,000-byte limit"):
            http.get(replay.url("/bomb"), source="test")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 10_000_000


def test_a_gzipped_body_under_the_cap_is_decoded(replay: ReplayServer) -> None:
    replay.route("/gz", body=gzip.compress(b'{"ok": true}'), content_type="application/json",
                 headers={"Content-Encoding": "gzip"})

    assert http.get(replay.url("/gz"), source="test").json() == {"ok": True}


class Overlap:
    """A handler that records when each request was being served, to measure concurrency."""

    def __init__(self, hold: float) -> None:
        self.hold = hold
        self.spans: list[tuple[float, float]] = []
        self.lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        began = time.monotonic()
        time.sleep(self.hold)
        with self.lock:
            self.spans.append((began, time.monotonic()))
        return Reply(json={"ok": True})

    def most_at_once(self) -> int:
        events = sorted([(a, 1) for a, _ in self.spans] + [(b, -1) for _, b in self.spans])
        now = peak = 0
        for _, step in events:
            now += step
            peak = max(peak, now)
        return peak


def hammer(url: str, times: int) -> None:
    errors: list[BaseException] = []

    def one() -> None:
        try:
            http.get(url, source="test")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


@override_settings(HOST_LIMITS={"127.0.0.1": {"in_flight": 1, "interval": 0.4}})
def test_one_host_never_gets_more_than_its_limits(replay: ReplayServer) -> None:
    overlap = Overlap(hold=0.05)
    replay.route("/wiki", overlap)

    hammer(replay.url("/wiki"), times=6)

    assert len(overlap.spans) == 6
    assert overlap.most_at_once() == 1
    begins = sorted(a for a, _ in overlap.spans)
    # Measured where the requests arrive: a loaded machine can delay one request's arrival
    # after its slot was granted (seen up to ~0.12 s), which shortens the next gap; the
    # booked starts themselves are exactly 0.4 s apart.
    assert min(b - a for a, b in itertools.pairwise(begins)) >= 0.4 - 0.15
    assert begins[-1] - begins[0] >= 5 * 0.4 - 0.2


@override_settings(HOST_LIMITS={"default": {"in_flight": 2, "interval": 0.0}})
def test_the_default_allows_two_in_flight(replay: ReplayServer) -> None:
    overlap = Overlap(hold=0.2)
    replay.route("/page", overlap)

    hammer(replay.url("/page"), times=6)

    assert overlap.most_at_once() == 2  # two at once, never three


def test_hosts_match_their_limits_by_domain() -> None:
    with override_settings(HOST_LIMITS={"default": {"in_flight": 2, "interval": 0.5},
                                        "wikipedia.org": {"in_flight": 1, "interval": 0.0},
                                        "api.gdeltproject.org": {"in_flight": 1,
                                                                 "interval": 5.0}}):
        assert http.host_limits("en.wikipedia.org") == (1, 0.0)
        assert http.host_limits("api.gdeltproject.org") == (1, 5.0)
        assert http.host_limits("notwikipedia.org") == (2, 0.5)
        assert http.host_limits("127.0.0.1:8000") == (2, 0.5)


@override_settings(HTTP_MAX_RETRIES=0, HTTP_BREAKER_RESET=1)
def test_the_circuit_opens_after_five_failures_and_spares_other_sources(
        replay: ReplayServer) -> None:
    replay.route("/down", status=500)
    replay.route("/up", json={"ok": True})

    for _ in range(5):
        with pytest.raises(http.FetchError, match="HTTP 500"):
            http.get(replay.url("/down"), source="gdelt")
    with pytest.raises(http.FetchError, match="circuit open") as caught:
        http.get(replay.url("/up"), source="gdelt")

    # 5xx means the host is alive but failing: jobs come back after the reset time.
    assert not caught.value.unreachable and not caught.value.permanent
    assert caught.value.retry_after == settings.HTTP_BREAKER_RESET
    assert len(replay.seen("/down")) == 5
    assert replay.seen("/up") == []  # no request while the circuit is open
    assert http.get(replay.url("/up"), source="wikipedia").json() == {"ok": True}

    time.sleep(1.1)  # the reset time passes
    assert http.get(replay.url("/up"), source="gdelt").json() == {"ok": True}


def test_a_circuit_opened_by_an_unreachable_host_says_unreachable() -> None:
    for _ in range(5):
        with pytest.raises(http.FetchError, match="could not connect") as failed:
            http.get("http://127.0.0.1:9/gone", source="gdelt")
        assert failed.value.unreachable
    with pytest.raises(http.FetchError, match="circuit open") as caught:
        http.get("http://127.0.0.1:9/gone", source="gdelt")
    assert caught.value.unreachable  # offline: jobs settle at once instead of retrying


def test_waiting_for_a_politeness_slot_is_not_a_failure_of_the_host(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer
) -> None:
    """A slot held by a process that was killed mid-request makes others wait; giving up on
    that wait must not open the circuit for a host that never failed."""
    replay.route("/up", json={"ok": True})

    @contextmanager
    def busy(host_key: str, deadline: float) -> Iterator[None]:
        raise politeness._too_late(host_key)
        yield

    with monkeypatch.context() as patch:
        patch.setattr(http, "polite", busy)
        for _ in range(8):
            with pytest.raises(http.PolitenessTimeout):
                http.get(replay.url("/up"), source="gdelt")
    assert http.get(replay.url("/up"), source="gdelt").json() == {"ok": True}


@override_settings(HTTP_MAX_RETRIES=0)
def test_a_success_resets_the_failure_count(replay: ReplayServer) -> None:
    replay.route("/down", status=503)
    replay.route("/up", json={})

    for _ in range(4):
        with pytest.raises(http.FetchError):
            http.get(replay.url("/down"), source="wikidata")
    http.get(replay.url("/up"), source="wikidata")
    for _ in range(4):
        with pytest.raises(http.FetchError, match="HTTP 503"):
            http.get(replay.url("/down"), source="wikidata")

    assert len(replay.seen("/down")) == 8


def test_a_cached_response_makes_no_second_request(replay: ReplayServer) -> None:
    replay.route("/search", json={"hits": 3})

    first = http.get(replay.url("/search"), source="test", params={"q": "x", "key": "a"}, ttl=60)
    second = http.get(replay.url("/search"), source="test", params={"q": "x", "key": "b"}, ttl=60)

    assert len(replay.seen("/search")) == 1  # the key is not part of the cache key
    assert not first.from_cache and second.from_cache
    assert second.json() == {"hits": 3}
    assert second.provenance()["from_cache"] is True


def test_without_a_ttl_nothing_is_cached(replay: ReplayServer) -> None:
    replay.route("/search", json={"hits": 3})

    http.get(replay.url("/search"), source="test")
    http.get(replay.url("/search"), source="test")

    assert len(replay.seen("/search")) == 2


def test_text_follows_the_header_then_the_meta_charset(replay: ReplayServer) -> None:
    replay.route("/latin", body="Café".encode("latin-1"),
                 content_type="text/plain; charset=iso-8859-1")
    replay.route("/meta", body='<meta charset="koi8-r"><p>Пхеньян</p>'.encode("koi8-r"),
                 content_type="text/html")

    latin = http.get(replay.url("/latin"), source="test", accept=("text/",))
    meta = http.get(replay.url("/meta"), source="test", accept=("text/html",))

    assert latin.text() == "Café"
    assert "Пхеньян" in meta.text()
