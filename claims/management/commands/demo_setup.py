from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from claims import ingestion, services
from claims.models import Outlet

SEED = (
    Path(settings.BASE_DIR) / "claims/fixtures/seed/pyongyang-times-2020-04-24-dprk-russia-ties.txt"
)
DEMO_USERS = [
    # (user name, password, role): printed by make demo; for a local demo only.
    ("reviewer", "corroborate-reviewer", "reviewer"),
    ("editor", "corroborate-editor", "editor"),
]


class Command(BaseCommand):
    help = "Create the demo accounts and bring in the seed article (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for username, password, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = role == "editor"
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        Outlet.objects.update_or_create(
            name="Pyongyang Times",
            defaults={
                "country": "North Korea",
                "language": "en",
                "is_state_media": True,
                "website": "http://www.pytimes.com.kp/",
                "wikidata_id": "Q1327969",
            },
        )
        result = services.ingest_article(text=ingestion.decode(SEED.read_bytes()))
        self.stdout.write(result.message)
        self.stdout.write("\nDemo accounts (local demo only):")
        for username, password, role in DEMO_USERS:
            self.stdout.write(f"  {role:9} user: {username:9} password: {password}")
