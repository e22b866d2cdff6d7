"""The data path after an article is in: claims extracted -> one gather job per claim and
source -> references ranked -> suggestion. claims/ knows nothing of this module; it sends
`claims_extracted` and VerifyConfig.ready connects `gather_extracted` to it.

`reconcile` is the safety net under the whole path: the rows in the database, not the
broker, say what must run, and whatever lost its message is sent again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from claims import tasks as claim_tasks
from claims.models import Article
from config.queueing import send
from verify.events import services as events
from verify.evidence import services as evidence
from verify.evidence.tasks import run_gather_job
from verify.models import GatherJob, Notification
from verify.review.tasks import send_notification_mail


def gather_extracted(sender: type[Article], *, article: Article, **_: Any) -> None:
    """Receiver of claims_extracted: plan and queue the article's gather jobs."""
    evidence.start_gathering(article)


def group_extracted(sender: type[Article], *, article: Article, **_: Any) -> None:
    """Receiver of claims_extracted: group the article's claims into events, in the
    background once the claims are committed."""
    events.queue_grouping(article)


def reconcile() -> None:
    """Queue again the work whose enqueue failed or whose worker died."""
    # Rows are touched as they are sent again, so work still waiting in a long queue is sent
    # once per RECONCILE_AFTER_SECONDS, not once per tick.
    now = timezone.now()
    lease_ended = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    stale = Article.objects.stale().values_list("pk", "state", "state_changed_at")
    for article_id, state, changed_at in stale:
        # An extraction still within its lease may be alive: it is sent again untouched (the
        # task then finds it taken). Once the lease is over its worker is dead and it goes
        # back to "queued"; touching only its timestamp would make it look alive to
        # claim_for_extraction for ever.
        if state == Article.State.QUEUED or changed_at < lease_ended:
            Article.objects.filter(pk=article_id, state=state).update(
                state=Article.State.QUEUED, state_changed_at=now
            )
        send(claim_tasks.process_article, article_id)
    for job_id in GatherJob.objects.stale().values_list("pk", flat=True):
        GatherJob.objects.filter(pk=job_id).exclude(state__in=GatherJob.State.finished()).update(
            state=GatherJob.State.QUEUED, updated_at=now
        )
        send(run_gather_job, job_id)
    lost = list(Notification.objects.mail_lost(now).values_list("pk", flat=True))
    if lost:
        Notification.objects.filter(pk__in=lost).update(mail_queued_at=now)
        send(send_notification_mail, lost)
