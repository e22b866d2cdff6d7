"""The error every outbound request raises, `FetchError`.

It lives here, below `verify/http.py` and the modules the seam is built from
(`verify/politeness.py`, `verify/breaker.py`, `verify/ssrf.py`), so that each of them can
raise or catch it without importing another in a circle. Callers import it from
`verify.http`, with the rest of the seam.
"""

from __future__ import annotations

from verify.sources.base import SourceError


class FetchError(SourceError):
    """A request failed. `status` is the HTTP status when there was one; `retry_after` is
    the server's requested wait in seconds when it gave one (429/503 Retry-After)."""

    def __init__(self, message: str, *, permanent: bool = False, unreachable: bool = False,
                 status: int | None = None, retry_after: float | None = None):
        super().__init__(message, permanent=permanent, unreachable=unreachable)
        self.status = status
        self.retry_after = retry_after
