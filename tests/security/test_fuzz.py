"""Every GET parameter and every form field of every view, fuzzed (issue 16, item 2): a NUL
byte, an overlong value, a value of the wrong type and bytes in the wrong encoding. No
request may end in a server error.

Nothing here is a hand-kept list. The routes come from the URL resolver
(tests/security/routes.py); each route is fetched as an admin, and its parameters are
whatever the view reads from request.GET or request.POST (recorded while it runs) plus
every field of every <form> its pages show, wherever that form posts. So a view or a form
field another engineer adds tomorrow is fuzzed without anyone editing this file. Every
request runs in a savepoint that is rolled back, so each starts from the same world.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import make_user
from tests.security.routes import concrete_routes
from tests.security.test_authorization import build_world
from verify.models import SavedFilter

pytestmark = pytest.mark.django_db

# Each kind of bad value, as text (the wrong encoding is sent as raw bytes, see `send`).
# The admin's own views (Django's, over our models) get the first value of each kind, and
# only its add forms are posted (a change form has the same fields): the machine has two
# cores shared by many, and the admin has 700 fields.
KINDS: dict[str, list[str]] = {
    "NUL": ["a\x00b", "\x00"],
    "overlong": ["x" * 100_000, "9" * 5_000],  # 5,000 digits: past int()'s 4,300
    "wrong type": ["99999999999999999999999", "not-a-number", "-1", "1e999", "[]",
                   "2019-13-45"],
    "wrong encoding": ["%ff%fe", "%ed%a0%80"],  # invalid UTF-8, an encoded lone surrogate
}
SKIP_FIELDS = {"csrfmiddlewaretoken"}


class Forms(HTMLParser):
    """Each <form>'s method, action and fields (with the value the page gave them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(),
                               "action": a.get("action") or a.get("hx-post") or "",
                               "fields": {}})
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            fields = self.forms[-1]["fields"]
            if a.get("type") in ("checkbox", "radio") and a["name"] in fields:
                return
            if a.get("type") == "file":
                return
            fields.setdefault(a["name"], a.get("value", ""))
            self.select = a["name"] if tag == "select" else None
        elif tag == "option" and self.select:
            fields = self.forms[-1]["fields"]
            if not fields.get(self.select):
                fields[self.select] = a.get("value", "")


@contextmanager
def recording() -> Iterator[set[str]]:
    """The keys any view reads from a QueryDict (request.GET, request.POST) meanwhile."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist")}

    def wrap(name: str) -> Any:
        def read(self: QueryDict, key: str, *args: Any, **kwargs: Any) -> Any:
            seen.add(key)
            return originals[name](self, key, *args, **kwargs)
        return read

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


Target = tuple[str, str]  # (method, path)


def discover(client: Client, admin: User) -> dict[Target, dict[str, str]]:
    """Every (method, path) with the parameters it takes and a plain value for each."""
    targets: dict[Target, dict[str, str]] = defaultdict(dict)
    for route in concrete_routes():
        for method in ("GET", "POST"):
            client.force_login(admin)  # the POST to the last route may have been a log-out
            with recording() as seen, transaction.atomic():
                send = client.get if method == "GET" else client.post
                response = send(route.path, {"_probe": "1"})
                transaction.set_rollback(True)
            if response.status_code == 405:
                continue
            targets[(method, route.path)].update(
                {k: "" for k in seen - SKIP_FIELDS - {"_probe"}})
            if method == "GET" and "html" in response.get("Content-Type", ""):
                parser = Forms()
                parser.feed(response.content.decode())
                for form in parser.forms:
                    action = urlsplit(form["action"]).path or route.path
                    try:
                        resolve(action)
                    except Resolver404:
                        continue
                    fields = {k: v for k, v in form["fields"].items() if k not in SKIP_FIELDS}
                    targets[(form["method"].upper(), action)].update(fields)
    return targets


def send(client: Client, method: str, path: str, data: dict[str, str], field: str,
         value: str, kind: str) -> int:
    if kind == "wrong encoding":  # raw bytes: percent-escapes that decode to no UTF-8
        others = urlencode({k: v for k, v in data.items() if k != field})
        raw = "&".join(filter(None, [others, f"{quote(field)}={value}"]))
        if method == "GET":
            return client.get(f"{path}?{raw}").status_code
        return client.generic("POST", path, raw.encode(),
                              content_type="application/x-www-form-urlencoded").status_code
    payload = {**data, field: value}
    if method == "GET":
        return client.get(path, payload).status_code
    return client.post(path, payload).status_code


@pytest.fixture
def admin(db: None) -> User:
    build_world("published")
    admin = make_user("ada", "admin", is_staff=True, is_superuser=True)
    SavedFilter.objects.create(user=admin, name="Mine", query="status=any")
    return admin


@pytest.mark.parametrize("kind", KINDS)
def test_no_parameter_of_any_view_makes_a_server_error(kind: str, admin: User) -> None:
    client = Client()
    targets = discover(client, admin)
    # Not vacuous: the walk found the parameters issue 16 names, and forms that post.
    fields = {(m, p.split("/")[1], f) for (m, p), fs in targets.items() for f in fs}
    for expected in [("GET", "published", "q"), ("GET", "claims", "library"),
                     ("GET", "published", "status"), ("GET", "queue", "after"),
                     ("POST", "published", "correction_note"), ("POST", "published", "note"),
                     ("POST", "claims", "rationale"), ("POST", "articles", "source_url")]:
        assert expected in fields, expected
    assert sum(len(fs) for fs in targets.values()) >= 150

    errors: list[str] = []
    for (method, path), data in sorted(targets.items()):
        admin_view = path.startswith("/admin/")
        if admin_view and method == "POST" and not path.endswith("/add/"):
            continue
        for field in sorted(data):
            for value in KINDS[kind][:1] if admin_view else KINDS[kind]:
                client.force_login(admin)
                with transaction.atomic():
                    try:
                        status = send(client, method, path, data, field, value, kind)
                    except Exception as exc:  # the test client re-raises a view's exception
                        status = 500
                        value = f"{value[:20]!r} raised {type(exc).__name__}: {exc}"[:200]
                    transaction.set_rollback(True)
                if status >= 500:
                    errors.append(f"{method} {path} {field}={value[:40]!r}: {status}")
    assert errors == [], f"{len(errors)} server errors:\n" + "\n".join(errors[:60])
