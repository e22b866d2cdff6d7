"""Filters for the public pages, which render snapshots where dates are ISO strings."""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def isodate(value: str) -> date | datetime | str:
    """"2020-04-24" → a date, "2024-05-01T10:00:00+00:00" → a datetime; anything else as is."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        return value
