"""How far gathering has got for an article (the progress box HTMX polls)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django_htmx.http import trigger_client_event

from claims.models import Article
from verify.models import GatherJob


@login_required
@permission_required("verify.view_gatherjob", raise_exception=True)
def job_status(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article's processing progress; HTMX polls it while work is under way."""
    article = get_object_or_404(Article, pk=article_id)
    progress = job_progress(article)
    response = render(request, "review/article_detail.html#progress", {"progress": progress})
    # Claims are extracted while the page polls, and this is the last poll once the work is
    # done: either way the page's claim list and highlighted text are out of date, so the
    # claims section (which listens for this event) fetches itself again.
    if not progress["working"] or request.GET.get("shown") != str(progress["claims"]):
        trigger_client_event(response, "claims-changed")
    return response


def job_progress(article: Article) -> dict:
    by_state = dict(
        GatherJob.objects.filter(claim__article=article)
        .values_list("state").annotate(n=Count("id")).order_by()
    )
    total = sum(by_state.values())
    finished = sum(by_state.get(s, 0) for s in GatherJob.State.finished())
    return {
        "article": article,
        "by_state": [(s, label, by_state.get(s, 0)) for s, label in GatherJob.State.choices],
        "total": total,
        "finished": finished,
        "working": article.state in Article.State.working(),
        # What failed, in words: recorded on each job (gathering.finish), never only logged.
        "failed_jobs": list(
            GatherJob.objects.filter(claim__article=article, state=GatherJob.State.FAILED)
            .order_by("claim_id", "source")[:20]
        ) if by_state.get(GatherJob.State.FAILED) else [],
        "claims": article.claims.count(),
    }
