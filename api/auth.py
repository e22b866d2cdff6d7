"""Who is calling: a personal token (Authorization: Bearer …) or, for the docs page, the
browser's session. Either way the caller acts as that user with exactly their permissions."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from api.errors import ApiError, RateLimited
from api.models import ApiToken

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = ApiToken.find(token.strip())
        if found is None:
            # Raised, not returned as None: a bad token must never fall back to a session
            # cookie that happens to ride along.
            raise AuthenticationError(401, "This API token is unknown, revoked or expired.")
        check_rate(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(SessionAuth):
    """The logged-in browser (the docs page's "Try it out"), CSRF-checked on writes."""


def check_rate(token: ApiToken) -> None:
    """A fixed window per token in the cache (Redis when configured, the local cache
    otherwise). A cache that is down lets the request through: the limit protects the
    desk from a runaway script, it is not worth refusing work for."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS
    if limit <= 0:
        return
    now = time.time()
    start = int(now // window) * window
    key = f"api-rate:{token.key_hash[:32]}:{start}"
    try:
        cache.add(key, 0, timeout=window + 1)
        used = cache.incr(key)
    except Exception:  # any cache failure (Redis down, evicted key): do not block the API
        log.warning("API rate limit not checked: the cache is unavailable", exc_info=True)
        return
    if used > limit:
        raise RateLimited(retry_after=max(start + window - now, 1))


def user_of(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def channel(request: HttpRequest) -> str:
    """What the audit trail says a change came through."""
    token: ApiToken | None = getattr(request, "api_token", None)
    return f"API ({token.name})" if token else "API (browser session)"


def require(request: HttpRequest, *perms: str) -> User:
    user = user_of(request)
    if not user.has_perms(perms):
        raise ApiError(403, "Your account does not have the permission for this.")
    return user


def auth() -> list[Any]:
    return [TokenAuth(), Session()]
