"""Processing an article: claim it, extract its claims, say what failed.

Plain functions called by the thin tasks in claims/tasks.py (and directly by commands and
tests), so the same code runs in-process and on a fleet of workers. What happens next
(gathering) is verify's business: the task sends claims_extracted.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.extraction import ExtractedClaim, Gazetteer, load_gazetteer
from claims.extraction.pipeline import extract_article as read_article
from claims.models import Article, Claim, Entity

log = logging.getLogger(__name__)


def current_gazetteer() -> Gazetteer:
    """The gazetteer as editors keep it in the admin, or the shipped file before it is loaded."""
    records = [
        {
            "name": e.name,
            "qid": e.qid or None,
            "kind": e.kind,
            "aliases": e.aliases,
            "titles": e.titles,
            **e.extra,
        }
        for e in Entity.objects.all()
    ]
    return Gazetteer.from_records(records) if records else load_gazetteer()


def claim_for_extraction(article_id: int) -> Article | None:
    """Take the article for extraction with a conditional update: a queued article, or one
    whose extraction has held it for longer than a task may run (its worker died). None when
    it is gone or someone else is extracting it now."""
    now = timezone.now()
    lease_ended = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    waiting = Q(state=Article.State.QUEUED) | Q(
        state=Article.State.EXTRACTING, state_changed_at__lt=lease_ended
    )
    taken = Article.objects.filter(waiting, pk=article_id).update(
        state=Article.State.EXTRACTING, state_changed_at=now, error=""
    )
    return Article.objects.filter(pk=article_id).first() if taken else None


def failure_summary(exc: BaseException) -> str:
    """What went wrong, in a few lines a person can read: the error and where it happened."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in frames)
    return f"{exc.__class__.__name__}: {exc}"[:1000] + (f" (at {where})" if where else "")


def extract_article(article: Article) -> list[Claim]:
    """Replace the machine's claims for an article, keeping every claim a person touched."""
    article.set_state(Article.State.EXTRACTING)
    result = read_article(article.text, published=article.published, gazetteer=current_gazetteer())
    found = result.claims
    with transaction.atomic():
        kept = list(article.claims.kept_on_reextraction())
        article.claims.exclude(pk__in=[c.pk for c in kept]).delete()
        # Each kept claim stands in for one found claim of its span and type, no more: a
        # sentence may hold two anniversaries, and touching one must not drop the other.
        taken = Counter((c.start, c.end, c.type) for c in kept)
        new = []
        for x in found:
            key = (*x.span, x.type)
            if taken[key]:
                taken[key] -= 1
            else:
                new.append(claim_from(article, x))
        Claim.objects.bulk_create(new)
    log.info("article %s: %d claims extracted, %d kept", article.pk, len(new), len(kept))
    if result.failures:
        # The rest of the article was read; the parts that failed are said on the article.
        first = result.failures[0]
        note = f"{len(result.failures)} part(s) could not be read; first ({first.stage}): "
        article.error = (note + first.error)[:2000]
        article.save(update_fields=["error"])
        log.error("article %s: %s%s", article.pk, note, first.error)
    return kept + new


def claim_from(article: Article, found: ExtractedClaim) -> Claim:
    claim = Claim(
        article=article,
        start=found.span[0],
        end=found.span[1],
        sentence=found.sentence,
        type=found.type,
        checkworthiness=max(0.0, min(1.0, found.checkworthiness)),
        reason=found.reason[:300],
        occasion=found.occasion[:300],
    )
    for field in ("subject", "object", "place", "speaker"):
        entity = getattr(found, field)
        if entity is not None:
            setattr(claim, f"{field}_name", entity.name[:300])
            setattr(claim, f"{field}_qid", entity.qid or "")
    if found.date is not None:
        claim.date_value = found.date.value
        claim.date_precision = found.date.precision
        claim.date_start = found.date.start
        claim.date_end = found.date.end
    return claim
