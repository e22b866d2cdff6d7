"""Admin and paginator helpers. CappedPaginator never asks the database for an OFFSET
deeper than MAX_OFFSET rows.

Deep pages cost a scan of every row before them; past the cap a reader is better served by
a filter or a search (the desk's claim queue pages by key instead and has no cap)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest

MAX_OFFSET = 10_000


class CappedPaginator(Paginator):
    @cached_property
    def num_pages(self) -> int:
        deepest = MAX_OFFSET // self.per_page + 1  # the last page whose offset fits the cap
        return min(super().num_pages, deepest)


class _BlankJSONAsDefault(forms.JSONField):
    """A JSON field left blank means its model default ([] or {}), not NULL: the column is
    NOT NULL, so a cleared "Domains" box was a server error (tests/security/test_fuzz.py)."""

    def __init__(self, *args: Any, default: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_default = default

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return self.model_default() if value is None else value


class CappedAdmin(admin.ModelAdmin):
    """Admin change lists page with the same cap (the admin has search and filters), and
    every change made here is audited in Django's own admin log with the values it changed
    from and to (Django records only the names of the changed fields)."""

    paginator = CappedPaginator

    def construct_change_message(
        self, request: HttpRequest, form: forms.Form, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        message = super().construct_change_message(request, form, formsets, add)
        values = {name: [_loggable(form.initial.get(name)), _loggable(form.cleaned_data.get(name))]
                  for name in form.changed_data}
        if values:
            message.append({"values": values})
        return message

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if (isinstance(db_field, models.JSONField) and db_field.blank and not db_field.null
                and callable(db_field.default)):
            kwargs["form_class"] = partial(_BlankJSONAsDefault, default=db_field.default)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

def _loggable(value: Any) -> Any:
    """A form value as the admin log's JSON can hold it: model instances by primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], models.Model):
        return [item.pk for item in value]
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    plain = isinstance(value, (str, int, float, bool, list, dict, type(None)))
    return value if plain else str(value)


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
