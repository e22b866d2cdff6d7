"""Load documents into the reference library: `manage.py library_import PATH [PATH ...]`.

Text files may start with `URL:`, `Title:`, `Publisher:`, `Published:` (and `Demo: yes` for
material written for the demo, shown as such wherever it is cited) header lines and a
blank line; HTML is reduced to its main text; PDF is read with pypdf (its URL from the
document information's /URL entry). Importing a URL again updates its document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from verify.evidence import services
from verify.evidence.sources.library import Refused, read_file


class Command(BaseCommand):
    help = "Import text, HTML or PDF files (or directories of them) into the reference library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        added = updated = 0
        refused: list[tuple[Path, str]] = []
        for path in files(paths):
            try:
                doc = read_file(path)
                _, created = services.save_library_document(
                    url=doc.url, title=doc.title, publisher=doc.publisher,
                    published=doc.published, text=doc.text, is_demo=doc.is_demo,
                )
            except (Refused, OSError) as exc:
                refused.append((path, str(exc)))
                continue
            except Exception as exc:  # one broken file must not stop the rest
                # A PDF bomb (pypdf's LimitReachedError), a parser's bug, a value the
                # database refuses: report it, count it, go on with the next file.
                refused.append((path, f"could not be read ({type(exc).__name__}: {exc})"))
                continue
            added += created
            updated += not created
        for path, reason in refused:
            self.stderr.write(f"refused {path}: {reason}")
        self.stdout.write(f"{added} added, {updated} updated, {len(refused)} refused")


def files(paths: list[Path]) -> list[Path]:
    """The files named, and every file under the directories named (hidden ones skipped)."""
    out = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*")
                          if p.is_file()
                          and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            out.append(path)
        else:
            raise CommandError(f"No such file or directory: {path}")
    return out
