from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import ingestion, services


class Command(BaseCommand):
    help = "Ingest an article from a .txt, .md or .html file and queue its processing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--title", default="")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--published", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--url", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = ingestion.decode(path.read_bytes())
            result = services.ingest_article(
                text=text,
                title=options["title"],
                outlet=options["outlet"],
                published=options["published"],
                source_url=options["url"],
                is_html=path.suffix.lower() in {".html", ".htm"} or None,
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except ingestion.IngestError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.message} (id {result.article.pk})")
