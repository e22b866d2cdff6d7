"""Times on the desk: one filter, `{{ value|when }}`, for every moment a desk page shows.

It renders `<time datetime="…" title="…">`: the text is relative ("3 minutes ago", "in 4
minutes") for moments within a week, the date and time otherwise; the title, shown on hover,
is always the full time in the desk's zone (settings.DESK_TIME_ZONE) with the zone named.
`when:"time"` shows the clock time (a lock held "until 14:35 KST") and `when:"absolute"`
the full time, both with the relative one on hover. Dates without a time (an article's
publication day) have no zone and keep Django's `date` filter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince, timeuntil

register = template.Library()

RELATIVE_WITHIN = timedelta(days=7)  # beyond a week "12 days ago" says less than the date
JUST_NOW = timedelta(seconds=45)


def desk_zone() -> ZoneInfo:
    return ZoneInfo(settings.DESK_TIME_ZONE)


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation (KST, MSK, UTC); an offset-only one ("+05") as UTC+05."""
    abbr = moment.tzname() or ""
    return f"UTC{abbr}" if abbr[:1] in "+-" else abbr


def absolute(moment: datetime, *, seconds: bool = False) -> str:
    text = dateformat.format(moment, "j M Y, H:i:s" if seconds else "j M Y, H:i")
    return f"{text} {zone_label(moment)}"


def relative(moment: datetime, now: datetime) -> str:
    if abs(now - moment) < JUST_NOW:
        return "just now"
    if moment <= now:
        return f"{timesince(moment, now, depth=1)} ago"
    return f"in {timeuntil(moment, now, depth=1)}"


@register.filter
def when(value: datetime | None, style: str = "") -> SafeString | str:
    """A moment in the desk's zone, with the zone shown: see the module's docstring."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)  # the database's naive times are UTC (USE_TZ)
    local = value.astimezone(desk_zone())
    now = timezone.now()
    full = absolute(local, seconds=True)
    if style == "time":
        text, title = f"{dateformat.format(local, 'H:i')} {zone_label(local)}", full
    elif style == "absolute" or abs(now - value) >= RELATIVE_WITHIN:
        text, title = absolute(local), f"{full} ({relative(value, now)})"
    else:
        text, title = relative(value, now), full
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.replace(microsecond=0).isoformat(),
        title,
        text,
    )
