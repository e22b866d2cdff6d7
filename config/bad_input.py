"""Refuse a request whose parameters contain a NUL character, with 400 and a message.

No field of ours accepts one: PostgreSQL cannot store it in text and refuses it in a query
("A string literal cannot contain NUL characters"), so a search, a filter or a note with
%00 in it was a server error, or a CSV export that broke off partway.
Forms refuse NUL themselves (Django's ProhibitNullCharactersValidator), so posts are left to
them; this catches the query parameters a view reads without a form, in one place, before
any view runs. It runs as
process_view after CsrfViewMiddleware, so a POST without a token is still a CSRF refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict


def _nul_in(params: QueryDict) -> str | None:
    for key, values in params.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "\\0")
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # Only the query string: every POST goes through a form, whose fields refuse NUL
        # with a message beside the field (and keep the rest of what was typed).
        name = _nul_in(request.GET)
        if name is None:
            return None
        return HttpResponseBadRequest(
            f"Bad request: the parameter “{name}” contains a NUL character (\\0), which no "
            "field accepts. Nothing was saved.",
            content_type="text/plain; charset=utf-8",
        )
