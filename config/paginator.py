"""Admin and paginator helpers. CappedPaginator never asks the database for an OFFSET
deeper than MAX_OFFSET rows.

Deep pages cost a scan of every row before them; past the cap a reader is better served by
a filter or a search (the desk's claim queue pages by key instead and has no cap)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import HttpRequest

MAX_OFFSET = 10_000


class CappedPaginator(Paginator):
    @cached_property
    def num_pages(self) -> int:
        deepest = MAX_OFFSET // self.per_page + 1  # the last page whose offset fits the cap
        return min(super().num_pages, deepest)


class CappedAdmin(admin.ModelAdmin):
    """Admin change lists page with the same cap (the admin has search and filters)."""

    paginator = CappedPaginator


class ReadOnlyAdmin(CappedAdmin):
    """For rows that change only through the functions that enforce the desk's rules (the
    review state machine, publishing, gathering): the admin lists them and nothing more.

    Even the per-row page is refused (403, for superusers too): the desk's own pages show a
    claim, its reviews and its history, and a form here would only invite a bypass."""

    list_display_links = None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
