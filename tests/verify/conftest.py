"""Shared by the verify tests: outbound HTTP without waits, so source tests stay fast."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pytest_django.fixtures import Settings

from outbound import http


@contextmanager
def quick_http(settings: Settings, *, retries: int) -> Iterator[None]:
    """No politeness waits, near-instant backoff, no cache, every source on, circuits closed."""
    settings.HOST_LIMITS = {"default": {"in_flight": 4, "interval": 0.0}}
    settings.HTTP_RETRY_BACKOFF = 0.01
    settings.HTTP_MAX_RETRIES = retries
    settings.HTTP_DEADLINE = 10.0
    settings.HTTP_CACHE = False
    settings.SOURCES_DISABLED = []
    http.reset_breakers()
    yield
    http.reset_breakers()
