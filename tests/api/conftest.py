"""Tokens and clients for the API tests; the claim fixtures are the review tests' own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from api.models import ApiToken
from tests.claims.conftest import (  # noqa: F401  (fixtures, used by name)
    article,
    claim,
    make_claim,
    make_reference,
    reference,
)


@pytest.fixture(autouse=True)
def quick_passwords(settings: SettingsWrapper) -> None:
    """The personas' passwords are never tested here; argon2 made each user cost a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class ApiClient:
    """Django's test client speaking JSON with a bearer token (or none)."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers, **extra}
        if body is not None:
            kwargs |= {"data": body, "content_type": "application/json"}
        return getattr(self.client, method.lower())(path, **kwargs)

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.call("POST", path, {} if body is None else body, **extra)


@pytest.fixture
def token_for(db: None) -> Callable[..., str]:
    def make(user: User, name: str = "script", **fields: Any) -> str:
        token, raw = ApiToken.issue(user=user, name=name)
        if fields:
            ApiToken.objects.filter(pk=token.pk).update(**fields)
        return raw

    return make


@pytest.fixture
def client_for(token_for: Callable[..., str]) -> Callable[..., ApiClient]:
    def make(user: User, name: str = "script") -> ApiClient:
        return ApiClient(token_for(user, name))

    return make


@pytest.fixture
def revoked_token(token_for: Callable[..., str], reviewer: User) -> str:
    return token_for(reviewer, "old", revoked=timezone.now())


@pytest.fixture
def expired_token(token_for: Callable[..., str], reviewer: User) -> str:
    return token_for(reviewer, "stale", expires=timezone.now() - timedelta(minutes=1))
