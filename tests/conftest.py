"""Shared fixtures: named personas and Celery run in-process for unit tests.

Tests that need a real worker (tests/test_worker.py) switch eager mode off and start one.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from claims.models import Claim
from config.celery import app as celery_app
from tests.replay import ReplayServer
from tests.workers import CLOSED_PORT, SOURCE_URL_SETTINGS
from verify.models import Review
from verify.review import services as review_services

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"


class OutboundTraffic(AssertionError):
    """A test tried to reach an address other than loopback."""


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is None:
        return  # Unix sockets (PostgreSQL's local socket): not network traffic
    try:
        ip = ipaddress.ip_address(host)
    except ValueError as exc:
        raise OutboundTraffic(f"connect to unresolved host {host!r}") from exc
    if not ip.is_loopback:
        raise OutboundTraffic(f"a test tried to connect to {host}; only 127.0.0.1 is allowed")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _loopback_only(address)
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _loopback_only(address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


# No test may send traffic anywhere but loopback: every socket connect is checked.
socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A real HTTP server on 127.0.0.1 replaying canned responses (see tests/replay.py)."""
    with ReplayServer() as server:
        yield server


@pytest.fixture(autouse=True)
def sources_on_a_closed_port(settings: SettingsWrapper) -> None:
    """Every source endpoint points at a closed loopback port unless a test says otherwise,
    so code that gathers in passing fails fast and never tries to leave the machine."""
    for name in SOURCE_URL_SETTINGS:
        setattr(settings, name, f"{CLOSED_PORT}/{name.lower()}")


@pytest.fixture(autouse=True)
def login_attempts_unlimited(settings: SettingsWrapper) -> None:
    """The per-address log-in limit (config/login_limit.py) counts in the cache, which
    outlives a test: every test logs in from 127.0.0.1, so the suite would hit it. Its own
    tests (tests/security/test_login_throttle.py) set it back to the production figure."""
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 10**9


@pytest.fixture(autouse=True)
def eager_celery() -> Iterator[None]:
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def make_user(username: str, role: str | None = None, **extra: object) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "pw-" + username, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def reviewer(db: None) -> User:
    return make_user("rita", "reviewer")


@pytest.fixture
def editor(db: None) -> User:
    return make_user("eddie", "editor", is_staff=True)


@pytest.fixture
def admin_user(db: None) -> User:
    return make_user("ada", "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db: None) -> User:
    return make_user("otto")


@pytest.fixture
def reviewer_client(reviewer: User) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def propose(claim: Claim, reviewer: User) -> Review:
    """A verdict proposed through the review service, at the claim's current version."""
    claim.refresh_from_db()
    return review_services.submit_review(
        claim=claim,
        reviewer=reviewer,
        verdict="unverified",
        rationale="Nothing found.",
        expected_version=claim.version,
    )
