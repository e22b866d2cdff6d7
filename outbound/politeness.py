"""Per-host politeness, shared by every worker process.

`polite(host_key, deadline)` holds one of the host's in-flight slots and starts a request no
sooner than the host's interval after the previous start by any process (settings.HOST_LIMITS).
The slots live in Redis when there is one (`redis_url`), else in flock'd files under VAR_DIR.
`outbound/http.py` wraps every attempt in it; `outbound/breaker.py` keeps its state in the same
Redis, and lets a `PolitenessTimeout` through without counting it.

`FetchError` comes from `outbound/errors.py`, not `outbound/http.py`, which imports this module.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from outbound.errors import FetchError

log = logging.getLogger(__name__)


def redis_url() -> str:
    """The Redis every worker process shares (CACHE_REDIS_URL, else a Redis Celery broker),
    or "" when there is none. Politeness slots, breaker state and the HTTP cache live there."""
    if settings.CACHE_REDIS_URL:
        return settings.CACHE_REDIS_URL
    broker = settings.CELERY_BROKER_URL or ""
    return broker if broker.startswith(("redis://", "rediss://")) else ""


_redis_clients: dict[tuple[int, str], Any] = {}


def redis_client(url: str) -> Any:
    """One client per process and URL: a connection pool must not cross a fork."""
    import redis

    key = (os.getpid(), url)
    if key not in _redis_clients:
        _redis_clients[key] = redis.Redis.from_url(url, socket_timeout=2,
                                                   socket_connect_timeout=2)
    return _redis_clients[key]


def host_key_of(url: str) -> str:
    """The key politeness counts a URL under: its host, and its port when one is given."""
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
    url = redis_url()
    if url:
        try:
            client = redis_client(url)
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
