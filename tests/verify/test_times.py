# ruff: noqa: F811 - pytest fixtures imported from tests.claims.conftest, then requested by name
"""Times on the desk: shown in the desk's zone (DESK_TIME_ZONE) with the zone named, and a
relative time carries the absolute one on hover: one filter, `when`, on every desk page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from claims.models import Claim
from tests.claims.conftest import (  # noqa: F401 - the claims tests' fixtures, shared here
    article,
    claim,
    make_claim,
)
from verify.review import services
from verify.templatetags.desk_time import when

ROOT = Path(__file__).resolve().parents[2]
TIME = re.compile(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>')


@pytest.fixture
def seoul(settings: SettingsWrapper) -> None:
    settings.DESK_TIME_ZONE = "Asia/Seoul"


def parts(html: str) -> tuple[str, str, str]:
    found = TIME.fullmatch(str(html))
    assert found, html
    return found.group(1), found.group(2), found.group(3).replace("\xa0", " ")


def test_a_recent_moment_is_relative_with_the_desk_time_on_hover(seoul: None) -> None:
    moment = timezone.now().replace(microsecond=0) - timedelta(minutes=3, seconds=5)
    iso, title, text = parts(when(moment))
    assert text == "3 minutes ago"
    local = moment.astimezone(UTC) + timedelta(hours=9)  # Seoul has no summer time
    assert title == f"{local.day} {local:%b %Y, %H:%M:%S} KST"
    assert datetime.fromisoformat(iso) == moment and iso.endswith("+09:00")
    assert parts(when(timezone.now()))[2] == "just now"
    assert parts(when(timezone.now() + timedelta(minutes=4, seconds=30)))[2] == "in 4 minutes"


def test_an_old_moment_shows_its_date_and_the_relative_time_on_hover(seoul: None) -> None:
    moment = datetime(2020, 4, 24, 23, 30, tzinfo=UTC)  # already the 25th in Seoul
    iso, title, text = parts(when(moment))
    assert text == "25 Apr 2020, 08:30 KST"
    assert title.startswith("25 Apr 2020, 08:30:00 KST (") and title.endswith(" ago)")
    assert iso == "2020-04-25T08:30:00+09:00"
    assert parts(when(moment, "time"))[2] == "08:30 KST"


def test_the_default_zone_is_utc_and_an_offset_only_zone_reads_as_an_offset(
    settings: SettingsWrapper,
) -> None:
    moment = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert parts(when(moment, "absolute"))[2] == "5 Jan 2026, 10:00 UTC"
    settings.DESK_TIME_ZONE = "Asia/Almaty"  # its abbreviation is "+05"
    assert parts(when(moment, "absolute"))[2] == "5 Jan 2026, 15:00 UTC+05"
    assert when(None) == "" and when("2026-01-05") == ""


@pytest.mark.django_db
def test_the_review_page_shows_every_time_in_the_desk_zone(
    seoul: None, reviewer: User, reviewer_client: Client, claim: Claim
) -> None:
    services.add_comment(claim=claim, author=reviewer, body="A note.")
    services.submit_review(
        claim=claim,
        reviewer=reviewer,
        verdict="unverified",
        rationale="Nothing.",
        expected_version=1,
    )
    services.hold_claim(claim=claim, user=reviewer)
    page = reviewer_client.get(claim.get_absolute_url()).content.decode()
    times = [parts(t.group(0)) for t in TIME.finditer(page)]
    # the lock, the proposal, the comment, the verdict and two history events
    assert len(times) == 6
    assert all(iso.endswith("+09:00") and "KST" in title for iso, title, _ in times)
    assert re.search(r"You hold this claim until <time [^>]+>\d\d:\d\d KST</time>", page)
    assert "just now" in page


@pytest.mark.django_db
def test_the_queue_and_dashboard_show_times_in_the_desk_zone(
    seoul: None, reviewer: User, editor: User, reviewer_client: Client, claim: Claim
) -> None:
    services.assign_claims(claims=[claim], assignee=reviewer, by=editor)
    services.hold_claim(claim=claim, user=editor)
    queue = reviewer_client.get(reverse("review:queue")).content.decode()
    assert re.search(
        r"🔒 eddie until <time datetime=\"[^\"]+\+09:00\" title=\"[^\"]+ KST\">"
        r"\d\d:\d\d KST</time>",
        queue,
    )
    dashboard = reviewer_client.get(reverse("review:dashboard")).content.decode()
    assert parts(TIME.search(dashboard).group(0))[1].endswith(" KST")  # type: ignore[union-attr]


DESK_TEMPLATES = [
    "templates/review",
    "templates/api",
    "templates/monitor/feeds.html",
    "templates/public/manage.html",
]
# A moment formatted by hand: Django's time filter, or a date format with hours in it.
BY_HAND = re.compile(r"""\|time:|\|date:["'][^"']*[HGgi][^"']*["']|\|timesince|\|timeuntil""")


def test_no_desk_template_formats_a_time_by_hand() -> None:
    files = []
    for entry in DESK_TEMPLATES:
        path = ROOT / entry
        files += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    offenders = [
        f"{f.relative_to(ROOT)}: {m.group(0)}"
        for f in files
        for m in BY_HAND.finditer(f.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert len(files) > 8


def test_an_unknown_desk_time_zone_stops_the_app_with_a_message() -> None:
    env = {
        **os.environ,
        "DESK_TIME_ZONE": "Mars/Olympus_Mons",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "DESK_TIME_ZONE='Mars/Olympus_Mons' is no time zone name" in done.stderr
