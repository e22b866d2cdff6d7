from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from claims.models import Article
from claims.views import job_progress


@login_required
@permission_required("verify.view_gatherjob", raise_exception=True)
def job_status(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article's processing progress; HTMX polls it while work is under way."""
    article = get_object_or_404(Article, pk=article_id)
    return render(
        request, "claims/article_detail.html#progress", {"progress": job_progress(article)}
    )
