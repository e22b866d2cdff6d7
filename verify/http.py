"""The one outbound HTTP seam. Every request Corroborate makes leaves through here.

Two doors:

* `get` / `post` for operator-configured API endpoints (settings.*_URL): trusted hosts, with
  a descriptive User-Agent, (connect, read) timeouts, an overall deadline, a decoded-body cap,
  a Content-Type check, bounded retries honouring Retry-After, per-host politeness shared by
  all worker processes, a circuit breaker per source and an optional HTTP cache.
* `fetch_user_url` for URLs a person (or a feed) supplied: the same limits plus the SSRF
  guard (`check_user_url`), manual redirects with every hop re-checked, and a connection made
  only to the address that was checked.

Errors are `FetchError` (a `SourceError`): `permanent` ones (400/401/403/404/410, blocked
URLs, wrong content type) are not worth retrying; `unreachable` ones (DNS failure,
connection refused, connect timeout, open circuit) mean the network or host is not there;
the rest (429, 5xx, read timeout, malformed JSON) are temporary and may carry `retry_after`.
"""

from __future__ import annotations

import contextvars
import email.utils
import fcntl
import hashlib
import ipaddress
import json as jsonlib
import logging
import os
import random
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import certifi
import idna
import requests
import requests_cache
import urllib3
from charset_normalizer import from_bytes
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from verify.sources.base import SourceError

log = logging.getLogger(__name__)

SECRET_PARAMS = {"key", "api_key", "apikey", "token", "access_token"}
MAX_REDIRECTS = 5
ERROR_BODY_BYTES = 64_000  # enough of an error page to log, never the whole thing
PERMANENT_STATUSES = {400, 401, 403, 404, 405, 406, 410, 411, 413, 414, 415, 422, 451}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchError(SourceError):
    """A request failed. `status` is the HTTP status when there was one; `retry_after` is
    the server's requested wait in seconds when it gave one (429/503 Retry-After)."""

    def __init__(self, message: str, *, permanent: bool = False, unreachable: bool = False,
                 status: int | None = None, retry_after: float | None = None):
        super().__init__(message, permanent=permanent, unreachable=unreachable)
        self.status = status
        self.retry_after = retry_after


class BlockedURL(FetchError):
    """The SSRF guard refused a user-supplied URL; str(exc) says why in words."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


# --- Response -----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# Control characters other than tab, newline and carriage return: some APIs (GDELT) put them
# raw inside strings, which strict JSON refuses.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Response:
    url: str  # final URL, after redirects
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: datetime
    from_cache: bool = False
    request_url: str = ""  # the URL asked for, secret parameters (key, api_key, token) removed
    _text: str | None = field(default=None, repr=False, compare=False)

    def text(self) -> str:
        """The body decoded: header charset, then <meta charset>, then charset-normalizer."""
        if self._text is None:
            self._text = _decode(self.content, self.headers.get("Content-Type", ""))
        return self._text

    def json(self) -> Any:
        """The body parsed as JSON, tolerating control characters that break strict JSON.
        Raises a temporary FetchError("malformed JSON ...") otherwise."""
        text = _CONTROL_CHARS.sub(" ", self.text().lstrip("\ufeff"))
        # As gdeltdoc does: blank the character the parser stumbles on, when it is one a
        # sloppy encoder leaves behind (a stray backslash), and try again, a bounded number
        # of times. Anything else is malformed.
        for _ in range(100):
            try:
                return jsonlib.loads(text, strict=False)
            except jsonlib.JSONDecodeError as exc:
                error = exc
                bad = exc.pos - 1 if text[exc.pos - 1:exc.pos] == "\\" else exc.pos
                if text[bad:bad + 1] != "\\":
                    break
                text = text[:bad] + " " + text[bad + 1:]
        raise FetchError(f"malformed JSON from {_host(self.url)}: {error}",
                         status=self.status) from error

    def provenance(self) -> dict:
        """What a Reference keeps about how it was fetched: request_url, final_url, status,
        fetched_at (ISO 8601), etag, last_modified, sha256 of the body, from_cache."""
        return {
            "request_url": self.request_url or strip_secrets(self.url),
            "final_url": strip_secrets(self.url),
            "status": self.status,
            "fetched_at": self.fetched_at.isoformat(),
            "etag": self.headers.get("ETag", ""),
            "last_modified": self.headers.get("Last-Modified", ""),
            "sha256": hashlib.sha256(self.content).hexdigest(),
            "from_cache": self.from_cache,
        }


def _decode(content: bytes, content_type: str) -> str:
    charset = _param(content_type, "charset")
    if not charset:
        match = _META_CHARSET.search(content[:4096])
        charset = match.group(1).decode("ascii") if match else ""
    if charset:
        try:
            return content.decode(charset, errors="replace")
        except LookupError:
            pass  # an unknown charset name: guess instead
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(content).best()
        return str(best) if best is not None else content.decode("utf-8", errors="replace")


def _param(content_type: str, name: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip("\"'")
    return ""


def strip_secrets(url: str) -> str:
    """The URL without query parameters that carry keys or tokens (safe to store and show)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in SECRET_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _host(url: str) -> str:
    return urlsplit(url).netloc.rpartition("@")[2] or url


# --- Limits carried to the transport for one request ------------------------------------

@dataclass(frozen=True)
class _Limits:
    deadline: float  # time.monotonic() at which the whole call gives up
    max_bytes: int
    accept: tuple[str, ...]

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def timeout(self) -> tuple[float, float]:
        left = max(self.remaining(), 0.01)
        return (min(settings.HTTP_CONNECT_TIMEOUT, left), min(settings.HTTP_READ_TIMEOUT, left))


# The requests adapter below reads the body itself (to cap it and keep the deadline), so it
# needs this call's limits; requests gives an adapter no way to receive them, hence a
# context variable set around each send.
_current: contextvars.ContextVar[_Limits] = contextvars.ContextVar("http_limits")


def _read_body(raw: urllib3.BaseHTTPResponse, limits: _Limits, url: str,
               cap: int | None = None) -> bytes:
    """Read the decoded body, stopping at the cap (so gzip bombs stop too) and the deadline
    (so a server trickling a byte a second stops too)."""
    cap = limits.max_bytes if cap is None else cap
    # A compressed body only grows when decoded, so a declared length over the cap is
    # refused before reading a byte whatever the encoding.
    length = raw.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > cap:
        raw.close()
        raise FetchError(f"{_host(url)} sent {int(length):,} bytes, more than the "
                         f"{cap:,}-byte limit", permanent=True, status=raw.status)
    chunks, size = [], 0
    try:
        while chunk := raw.read1(64 * 1024, decode_content=True):
            size += len(chunk)
            if size > cap:
                raw.close()
                raise FetchError(f"{_host(url)} sent more than the {cap:,}-byte limit",
                                 permanent=True, status=raw.status)
            if limits.remaining() <= 0:
                raw.close()
                raise FetchError(f"{_host(url)} was still sending at the deadline",
                                 status=raw.status)
            chunks.append(chunk)
    except (ReadTimeoutError, TimeoutError) as exc:
        raw.close()
        raise FetchError(f"{_host(url)} stopped sending (read timeout)", status=raw.status) from exc
    except HTTPError as exc:
        raw.close()
        raise FetchError(f"{_host(url)} broke off the response: {exc}", status=raw.status) from exc
    raw.release_conn()
    return b"".join(chunks)


def _check_content_type(headers: Mapping[str, str], limits: _Limits, url: str,
                        status: int) -> None:
    if not limits.accept:
        return
    ctype = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not any(ctype.startswith(a.lower()) for a in limits.accept):
        raise FetchError(f"unexpected content type {ctype or '(none)'} from {_host(url)}",
                         permanent=True, status=status)


class _CappedAdapter(HTTPAdapter):
    """Always streams, then reads the body under this call's cap and deadline before the
    cache (or anyone else) calls response.content."""

    def send(self, request: requests.PreparedRequest, stream: bool = False,  # type: ignore[override]
             **kwargs: Any) -> requests.Response:
        limits = _current.get(None) or _Limits(
            time.monotonic() + settings.HTTP_DEADLINE, settings.HTTP_MAX_BYTES, ())
        response = super().send(request, stream=True, **kwargs)
        url = request.url or ""
        if response.status_code < 300:
            _check_content_type(response.headers, limits, url, response.status_code)
            body = _read_body(response.raw, limits, url)
        elif response.is_redirect:
            body = b""
            response.raw.close()
        else:
            try:
                body = _read_body(response.raw, limits, url, cap=ERROR_BODY_BYTES)
            except FetchError:
                body = b""  # the status says what matters; the body was only for the log
        response._content = body
        response._content_consumed = True  # type: ignore[attr-defined]
        return response


# --- Sessions (one per thread and process: connection pools must not cross a fork) ------

_local = threading.local()


def _redis_url() -> str:
    if settings.CACHE_REDIS_URL:
        return settings.CACHE_REDIS_URL
    broker = settings.CELERY_BROKER_URL or ""
    return broker if broker.startswith(("redis://", "rediss://")) else ""


def _session(cached: bool) -> requests.Session:
    config = (os.getpid(), cached, settings.HTTP_CACHE, _redis_url(), str(settings.VAR_DIR))
    sessions: dict = _local.__dict__.setdefault("sessions", {})
    if config not in sessions:
        session: requests.Session
        if cached and settings.HTTP_CACHE:
            session = requests_cache.CachedSession(
                **_cache_backend(),
                ignored_parameters=["key", "api_key", "apikey", "token", "access_token"],
                allowable_methods=("GET", "HEAD", "POST"),
                allowable_codes=(200,),
                expire_after=requests_cache.DO_NOT_CACHE,
            )
        else:
            session = requests.Session()
        session.trust_env = False  # no proxies or netrc credentials from the environment
        session.mount("http://", _CappedAdapter(max_retries=0))
        session.mount("https://", _CappedAdapter(max_retries=0))
        session.headers["User-Agent"] = settings.HTTP_USER_AGENT
        sessions[config] = session
    return sessions[config]


def _cache_backend() -> dict[str, Any]:
    url = _redis_url()
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return {"backend": requests_cache.RedisCache(namespace="corroborate_http",
                                                      connection=client)}
    return {"cache_name": str(settings.VAR_DIR / "http_cache.sqlite3"), "backend": "sqlite"}


# --- Trusted endpoints ----------------------------------------------------------------------

def get(url: str, *, source: str, params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None, accept: tuple[str, ...] = ("application/json",),
        ttl: int | None = None, max_bytes: int | None = None) -> Response:
    """GET an operator-configured endpoint on behalf of `source` (its circuit breaker).

    `accept` are Content-Type prefixes that are acceptable; `ttl` caches the response for
    that many seconds (None: no cache); `max_bytes` caps the decoded body (default
    settings.HTTP_MAX_BYTES)."""
    return _trusted("GET", url, source=source, params=params, data=None, headers=headers,
                    accept=accept, ttl=ttl, max_bytes=max_bytes)


def post(url: str, *, source: str, data: Mapping[str, Any],
         headers: Mapping[str, str] | None = None,
         accept: tuple[str, ...] = ("application/json",), ttl: int | None = None,
         max_bytes: int | None = None) -> Response:
    """POST a form to an operator-configured endpoint (WDQS takes long SPARQL this way)."""
    return _trusted("POST", url, source=source, params=None, data=data, headers=headers,
                    accept=accept, ttl=ttl, max_bytes=max_bytes)


def _trusted(method: str, url: str, *, source: str, params: Mapping[str, Any] | None,
             data: Mapping[str, Any] | None, headers: Mapping[str, str] | None,
             accept: tuple[str, ...], ttl: int | None, max_bytes: int | None) -> Response:
    limits = _Limits(time.monotonic() + settings.HTTP_DEADLINE,
                     max_bytes or settings.HTTP_MAX_BYTES, accept)
    session = _session(cached=ttl is not None)
    request_headers = {"Accept": ", ".join(accept) or "*/*", **(headers or {})}
    cached = isinstance(session, requests_cache.CachedSession)
    cache_args: dict[str, Any] = {"expire_after": ttl} if cached else {}

    def attempt() -> Response:
        token = _current.set(limits)
        try:
            r = session.request(method, url, params=params, data=data, headers=request_headers,
                                timeout=limits.timeout(), allow_redirects=True, **cache_args)
        except requests.RequestException as exc:
            raise _network_error(exc, url) from exc
        finally:
            _current.reset(token)
        from_cache = bool(getattr(r, "from_cache", False))
        fetched = getattr(r, "created_at", None) if from_cache else None
        response = Response(
            url=r.url, status=r.status_code, headers=CaseInsensitiveDict(r.headers),
            content=r.content, from_cache=from_cache,
            fetched_at=(fetched.replace(tzinfo=fetched.tzinfo or UTC) if fetched
                        else datetime.now(UTC)),
            request_url=strip_secrets(r.request.url or url) if r.request else strip_secrets(url),
        )
        _raise_for_status(response)
        return response

    with _breaker(source):
        return _with_retries(attempt, limits, _host_key(url))


def _network_error(exc: requests.RequestException, url: str) -> FetchError:
    host = _host(url)
    if isinstance(exc, requests.ConnectTimeout):
        return FetchError(f"{host} did not accept a connection in time", unreachable=True)
    if isinstance(exc, requests.ReadTimeout):
        return FetchError(f"{host} did not answer in time (read timeout)")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(f"{host}: TLS failed ({exc})", permanent=True)
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    if isinstance(reason, NameResolutionError):
        return FetchError(f"could not resolve {host}", unreachable=True)
    if isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
        return FetchError(f"could not connect to {host}", unreachable=True)
    return FetchError(f"{host}: {type(exc).__name__}: {exc}")


def _raise_for_status(response: Response) -> None:
    status = response.status
    if status < 400 or status == 304:
        return
    host = _host(response.url)
    retry_after = _retry_after(response.headers.get("Retry-After", ""))
    if status in PERMANENT_STATUSES or (400 <= status < 500 and status not in (408, 425, 429)):
        raise FetchError(f"{host} answered HTTP {status}", permanent=True, status=status)
    raise FetchError(f"{host} answered HTTP {status}", status=status, retry_after=retry_after)


def _retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _with_retries(attempt: Callable[[], Response], limits: _Limits, host_key: str) -> Response:
    """Run `attempt` under the host's politeness limits, retrying temporary failures with
    jittered exponential backoff, never sooner than Retry-After, never past the deadline."""
    retries = settings.HTTP_MAX_RETRIES
    for n in range(retries + 1):
        try:
            with polite(host_key, limits.deadline):
                return attempt()
        except FetchError as exc:
            if exc.permanent or exc.unreachable:
                raise
            backoff = settings.HTTP_RETRY_BACKOFF * 2**n * random.uniform(0.5, 1.5)
            wait = max(exc.retry_after or 0.0, backoff)
            if n == retries or wait >= limits.remaining():
                if exc.retry_after and exc.retry_after >= limits.remaining():
                    # The caller (a Celery task) can come back later; we cannot wait here.
                    raise FetchError(f"{exc}; asked to retry after {exc.retry_after:g} s",
                                     status=exc.status, retry_after=exc.retry_after) from exc
                raise
            log.info("retrying %s in %.2f s: %s", host_key, wait, exc)
            time.sleep(wait)
    raise AssertionError("unreachable")  # the loop always returns or raises


# --- Per-host politeness, shared by every worker process ---------------------------------

def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").rstrip(".").lower() + (f":{parts.port}" if parts.port else "")


def host_limits(host_key: str) -> tuple[int, float]:
    """(requests in flight at once, seconds between request starts) for a host."""
    host = host_key.rsplit(":", 1)[0] if host_key.count(":") == 1 else host_key
    table: Mapping[str, Mapping[str, float]] = settings.HOST_LIMITS
    names = [n for n in table if n != "default" and (host == n or host.endswith("." + n))]
    limit = table[names[0]] if names else table.get("default", {"in_flight": 2, "interval": 0.5})
    return max(int(limit.get("in_flight", 1)), 1), float(limit.get("interval", 0.0))


@contextmanager
def polite(host_key: str, deadline: float) -> Iterator[None]:
    """Hold one of the host's in-flight slots, and start no sooner than its interval after
    the previous start by any process. Raises a temporary FetchError at the deadline."""
    in_flight, interval = host_limits(host_key)
    redis_url = _redis_url()
    if redis_url:
        try:
            client = _redis(redis_url)
            client.ping()
        except Exception:  # Redis down: fall back, still polite locally
            log.warning("politeness: Redis unavailable, using local file locks")
        else:
            with _redis_slot(client, host_key, in_flight, interval, deadline):
                yield
            return
    with _file_slot(host_key, in_flight, interval, deadline):
        yield


class PolitenessTimeout(FetchError):
    """No request was made: the host's slots stayed busy until the deadline. Says nothing
    about the host's health, so the circuit breaker does not count it."""


def _too_late(host_key: str) -> FetchError:
    return PolitenessTimeout(f"gave up waiting for a free slot for {host_key} (politeness limit)")


_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local start = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'))
if start - now > tonumber(ARGV[5]) then return -2 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
-- The booking must outlive the start it books, however far ahead that is.
redis.call('SET', KEYS[2], start + tonumber(ARGV[3]), 'PX', start - now + tonumber(ARGV[3]) + 1000)
return start - now
"""


@contextmanager
def _redis_slot(client: Any, host_key: str, in_flight: int, interval: float,
                deadline: float) -> Iterator[None]:
    # A sorted set of leases scored by expiry: a crashed worker's slot frees itself once its
    # lease runs out. The interval is a reservation: each start books the next start time.
    slots, next_start = f"corroborate:http:slots:{host_key}", f"corroborate:http:next:{host_key}"
    token = uuid.uuid4().hex
    while True:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0:
            raise _too_late(host_key)
        # No call outlives its own deadline, so a slot held longer than that (plus a little)
        # belongs to a process that was killed mid-request.
        lease_ms = left_ms + 5000
        wait_ms = int(client.eval(_ACQUIRE, 2, slots, next_start, token, in_flight,
                                  int(interval * 1000), lease_ms, left_ms))
        if wait_ms >= 0:
            break
        if wait_ms == -2:
            raise _too_late(host_key)
        time.sleep(0.02)
    try:
        time.sleep(wait_ms / 1000)
        yield
    finally:
        try:
            client.zrem(slots, token)
        except Exception:  # the lease expires on its own
            log.warning("politeness: could not release a Redis slot for %s", host_key)


_redis_clients: dict[tuple[int, str], Any] = {}


def _redis(url: str) -> Any:
    import redis

    key = (os.getpid(), url)
    if key not in _redis_clients:
        _redis_clients[key] = redis.Redis.from_url(url, socket_timeout=2,
                                                   socket_connect_timeout=2)
    return _redis_clients[key]


@contextmanager
def _file_slot(host_key: str, in_flight: int, interval: float,
               deadline: float) -> Iterator[None]:
    # flock() locks belong to an open file description, so they work between threads (each
    # opens its own) and between processes, and the kernel drops them if a process dies.
    folder = settings.VAR_DIR / "http-politeness"
    folder.mkdir(parents=True, exist_ok=True)
    stem = hashlib.sha256(host_key.encode()).hexdigest()[:20]
    held = None
    while held is None:
        for i in range(in_flight):
            handle = open(folder / f"{stem}.slot{i}", "a+")  # noqa: SIM115 - held past this block
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            held = handle
            break
        if held is None:
            if time.monotonic() >= deadline:
                raise _too_late(host_key)
            time.sleep(0.02)
    try:
        wait = _reserve_start(folder / f"{stem}.next", interval, deadline, host_key)
        time.sleep(wait)
        yield
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        held.close()


def _reserve_start(path: os.PathLike[str], interval: float, deadline: float,
                   host_key: str) -> float:
    """Book the next start time for the host; return how long to wait for it."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # held for microseconds: read, compare, write
        handle.seek(0)
        try:
            booked = float(handle.read() or 0)
        except ValueError:
            booked = 0.0
        now = time.time()
        start = max(now, booked)
        if start - now >= deadline - time.monotonic():
            raise _too_late(host_key)
        handle.seek(0)
        handle.truncate()
        handle.write(repr(start + interval))
        handle.flush()
    return start - now


# --- Circuit breaker per source ------------------------------------------------------------

@contextmanager
def _breaker_file(source: str) -> Iterator[dict[str, float]]:
    """The source's breaker state without Redis: a small JSON file under VAR_DIR, read and
    written under flock, so every worker process on this machine shares one count and one
    open circuit (as they share the politeness slots)."""
    folder = settings.VAR_DIR / "http-breakers"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(source.encode()).hexdigest()[:20]}.json"
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # held for microseconds: read, change, write
        handle.seek(0)
        try:
            state = {k: float(v) for k, v in jsonlib.loads(handle.read() or "{}").items()}
        except (ValueError, AttributeError):
            state = {}
        before = dict(state)
        yield state  # {"fails": consecutive failures, "open_until": time.time() stamp}
        if state != before:
            handle.seek(0)
            handle.truncate()
            handle.write(jsonlib.dumps(state))
            handle.flush()


@contextmanager
def _breaker(source: str) -> Iterator[None]:
    """After HTTP_BREAKER_FAILURES consecutive failed calls (temporary or unreachable) the
    source's calls fail at once, without a request, for HTTP_BREAKER_RESET seconds.

    An open circuit is "unreachable" when the failure that opened it was (the host is gone:
    offline jobs settle at once), and temporary otherwise (5xx, timeouts: jobs come back
    after the reset)."""
    opened = _breaker_open(source)
    if opened:
        raise FetchError(f"circuit open for {source}: too many recent failures",
                         unreachable=opened == "unreachable",
                         retry_after=float(settings.HTTP_BREAKER_RESET))
    try:
        yield
    except PolitenessTimeout:
        raise  # no request was made: nothing learnt about the host
    except FetchError as exc:
        if exc.permanent:
            _breaker_record(source, ok=True)  # the host answered; the request was wrong
        else:
            _breaker_record(source, ok=False, unreachable=exc.unreachable)
        raise
    _breaker_record(source, ok=True)


def _breaker_open(source: str) -> str:
    """"" when closed, else why it opened: "unreachable" or "failing"."""
    url = _redis_url()
    if url:
        try:
            opened = _redis(url).get(f"corroborate:http:open:{source}")
            return opened.decode() if opened else ""
        except Exception:  # fall back to this machine's view
            log.warning("circuit breaker: Redis unavailable, using local state files")
    with _breaker_file(source) as state:
        if state.get("open_until", 0.0) <= time.time():
            return ""
        return "unreachable" if state.get("unreachable") else "failing"


def _breaker_record(source: str, *, ok: bool, unreachable: bool = False) -> None:
    limit, reset = settings.HTTP_BREAKER_FAILURES, settings.HTTP_BREAKER_RESET
    why = "unreachable" if unreachable else "failing"
    url = _redis_url()
    if url:
        try:
            client = _redis(url)
            fails_key = f"corroborate:http:fails:{source}"
            if ok:
                client.delete(fails_key)
            elif client.incr(fails_key) >= limit:
                client.set(f"corroborate:http:open:{source}", why, ex=reset)
                client.delete(fails_key)
            return
        except Exception:  # fall back to this machine's view
            log.warning("circuit breaker: Redis unavailable, using local state files")
    with _breaker_file(source) as state:
        if ok:
            state.pop("fails", None)
        elif state.get("fails", 0.0) + 1 >= limit:
            state.update(fails=0.0, open_until=time.time() + reset, unreachable=float(unreachable))
        else:
            state["fails"] = state.get("fails", 0.0) + 1


def reset_breakers() -> None:
    """Close every circuit (tests; an operator after an outage)."""
    for path in (settings.VAR_DIR / "http-breakers").glob("*.json"):
        path.unlink(missing_ok=True)
    url = _redis_url()
    if url:
        client = _redis(url)
        for pattern in ("corroborate:http:open:*", "corroborate:http:fails:*"):
            for key in client.scan_iter(pattern):
                client.delete(key)


# --- User-supplied URLs: the SSRF guard -------------------------------------------------

METADATA_HOSTS = {"metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                  "instance-data.ec2.internal", "metadata.azure.com"}
METADATA_ADDRESSES = {ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192",
)}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IANA lists two anycast addresses in here as global (192.0.0.9, .10); no page lives there,
# so the whole block is refused.
_PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_HOST_CHARS = re.compile(r"^[a-z0-9._-]+$")
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$")
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_user_url(url: str) -> list[str]:
    """Vet a user-supplied URL: http/https, no credentials, ports 80/443, a host that
    resolves only to public addresses. Returns the vetted IP addresses; raises BlockedURL
    with the reason in words."""
    if not isinstance(url, str) or not url.strip():
        raise BlockedURL("refused: the URL is empty")
    if any(c in url for c in "\\\t\r\n\x00 ") or any(ord(c) < 32 for c in url):
        raise BlockedURL("refused: the URL contains spaces, backslashes or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURL(f"refused: the URL cannot be read ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURL(f"refused: only http and https URLs are fetched, not {scheme or 'this'}:")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise BlockedURL("refused: URLs with a user name or password are not fetched")
    host = _normalise_host(parts.hostname or "")
    if host in METADATA_HOSTS or host.endswith(".metadata.google.internal"):
        raise BlockedURL(f"refused: {host} is a cloud metadata host")
    port = port if port is not None else (443 if scheme == "https" else 80)
    standard_port = port in (80, 443)
    if not standard_port and not settings.ALLOW_LOOPBACK_FETCH:
        raise BlockedURL(f"refused: port {port} (only 80 and 443 are fetched)")
    literal = _literal_ip(host, bracketed="[" in parts.netloc)
    addresses = [literal] if literal is not None else _resolve(host, port)
    for address in addresses:
        reason = _refusal(address)
        if reason:
            where = str(address) if literal is not None else f"{host} resolves to {address}, which"
            raise BlockedURL(f"refused: {where} is {reason}")
    if not standard_port and not all(a.is_loopback for a in addresses):
        raise BlockedURL(f"refused: port {port} (only 80 and 443 are fetched)")
    return [str(a) for a in addresses]


def _normalise_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if not host:
        raise BlockedURL("refused: the URL has no host")
    if ":" in host:  # an IPv6 literal; urlsplit already took the brackets off
        return host
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise BlockedURL(f"refused: {host!r} is not a valid host name") from exc
    if not _HOST_CHARS.match(host):
        raise BlockedURL(f"refused: {host!r} is not a valid host name")
    return host


def _literal_ip(host: str, *, bracketed: bool) -> _IP | None:
    """The address a host written as an IP means, in any form the OS would accept:
    dotted, decimal (2130706433), octal (0177.0.0.1), hex (0x7f.1), short (127.1)."""
    if bracketed or ":" in host:
        if "%" in host:
            raise BlockedURL("refused: IPv6 addresses with a zone are not fetched")
        try:
            return ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise BlockedURL(f"refused: {host!r} is not a valid IPv6 address") from exc
    # As browsers do: a host whose last label is a number is an IPv4 address, never a name.
    if not _NUMERIC_HOST.match(host) or not _NUMBER.fullmatch(host.split(".")[-1]):
        return None
    try:
        # inet_aton has the same lenient grammar as the resolver the OS would use.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        if re.fullmatch(r"[0-9.]+", host) or host.startswith("0x"):
            raise BlockedURL(f"refused: {host!r} is not a valid IP address") from None
        return None


def _resolve(host: str, port: int) -> list[_IP]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"could not resolve {host}", unreachable=True) from exc
    addresses: list[_IP] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError as exc:
            raise BlockedURL(f"refused: {host} resolves to {text!r}, not an address") from exc
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"could not resolve {host}", unreachable=True)
    return addresses


def _refusal(address: _IP) -> str:
    """Why this address must not be fetched, in words, or "" if it is public."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = _refusal(embedded)
            kind = _embedding_kind(address)
            if inner:
                return f"the {kind} form of {embedded}, {inner}"
            if kind in ("IPv4-mapped", "IPv4-compatible"):
                return f"the {kind} form of {embedded} (not fetched: connect to it directly)"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "" if settings.ALLOW_LOOPBACK_FETCH else "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a carrier-grade NAT (shared) address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if isinstance(address, ipaddress.IPv4Address) and address in _PROTOCOL_ASSIGNMENTS:
        return "an IETF protocol address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return ""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        server, client = address.teredo
        return client if not _refusal(server) else server
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _embedding_kind(address: ipaddress.IPv6Address) -> str:
    if address.ipv4_mapped is not None:
        return "IPv4-mapped"
    if address.sixtofour is not None:
        return "6to4"
    if address.teredo is not None:
        return "Teredo"
    if address in _NAT64:
        return "NAT64"
    return "IPv4-compatible"


class _PinnedHTTPConnection(HTTPConnection):
    """Connects to the vetted addresses only: no second DNS lookup that could answer
    differently (DNS rebinding). Host header, SNI and certificate checks use the name."""

    def __init__(self, *args: Any, pinned: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pinned = pinned

    def _new_conn(self) -> socket.socket:
        return _connect_pinned(self, self.pinned)


class _PinnedHTTPSConnection(HTTPSConnection):
    def __init__(self, *args: Any, pinned: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pinned = pinned

    def _new_conn(self) -> socket.socket:
        return _connect_pinned(self, self.pinned)


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


def _connect_pinned(conn: HTTPConnection, pinned: tuple[str, ...]) -> socket.socket:
    if not pinned:
        raise NewConnectionError(conn, "no vetted address to connect to")
    error: Exception | None = None
    for ip in pinned:
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            for option in conn.socket_options or ():
                sock.setsockopt(*option)
            if isinstance(conn.timeout, (int, float)):
                sock.settimeout(conn.timeout)
            sock.connect((ip, conn.port))
            return sock
        except TimeoutError as exc:
            sock.close()
            error = ConnectTimeoutError(conn, f"connection to {conn.host} ({ip}) timed out")
            error.__cause__ = exc
        except OSError as exc:
            sock.close()
            error = NewConnectionError(conn, f"could not connect to {conn.host} ({ip}): {exc}")
    assert error is not None
    raise error


def fetch_user_url(url: str, *,
                   accept: tuple[str, ...] = ("text/html", "application/xhtml+xml", "text/plain"),
                   max_bytes: int | None = None, etag: str = "",
                   last_modified: str = "", deadline: float | None = None) -> Response:
    """GET a URL a person or a feed supplied, through the SSRF guard.

    Redirects are followed by hand (at most 5 hops), each hop re-checked; the connection
    goes only to the address that was checked. With `etag` / `last_modified` the request is
    conditional and a 304 comes back as Response(status=304, content=b""). `deadline`
    (seconds, default HTTP_DEADLINE) is shorter when a person waits for the answer."""
    limits = _Limits(time.monotonic() + (deadline or settings.HTTP_DEADLINE),
                     max_bytes or settings.HTTP_MAX_BYTES, accept)
    conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                   if v}
    requested, current = url, url
    for _hop in range(MAX_REDIRECTS + 1):
        pinned = tuple(check_user_url(current))
        hop_url = current

        def attempt(hop_url: str = hop_url, pinned: tuple[str, ...] = pinned) -> Response:
            return _fetch_pinned(hop_url, pinned, limits, conditional)

        response = _with_retries(attempt, limits, _host_key(current))
        if response.status in REDIRECT_STATUSES:
            location = response.headers.get("Location", "")
            if not location:
                raise FetchError(f"{_host(current)} redirected without a Location",
                                 permanent=True, status=response.status)
            current = urljoin(current, location)
            continue
        response.request_url = strip_secrets(requested)
        return response
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {_host(url)}", permanent=True)


def _fetch_pinned(url: str, pinned: tuple[str, ...], limits: _Limits,
                  conditional: Mapping[str, str]) -> Response:
    parts = urlsplit(url)
    host = _normalise_host(parts.hostname or "")
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    connect, read = limits.timeout()
    timeout = urllib3.Timeout(connect=connect, read=read)
    pool: HTTPConnectionPool
    if https:
        pool = _PinnedHTTPSPool(host, port, timeout=timeout, retries=False, maxsize=1,
                                cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
                                pinned=pinned)
    else:
        pool = _PinnedHTTPPool(host, port, timeout=timeout, retries=False, maxsize=1,
                               pinned=pinned)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = {"User-Agent": settings.HTTP_USER_AGENT, "Accept": ", ".join(limits.accept) or "*/*",
               "Accept-Encoding": "gzip, deflate", **conditional}
    try:
        with pool:
            raw = pool.urlopen("GET", path, headers=headers, redirect=False,
                               preload_content=False, decode_content=True, retries=False)
            status = raw.status
            response_headers = CaseInsensitiveDict(dict(raw.headers.items()))
            if 200 <= status < 300:
                _check_content_type(response_headers, limits, url, status)
                content = _read_body(raw, limits, url)
            else:
                raw.close()
                content = b""
    except (ConnectTimeoutError, NewConnectionError) as exc:
        raise FetchError(f"could not connect to {host}", unreachable=True) from exc
    except (ReadTimeoutError, TimeoutError) as exc:
        raise FetchError(f"{host} did not answer in time (read timeout)") from exc
    except SSLError as exc:
        raise FetchError(f"{host}: TLS failed, certificate not verified ({exc})",
                         permanent=True) from exc
    except HTTPError as exc:
        reason = getattr(exc, "reason", None)
        if isinstance(reason, SSLError):
            raise FetchError(f"{host}: TLS failed, certificate not verified ({reason})",
                             permanent=True) from exc
        if isinstance(reason, (ConnectTimeoutError, NewConnectionError)):
            raise FetchError(f"could not connect to {host}", unreachable=True) from exc
        raise FetchError(f"{host}: {exc}") from exc
    response = Response(url=url, status=status, headers=response_headers, content=content,
                        fetched_at=datetime.now(UTC), request_url=strip_secrets(url))
    if status not in REDIRECT_STATUSES:
        _raise_for_status(response)
    return response
