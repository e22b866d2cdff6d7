"""Actions on gathering that have side effects: the only place that queues verify tasks."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Article, Claim
from config.queueing import send_on_commit
from verify.evidence import gathering, tasks
from verify.evidence.sources import get_source
from verify.models import GatherJob, LibraryDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def start_gathering(article: Article) -> int:
    """Create the article's jobs and queue them after commit; returns how many were queued."""
    jobs = gathering.plan_jobs(article)
    article.set_state(Article.State.GATHERING if jobs else Article.State.DONE)
    for job in jobs:
        send_on_commit(tasks.run_gather_job, job.pk)
    return len(jobs)


@transaction.atomic
def rerun_source(*, claim: Claim, source: str, user: User | None) -> GatherJob:
    """Search one source again for a claim (its planned query)."""
    return _queue_job(claim=claim, source=source, query="", user=user)


@transaction.atomic
def search_again(*, claim: Claim, source: str, query: str, user: User | None) -> GatherJob:
    """Run one more search of a source in a reviewer's own wording (for `web`: a URL)."""
    query = " ".join(query.split())
    if not query:
        raise ValidationError("Say what to search for.")
    if len(query) > GatherJob._meta.get_field("query").max_length:  # type: ignore[operator]
        raise ValidationError("That search is too long.")
    return _queue_job(claim=claim, source=source, query=query, user=user)


def _queue_job(*, claim: Claim, source: str, query: str, user: User | None) -> GatherJob:
    found = get_source(source)
    if found is None:
        raise ValidationError(f"There is no source called “{source}”.")
    if not found.enabled():
        raise ValidationError(f"{found.label} is switched off.")
    # A click twice, or two reviewers at once: one job is enough while one is waiting. The
    # database holds that rule (gatherjob_one_active): insert, and on a conflict take the
    # job that is already waiting.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                job = GatherJob.objects.create(
                    claim=claim,
                    source=source,
                    query=query,
                    requested_by=user if user and user.is_authenticated else None,
                )
        except IntegrityError:
            waiting = GatherJob.objects.filter(
                claim=claim, source=source, query=query, state__in=GatherJob.State.active()
            ).first()
            if waiting is not None:
                return waiting
            continue  # it finished in between: try the insert again
        send_on_commit(tasks.run_gather_job, job.pk)
        return job
    raise ValidationError("That search is being started by someone else; try again.")


def save_library_document(
    *,
    url: str,
    text: str,
    title: str = "",
    publisher: str = "",
    published: date | None = None,
    user: User | None = None,
    is_demo: bool = False,
) -> tuple[LibraryDocument, bool]:
    """Add a document to the reference library, or update the one with the same URL.
    Returns (document, created). The full-text index follows by itself (see the model)."""
    now = timezone.now()
    doc, created = LibraryDocument.objects.update_or_create(
        url=url,
        defaults={
            "title": title,
            "publisher": publisher,
            "published": published,
            "text": text,
            "updated_at": now,
            "is_demo": is_demo,
        },
        create_defaults={
            "title": title,
            "publisher": publisher,
            "published": published,
            "text": text,
            "is_demo": is_demo,
            "added_by": user,
            "added_at": now,
            "updated_at": now,
        },
    )
    return doc, created
