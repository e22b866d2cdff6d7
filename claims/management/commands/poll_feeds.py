from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claims import monitoring


class Command(BaseCommand):
    help = "Poll the outlets' feeds that are due and ingest new articles (the embedded " \
        "default's stand-in for Celery beat; run it from cron, or with --every)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true",
                            help="Poll every enabled feed now, whatever its schedule")
        parser.add_argument("--every", type=float, default=0, metavar="SECONDS",
                            help="Keep running, looking for due feeds this often")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            results = monitoring.poll_due_feeds(force=options["all"])
            for result in results:
                self.stdout.write(str(result))
            if not options["every"]:
                if not results:
                    self.stdout.write("No feed is due.")
                return
            time.sleep(options["every"])
