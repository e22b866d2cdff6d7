"""Actions on gathering that have side effects: the only place that queues verify tasks."""

from __future__ import annotations

from django.db import transaction

from claims.models import Article
from config.queueing import send_on_commit
from verify import gathering, tasks


@transaction.atomic
def start_gathering(article: Article) -> int:
    """Create the article's jobs and queue them after commit; returns how many were queued."""
    jobs = gathering.plan_jobs(article)
    article.set_state(Article.State.GATHERING if jobs else Article.State.DONE)
    for job in jobs:
        send_on_commit(tasks.run_gather_job, job.pk)
    return len(jobs)
