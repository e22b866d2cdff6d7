"""Security headers and cookies on real responses, and Django's deployment checks.

Production settings are what config/settings.py computes with DEBUG off: a subprocess
imports it with a production environment and prints the security settings, and those
values (not hand-copied ones) are applied to real responses from the test client.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.conftest import ROOT
from tests.security.routes import concrete_routes

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "corroborate.example.org",
}
SECURITY_SETTINGS = [
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
]
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def run_production(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, **PRODUCTION_ENV,
        "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("ALLOW_LOOPBACK_FETCH", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    done = run_production("-c", code)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def csp(response: Any) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        parts[0]: parts[1:]
        for parts in (d.split() for d in header.split(";") if d.strip())
    }


def test_production_settings_pass_the_deployment_checks() -> None:
    done = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_page_sends_frame_sniffing_referrer_and_csp_headers(
    world: None, editor: User
) -> None:
    client = Client()
    client.force_login(editor)
    wrong = []
    for route in concrete_routes():
        response = client.get(route.path)
        headers = response.headers
        problems = [
            name
            for name, ok in [
                ("X-Frame-Options", headers.get("X-Frame-Options") == "DENY"),
                ("nosniff", headers.get("X-Content-Type-Options") == "nosniff"),
                ("Referrer-Policy", headers.get("Referrer-Policy") == "same-origin"),
                ("CSP", "Content-Security-Policy" in headers),
            ]
            if not ok
        ]
        if problems:
            wrong.append(f"{route.name} {route.path} ({response.status_code}): {problems}")
    assert wrong == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/articles/new/", "/articles/"])
def test_pages_allow_only_their_own_nonced_scripts(
    world: None, editor: User, path: str
) -> None:
    client = Client()
    client.force_login(editor)
    first, second = client.get(path), client.get(path)
    assert first.status_code == 200
    policy = csp(first)
    nonces = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    tags = SCRIPT_TAG.findall(first.content.decode())
    assert tags, "the page has no script to check"
    assert all(f'nonce="{nonce}"' in tag for tag in tags), tags
    assert csp(second)["script-src"] != policy["script-src"], "the nonce must change per response"


def test_production_sends_hsts(production: dict[str, Any]) -> None:
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_SSL_REDIRECT"] is True
    with override_settings(**production):
        response = Client().get("/accounts/login/", secure=True)
        insecure = Client().get("/accounts/login/")
    assert response.headers["Strict-Transport-Security"] == (
        f"max-age={production['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    assert insecure.status_code == 301
    assert insecure.headers["Location"].startswith("https://")


def test_production_cookies_are_secure_samesite_and_the_session_is_httponly(
    production: dict[str, Any], reviewer: User
) -> None:
    with override_settings(**production):
        client = Client()
        client.get("/accounts/login/", secure=True)
        response = client.post(
            "/accounts/login/",
            {"username": "rita", "password": "pw-rita"},
            secure=True,
        )
    assert response.status_code == 302, "the log-in failed"
    session, csrf = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] in ("Lax", "Strict")
    assert csrf["secure"]
    assert csrf["samesite"] in ("Lax", "Strict")
