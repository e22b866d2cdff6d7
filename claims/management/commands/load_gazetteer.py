from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from claims.models import Entity

SHIPPED = Path(__file__).resolve().parents[2] / "extraction" / "gazetteer.json"


class Command(BaseCommand):
    help = (
        "Load the shipped gazetteer into the Entity table; entries edited in the admin win, "
        "and only what they leave blank (a missing QID, a field they lack) is filled in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=SHIPPED)
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite entries that already exist"
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(options["path"].read_text(encoding="utf-8"))
        records = data["entities"] if isinstance(data, dict) else data
        added = updated = filled = 0
        for record in records:
            fields = {
                "qid": record.get("qid") or "",
                "aliases": record.get("aliases", []),
                "titles": record.get("titles", []),
                "extra": {
                    k: v
                    for k, v in record.items()
                    if k not in {"name", "qid", "kind", "aliases", "titles"}
                },
            }
            key = {"name": record["name"], "kind": record.get("kind", "other")}
            if options["replace"]:
                _, created = Entity.objects.update_or_create(**key, defaults=fields)
            else:
                entity, created = Entity.objects.get_or_create(**key, defaults=fields)
                filled += not created and _fill_blanks(entity, fields)
            added += created
            updated += options["replace"] and not created
        self.stdout.write(
            f"Gazetteer: {added} added, {updated} updated, {filled} filled in, "
            f"{Entity.objects.count()} in all."
        )


def _fill_blanks(entity: Entity, fields: dict[str, Any]) -> bool:
    """A later release's knowledge reaches an existing install (a QID found since, a
    demonym or capital the extractor now reads) without undoing an editor's edits: only a
    blank QID and keys the entry lacks are filled."""
    extra = {**fields["extra"], **entity.extra}
    qid = entity.qid or fields["qid"]
    if extra == entity.extra and qid == entity.qid:
        return False
    entity.extra, entity.qid = extra, qid
    entity.save(update_fields=["extra", "qid"])
    return True
