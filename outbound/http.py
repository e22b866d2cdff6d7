"""The one outbound HTTP seam. Every request Corroborate makes leaves through here.

Two doors:

* `get` / `post` for operator-configured API endpoints (settings.*_URL): trusted hosts, with
  a descriptive User-Agent, (connect, read) timeouts, an overall deadline, a decoded-body cap,
  a Content-Type check, bounded retries honouring Retry-After, per-host politeness shared by
  all worker processes, a circuit breaker per source and an optional HTTP cache.
* `fetch_user_url` for URLs a person (or a feed) supplied: the same limits plus the SSRF
  guard (`check_user_url`), manual redirects with every hop re-checked, and a connection made
  only to the address that was checked.

This module holds the Response, the body caps and decoding, the requests sessions and cache,
and the retries. It is built from three others, which callers need not import: the
per-host politeness limiter (`outbound/politeness.py`), the circuit breaker
(`outbound/breaker.py`) and the SSRF address checks and pinned connections (`outbound/ssrf.py`).
Their public names are available here too (`__all__`).

Errors are `FetchError` (defined in `outbound/errors.py` so that the modules
above can raise it without importing this one): `permanent` ones (400/401/403/404/410,
blocked URLs, wrong content type) are not worth retrying; `unreachable` ones (DNS failure,
connection refused, connect timeout, open circuit) mean the network or host is not there;
the rest (429, 5xx, read timeout, malformed JSON) are temporary and may carry `retry_after`.
"""

from __future__ import annotations

import contextvars
import email.utils
import hashlib
import json as jsonlib
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import certifi
import requests
import requests_cache
import urllib3
from charset_normalizer import from_bytes
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from outbound.breaker import breaker, reset_breakers
from outbound.errors import FetchError
from outbound.politeness import PolitenessTimeout, host_key_of, host_limits, polite, redis_url
from outbound.ssrf import (
    BlockedURL,
    PinnedHTTPPool,
    PinnedHTTPSPool,
    check_user_url,
    general_reason,
    normalise_host,
)

log = logging.getLogger(__name__)

__all__ = [
    "BlockedURL", "FetchError", "PolitenessTimeout", "Response", "check_user_url",
    "fetch_user_url", "general_reason", "get", "host_limits", "post", "post_user_url",
    "reset_breakers", "strip_secrets",
]

SECRET_PARAMS = {"key", "api_key", "apikey", "token", "access_token"}
MAX_REDIRECTS = 5
ERROR_BODY_BYTES = 64_000  # enough of an error page to log, never the whole thing
PERMANENT_STATUSES = {400, 401, 403, 404, 405, 406, 410, 411, 413, 414, 415, 422, 451}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


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


def _session(cached: bool) -> requests.Session:
    config = (os.getpid(), cached, settings.HTTP_CACHE, redis_url(), str(settings.VAR_DIR))
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
    url = redis_url()
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

    with breaker(source):
        return _with_retries(attempt, limits, host_key_of(url))


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


# --- User-supplied URLs (the SSRF guard itself is outbound/ssrf.py) -----------------------

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

        response = _with_retries(attempt, limits, host_key_of(current))
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


def _pinned_pool(url: str, pinned: tuple[str, ...],
                 timeout: urllib3.Timeout) -> tuple[HTTPConnectionPool, str, str]:
    """A one-connection pool that dials only the vetted addresses `pinned` (TLS still checks
    the certificate against the URL's host); with the host and the path to ask for."""
    parts = urlsplit(url)
    host = normalise_host(parts.hostname or "")
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    pool: HTTPConnectionPool
    if https:
        pool = PinnedHTTPSPool(host, port, timeout=timeout, retries=False, maxsize=1,
                                cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
                                pinned=pinned)
    else:
        pool = PinnedHTTPPool(host, port, timeout=timeout, retries=False, maxsize=1,
                               pinned=pinned)
    return pool, host, urlunsplit(("", "", parts.path or "/", parts.query, ""))


@contextmanager
def _transport_errors(host: str) -> Iterator[None]:
    """urllib3's failures as FetchError: a certificate that fails is permanent, a host that
    cannot be reached is unreachable, a slow answer temporary."""
    try:
        yield
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


def post_user_url(url: str, body: bytes, headers: Mapping[str, str], *, timeout: float) -> int:
    """POST to a URL a user gave, through the SSRF guard and to the addresses it vetted
    only; the HTTP status. Redirects are not followed, and the answer's body is not read, so
    a receiver cannot stream one at us for ever."""
    pool, host, path = _pinned_pool(url, tuple(check_user_url(url)),
                                    urllib3.Timeout(connect=timeout, read=timeout))
    with _transport_errors(host), pool:
        raw = pool.urlopen("POST", path, body=body, redirect=False, retries=False,
                           preload_content=False,
                           headers={"User-Agent": settings.HTTP_USER_AGENT, **headers})
        raw.close()
        return raw.status


def _fetch_pinned(url: str, pinned: tuple[str, ...], limits: _Limits,
                  conditional: Mapping[str, str]) -> Response:
    connect, read = limits.timeout()
    pool, host, path = _pinned_pool(url, pinned, urllib3.Timeout(connect=connect, read=read))
    headers = {"User-Agent": settings.HTTP_USER_AGENT, "Accept": ", ".join(limits.accept) or "*/*",
               "Accept-Encoding": "gzip, deflate", **conditional}
    with _transport_errors(host), pool:
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
    response = Response(url=url, status=status, headers=response_headers, content=content,
                        fetched_at=datetime.now(UTC), request_url=strip_secrets(url))
    if status not in REDIRECT_STATUSES:
        _raise_for_status(response)
    return response
