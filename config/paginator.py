"""A paginator that never asks the database for an OFFSET deeper than MAX_OFFSET rows.

Deep pages cost a scan of every row before them; past the cap a reader is better served by
a filter or a search (the desk's claim queue pages by key instead and has no cap)."""

from __future__ import annotations

from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator

MAX_OFFSET = 10_000


class CappedPaginator(Paginator):
    @cached_property
    def num_pages(self) -> int:
        deepest = MAX_OFFSET // self.per_page + 1  # the last page whose offset fits the cap
        return min(super().num_pages, deepest)


class CappedAdmin(admin.ModelAdmin):
    """Admin change lists page with the same cap (the admin has search and filters)."""

    paginator = CappedPaginator
