"""A per-address limit on log-in attempts, checked before any password is hashed, and the
client address as this deployment should read it (issue 16, item 5).

django-axes locks a (user name, address) pair after five failures, so a stream of wrong
passwords for ever-new user names is never locked, and each one costs an Argon2 hash: six
threads of them took the public index from 14 ms to over 1 s. This middleware counts every
POST to a log-in page per client address in Django's cache (one increment, no database, no
hash) and answers 429 once an address has made LOGIN_ATTEMPTS_PER_ADDRESS attempts in
LOGIN_ATTEMPT_WINDOW_SECONDS. With the cache unreachable it lets the attempt through: axes
still guards each account, and no page may fail because Redis is down.

The address: REMOTE_ADDR, unless BEHIND_TLS_PROXY is set, in which case exactly one proxy
(the documented TLS proxy) stands between the client and us and *appends* the address it
saw to X-Forwarded-For. Then the last entry is the client as our proxy saw it; entries
before it were written by the client and are never trusted, so no one can pose as another
address (to lock a colleague out, or to escape their own limit). axes reads the same
address (AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_TLS_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip() if forwarded else ""
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote  # no header, or not an address: the proxy's own connection


def login_paths() -> set[str]:
    return {reverse("login"), reverse("admin:login")}


class LoginRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in login_paths() and too_many(request):
            minutes = max(1, settings.LOGIN_ATTEMPT_WINDOW_SECONDS // 60)
            return render(request, "registration/too_many_attempts.html",
                          {"minutes": minutes}, status=429)
        return self.get_response(request)


def too_many(request: HttpRequest) -> bool:
    key = f"login-attempts:{client_ip(request)}"
    try:
        # add() starts the window at the first attempt; incr() never extends it.
        cache.add(key, 0, timeout=settings.LOGIN_ATTEMPT_WINDOW_SECONDS)
        attempts = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a new window
        cache.set(key, 1, timeout=settings.LOGIN_ATTEMPT_WINDOW_SECONDS)
        return False
    except Exception:  # the cache is down: fail open (axes still guards each account)
        log.warning("login attempt limit skipped: the cache is unreachable", exc_info=True)
        return False
    return attempts > settings.LOGIN_ATTEMPTS_PER_ADDRESS
