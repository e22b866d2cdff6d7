"""Every POST without a CSRF token is refused, on every route the project serves.

The routes come from the URL resolver (tests/security/routes.py), so a route added later is
checked too. Django's CsrfViewMiddleware runs before the view, so a POST without a token is
refused with 403 whatever the view would do with the method; a view marked csrf_exempt must
refuse POST itself with 405. The 403 is tied to the CSRF check by its log record on
django.security.csrf, so a permission denial cannot pass for it.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.security.routes import concrete_routes

pytestmark = pytest.mark.django_db


def test_the_walker_finds_the_routes_that_matter(world: None) -> None:
    names = {route.name for route in concrete_routes()}
    assert {"login", "logout", "claims:article_new", "admin:index"} <= names
    assert len(names) >= 40


def test_every_post_without_a_csrf_token_is_refused(
    world: None, editor: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    wrong = []
    for route in concrete_routes():
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.post(route.path, {"text": "x", "post": "yes"})
        refused_by_csrf = any(r.name == "django.security.csrf" for r in caplog.records)
        refused = response.status_code == 403 and refused_by_csrf
        if getattr(route.view, "csrf_exempt", False):
            # Exempt views must not take POST at all, unless they run Django's CSRF check
            # themselves for a session (the JSON API: a bearer token needs none).
            ok = response.status_code == 405 or refused
        else:
            ok = refused
        if not ok:
            wrong.append(f"{route.name} {route.path} -> {response.status_code}")
    assert wrong == []


def test_a_post_with_the_token_gets_past_the_csrf_check(world: None, editor: User) -> None:
    """The control: the 403s above come from the missing token, not from the client."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post("/articles/new/", {"text": ""}, headers={"X-CSRFToken": token})
    assert response.status_code == 200  # the form again, with its error
