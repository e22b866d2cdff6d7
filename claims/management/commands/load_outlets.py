from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from claims.models import Feed, Outlet

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures" / "outlets.json"
OUTLET_FIELDS = (
    "country", "language", "website", "domains", "is_state_media", "wikidata_id", "aliases",
)
FEED_FIELDS = ("enabled", "poll_interval_minutes")


class Command(BaseCommand):
    help = "Load the default outlets and their feeds; safe to run again (edits made in the " \
        "admin are kept unless --replace)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=SHIPPED)
        parser.add_argument("--replace", action="store_true",
                            help="Overwrite outlets and feeds that already exist")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(options["path"].read_text(encoding="utf-8"))
        replace = options["replace"]
        counts = {"outlets": 0, "feeds": 0, "updated": 0}
        for record in data["outlets"]:
            fields = {k: record[k] for k in OUTLET_FIELDS if k in record}
            # A new outlet starts enabled or not as listed; an existing one keeps its switch.
            outlet, created = Outlet.objects.get_or_create(
                name=record["name"], defaults={**fields, "enabled": record.get("enabled", True)}
            )
            counts["outlets"] += created
            if replace and not created:
                Outlet.objects.filter(pk=outlet.pk).update(**fields)
                counts["updated"] += 1
            for feed_record in record.get("feeds", []):
                feed_fields = {k: feed_record[k] for k in FEED_FIELDS if k in feed_record}
                feed, created = Feed.objects.get_or_create(
                    url=feed_record["url"], defaults={**feed_fields, "outlet": outlet}
                )
                counts["feeds"] += created
                if replace and not created:
                    Feed.objects.filter(pk=feed.pk).update(outlet=outlet, **feed_fields)
                    counts["updated"] += 1
        self.stdout.write(
            f"Outlets: {counts['outlets']} added, feeds: {counts['feeds']} added, "
            f"{counts['updated']} updated; {Outlet.objects.count()} outlets and "
            f"{Feed.objects.filter(enabled=True).count()} enabled feeds in all."
        )
