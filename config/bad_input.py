"""Refuse a request whose parameters contain a NUL character, or whose query string or
form is not UTF-8, with 400 and a message.

No field of ours accepts one: PostgreSQL cannot store it in text and refuses it in a query
("A string literal cannot contain NUL characters"), so a search, a filter or a note with
%00 in it was a server error, or a CSV export that broke off partway.
Forms refuse NUL themselves (Django's ProhibitNullCharactersValidator), so posts are left to
them; this catches the query parameters a view reads without a form, in one place, before
any view runs. It runs as
process_view after CsrfViewMiddleware, so a POST without a token is still a CSRF refusal.

Django decodes parameters that are not UTF-8 into U+FFFD replacement characters and goes
on; the admin then took `_changelist_filters=%ff%fe` for a field name and failed with a
server error (tests/security/test_fuzz.py found it). Bytes that are no text are refused
here instead, whatever the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict


def _nul_in(params: QueryDict) -> str | None:
    for key, values in params.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "\\0")
    return None


def _not_utf8(encoded: bytes | str) -> bool:
    raw = encoded.encode("latin-1", "replace") if isinstance(encoded, str) else encoded
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _refuse(what: str) -> HttpResponse:
    return HttpResponseBadRequest(f"Bad request: {what} Nothing was saved.",
                                  content_type="text/plain; charset=utf-8")


class RefuseBadParametersMiddleware:
    """Also: a number too large for the database (SQLite refuses integers past 64 bits
    with OverflowError wherever a parameter reaches a query) is a 400, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return _refuse("a number in the request is too large.")
        return None

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # Only the query string: every POST goes through a form, whose fields refuse NUL
        # with a message beside the field (and keep the rest of what was typed).
        if _not_utf8(request.META.get("QUERY_STRING", "")):
            return _refuse("the address's parameters are not UTF-8 text.")
        form = request.method == "POST" and request.content_type == (
            "application/x-www-form-urlencoded")
        if form and _not_utf8(request.body):  # already read: CSRF's check read the form
            return _refuse("the form's data is not UTF-8 text.")
        # Django's admin takes an empty ?_to_field= for a field named "" and fails with a
        # server error on every change and delete page; no link of its own sends one.
        if "_to_field" in request.GET and not request.GET["_to_field"]:
            return _refuse("the parameter “_to_field” is empty.")
        name = _nul_in(request.GET)
        if name is None:
            return None
        return _refuse(f"the parameter “{name}” contains a NUL character (\\0), which no "
                       "field accepts.")
