"""Shared fixtures: named personas and Celery run in-process for unit tests.

Tests that need a real worker (tests/test_worker.py) switch eager mode off and start one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"


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
