"""Run the whole pipeline on one article, in this process, and print the JSON of
shared/eval/FORMAT.md ("Evaluating the whole pipeline").

    manage.py check_article PATH [--title T] [--outlet NAME] [--published YYYY-MM-DD]
        [--sources library,prior,...] [--dry-run] --format json

Ingest (claims.services.ingest_article), extract (claims.processing.extract_article), plan
one job per claim and named source (verify.evidence.gathering.plan_jobs) and run each job with
verify.evidence.gathering.run_until_finished: the very `run_job` a worker runs, which stores the
candidates, ranks them and refreshes the claim's suggestion.

The rows stay in the database, as after a normal ingestion (the article, its claims, jobs,
references and suggestions), except that no background processing is queued for it: this
command has already done that work. With --dry-run everything happens inside one
transaction that is rolled back at the end, so the database is left as it was.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from claims import ingestion, processing
from claims import services as claim_services
from claims.models import Article, Claim
from verify.evidence import gathering
from verify.evidence.sources import SOURCES
from verify.models import GatherJob, Suggestion

REFERENCES_SHOWN = 20


class Command(BaseCommand):
    help = "Ingest, extract, gather, rank and suggest for one article; print JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--title", default="")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--published", type=date.fromisoformat, default=None,
                            help="YYYY-MM-DD")
        parser.add_argument("--sources", default=",".join(s.name for s in SOURCES),
                            help="comma-separated source names (default: all)")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--dry-run", action="store_true",
                            help="roll everything back at the end: the database is unchanged")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = ingestion.decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        sources = [s.strip() for s in options["sources"].split(",") if s.strip()]
        unknown = set(sources) - {s.name for s in SOURCES}
        if unknown:
            raise CommandError(f"Unknown sources: {', '.join(sorted(unknown))}")
        run = {"text": text, "title": options["title"], "outlet": options["outlet"],
               "published": options["published"], "sources": sources}
        if options["dry_run"]:
            with transaction.atomic():
                output = check(**run)
                transaction.set_rollback(True)
        else:
            output = check(**run)
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=1))


def check(*, text: str, title: str, outlet: str, published: date | None,
          sources: list[str]) -> dict[str, Any]:
    try:
        # Not queued: this command does the processing itself, and a worker repeating it
        # would re-extract the article under our feet.
        article = claim_services.ingest_article(
            text=text, title=title, outlet=outlet, published=published, queue=False
        ).article
    except ingestion.IngestError as exc:
        raise CommandError(str(exc)) from exc
    processing.extract_article(article)
    jobs = gathering.plan_jobs(article, sources)
    article.set_state(Article.State.GATHERING if jobs else Article.State.DONE)
    for job in jobs:
        try:
            gathering.run_until_finished(job.pk)
        except Exception as exc:
            # The JSON must still come out: the job's failure is in it, under "jobs".
            record_crash(job.pk, exc)
    article.refresh_from_db()
    return article_json(article)


def record_crash(job_id: int, exc: Exception) -> None:
    job = GatherJob.objects.get(pk=job_id)
    crash = f"Unexpected error: {exc.__class__.__name__}: {exc}"
    job.state = GatherJob.State.FAILED
    job.error = "; ".join(filter(None, [job.error, crash]))[:2000]
    job.save(update_fields=["state", "error"])


def article_json(article: Article) -> dict[str, Any]:
    claims = article.claims.select_related("suggestion").prefetch_related("references", "jobs")
    return {
        "article": {
            "title": article.title,
            "outlet": article.outlet.name if article.outlet else "",
            "published": article.published.isoformat() if article.published else None,
        },
        "claims": [claim_json(c) for c in claims],
    }


def claim_json(claim: Claim) -> dict[str, Any]:
    def entity(name: str, qid: str) -> dict[str, Any] | None:
        return {"name": name, "qid": qid or None} if name else None

    refs = sorted(claim.references.all(), key=lambda r: (-r.score, r.pk))[:REFERENCES_SHOWN]
    try:
        suggestion: Suggestion | None = claim.suggestion
    except Suggestion.DoesNotExist:
        suggestion = None
    return {
        "sentence": claim.sentence,
        "span": [claim.start, claim.end],
        "type": claim.type,
        "subject": entity(claim.subject_name, claim.subject_qid),
        "object": entity(claim.object_name, claim.object_qid),
        "place": entity(claim.place_name, claim.place_qid),
        "date": {
            "value": claim.date_value, "precision": claim.date_precision,
            "start": claim.date_start.isoformat() if claim.date_start else None,
            "end": claim.date_end.isoformat() if claim.date_end else None,
        } if claim.date_value else None,
        "checkworthiness": round(claim.checkworthiness, 2),
        "references": [
            {"url": r.url, "title": r.title, "publisher": r.publisher,
             "published": r.published.isoformat() if r.published else None,
             "source": r.source, "passage": r.passage, "score": r.score,
             "independent": r.independent, "stance": r.stance, "hint": r.hint}
            for r in refs
        ],
        "suggestion": {"label": suggestion.label, "reasons": suggestion.reasons}
        if suggestion else {"label": "unverified", "reasons": ["not gathered yet"]},
        "jobs": [
            {"source": j.source, "state": j.state, "error": j.error}
            for j in sorted(claim.jobs.all(), key=lambda j: j.pk)
        ],
    }
