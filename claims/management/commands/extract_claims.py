"""Print the claims the app would find in an article, as the JSON of shared/eval/FORMAT.md."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from claims import ingestion
from claims.extraction import Gazetteer, extract_article, load_gazetteer
from claims.processing import current_gazetteer


class Command(BaseCommand):
    help = "Extract the checkable claims of an article file, with the app's own code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--title", default="")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--published", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument(
            "--strict", action="store_true", help="let an extraction error propagate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = ingestion.decode(path.read_bytes())
            if ingestion.looks_like_html(text):
                text, _ = ingestion.html_to_text(text)
            text = ingestion.clean_text(text)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except ingestion.IngestError as exc:
            raise CommandError(str(exc)) from exc
        detected = ingestion.detect_metadata(text)
        published = options["published"] or detected.published
        result = extract_article(
            text, published=published, gazetteer=gazetteer(), strict=options["strict"] or None
        )
        for failure in result.failures:
            self.stderr.write(
                f"extraction failed ({failure.stage} at {failure.span}): {failure.error}"
            )
        output = {
            "article": {
                "title": options["title"] or detected.title,
                "outlet": options["outlet"] or detected.outlet,
                "published": published.isoformat() if published else None,
            },
            # The claims of shared/eval/FORMAT.md, then what the format leaves open: every
            # body sentence's check-worthiness decision with its reasons, how many were
            # left out and why, and what failed.
            **result.to_json(),
        }
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=1))


def gazetteer() -> Gazetteer:
    """The editors' gazetteer when there is a migrated database, else the shipped one."""
    try:
        return current_gazetteer()
    except DatabaseError:
        return load_gazetteer()
