"""With the Redis cache down, people can still log in and work: no page needs the cache.

Sessions are kept in the database for this reason (config/settings.py): Django's cached_db
engine, tried for speed, writes the cache outside its error handling when it loads a
session, so every logged-in page failed with the cache unreachable.
"""

from __future__ import annotations

import pytest
import redis
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from claims.models import Claim
from tests.workers import CLOSED_PORT

pytestmark = pytest.mark.django_db

UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED_PORT.replace("http://", "redis://"),  # refused at once
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
    }
}


@pytest.fixture
def cache_down(settings: SettingsWrapper) -> None:
    settings.CACHES = UNREACHABLE_CACHE  # Django drops its cache handlers on this change


@pytest.mark.usefixtures("cache_down")
def test_logging_in_and_working_needs_no_cache(reviewer: User, claim: Claim) -> None:
    reviewer.set_password("a-long-test-password-123")
    reviewer.save()
    client = Client()
    response = client.post(reverse("login"), {
        "username": reviewer.username, "password": "a-long-test-password-123",
    })
    assert response.status_code == 302, response.content[:500]
    for url in (reverse("review:dashboard"), reverse("review:queue"),
                claim.get_absolute_url(), claim.article.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("review:queue")).status_code == 302  # logged out for good


@pytest.mark.usefixtures("cache_down")
def test_sessions_are_not_read_from_the_cache(reviewer_client: Client, claim: Claim,
                                              settings: SettingsWrapper) -> None:
    """The counterfactual: the engine this project tried and dropped fails here."""
    assert reviewer_client.get(claim.get_absolute_url()).status_code == 200
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()  # a new handler: the session middleware reads the engine once
    client.cookies = reviewer_client.cookies
    with pytest.raises(redis.exceptions.ConnectionError):
        client.get(claim.get_absolute_url())
