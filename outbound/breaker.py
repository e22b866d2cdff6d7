"""A circuit breaker per source, shared by every worker process.

After HTTP_BREAKER_FAILURES consecutive failed calls a source's calls fail at once, without
a request, for HTTP_BREAKER_RESET seconds. `outbound/http.py` wraps each trusted call in
`breaker(source)`; `reset_breakers()` closes every circuit. The state lives in the Redis
that the politeness slots use (`outbound.politeness.redis_url`), else in small flock'd JSON
files under VAR_DIR.

`FetchError` comes from `outbound/errors.py` and `PolitenessTimeout` from
`outbound/politeness.py`, not from `outbound/http.py`, which imports this module.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from outbound.errors import FetchError
from outbound.politeness import PolitenessTimeout, redis_client, redis_url

log = logging.getLogger(__name__)


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
            state = {k: float(v) for k, v in json.loads(handle.read() or "{}").items()}
        except (ValueError, AttributeError):
            state = {}
        before = dict(state)
        yield state  # {"fails": consecutive failures, "open_until": time.time() stamp}
        if state != before:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(state))
            handle.flush()


@contextmanager
def breaker(source: str) -> Iterator[None]:
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
    url = redis_url()
    if url:
        try:
            opened = redis_client(url).get(f"corroborate:http:open:{source}")
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
    url = redis_url()
    if url:
        try:
            client = redis_client(url)
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
    url = redis_url()
    if url:
        client = redis_client(url)
        for pattern in ("corroborate:http:open:*", "corroborate:http:fails:*"):
            for key in client.scan_iter(pattern):
                client.delete(key)
