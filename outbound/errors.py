"""The error every outbound request raises, `FetchError`.

It lives here, below `outbound/http.py` and the modules the seam is built from
(`outbound/politeness.py`, `outbound/breaker.py`, `outbound/ssrf.py`), so that each of them
can raise or catch it without importing another in a circle. Callers import it from
`outbound.http`, with the rest of the seam. The evidence sources' own `SourceError` is a
kind of FetchError, so whoever runs a source catches both with one clause.
"""

from __future__ import annotations


class FetchError(Exception):
    """A request failed. `permanent` errors (404, blocked host, bad key) are not retried;
    `unreachable` means the network or host could not be reached at all. `status` is the
    HTTP status when there was one; `retry_after` is the server's requested wait in seconds
    when it gave one (429/503 Retry-After)."""

    def __init__(self, message: str, *, permanent: bool = False, unreachable: bool = False,
                 status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = unreachable
        self.status = status
        self.retry_after = retry_after
