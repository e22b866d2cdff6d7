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

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from verify.sources.base import SourceError


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
        raise NotImplementedError

    def json(self) -> Any:
        """The body parsed as JSON, tolerating control characters that break strict JSON.
        Raises a temporary FetchError("malformed JSON ...") otherwise."""
        raise NotImplementedError

    def provenance(self) -> dict:
        """What a Reference keeps about how it was fetched: request_url, final_url, status,
        fetched_at (ISO 8601), etag, last_modified, sha256 of the body, from_cache."""
        raise NotImplementedError


def get(url: str, *, source: str, params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None, accept: tuple[str, ...] = ("application/json",),
        ttl: int | None = None, max_bytes: int | None = None) -> Response:
    """GET an operator-configured endpoint on behalf of `source` (its circuit breaker).

    `accept` are Content-Type prefixes that are acceptable; `ttl` caches the response for
    that many seconds (None: no cache); `max_bytes` caps the decoded body (default
    settings.HTTP_MAX_BYTES)."""
    raise NotImplementedError


def post(url: str, *, source: str, data: Mapping[str, Any],
         headers: Mapping[str, str] | None = None,
         accept: tuple[str, ...] = ("application/json",), ttl: int | None = None,
         max_bytes: int | None = None) -> Response:
    """POST a form to an operator-configured endpoint (WDQS takes long SPARQL this way)."""
    raise NotImplementedError


def fetch_user_url(url: str, *,
                   accept: tuple[str, ...] = ("text/html", "application/xhtml+xml", "text/plain"),
                   max_bytes: int | None = None, etag: str = "",
                   last_modified: str = "") -> Response:
    """GET a URL a person or a feed supplied, through the SSRF guard.

    Redirects are followed by hand (at most 5 hops), each hop re-checked; the connection
    goes only to the address that was checked. With `etag` / `last_modified` the request is
    conditional and a 304 comes back as Response(status=304, content=b"")."""
    raise NotImplementedError


def check_user_url(url: str) -> list[str]:
    """Vet a user-supplied URL: http/https, no credentials, ports 80/443, a host that
    resolves only to public addresses. Returns the vetted IP addresses; raises BlockedURL
    with the reason in words."""
    raise NotImplementedError
